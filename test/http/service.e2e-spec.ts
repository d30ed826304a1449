import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { ANY, EVENT_STORE, type EventStore } from '../../src/application/ports/event-store.port';
import { AppModule } from '../../src/infrastructure/app.module';
import { loadConfig } from '../../src/infrastructure/config/app-config';
import { SqliteEventStore } from '../../src/infrastructure/event-store/sqlite/sqlite-event-store';
import { makeTempDir } from '../support/temp-dir';

const ROOT = join(__dirname, '../..');

async function makeApp(dataDir: string): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    // Policies and projections off: their leases (and the policies' checkpoint claims) would be the
    // store's first events, and this suite counts events.
    imports: [
      AppModule.forConfig(
        loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', POLICIES_ENABLED: 'false', PROJECTIONS_ENABLED: 'false' }),
      ),
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

describe('service shell (in process)', () => {
  let dir: ReturnType<typeof makeTempDir>;
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => dir.remove());

  it('answers readiness with the event store, and liveness', async () => {
    const app = await makeApp(dir.path);
    const ready = await request(app.getHttpServer()).get('/health').expect(200);
    expect(ready.body).toEqual({
      status: 'ok',
      eventStore: { adapter: 'sqlite', up: true, detail: expect.any(String), headPosition: null },
    });
    await request(app.getHttpServer()).get('/health/live').expect(200, { status: 'ok' });
    await app.close();
  });

  it('answers 503 when the event store is down', async () => {
    const app = await makeApp(dir.path);
    await app.get<EventStore>(EVENT_STORE).close();
    const response = await request(app.getHttpServer()).get('/health').expect(503);
    expect(response.body.status).toBe('unavailable');
    expect(response.body.eventStore.up).toBe(false);
    await app.close();
  });

  it('finishes appends in flight on shutdown before closing the store', async () => {
    const app = await makeApp(dir.path);
    const store = app.get<EventStore>(EVENT_STORE);
    const pending = Array.from({ length: 300 }, (_, i) =>
      store.append(`Org-${i % 10}`, [{ eventId: randomUUID(), type: 'Counted', data: { i }, metadata: {} }], ANY),
    );
    await app.close();
    await expect(Promise.all(pending)).resolves.toHaveLength(300);
    const reopened = new SqliteEventStore({ file: join(dir.path, 'events.sqlite') });
    expect(await reopened.readAll({ maxCount: 1000 })).toHaveLength(300);
    await reopened.close();
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function startService(env: Record<string, string>): {
  child: ChildProcess;
  output: () => { stdout: string; stderr: string };
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(ROOT, 'src/main.ts')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => ({ stdout, stderr }), exited };
}

describe('service process', () => {
  it('starts on the embedded store, logs JSON, and exits cleanly on SIGTERM', async () => {
    const dir = makeTempDir();
    const port = await freePort();
    const service = startService({ DATA_DIR: dir.path, PORT: String(port) });
    try {
      let ready = false;
      for (let i = 0; i < 150 && !ready; i++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        ready = await fetch(`http://127.0.0.1:${port}/health`).then(
          (r) => r.ok,
          () => false,
        );
      }
      expect(ready).toBe(true);
      // The service logs where it listens once listen() has returned: on a loaded machine, a moment after /health answers.
      for (let i = 0; i < 50 && !service.output().stdout.includes('embedded SQLite store'); i++)
        await new Promise((resolve) => setTimeout(resolve, 100));
      const lines = service.output().stdout.trim().split('\n');
      const logged = lines.map((line) => JSON.parse(line) as { level: number; msg: string });
      expect(logged.some((entry) => entry.msg.includes('embedded SQLite store'))).toBe(true);

      service.child.kill('SIGTERM');
      expect(await service.exited).toBe(0);
    } finally {
      service.child.kill('SIGKILL');
      dir.remove();
    }
  });

  it('refuses to start on a bad configuration value, saying which and why', async () => {
    const service = startService({ PORT: 'abc', DATA_DIR: '/tmp/never-created' });
    expect(await service.exited).toBe(78);
    expect(service.output().stderr).toContain('PORT="abc"');
  });
});
