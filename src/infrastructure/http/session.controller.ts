/**
 * Sessions for the console (issue 24): a one-time sign-in link is exchanged for a short-lived
 * session held in an HttpOnly cookie, so that no token is pasted by hand or kept where a page's
 * script can read it. The cookie is SameSite=Strict, and a request it authenticates that changes
 * anything must also carry `X-Requested-With` (a header another site's page cannot add).
 */
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpException,
  HttpStatus,
  Inject,
  Post,
  Req,
  Res,
} from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { SignInWithLink } from '../../application/account/sign-in-link';
import { COMMAND_BUS, type CommandBus } from '../../application/commands/command-bus';
import { Public, SESSION_COOKIE } from '../auth/auth.guard';
import { InvalidToken, TokenService } from '../auth/token-service';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { header, type HttpRequestLike, type HttpResponseLike, principalOf } from './http-exchange';

/** How long a session lasts: a working day. */
export const SESSION_TTL_SECONDS = 8 * 3600;

export class SignInDto {
  @ApiProperty({ description: 'The code of a one-time sign-in link (npm run cli -- login-link --account <id>)' })
  @IsString()
  @MaxLength(2048)
  readonly link!: string;
}

/** An HttpOnly cookie: the session's by default (whole site, SameSite=Strict). */
export function cookie(
  value: string,
  maxAge: number,
  request: HttpRequestLike,
  { name = SESSION_COOKIE, path = '/', sameSite = 'Strict' }: { name?: string; path?: string; sameSite?: string } = {},
): string {
  // Secure whenever the service is reached over HTTPS (directly or through a proxy that says so).
  const secure = header(request, 'x-forwarded-proto') === 'https' ? '; Secure' : '';
  return `${name}=${value}; Max-Age=${maxAge}; Path=${path}; HttpOnly; SameSite=${sameSite}${secure}`;
}

@ApiTags('sessions (登录会话)')
@Controller('sessions')
export class SessionController {
  constructor(
    @Inject(COMMAND_BUS) private readonly commands: CommandBus,
    @Inject(TokenService) private readonly tokens: TokenService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      'Exchange a one-time sign-in link for a session cookie; records the sign-in (the first activates the account, 000:9)',
  })
  async signIn(
    @Body() body: SignInDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    let link: { accountId: string; linkId: string };
    try {
      link = await this.tokens.verifySignInLink(body.link);
    } catch (error) {
      if (error instanceof InvalidToken)
        throw new HttpException({ code: 'SIGN_IN_LINK_INVALID', message: error.message }, HttpStatus.UNAUTHORIZED);
      throw error;
    }
    const signedIn = await this.commands.execute(new SignInWithLink(link.accountId, link.linkId));
    const session = await this.tokens.issue({ kind: 'ACCOUNT', accountId: link.accountId }, `${SESSION_TTL_SECONDS}s`);
    res.setHeader('Set-Cookie', cookie(session, SESSION_TTL_SECONDS, req));
    return { ...signedIn, expiresInSeconds: SESSION_TTL_SECONDS };
  }

  @Get('current')
  @ApiOperation({ summary: 'The account the session (or bearer token) stands for' })
  current(@Req() req: HttpRequestLike) {
    const principal = principalOf(req);
    // The guard lets only accounts through here (services are refused before).
    if (principal.kind !== 'ACCOUNT') throw new Error('an account route reached by a service');
    const { accountId, type, personId, loginName, readRoles } = principal.account;
    // The console shows dates in the jurisdiction's zone, whatever the browser's.
    const { jurisdiction, timeZone } = this.config;
    return { kind: 'ACCOUNT', accountId, type, personId, loginName, readRoles, jurisdiction, timeZone };
  }

  @Public()
  @Delete('current')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Sign out: the session cookie is cleared' })
  signOut(@Req() req: HttpRequestLike, @Res({ passthrough: true }) res: HttpResponseLike) {
    res.setHeader('Set-Cookie', cookie('', 0, req));
    return { signedOut: true };
  }
}
