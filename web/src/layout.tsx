import { Button, Grid, Layout, Menu, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { api, ApiError, type Session } from './api';
import { isAdministrator, SessionContext } from './session';
import { Failure, Loading } from './widgets';

const ACCOUNT_TYPES: Record<Session['type'], string> = {
  SYSTEM_ADMIN: '系统管理员',
  TIERED_ADMIN: '分级管理员',
  USER: '普通用户',
  TEMPORARY: '临时账号',
};

const PAGES = [
  { key: 'audit', label: '审计回溯', admin: true },
  { key: 'time-travel', label: '时点回溯', admin: true },
  { key: 'integrity', label: '数据完整性', admin: true },
  { key: 'assessment', label: '考核报告', admin: true },
  { key: 'work-list', label: '待办事项', admin: false },
];

/** The signed-in frame: a menu of the pages, the account, sign-out; a visitor without a session goes to sign-in. */
export function ConsoleLayout() {
  const [session, setSession] = useState<Session | null>(null);
  const [error, setError] = useState<unknown>(null);
  const navigate = useNavigate();
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  const narrow = screens.lg === false;

  useEffect(() => {
    api.get<Session>('/sessions/current').then(setSession, (e: unknown) => {
      if (e instanceof ApiError && e.status === 401) void navigate('/sign-in', { replace: true });
      else setError(e);
    });
  }, [navigate]);

  if (error) return <Failure error={error} />;
  if (!session) return <Loading />;
  const selected = location.pathname.split('/')[1] ?? 'audit';
  // The menu shows the pages the account's type is answered on; the service refuses the rest whatever the menu says.
  const items = PAGES.filter((p) => !p.admin || isAdministrator(session)).map((p) => ({
    key: p.key,
    label: <Link to={`/${p.key}`}>{p.label}</Link>,
  }));

  async function signOut() {
    await api.delete('/sessions/current');
    void navigate('/sign-in', { replace: true });
  }

  return (
    <SessionContext.Provider value={session}>
      <Layout style={{ minHeight: '100vh' }}>
        <Layout.Header
          style={{
            display: 'flex',
            alignItems: 'center',
            gap: 16,
            paddingInline: narrow ? 12 : 24,
            flexWrap: 'wrap',
            height: 'auto',
            lineHeight: '48px',
          }}
        >
          <Typography.Text strong style={{ color: '#fff', fontSize: 16 }}>
            政务协同办公平台 · 控制台
          </Typography.Text>
          <nav aria-label="主菜单" style={{ flex: 1, minWidth: 0 }}>
            <Menu
              theme="dark"
              mode="horizontal"
              selectedKeys={[selected]}
              items={items}
              style={{ minWidth: 0, lineHeight: '48px' }}
            />
          </nav>
          <Space>
            <Typography.Text style={{ color: '#fff' }} data-testid="signed-in-account">
              {session.loginName}（{ACCOUNT_TYPES[session.type]}）
            </Typography.Text>
            <Button size="small" onClick={() => void signOut()}>
              退出登录
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: narrow ? 8 : 24 }}>
          <main>
            <Outlet />
          </main>
        </Layout.Content>
      </Layout>
    </SessionContext.Provider>
  );
}
