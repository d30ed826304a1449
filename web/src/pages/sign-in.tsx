import { Alert, Button, Card, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api, ApiError } from '../api';
import { Loading } from '../widgets';

interface SsoStatus {
  readonly enabled: boolean;
}

/**
 * Sign-in: a one-time link (its code in the URL fragment, which no server log sees) is exchanged
 * for a session cookie; the SSO button starts the OpenID Connect flow when an issuer is configured.
 */
export function SignInPage() {
  const navigate = useNavigate();
  const [state, setState] = useState<'idle' | 'exchanging' | 'failed'>('idle');
  const [error, setError] = useState<string | null>(null);
  const [sso, setSso] = useState<SsoStatus | null>(null);

  useEffect(() => {
    api.get<SsoStatus>('/sessions/sso').then(setSso, () => setSso({ enabled: false }));
    const link = new URLSearchParams(window.location.hash.slice(1)).get('link');
    const failure = new URLSearchParams(window.location.search).get('error');
    if (failure) {
      setState('failed');
      setError(failure);
    }
    if (!link) return;
    // The code leaves the address bar at once: it must not stay in the history or be bookmarked.
    window.history.replaceState(null, '', window.location.pathname);
    setState('exchanging');
    api.post('/sessions', { link }).then(
      () => navigate('/', { replace: true }),
      (e: unknown) => {
        setState('failed');
        setError(e instanceof ApiError ? `${e.message}（${e.code}）` : String(e));
      },
    );
  }, [navigate]);

  if (state === 'exchanging') return <Loading />;
  return (
    <main style={{ display: 'flex', justifyContent: 'center', padding: '10vh 16px' }}>
      <Card style={{ maxWidth: 520, width: '100%' }}>
        <Typography.Title level={1} style={{ fontSize: 22 }}>
          政务协同办公平台 · 控制台登录
        </Typography.Title>
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          {error && <Alert type="error" showIcon title="登录未成功" description={error} role="alert" />}
          {sso?.enabled && (
            <Button type="primary" href="/sessions/sso/start" block>
              使用统一身份认证登录
            </Button>
          )}
          <Typography.Paragraph>在服务器上为账号生成一次性登录链接，然后在本浏览器中打开它：</Typography.Paragraph>
          <Typography.Paragraph code copyable>
            npm run cli -- login-link --account &lt;账号&gt;
          </Typography.Paragraph>
          <Typography.Paragraph type="secondary">
            链接只能使用一次，默认 15 分钟内有效；首次登录即激活新开账号。
          </Typography.Paragraph>
        </Space>
      </Card>
    </main>
  );
}
