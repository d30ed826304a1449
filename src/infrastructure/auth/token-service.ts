/**
 * Bearer tokens (JWT). The verifying key is configuration: a shared secret (HS256) for the embedded
 * default, generated once into DATA_DIR/jwt-secret when none is configured; a PEM public key or a
 * JWKS URL in production, where tokens come from the platform's SSO. Claims: `sub` = the account id,
 * `jur` = the jurisdiction, `iss`, `iat`, `exp` (both required, and a token lives at most
 * MAX_TOKEN_AGE). A service credential (the gateway, a subscriber) carries its own claim `svc`: an
 * account's token is never taken for one, whatever its account id.
 */
import { type KeyObject, createHash, createPrivateKey, createPublicKey, randomUUID } from 'node:crypto';
import { type JWTPayload, type JWTVerifyGetKey, type KeyLike, SignJWT, createRemoteJWKSet, jwtVerify } from 'jose';
import type { Credential } from '../../application/access/access-control';
import type { AppConfig } from '../config/app-config';
import { isAccountId } from '../../domain/account/account.decider';
import { generatedKey, JWT_SECRET_FILE } from '../system/generated-key';
import { keepRecent } from '../../application/shared/recency';

/** The `use` claim of a sign-in link's code. */
const SIGN_IN_LINK = 'sign-in-link';
/** The longest a sign-in link may live: it is a credential on a screen or in a message. */
export const SIGN_IN_LINK_MAX_SECONDS = 86_400;
const SSO_STATE = 'sso-state';
/** How long a browser may take at the identity provider before its sign-in must start again. */
export const SSO_STATE_SECONDS = 600;

export interface PendingSsoSignIn {
  readonly state: string;
  readonly nonce: string;
  readonly verifier: string;
}

/** A service's name: `gateway`, `subscriber-<id>`. */
const SERVICE_NAME = /^[a-z][a-z0-9-]{0,80}$/;

export class InvalidToken extends Error {
  readonly code = 'UNAUTHENTICATED';
}

/** Until when a verified token stays valid: its `exp`, or MAX_TOKEN_AGE after `iat` if that comes first. */
function untilOf(payload: JWTPayload): number {
  return Math.min(payload.exp! * 1000, payload.iat! * 1000 + MAX_TOKEN_AGE_MS);
}

/** The longest a token is accepted after it was issued (`iat`), whatever its `exp` says. */
export const MAX_TOKEN_AGE = '31d';

type Verifier = Uint8Array | KeyLike | JWTVerifyGetKey;

/** Tokens already verified, by their SHA-256 (never the token itself), kept until they expire. */
const VERIFIED_MAX = 10_000;
const MAX_TOKEN_AGE_MS = 31 * 86_400_000;

export class TokenService {
  private verifier: Promise<Verifier> | null = null;
  /**
   * A client sends the same token with every request; its signature is checked once (~0.15 ms
   * each, issue 20) and the result kept until the token expires. The account it names is still
   * loaded on every request (a frozen or closed account is refused at once).
   */
  private readonly verified = new Map<string, { credential: Credential; until: number }>();

  constructor(private readonly config: AppConfig) {}

  /** The embedded default's shared secret: configured, or generated once and kept beside the data. */
  static sharedSecret(config: AppConfig): Uint8Array | null {
    if (config.auth.secret) return new TextEncoder().encode(config.auth.secret);
    if (config.auth.publicKey || config.auth.jwksUrl) return null;
    return new TextEncoder().encode(generatedKey(config.dataDir, JWT_SECRET_FILE));
  }

  private async makeVerifier(): Promise<Verifier> {
    const { auth } = this.config;
    if (auth.jwksUrl) return createRemoteJWKSet(new URL(auth.jwksUrl));
    if (auth.publicKey) return createPublicKey(auth.publicKey);
    return TokenService.sharedSecret(this.config)!;
  }

  async verify(token: string, now = Date.now()): Promise<Credential> {
    const key = createHash('sha256').update(token).digest('base64');
    const known = this.verified.get(key);
    if (known && now < known.until) return known.credential;
    if (known) this.verified.delete(key);
    const { credential, until } = await this.verifyAnew(token, now);
    this.verified.set(key, { credential, until });
    keepRecent(this.verified, VERIFIED_MAX);
    return credential;
  }

  /** The claims of a token this service trusts: signature, issuer, lifetime and jurisdiction checked. */
  private async payloadOf(token: string, now: number, what: string): Promise<JWTPayload> {
    this.verifier ??= this.makeVerifier();
    const verifier = await this.verifier;
    let payload: JWTPayload;
    try {
      const options = {
        issuer: this.config.auth.issuer,
        algorithms: ['HS256', 'RS256', 'ES256'],
        requiredClaims: ['exp', 'iat'],
        maxTokenAge: MAX_TOKEN_AGE,
        currentDate: new Date(now),
      };
      payload = (
        typeof verifier === 'function'
          ? await jwtVerify(token, verifier, options)
          : await jwtVerify(token, verifier, options)
      ).payload;
    } catch (error) {
      const expired = (error as { code?: string }).code === 'ERR_JWT_EXPIRED';
      throw new InvalidToken(expired ? `${what}已过期，请重新获取` : `${what}无效`);
    }
    if (payload.jur !== this.config.jurisdiction)
      throw new InvalidToken(`${what}不属于本辖区（${this.config.jurisdiction}）`);
    return payload;
  }

  private async verifyAnew(token: string, now: number): Promise<{ credential: Credential; until: number }> {
    const payload = await this.payloadOf(token, now, '登录凭证');
    // A sign-in link is exchanged for a session, never sent as a bearer token.
    if (payload.use !== undefined) throw new InvalidToken('登录凭证无效');
    const subject = typeof payload.sub === 'string' ? payload.sub : '';
    if (typeof payload.svc === 'string') {
      if (!SERVICE_NAME.test(payload.svc) || subject !== `service:${payload.svc}`)
        throw new InvalidToken('服务凭证无效');
      return { credential: { kind: 'SERVICE', name: payload.svc }, until: untilOf(payload) };
    }
    if (!isAccountId(subject)) throw new InvalidToken('登录凭证未标明有效的账号');
    return { credential: { kind: 'ACCOUNT', accountId: subject }, until: untilOf(payload) };
  }

  /** Signs a token (CLI): with the shared secret, or with JWT_PRIVATE_KEY when tokens are verified by a public key. */
  async issue(credential: Credential, expiresIn: string): Promise<string> {
    const subject = credential.kind === 'SERVICE' ? `service:${credential.name}` : credential.accountId;
    const claims =
      credential.kind === 'SERVICE'
        ? { jur: this.config.jurisdiction, svc: credential.name }
        : { jur: this.config.jurisdiction };
    return this.sign(new SignJWT(claims).setSubject(subject), expiresIn);
  }

  /** A one-time sign-in link's code for an account (CLI login-link): never taken for a bearer token. */
  async issueSignInLink(accountId: string, expiresIn: string): Promise<string> {
    const claims = { jur: this.config.jurisdiction, use: SIGN_IN_LINK };
    return this.sign(new SignJWT(claims).setSubject(accountId).setJti(randomUUID()), expiresIn);
  }

  /** The account and link a sign-in link's code names, once its signature and lifetime are checked. */
  async verifySignInLink(code: string, now = Date.now()): Promise<{ accountId: string; linkId: string }> {
    const payload = await this.payloadOf(code, now, '登录链接');
    if (payload.use !== SIGN_IN_LINK || typeof payload.jti !== 'string' || !isAccountId(payload.sub ?? ''))
      throw new InvalidToken('登录链接无效');
    if (payload.exp! - payload.iat! > SIGN_IN_LINK_MAX_SECONDS)
      throw new InvalidToken('登录链接有效期超过一天，不予接受');
    return { accountId: payload.sub!, linkId: payload.jti };
  }

  /** The SSO flow's pending sign-in (state, nonce, PKCE verifier), held by the browser as a signed, short-lived cookie. */
  async issueSsoState(pending: PendingSsoSignIn): Promise<string> {
    const claims = { jur: this.config.jurisdiction, use: SSO_STATE, ...pending };
    return this.sign(new SignJWT(claims), `${SSO_STATE_SECONDS}s`);
  }

  async verifySsoState(value: string, now = Date.now()): Promise<PendingSsoSignIn> {
    const payload = await this.payloadOf(value, now, '统一身份认证登录状态');
    const { use, state, nonce, verifier } = payload;
    if (use !== SSO_STATE || typeof state !== 'string' || typeof nonce !== 'string' || typeof verifier !== 'string')
      throw new InvalidToken('统一身份认证登录状态无效');
    return { state, nonce, verifier };
  }

  private async sign(jwt: SignJWT, expiresIn: string): Promise<string> {
    jwt.setIssuer(this.config.auth.issuer).setIssuedAt().setExpirationTime(expiresIn);
    if (this.config.auth.privateKey) {
      const key = createPrivateKey(this.config.auth.privateKey);
      return jwt.setProtectedHeader({ alg: algorithmOf(key) }).sign(key);
    }
    const secret = TokenService.sharedSecret(this.config);
    if (!secret)
      throw new Error(
        'Tokens are verified by JWT_PUBLIC_KEY or JWT_JWKS_URL here: set JWT_PRIVATE_KEY to issue them, or issue them from the SSO.',
      );
    return jwt.setProtectedHeader({ alg: 'HS256' }).sign(secret);
  }
}

function algorithmOf(key: KeyObject): 'RS256' | 'ES256' {
  return key.asymmetricKeyType === 'ec' ? 'ES256' : 'RS256';
}
