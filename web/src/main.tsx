import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { lazy, type ReactNode, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import { ConsoleLayout } from './layout';
import { SignInPage } from './pages/sign-in';
import { Loading } from './widgets';

dayjs.locale('zh-cn');

// Each page is its own chunk: the first load carries the shell only (the budget in scripts/console-budget.ts).
const AuditExplorer = lazy(() => import('./pages/audit-explorer'));
const TimeTravel = lazy(() => import('./pages/time-travel'));
const Integrity = lazy(() => import('./pages/integrity'));
const Assessment = lazy(() => import('./pages/assessment'));
const WorkList = lazy(() => import('./pages/work-list'));

// Ant Design's default secondary text is too pale for WCAG AA contrast on white; the console darkens it.
const THEME = { token: { colorTextDescription: 'rgba(0, 0, 0, 0.65)', colorTextTertiary: 'rgba(0, 0, 0, 0.6)' } };

function Console() {
  return (
    <BrowserRouter basename="/console">
      <Routes>
        <Route path="sign-in" element={<SignInPage />} />
        <Route element={<ConsoleLayout />}>
          <Route index element={<Navigate to="audit" replace />} />
          <Route path="audit" element={<Page element={<AuditExplorer />} />} />
          <Route path="time-travel" element={<Page element={<TimeTravel />} />} />
          <Route path="integrity" element={<Page element={<Integrity />} />} />
          <Route path="assessment" element={<Page element={<Assessment />} />} />
          <Route path="work-list" element={<Page element={<WorkList />} />} />
          <Route path="*" element={<Navigate to="audit" replace />} />
        </Route>
      </Routes>
    </BrowserRouter>
  );
}

function Page({ element }: { element: ReactNode }) {
  return <Suspense fallback={<Loading />}>{element}</Suspense>;
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
