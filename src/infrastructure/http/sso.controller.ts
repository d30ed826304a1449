/**
 * Console sign-in through the SSO (OpenID Connect authorization code with PKCE): `start` sends the
 * browser to the issuer, `callback` finishes there and sets the same session cookie a sign-in link
 * does. The pending state rides in a signed cookie scoped to these routes (SameSite=Lax: it must
 * come back on the issuer's redirect), so any instance can finish a sign-in another began.
 */
import { Controller, Get, HttpStatus, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { SignInThroughSso } from '../../application/account/sign-in-link';
import { COMMAND_BUS, type CommandBus } from '../../application/commands/command-bus';
import { DomainError } from '../../domain/shared/domain-error';
import { cookieOf, Public } from '../auth/auth.guard';
import { OidcSignIn, SsoSignInFailed } from '../auth/oidc-sign-in';
import { InvalidToken, SSO_STATE_SECONDS, TokenService } from '../auth/token-service';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { type HttpRequestLike, type HttpResponseLike } from './http-exchange';
import { cookie, SESSION_TTL_SECONDS } from './session.controller';

const STATE_COOKIE = 'gov_sso';
const STATE_COOKIE_OPTIONS = { name: STATE_COOKIE, path: '/sessions/sso', sameSite: 'Lax' };

function redirect(res: HttpResponseLike, location: string): void {
  res.status(HttpStatus.FOUND);
  res.setHeader('Location', location);
}

@ApiTags('sessions (登录会话)')
@Controller('sessions/sso')
export class SsoController {
  private readonly oidc: OidcSignIn | null;

  constructor(
    @Inject(COMMAND_BUS) private readonly commands: CommandBus,
    @Inject(TokenService) private readonly tokens: TokenService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.oidc = config.sso ? new OidcSignIn(config.sso) : null;
  }

  @Public()
  @Get()
  @ApiOperation({ summary: 'Whether the console can sign in through the SSO (an OpenID Connect issuer is configured)' })
  status() {
    return { enabled: this.oidc !== null };
  }

  @Public()
  @Get('start')
  @ApiOperation({ summary: 'Begin an SSO sign-in: redirects to the issuer (authorization code with PKCE)' })
  async start(@Req() req: HttpRequestLike, @Res({ passthrough: true }) res: HttpResponseLike) {
    if (!this.oidc) return redirect(res, this.failed('SSO_NOT_CONFIGURED', '本服务未配置统一身份认证'));
    try {
      const { url, pending } = await this.oidc.start();
      res.setHeader(
        'Set-Cookie',
        cookie(await this.tokens.issueSsoState(pending), SSO_STATE_SECONDS, req, STATE_COOKIE_OPTIONS),
      );
      redirect(res, url);
    } catch (error) {
      redirect(res, this.failedBy(error));
    }
  }

  @Public()
  @Get('callback')
  @ApiOperation({
    summary: 'The issuer returns here: the code is exchanged, the sign-in recorded, the session cookie set',
  })
  async callback(
    @Query() query: { code?: string; state?: string; error?: string },
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    const cleared = cookie('', 0, req, STATE_COOKIE_OPTIONS);
    if (!this.oidc) return redirect(res, this.failed('SSO_NOT_CONFIGURED', '本服务未配置统一身份认证'));
    try {
      const state = cookieOf(req, STATE_COOKIE);
      if (!state) throw new SsoSignInFailed('SSO_STATE_MISSING', '登录已超时或未从本控制台发起，请重新登录');
      const pending = await this.tokens.verifySsoState(state);
      const { accountId, signInId } = await this.oidc.finish(query, pending);
      await this.commands.execute(new SignInThroughSso(accountId, signInId));
      const session = await this.tokens.issue({ kind: 'ACCOUNT', accountId }, `${SESSION_TTL_SECONDS}s`);
      res.setHeader('Set-Cookie', [cleared, cookie(session, SESSION_TTL_SECONDS, req)]);
      redirect(res, '/console/');
    } catch (error) {
      res.setHeader('Set-Cookie', cleared);
      redirect(res, this.failedBy(error));
    }
  }

  private failedBy(error: unknown): string {
    if (error instanceof SsoSignInFailed || error instanceof DomainError) return this.failed(error.code, error.message);
    if (error instanceof InvalidToken) return this.failed('SSO_STATE_INVALID', error.message);
    throw error;
  }

  /** The sign-in page, told why (codes and messages only: never a token). */
  private failed(code: string, message: string): string {
    return `/console/sign-in?error=${encodeURIComponent(`${message}（${code}）`)}`;
  }
}
