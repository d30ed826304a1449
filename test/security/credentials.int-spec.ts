/**
 * Credentials that cannot be forged or kept forever, and a data directory that is the owner's
 * alone (issue 17, holes 3, 10 and 13), each reproduced as found and refused now.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { accountDecider } from '../../src/domain/account/account.decider';
import { InvalidToken, TokenService } from '../../src/infrastructure/auth/token-service';
import { ConfigurationError, loadConfig } from '../../src/infrastructure/config/app-config';
import { prepareDataDirectory } from '../../src/infrastructure/system/data-directory';
import { idNumberCheckCharacter } from '../../src/domain/person/identity';
import { runCli } from '../support/cli';
import { makeTempDir } from '../support/temp-dir';
import { SYSTEM_ADMIN } from '../support/decider-specification';

const SECRET = 'k'.repeat(48);
const MAIN = join(__dirname, '../../src/main.ts');

function signed(claims: Record<string, unknown>, build: (jwt: SignJWT) => SignJWT = (jwt) => jwt) {
  const jwt = new SignJWT({ jur: 'qingpu', ...claims }).setProtectedHeader({ alg: 'HS256' }).setIssuer('gov-collab');
  return build(jwt).sign(new TextEncoder().encode(SECRET));
}

describe('credentials and the data directory', () => {
  const dir = makeTempDir();
  afterAll(() => dir.remove());
  const tokens = () => new TokenService(loadConfig({ DATA_DIR: dir.path, JURISDICTION: 'qingpu', JWT_SECRET: SECRET }));
  const hour = () => Math.floor(Date.now() / 1000) + 3600;

  describe('3. a service identity is not forged by naming an account', () => {
    it('takes a token whose subject reads service:… but has no service claim for no one', async () => {
      const forged = await signed({}, (jwt) =>
        jwt.setSubject('service:gateway').setIssuedAt().setExpirationTime(hour()),
      );
      await expect(tokens().verify(forged)).rejects.toBeInstanceOf(InvalidToken);
    });

    it('still takes the service credentials it issues', async () => {
      const issued = await tokens().issue({ kind: 'SERVICE', name: 'subscriber-s1' }, '1h');
      expect(await tokens().verify(issued)).toEqual({ kind: 'SERVICE', name: 'subscriber-s1' });
    });

    it('opens no account whose id has a colon or starts with "service"', () => {
      const context = { now: new Date('2025-03-03T00:00:00Z'), effectiveAt: '2025-03-03', actor: SYSTEM_ADMIN };
      for (const accountId of ['service:gateway', 'service-gateway', 'Service_x', 'a:b']) {
        const command = {
          type: 'OpenAccount' as const,
          data: { accountId, type: 'SYSTEM_ADMIN' as const, loginName: 'x', facts: { maxTemporaryDays: 90 } },
        };
        expect(() => accountDecider.decide(command, accountDecider.initialState(), context)).toThrow(
          expect.objectContaining({ code: 'INVALID_ACCOUNT_ID' }),
        );
      }
    });
  });

  describe('10. tokens expire and keys are keys', () => {
    it('refuses a token without an expiry, and one issued longer ago than the longest lifetime', async () => {
      const endless = await signed({}, (jwt) => jwt.setSubject('acc-1').setIssuedAt());
      await expect(tokens().verify(endless)).rejects.toBeInstanceOf(InvalidToken);
      const old = Math.floor(Date.now() / 1000) - 40 * 86_400;
      const ancient = await signed({}, (jwt) => jwt.setSubject('acc-1').setIssuedAt(old).setExpirationTime(hour()));
      await expect(tokens().verify(ancient)).rejects.toBeInstanceOf(InvalidToken);
      const fresh = await signed({}, (jwt) => jwt.setSubject('acc-1').setIssuedAt().setExpirationTime(hour()));
      expect(await tokens().verify(fresh)).toEqual({ kind: 'ACCOUNT', accountId: 'acc-1' });
    });

    it('refuses an empty or short key file, and one others may read', () => {
      const data = join(dir.path, 'keys');
      mkdirSync(data, { recursive: true });
      const config = loadConfig({ DATA_DIR: data, JURISDICTION: 'qingpu' });
      writeFileSync(join(data, 'jwt-secret'), '', { mode: 0o600 });
      expect(() => TokenService.sharedSecret(config)).toThrow(ConfigurationError);
      writeFileSync(join(data, 'jwt-secret'), 'short', { mode: 0o600 });
      expect(() => prepareDataDirectory(config)).toThrow(/shorter than 32/);
      writeFileSync(join(data, 'jwt-secret'), 'x'.repeat(40));
      chmodSync(join(data, 'jwt-secret'), 0o644);
      expect(() => prepareDataDirectory(config)).toThrow(/readable by others/);
    });

    it('stops the service at start-up (exit 78) on an empty key file', () => {
      const data = join(dir.path, 'empty-key');
      mkdirSync(data, { recursive: true });
      writeFileSync(join(data, 'jwt-secret'), '', { mode: 0o600 });
      const child = spawnSync(process.execPath, ['-r', '@swc-node/register', MAIN], {
        env: { ...process.env, DATA_DIR: data, PORT: '0', JURISDICTION: 'qingpu', JWT_SECRET: '' },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(child.status).toBe(78);
      expect(child.stderr).toContain('shorter than 32');
    });
  });

  describe('the operator’s token command', () => {
    it('issues an account token that the service takes, and none for an account that does not exist', async () => {
      const data = join(dir.path, 'cli');
      const env = { ...process.env, DATA_DIR: data, JURISDICTION: 'qingpu', JWT_SECRET: SECRET, LOG_LEVEL: 'silent' };
      const id17 = '31011819800101001';
      const wrongCheckDigit = id17 + (idNumberCheckCharacter(id17) === '1' ? '2' : '1');
      const refused = runCli(env, [
        'bootstrap',
        '--root-name',
        '青浦区',
        '--name',
        '张三',
        '--id-number',
        wrongCheckDigit,
        '--gender',
        '1',
        '--mobile',
        '13800000000',
      ]);
      // A refused bootstrap writes nothing, not even the root (issue 18): the store holds no event.
      expect(refused.status).toBe(1);
      expect(JSON.parse(runCli(env, ['verify']).stdout).checked).toBe(0);
      const boot = runCli(env, [
        'bootstrap',
        '--root-name',
        '青浦区',
        '--name',
        '张三',
        '--id-number',
        id17 + idNumberCheckCharacter(id17),
        '--gender',
        '1',
        '--mobile',
        '13800000000',
      ]);
      expect(boot.status).toBe(0);
      const issued = runCli(env, ['token', '--account', 'acc-admin']);
      expect(issued.status).toBe(0);
      expect(await tokens().verify(issued.stdout.trim())).toEqual({ kind: 'ACCOUNT', accountId: 'acc-admin' });
      expect(runCli(env, ['token', '--account', 'nobody']).status).toBe(1);
      // Reports go through the read policy as the account the operator names.
      const year = String(new Date().getFullYear());
      const report = (as: string) => runCli(env, ['report', 'assessment', '--as', as, '--period', year]);
      const admin = report('acc-admin');
      expect(admin.status).toBe(0);
      expect(JSON.parse(admin.stdout).units[0].nodeId).toBe('root');
      const nobody = report('nobody');
      expect(nobody.status).toBe(1);
      expect(nobody.stdout).toBe('');
      expect(runCli(env, ['report', 'assessment', '--period', year]).status).not.toBe(0);
    });
  });

  describe('13. the data directory and its files are the owner’s alone', () => {
    it('narrows a data directory and files left readable, and keeps what the service writes private', async () => {
      const data = join(dir.path, 'served');
      mkdirSync(data, { recursive: true, mode: 0o755 });
      chmodSync(data, 0o755);
      writeFileSync(join(data, 'leftover.sqlite'), 'x', { mode: 0o644 });
      chmodSync(join(data, 'leftover.sqlite'), 0o644);
      const child = spawn(process.execPath, ['-r', '@swc-node/register', MAIN], {
        env: { ...process.env, DATA_DIR: data, PORT: '0', JURISDICTION: 'qingpu', LOG_LEVEL: 'info', JWT_SECRET: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      try {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('the service did not start')), 60_000);
          child.stdout.on('data', (chunk: Buffer) => {
            if (chunk.toString().includes('Listening')) {
              clearTimeout(timer);
              resolve();
            }
          });
          child.on('exit', (code) => reject(new Error(`the service exited with ${code}`)));
        });
        expect(statSync(data).mode & 0o777).toBe(0o700);
        expect(existsSync(join(data, 'jwt-secret'))).toBe(true);
        for (const name of readdirSync(data)) {
          const stat = statSync(join(data, name));
          if (stat.isFile()) expect({ name, mode: stat.mode & 0o077 }).toEqual({ name, mode: 0 });
        }
      } finally {
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
      }
    });
  });
});
