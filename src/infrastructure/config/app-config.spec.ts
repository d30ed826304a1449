import { requestRulesOf } from '../../domain/request/request-rules';
import { ConfigurationError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('defaults to the embedded store in ./data on loopback port 3000', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: '127.0.0.1',
      publicBaseUrl: null,
      maxConnections: 1024,
      rateLimitPerMinute: 1200,
      dataDir: './data',
      consoleDir: './web/dist',
      tracesExporter: 'none',
      otlpTracesUrl: 'http://localhost:4318/v1/traces',
      esdbConnectionString: null,
      logLevel: 'info',
      eventMaxBytes: 1048576,
      eventStoreWalCheckpointPages: 1000,
      commandMaxAttempts: 5,
      subscriptionPollMs: 200,
      shutdownTimeoutMs: 10000,
      jurisdiction: 'default',
      timeZone: 'Asia/Shanghai',
      timelinessDeadlineDays: 3,
      naming: { maxShortNameLength: 12 },
      auth: { secret: null, publicKey: null, privateKey: null, jwksUrl: null, issuer: 'gov-collab' },
      managedLevelBoundary: 3,
      usersEditOwnOfficePhone: false,
      webhooks: {
        enabled: true,
        signingKey: null,
        allowedHosts: [],
        timeoutMs: 10000,
        defaultMaxAttempts: 8,
        backoffBaseMs: 1000,
        backoffMaxMs: 300000,
        concurrency: 16,
        checkpointIntervalMs: 1000,
        sseHeartbeatMs: 15000,
      },
      temporaryAccountMaxDays: 90,
      schedulerIntervalMs: 60000,
      sso: null,
      policiesEnabled: true,
      leaseTtlMs: 15000,
      mongodbUri: null,
      projectionsEnabled: true,
      projectionBatchSize: 2000,
      projectionsInWorker: true,
      rebuildBatchSize: 20000,
      rebuildThreads: 0,
      assessment: {
        groupStaleDays: 90,
        passwordRotationDays: 90,
        weights: {
          activation: 30,
          timeliness: 25,
          monthlyActive: 15,
          dailyActive: 10,
          groups: 10,
          accounts: 5,
          apps: 5,
        },
        rankedKinds: ['UNIT'],
      },
      requests: requestRulesOf({ routes: null, documents: null, required: '' }),
      integrity: {
        origin: 'gov-collab/default',
        signingKey: null,
        signatureAlgorithm: 'ed25519',
        checkpointsEnabled: true,
        checkpointIntervalMs: 500,
        witnessKeys: [],
      },
    });
  });

  it('names the Merkle log after the jurisdiction, and refuses witness keys that are not verifier keys', () => {
    expect(loadConfig({ JURISDICTION: 'qingpu' }).integrity.origin).toBe('gov-collab/qingpu');
    expect(loadConfig({ INTEGRITY_LOG_ORIGIN: 'gov-collab.example.gov.cn/qingpu' }).integrity.origin).toBe(
      'gov-collab.example.gov.cn/qingpu',
    );
    expect(() => loadConfig({ INTEGRITY_LOG_ORIGIN: 'two words' })).toThrow(/INTEGRITY_LOG_ORIGIN/);
    expect(() => loadConfig({ INTEGRITY_WITNESS_KEYS: 'city-platform' })).toThrow(/INTEGRITY_WITNESS_KEYS/);
    expect(() => loadConfig({ INTEGRITY_SIGNING_KEY: 'secret' })).toThrow(/INTEGRITY_SIGNING_KEY/);
  });

  it('reads the request rules: routes and documents as JSON, the kinds that must be requested', () => {
    const config = loadConfig({
      REQUEST_ROUTES: JSON.stringify({ UNIT_REGISTRATION: [{ name: '县信息办审核', adminOf: 'xxb', workingDays: 7 }] }),
      REQUEST_DOCUMENTS: JSON.stringify({ JOINING: ['录用通知'] }),
      REQUESTS_REQUIRED: 'UNIT_REGISTRATION,JOINING',
    });
    expect(config.requests.routes.UNIT_REGISTRATION).toEqual([
      { name: '县信息办审核', reviewer: { adminOf: 'xxb' }, workingDays: 7 },
    ]);
    // Unconfigured kinds keep the default: one review by the system admins; 003:10's documents stay.
    expect(config.requests.routes.JOINING).toEqual([
      { name: '系统管理员审核', reviewer: { adminOf: null }, workingDays: 7 },
    ]);
    expect(config.requests.documents.UNIT_REGISTRATION).toEqual(['编办批文', '单位成立文件', '上级主管单位意见']);
    expect(config.requests.documents.JOINING).toEqual(['录用通知']);
    expect(config.requests.required).toEqual(['UNIT_REGISTRATION', 'JOINING']);
    expect(() => loadConfig({ REQUESTS_REQUIRED: 'HIRING' })).toThrow(/unknown request kind HIRING/);
    expect(() => loadConfig({ REQUEST_ROUTES: '{"JOINING":[{"name":"x","adminOf":null,"workingDays":0}]}' })).toThrow(
      /workingDays of JOINING/,
    );
  });

  it('takes the assessment weights and parameters, refusing unknown components and all-zero weights', () => {
    expect(
      loadConfig({
        ASSESSMENT_WEIGHTS: 'activation=50, timeliness=50',
        GROUP_STALE_DAYS: '30',
        ASSESSMENT_RANKED_KINDS: 'UNIT,VILLAGE',
      }).assessment,
    ).toEqual({
      groupStaleDays: 30,
      passwordRotationDays: 90,
      weights: { activation: 50, timeliness: 50, monthlyActive: 0, dailyActive: 0, groups: 0, accounts: 0, apps: 0 },
      rankedKinds: ['UNIT', 'VILLAGE'],
    });
    expect(() => loadConfig({ ASSESSMENT_WEIGHTS: 'activation=30,popularity=5' })).toThrow(
      'unknown component "popularity"',
    );
    expect(() => loadConfig({ ASSESSMENT_WEIGHTS: 'activation=0' })).toThrow('at least one weight must be above 0');
    expect(() => loadConfig({ ASSESSMENT_WEIGHTS: 'activation:30' })).toThrow('ASSESSMENT_WEIGHTS must look like');
    expect(() => loadConfig({ ASSESSMENT_RANKED_KINDS: 'DEPARTMENT' })).toThrow(
      'ASSESSMENT_RANKED_KINDS must be node kinds',
    );
    expect(() => loadConfig({ GROUP_STALE_DAYS: '0' })).toThrow('GROUP_STALE_DAYS');
  });

  it('takes the token keys, the managed-level boundary and the policy switches', () => {
    expect(
      loadConfig({
        JWT_SECRET: 'x'.repeat(32),
        MANAGED_LEVEL_BOUNDARY: '2',
        USERS_EDIT_OWN_OFFICE_PHONE: 'true',
        POLICIES_ENABLED: 'false',
      }),
    ).toMatchObject({
      auth: { secret: 'x'.repeat(32) },
      managedLevelBoundary: 2,
      usersEditOwnOfficePhone: true,
      policiesEnabled: false,
    });
    expect(() => loadConfig({ JWT_SECRET: 'short' })).toThrow('JWT_SECRET must be at least 32 characters');
    expect(() => loadConfig({ JWT_PUBLIC_KEY: 'abc' })).toThrow('JWT_PUBLIC_KEY must be a PEM public key');
    expect(() => loadConfig({ JWT_JWKS_URL: 'http://sso.example/jwks' })).toThrow('JWT_JWKS_URL must be an https URL');
    expect(() => loadConfig({ USERS_EDIT_OWN_OFFICE_PHONE: 'yes' })).toThrow(
      'USERS_EDIT_OWN_OFFICE_PHONE must be true or false',
    );
  });

  it('takes the jurisdiction, its time zone and the deadline of 3 or 7 working days', () => {
    expect(
      loadConfig({ JURISDICTION: 'qingpu', TIME_ZONE: 'Asia/Urumqi', TIMELINESS_DEADLINE_DAYS: '7' }),
    ).toMatchObject({ jurisdiction: 'qingpu', timeZone: 'Asia/Urumqi', timelinessDeadlineDays: 7 });
    expect(() => loadConfig({ TIMELINESS_DEADLINE_DAYS: '5' })).toThrow(
      'TIMELINESS_DEADLINE_DAYS must be 3 (000:9) or 7 (001a:10)',
    );
    expect(() => loadConfig({ JURISDICTION: 'Qing Pu' })).toThrow('JURISDICTION');
  });

  it('reads every variable and treats empty values as unset', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATA_DIR: '/var/lib/govcollab',
      ESDB_CONNECTION_STRING: 'esdb://localhost:2113?tls=false',
      LOG_LEVEL: 'debug',
      EVENT_MAX_BYTES: '2097152',
      EVENT_STORE_WAL_CHECKPOINT_PAGES: '16384',
      COMMAND_MAX_ATTEMPTS: '3',
      SUBSCRIPTION_POLL_MS: '50',
      SHUTDOWN_TIMEOUT_MS: '',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      dataDir: '/var/lib/govcollab',
      esdbConnectionString: 'esdb://localhost:2113?tls=false',
      logLevel: 'debug',
      eventMaxBytes: 2097152,
      eventStoreWalCheckpointPages: 16384,
      commandMaxAttempts: 3,
      subscriptionPollMs: 50,
      shutdownTimeoutMs: 10000,
    });
  });

  it('fails fast naming every bad variable, its value and what is expected', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', ESDB_CONNECTION_STRING: 'http://x', COMMAND_MAX_ATTEMPTS: '0' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const message = (error as ConfigurationError).message;
    expect(message).toContain('PORT="eighty"');
    expect(message).toContain(
      'LOG_LEVEL="loud": LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
    );
    expect(message).toContain('ESDB_CONNECTION_STRING="http://x"');
    expect(message).toContain('COMMAND_MAX_ATTEMPTS="0"');
    expect((error as ConfigurationError).problems).toHaveLength(4);
  });

  it('takes the SSO issuer with its client, and refuses one without a client or a way back', () => {
    const sso = loadConfig({
      OIDC_ISSUER: 'https://sso.example.gov.cn/oidc',
      OIDC_CLIENT_ID: 'console',
      PUBLIC_BASE_URL: 'https://zwxt.example.gov.cn',
      OIDC_ACCOUNT_CLAIM: 'preferred_username',
    }).sso;
    expect(sso).toEqual({
      issuer: 'https://sso.example.gov.cn/oidc',
      clientId: 'console',
      clientSecret: null,
      redirectUri: 'https://zwxt.example.gov.cn/sessions/sso/callback',
      accountClaim: 'preferred_username',
    });
    expect(() => loadConfig({ OIDC_ISSUER: 'https://sso.example.gov.cn' })).toThrow(
      /OIDC_CLIENT_ID: required[\s\S]*OIDC_REDIRECT_URI \(or PUBLIC_BASE_URL\): required/,
    );
  });

  it('refuses a port out of range and a fractional number', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow(ConfigurationError);
    expect(() => loadConfig({ EVENT_MAX_BYTES: '1.5' })).toThrow(ConfigurationError);
  });
});
