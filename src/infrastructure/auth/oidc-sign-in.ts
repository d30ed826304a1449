/**
 * Console sign-in through the SSO: OpenID Connect's authorization code flow with PKCE (RFC 7636)
 * against the configured issuer. The browser is sent to the issuer with a fresh state, nonce and
 * code challenge; on its return the code is exchanged at the token endpoint with the verifier, and
 * the ID token's signature (the issuer's JWKS), issuer, audience, lifetime and nonce are checked
 * before its account claim is believed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { AppConfig } from '../config/app-config';
import type { PendingSsoSignIn } from './token-service';

type SsoSettings = NonNullable<AppConfig['sso']>;

interface Discovery {
  readonly authorization_endpoint: string;
  readonly token_endpoint: string;
  readonly jwks_uri: string;
  readonly issuer: string;
}

/** A refusal in the flow, said so that an administrator knows where it stopped. */
export class SsoSignInFailed extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const base64url = (bytes: Buffer) => bytes.toString('base64url');

export class OidcSignIn {
  private discovery: Promise<{ meta: Discovery; keys: JWTVerifyGetKey }> | null = null;

  constructor(private readonly settings: SsoSettings) {}

  /** The issuer's address to send the browser to, and what the callback will need to finish. */
  async start(): Promise<{ url: string; pending: PendingSsoSignIn }> {
    const { meta } = await this.discover();
    const pending = {
      state: base64url(randomBytes(16)),
      nonce: base64url(randomBytes(16)),
      verifier: base64url(randomBytes(32)),
    };
    const url = new URL(meta.authorization_endpoint);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: this.settings.clientId,
      redirect_uri: this.settings.redirectUri,
      scope: 'openid',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: base64url(createHash('sha256').update(pending.verifier).digest()),
      code_challenge_method: 'S256',
    }).toString();
    return { url: url.toString(), pending };
  }

  /** The account the issuer vouches for, from the callback's code. */
  async finish(
    callback: { code?: string; state?: string; error?: string },
    pending: PendingSsoSignIn,
  ): Promise<{ accountId: string; signInId: string }> {
    if (callback.error) throw new SsoSignInFailed('SSO_DENIED', `统一身份认证未通过（${callback.error}）`);
    if (!callback.code || callback.state !== pending.state)
      throw new SsoSignInFailed('SSO_STATE_MISMATCH', '统一身份认证的回调与本次登录不符，请重新登录');
    const { meta, keys } = await this.discover();
    const body = new URLSearchParams({
      grant_type: 'authorization_code',
      code: callback.code,
      redirect_uri: this.settings.redirectUri,
      code_verifier: pending.verifier,
    });
    const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
    if (this.settings.clientSecret) {
      const credentials = `${encodeURIComponent(this.settings.clientId)}:${encodeURIComponent(this.settings.clientSecret)}`;
      headers.Authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
    } else body.set('client_id', this.settings.clientId);
    const response = await fetch(meta.token_endpoint, { method: 'POST', headers, body });
    if (!response.ok)
      throw new SsoSignInFailed('SSO_TOKEN_REFUSED', `统一身份认证拒绝换取令牌（HTTP ${response.status}）`);
    const { id_token: idToken } = (await response.json()) as { id_token?: string };
    if (!idToken) throw new SsoSignInFailed('SSO_TOKEN_REFUSED', '统一身份认证未返回身份令牌');
    let claims: Record<string, unknown>;
    try {
      ({ payload: claims } = await jwtVerify(idToken, keys, {
        issuer: meta.issuer,
        audience: this.settings.clientId,
        requiredClaims: ['exp', 'iat', 'sub'],
      }));
    } catch {
      throw new SsoSignInFailed('SSO_TOKEN_INVALID', '统一身份认证的身份令牌无效');
    }
    if (claims.nonce !== pending.nonce) throw new SsoSignInFailed('SSO_TOKEN_INVALID', '身份令牌不属于本次登录');
    const accountId = claims[this.settings.accountClaim];
    if (typeof accountId !== 'string' || accountId === '')
      throw new SsoSignInFailed('SSO_ACCOUNT_UNNAMED', `身份令牌未给出账号（${this.settings.accountClaim}）`);
    // One sign-in per ID token: the same token brought twice records one sign-in.
    const signInId = createHash('sha256').update(idToken).digest('hex').slice(0, 32);
    return { accountId, signInId };
  }

  private discover() {
    this.discovery ??= (async () => {
      const issuer = this.settings.issuer.replace(/\/$/, '');
      const response = await fetch(`${issuer}/.well-known/openid-configuration`);
      if (!response.ok)
        throw new SsoSignInFailed('SSO_UNREACHABLE', `无法读取统一身份认证的配置（HTTP ${response.status}）`);
      const meta = (await response.json()) as Discovery;
      if (meta.issuer.replace(/\/$/, '') !== issuer)
        throw new SsoSignInFailed('SSO_UNREACHABLE', '统一身份认证配置中的 issuer 与设置不符');
      return { meta, keys: createRemoteJWKSet(new URL(meta.jwks_uri)) };
    })().catch((error: unknown) => {
      // A failed discovery is tried again on the next sign-in.
      this.discovery = null;
      throw error instanceof SsoSignInFailed
        ? error
        : new SsoSignInFailed('SSO_UNREACHABLE', '无法连接统一身份认证服务，请稍后重试');
    });
    return this.discovery;
  }
}
