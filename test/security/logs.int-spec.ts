/**
 * Logs never hold tokens, secrets or personal data (issue 17, hole 4): the service's access log,
 * at its default level, as an operator would read it after a few requests.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { TokenService } from '../../src/infrastructure/auth/token-service';
import { loadConfig } from '../../src/infrastructure/config/app-config';
import { makeTempDir } from '../support/temp-dir';

const MAIN = join(__dirname, '../../src/main.ts');
const SECRET = 's'.repeat(48);
const MOBILE = '13912345678';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('the access log', () => {
  const dir = makeTempDir();
  afterAll(() => dir.remove());

  it('holds no bearer token, no access_token and no searched mobile', async () => {
    const port = await freePort();
    const env = { DATA_DIR: dir.path, PORT: String(port), JURISDICTION: 'qingpu', JWT_SECRET: SECRET };
    const token = await new TokenService(loadConfig(env)).issue({ kind: 'ACCOUNT', accountId: 'acc-admin' }, '1h');
    const child = spawn(process.execPath, ['-r', '@swc-node/register', MAIN], {
      env: { ...process.env, ...env, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the service did not start:\n${log}`)), 60_000);
        child.stdout.on('data', () => {
          if (log.includes('Listening')) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      const base = `http://127.0.0.1:${port}`;
      await fetch(`${base}/directory/search?q=${MOBILE}&limit=5`, { headers: { Authorization: `Bearer ${token}` } });
      await fetch(`${base}/org-tree?access_token=${token}`);
      await fetch(`${base}/org-tree`, { headers: { Authorization: `Bearer ${token}`, Cookie: `session=${token}` } });
      await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    expect(log).toContain('/directory/search');
    expect(log).toContain('[redacted]');
    expect(log).not.toContain(token);
    expect(log).not.toContain(token.split('.')[2]);
    expect(log).not.toContain(MOBILE);
  });
});
