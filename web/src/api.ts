/**
 * The console talks only to the service's public HTTP API, as the signed-in account: the session is an
 * HttpOnly cookie (never a token in script reach), and every write carries X-Requested-With, which
 * the service requires of cookie-authenticated writes.
 */

/** A refusal or failure as the API states it: a stable code and a message for an administrator. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type Params = Readonly<Record<string, string | number | undefined | null>>;

/** A path with its non-empty query parameters. */
export function urlOf(path: string, params: Params = {}): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== null && value !== '') query.set(key, String(value));
  const text = query.toString();
  return text === '' ? path : `${path}?${text}`;
}

async function send<T>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET') headers['X-Requested-With'] = 'console';
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK_UNREACHABLE', '无法连接服务，请检查网络后重试');
  }
  const text = await response.text();
  const parsed = text === '' ? null : safeJson(text);
  if (!response.ok) {
    const error = (parsed ?? {}) as { code?: string; message?: string };
    throw new ApiError(
      response.status,
      error.code ?? `HTTP_${response.status}`,
      error.message ?? `服务返回 ${response.status}`,
    );
  }
  return parsed as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export const api = {
  get: <T>(path: string, params?: Params) => send<T>('GET', urlOf(path, params)),
  post: <T>(path: string, body?: unknown) => send<T>('POST', path, body ?? {}),
  delete: <T>(path: string) => send<T>('DELETE', path),
};

export interface Session {
  readonly kind: 'ACCOUNT';
  readonly accountId: string;
  readonly type: 'SYSTEM_ADMIN' | 'TIERED_ADMIN' | 'USER' | 'TEMPORARY';
  readonly personId: string | null;
  readonly loginName: string;
  /** Auditor and assessor roles, over the jurisdiction (orgNodeId null) or a subtree. */
  readonly readRoles: ReadonlyArray<{ role: 'AUDITOR' | 'ASSESSOR'; orgNodeId: string | null }>;
  readonly jurisdiction: string;
  readonly timeZone: string;
}
