import { Alert, Result, Spin } from 'antd';
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
