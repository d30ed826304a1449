/**
 * Every route but the health probes needs a bearer token. The guard verifies it, loads the account
 * it names as it stands now (a frozen or closed account is refused at once, 403) and leaves the
 * principal on the request for the command's own authorization.
 */
import {
  type CanActivate,
  type ExecutionContext,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AccessControl } from '../../application/access/access-control';
import { AccessDenied, type Principal } from '../../domain/access/access-policy';
import { InvalidToken, TokenService } from './token-service';

const PUBLIC = 'auth:public';
const FOR_SERVICES = 'auth:services';
/** A route anyone may call (health probes). */
export const Public = () => SetMetadata(PUBLIC, true);
/** Routes a service credential (the gateway) may call; every other route is for accounts only. */
export const ForServices = () => SetMetadata(FOR_SERVICES, true);
const FOR_SUBSCRIBERS = 'auth:subscribers';
/** Routes of the published events: a subscriber's service credential may call them; the route authorizes (EVENT_STREAM). */
export const ForSubscribers = () => SetMetadata(FOR_SUBSCRIBERS, true);
/** The metrics route: the metrics service credential may call it; the route authorizes (METRICS). */
export const ForMetricsScrapers = () => SetMetadata(FOR_SUBSCRIBERS, true);

export interface AuthenticatedRequest {
  method?: string;
  headers: Record<string, string | string[] | undefined>;
  principal?: Principal;
}

/** The console's session cookie (see SessionController). */
export const SESSION_COOKIE = 'gov_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function bearerOf(request: AuthenticatedRequest): string | null {
  const header = request.headers.authorization;
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(value.trim());
  if (!match) throw unauthenticated('登录凭证格式应为 Authorization: Bearer <token>');
  return match[1];
}

/** A cookie's value as the request carries it (null when absent or empty). */
export function cookieOf(
  request: { headers: Record<string, string | string[] | undefined> },
  name: string,
): string | null {
  const cookies = request.headers.cookie;
  const text = Array.isArray(cookies) ? cookies.join('; ') : (cookies ?? '');
  const found = text
    .split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${name}=`));
  return found?.slice(name.length + 1) || null;
}

/**
 * The session cookie's token. A request it authenticates that changes anything must carry
 * `X-Requested-With`: another site's page cannot add that header without the service's consent
 * (CORS), so a forged form or link is refused even by a browser that ignores SameSite.
 */
function sessionOf(request: AuthenticatedRequest): string | null {
  const token = cookieOf(request, SESSION_COOKIE);
  if (!token) return null;
  if (!SAFE_METHODS.has((request.method ?? 'GET').toUpperCase()) && !request.headers['x-requested-with'])
    throw new HttpException(
      { code: 'SESSION_REQUEST_UNMARKED', message: '以会话登录提交的操作须带 X-Requested-With 请求头' },
      HttpStatus.FORBIDDEN,
    );
  return token;
}

function unauthenticated(message: string): HttpException {
  return new HttpException({ code: 'UNAUTHENTICATED', message }, HttpStatus.UNAUTHORIZED);
}

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(TokenService) private readonly tokens: TokenService,
    @Inject(AccessControl) private readonly access: AccessControl,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerOf(request) ?? sessionOf(request);
    if (!token) throw unauthenticated('请求须携带登录凭证（Authorization: Bearer <token>），或先登录');
    let principal: Principal;
    try {
      principal = await this.access.principalOf(await this.tokens.verify(token));
    } catch (error) {
      if (error instanceof InvalidToken) throw unauthenticated(error.message);
      throw error;
    }
    if (this.reflector.getAllAndOverride<boolean>(FOR_SUBSCRIBERS, [context.getHandler(), context.getClass()])) {
      request.principal = principal;
      return true;
    }
    const forServices =
      this.reflector.getAllAndOverride<boolean>(FOR_SERVICES, [context.getHandler(), context.getClass()]) ?? false;
    this.access.authorize(principal, forServices ? { kind: 'GATEWAY' } : { kind: 'AUTHENTICATED' });
    request.principal = principal;
    return true;
  }
}

const BEFORE_UPLOAD = 'auth:before-upload';
/**
 * A route whose body is an upload: the action needs a system admin, checked here, before the
 * upload is read (guards run before interceptors), so that no one else can make the service
 * buffer files. The command's handler authorizes again.
 */
export const SystemAdminBeforeUpload = (action: string) => SetMetadata(BEFORE_UPLOAD, action);
const BEFORE_ADMIN_UPLOAD = 'auth:before-admin-upload';
/** As SystemAdminBeforeUpload, for uploads that tiered admins send too (a batch over their subtree). */
export const AdministratorBeforeUpload = (action: string) => SetMetadata(BEFORE_ADMIN_UPLOAD, action);

@Injectable()
export class UploadGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AccessControl) private readonly access: AccessControl,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const action = this.reflector.get<string | undefined>(BEFORE_UPLOAD, context.getHandler());
    const adminAction = this.reflector.get<string | undefined>(BEFORE_ADMIN_UPLOAD, context.getHandler());
    if (action === undefined && adminAction === undefined) return true;
    const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
    if (!principal) throw unauthenticated('请求须携带登录凭证（Authorization: Bearer <token>）');
    if (action !== undefined) this.access.authorize(principal, AccessControl.systemAdmin(action));
    else if (principal.kind !== 'ACCOUNT' || !['SYSTEM_ADMIN', 'TIERED_ADMIN'].includes(principal.account.type))
      throw new AccessDenied('ADMINISTRATORS_ONLY', `${adminAction}只能由系统管理员或分级管理员提交`, {}, true);
    return true;
  }
}
