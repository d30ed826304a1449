import { Alert, Result, Spin } from 'antd';
import type { ReactNode } from 'react';
import { ApiError } from './api';

export function Loading() {
  return (
    <div style={{ padding: 48, textAlign: 'center' }}>
      <Spin description="加载中…" />
    </div>
  );
}

/** A refusal is a page of its own (the account may not see this), other failures an alert with the API's code. */
export function Failure({ error }: { error: unknown }) {
  if (error instanceof ApiError && error.status === 403)
    return (
      <Result status="403" title="无权访问" subTitle={`${error.message}（${error.code}）`} data-testid="forbidden" />
    );
  const message = error instanceof ApiError ? `${error.message}（${error.code}）` : String(error);
  return <Alert type="error" showIcon title="操作未成功" description={message} role="alert" />;
}

/**
 * A wide table's own scrolling box, reachable by keyboard (it takes focus, so arrow keys scroll it):
 * on a narrow screen the table scrolls here instead of widening the page.
 */
export function ScrollRegion({ label, minWidth, children }: { label: string; minWidth: number; children: ReactNode }) {
  return (
    <div role="region" aria-label={label} tabIndex={0} style={{ overflowX: 'auto' }}>
      <div style={{ minWidth }}>{children}</div>
    </div>
  );
}

/** Tag colours dark enough for WCAG AA on their own background (Ant Design's green and orange tags are not). */
export const TAG_OK = '#237804';
export const TAG_WARN = '#ad4e00';
