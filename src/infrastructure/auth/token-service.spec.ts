import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { makeTempDir } from '../../../test/support/temp-dir';
import { loadConfig } from '../config/app-config';
import { InvalidToken, TokenService } from './token-service';

describe('TokenService', () => {
  const dir = makeTempDir();
  afterAll(() => dir.remove());

  it('embedded default: generates a shared secret once, private to the owner, and round-trips account and service tokens', async () => {
    const config = loadConfig({ DATA_DIR: dir.path, JURISDICTION: 'qingpu' });
    const tokens = new TokenService(config);
    const token = await tokens.issue({ kind: 'ACCOUNT', accountId: 'acc-1' }, '1h');
    expect(await new TokenService(config).verify(token)).toEqual({ kind: 'ACCOUNT', accountId: 'acc-1' });
    expect(await tokens.verify(await tokens.issue({ kind: 'SERVICE', name: 'gateway' }, '1h'))).toEqual({
      kind: 'SERVICE',
      name: 'gateway',
    });
    const { statSync } = await import('node:fs');
    expect(statSync(`${dir.path}/jwt-secret`).mode & 0o077).toBe(0);
  });

  it('verifies a token once and keeps the result until the token expires, then refuses it', async () => {
    const config = loadConfig({ DATA_DIR: dir.path, JURISDICTION: 'qingpu', JWT_SECRET: 'b'.repeat(40) });
    const tokens = new TokenService(config);
    const token = await tokens.issue({ kind: 'ACCOUNT', accountId: 'acc-2' }, '60s');
    const verifyAnew = jest.spyOn(tokens as unknown as { verifyAnew: () => Promise<unknown> }, 'verifyAnew');
    expect(await tokens.verify(token)).toEqual({ kind: 'ACCOUNT', accountId: 'acc-2' });
    expect(await tokens.verify(token)).toEqual({ kind: 'ACCOUNT', accountId: 'acc-2' });
    expect(verifyAnew).toHaveBeenCalledTimes(1);
    // Past its expiry the kept result no longer counts: verified again, and refused.
    await expect(tokens.verify(token, Date.now() + 120_000)).rejects.toBeInstanceOf(InvalidToken);
    expect(verifyAnew).toHaveBeenCalledTimes(2);
  });

  it('refuses a tampered, expired, foreign-jurisdiction or otherwise-signed token', async () => {
    const config = loadConfig({ DATA_DIR: dir.path, JURISDICTION: 'qingpu', JWT_SECRET: 'a'.repeat(40) });
    const tokens = new TokenService(config);
    const good = await tokens.issue({ kind: 'ACCOUNT', accountId: 'acc-1' }, '1h');
    await expect(tokens.verify(good.slice(0, -2) + 'xx')).rejects.toBeInstanceOf(InvalidToken);
    const secret = new TextEncoder().encode('a'.repeat(40));
    const expired = await new SignJWT({ jur: 'qingpu' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('acc-1')
      .setIssuer('gov-collab')
      .setIssuedAt(1)
      .setExpirationTime(2)
      .sign(secret);
    await expect(tokens.verify(expired)).rejects.toThrow('登录凭证已过期');
    const foreign = await new TokenService(
      loadConfig({ DATA_DIR: dir.path, JURISDICTION: 'songjiang', JWT_SECRET: 'a'.repeat(40) }),
    ).issue({ kind: 'ACCOUNT', accountId: 'acc-1' }, '1h');
    await expect(tokens.verify(foreign)).rejects.toThrow('不属于本辖区');
    const other = await new TokenService(
      loadConfig({ DATA_DIR: dir.path, JURISDICTION: 'qingpu', JWT_SECRET: 'b'.repeat(40) }),
    ).issue({ kind: 'ACCOUNT', accountId: 'acc-1' }, '1h');
    await expect(tokens.verify(other)).rejects.toBeInstanceOf(InvalidToken);
  });

  it('production: verifies RS256 and ES256 tokens with the configured public key', async () => {
    for (const type of ['rsa', 'ec'] as const) {
      const { publicKey, privateKey } =
        type === 'rsa'
          ? generateKeyPairSync('rsa', { modulusLength: 2048 })
          : generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const pem = {
        JWT_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        JWT_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      };
      const tokens = new TokenService(loadConfig({ DATA_DIR: dir.path, JURISDICTION: 'qingpu', ...pem }));
      const token = await tokens.issue({ kind: 'ACCOUNT', accountId: 'acc-9' }, '5m');
      expect(await tokens.verify(token)).toEqual({ kind: 'ACCOUNT', accountId: 'acc-9' });
      const verifyOnly = new TokenService(
        loadConfig({ DATA_DIR: dir.path, JURISDICTION: 'qingpu', JWT_PUBLIC_KEY: pem.JWT_PUBLIC_KEY }),
      );
      await expect(verifyOnly.issue({ kind: 'ACCOUNT', accountId: 'x' }, '5m')).rejects.toThrow('JWT_PRIVATE_KEY');
      // A token signed with the shared secret of the embedded default is not accepted here.
      const hs = await new TokenService(
        loadConfig({ DATA_DIR: dir.path, JURISDICTION: 'qingpu', JWT_SECRET: 'a'.repeat(40) }),
      ).issue({ kind: 'ACCOUNT', accountId: 'x' }, '5m');
      await expect(verifyOnly.verify(hs)).rejects.toBeInstanceOf(InvalidToken);
    }
  });
});
