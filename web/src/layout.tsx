import { Button, Drawer, Grid, Layout, Menu, Result, Space, Typography } from 'antd';
import { type ReactNode, useEffect, useState } from 'react';
import { Link, Navigate, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { api, ApiError, type Session } from './api';
import { mayRead, SessionContext, useSession } from './session';
import { Failure, Loading } from './widgets';

const ACCOUNT_TYPES: Record<Session['type'], string> = {
  SYSTEM_ADMIN: '系统管理员',
  TIERED_ADMIN: '分级管理员',
  USER: '普通用户',
  TEMPORARY: '临时账号',
};

const PAGES: ReadonlyArray<{ key: string; label: string; role: 'AUDITOR' | 'ASSESSOR' | null }> = [
  { key: 'audit', label: '审计回溯', role: 'AUDITOR' },
  { key: 'time-travel', label: '时点回溯', role: 'AUDITOR' },
  { key: 'integrity', label: '数据完整性', role: 'AUDITOR' },
  { key: 'assessment', label: '考核报告', role: 'ASSESSOR' },
  { key: 'work-list', label: '待办事项', role: null },
];

/** The signed-in frame: a menu of the pages, the account, sign-out; a visitor without a session goes to sign-in. */
export function ConsoleLayout() {
  const [session, setSession] = useState<Session | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [menuOpen, setMenuOpen] = useState(false);
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
  const items = PAGES.filter((p) => p.role === null || mayRead(session, p.role)).map((p) => ({
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
          {narrow ? (
            // A narrow screen: the menu opens in a drawer (a horizontal menu would hide pages behind an overflow).
            <div style={{ flex: 1 }}>
              <Button size="small" onClick={() => setMenuOpen(true)} aria-expanded={menuOpen}>
                菜单
              </Button>
              <Drawer open={menuOpen} onClose={() => setMenuOpen(false)} placement="left" size={240} title="菜单">
                <nav aria-label="主菜单">
                  <Menu mode="inline" selectedKeys={[selected]} items={items} onClick={() => setMenuOpen(false)} />
                </nav>
              </Drawer>
            </div>
          ) : (
            <nav aria-label="主菜单" style={{ flex: 1, minWidth: 0 }}>
              <Menu
                theme="dark"
                mode="horizontal"
                selectedKeys={[selected]}
                items={items}
                disabledOverflow
                style={{ minWidth: 0, lineHeight: '48px' }}
              />
            </nav>
          )}
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

const ROLE_NAMES = { AUDITOR: '审计员', ASSESSOR: '考核员' } as const;

/**
 * A page for a read role, shown only to an account that holds it. The service refuses the
 * page's reads to anyone else all the same: this only spares them a page of refusals.
 */
export function RequireRole({ role, children }: { role: 'AUDITOR' | 'ASSESSOR'; children: ReactNode }) {
  const session = useSession();
  if (mayRead(session, role)) return children;
  return (
    <Result
      status="403"
      title="无权访问"
      subTitle={`本页仅向${ROLE_NAMES[role]}和系统管理员开放；如需查阅，请联系系统管理员授予角色（ACCESS_DENIED）`}
      data-testid="forbidden"
    />
  );
}

/** The first page after sign-in: the first the account may use. */
export function Landing() {
  const session = useSession();
  const to = mayRead(session, 'AUDITOR') ? 'audit' : mayRead(session, 'ASSESSOR') ? 'assessment' : 'work-list';
  return <Navigate to={`/${to}`} replace />;
}
