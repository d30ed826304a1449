/**
 * The service in-process over HTTP, on a fresh embedded store, with a bootstrapped jurisdiction:
 * root node `root` (青浦区), system admin person `p-admin` with account `acc-admin`. Policies are
 * off unless asked for, so that tests of single commands see only the events they cause.
 */
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { type BootstrapRequest, BootstrapJurisdiction } from '../../src/application/bootstrap/bootstrap-jurisdiction';
import { EVENT_STORE, type EventStore } from '../../src/application/ports/event-store.port';
import { CLOCK, type Clock } from '../../src/application/ports/clock.port';
import { idNumberCheckCharacter } from '../../src/domain/person/identity';
import { AppModule } from '../../src/infrastructure/app.module';
import { TokenService } from '../../src/infrastructure/auth/token-service';
import { type AppConfig, loadConfig } from '../../src/infrastructure/config/app-config';
import { configureHttp } from '../../src/infrastructure/http/configure-http';
import { makeTempDir } from './temp-dir';
import { COMMAND_BUS, type CommandBus } from '../../src/application/commands/command-bus';

export const TEST_JWT_SECRET = 'test-secret-for-the-embedded-default-0123456789';
const admin17 = '31011819700101008'; // 17th digit even: female

export const BOOTSTRAP: BootstrapRequest = {
  root: { orgNodeId: 'root', name: '青浦区' },
  admin: {
    personId: 'p-admin',
    name: '管理员',
    idNumber: admin17 + idNumberCheckCharacter(admin17),
    gender: '2',
    mobile: '13000000000',
    officePhone: null,
    employment: { type: 'ON_ESTABLISHMENT', establishmentType: 'ADMINISTRATIVE' },
    rank: null,
    politicalStatus: null,
    leadershipDuties: null,
  },
  account: { accountId: 'acc-admin', loginName: 'admin' },
};

export interface TestApp {
  readonly app: INestApplication;
  readonly store: EventStore;
  readonly config: AppConfig;
  readonly dataDir: string;
  /** `Authorization: Bearer …` for the bootstrapped system admin. */
  readonly admin: Record<string, string>;
  bearer(accountId: string): Promise<Record<string, string>>;
  service(name: string): Promise<Record<string, string>>;
  close(): Promise<void>;
}

/** `clock`: the service's clock (default the system's), for histories recorded at chosen instants. */
export async function startTestApp(
  env: Record<string, string> = {},
  options: { keepDir?: string; clock?: Clock } = {},
): Promise<TestApp> {
  const dir = options.keepDir ? null : makeTempDir();
  const dataDir = options.keepDir ?? dir!.path;
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    JURISDICTION: 'qingpu',
    JWT_SECRET: TEST_JWT_SECRET,
    POLICIES_ENABLED: 'false',
    // Checkpoints are events: suites that count events sign them when they mean to (test/integrity).
    INTEGRITY_CHECKPOINTS_ENABLED: 'false',
    // In this process, so that a suite can wait on the engine itself; the worker has its own suite.
    PROJECTIONS_IN_WORKER: 'false',
    // A lease renews every third of its TTL, each renewal an event: the suites compare histories and
    // read models taken moments apart, so their leases renew rarely (the lease suites set their own).
    LEASE_TTL_MS: '600000',
    // The suites' receivers listen on loopback, which webhooks may not reach unless allowed by name.
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1,localhost',
    // The suites send thousands of requests a minute with one token; the limit has its own test.
    RATE_LIMIT_PER_MINUTE: '10000000',
    ...env,
  });
  const builder = Test.createTestingModule({ imports: [AppModule.forConfig(config)] });
  if (options.clock) builder.overrideProvider(CLOCK).useValue(options.clock);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication({ logger: false });
  configureHttp(app);
  await app.init();
  await app.get<CommandBus>(COMMAND_BUS).execute(new BootstrapJurisdiction(BOOTSTRAP));
  const tokens = app.get(TokenService);
  const bearer = async (accountId: string) => ({
    Authorization: `Bearer ${await tokens.issue({ kind: 'ACCOUNT', accountId }, '1h')}`,
  });
  return {
    app,
    store: app.get(EVENT_STORE),
    config,
    dataDir,
    admin: await bearer('acc-admin'),
    bearer,
    service: async (name) => ({ Authorization: `Bearer ${await tokens.issue({ kind: 'SERVICE', name }, '1h')}` }),
    close: async () => {
      await app.close();
      dir?.remove();
    },
  };
}
