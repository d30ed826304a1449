/** What every route reads from a request and writes to a response: the principal, headers, ETag and revision. */
import { HttpException, HttpStatus } from '@nestjs/common';
import type { Principal } from '../../domain/access/access-policy';

export interface HttpRequestLike {
  readonly method: string;
  readonly originalUrl?: string;
  readonly url: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly principal?: Principal;
}
export interface HttpResponseLike {
  status(code: number): unknown;
  setHeader(name: string, value: string | string[]): unknown;
}

export function header(request: HttpRequestLike, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** The principal the auth guard left on the request. */
export function principalOf(request: HttpRequestLike): Principal {
  if (!request.principal)
    throw new HttpException(
      { code: 'UNAUTHENTICATED', message: '请求须携带登录凭证（Authorization: Bearer <token>）' },
      HttpStatus.UNAUTHORIZED,
    );
  return request.principal;
}

export function etagOf(revision: bigint | null): string | null {
  return revision === null ? null : `"${revision}"`;
}

/** A read's answer: the stream revision it was read at, as `ETag` (for a later If-Match) and as `revision`. */
export function withRevision<T extends object>(
  response: HttpResponseLike,
  revision: bigint | null,
  body: T,
): T & { revision: string | null } {
  const etag = etagOf(revision);
  if (etag) response.setHeader('ETag', etag);
  return { ...body, revision: revision?.toString() ?? null };
}
