import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { lazy, type ReactNode, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import { ConsoleLayout, Landing, RequireRole } from './layout';
import { SignInPage } from './pages/sign-in';
import { Loading } from './widgets';

dayjs.locale('zh-cn');

// Each page is its own chunk: the first load carries the shell only (the budget in scripts/console-budget.ts).
const AuditExplorer = lazy(() => import('./pages/audit-explorer'));
const TimeTravel = lazy(() => import('./pages/time-travel'));
const Integrity = lazy(() => import('./pages/integrity'));
const Assessment = lazy(() => import('./pages/assessment'));
const WorkList = lazy(() => import('./pages/work-list'));

// Ant Design's default blue (#1677ff) and secondary text are too pale for WCAG AA contrast on white
// (4.1:1 for the blue); the console uses its darker blue (5.9:1) and darker secondary text.
// Who asked their system for less motion gets none (WCAG 2.3.3).
const REDUCED_MOTION = window.matchMedia('(prefers-reduced-motion: reduce)').matches;

const THEME = {
  token: {
    motion: !REDUCED_MOTION,
    colorPrimary: '#0958d9',
    colorLink: '#0958d9',
    colorTextDescription: 'rgba(0, 0, 0, 0.65)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.6)',
  },
};

function Console() {
  return (
    <BrowserRouter basename="/console">
      <Routes>
        <Route path="sign-in" element={<SignInPage />} />
        <Route element={<ConsoleLayout />}>
          <Route index element={<Landing />} />
          <Route path="audit" element={<Page role="AUDITOR" element={<AuditExplorer />} />} />
          <Route path="time-travel" element={<Page role="AUDITOR" element={<TimeTravel />} />} />
          <Route path="integrity" element={<Page role="AUDITOR" element={<Integrity />} />} />
          <Route path="assessment" element={<Page role="ASSESSOR" element={<Assessment />} />} />
          <Route path="work-list" element={<Page element={<WorkList />} />} />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Route>
      </Routes>
    </BrowserRouter>
  );
}

function Page({ element, role }: { element: ReactNode; role?: 'AUDITOR' | 'ASSESSOR' }) {
  const page = <Suspense fallback={<Loading />}>{element}</Suspense>;
  return role ? <RequireRole role={role}>{page}</RequireRole> : page;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConfigProvider locale={zhCN} theme={THEME}>
      <AntApp>
        <Console />
      </AntApp>
    </ConfigProvider>
  </StrictMode>,
);
