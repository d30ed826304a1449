/**
 * Configuration from environment variables, validated at start-up: a bad value stops the service
 * with a message naming the variable, the value and what is expected (README "Configuration").
 *
 * One schema: each variable is declared once in ENVIRONMENT (how it is read, its default, what is
 * expected); the typed configuration is derived from it by `configOf`, which groups the values.
 */
import { DEFAULT_WEIGHTS, parseWeights, type Weights } from '../../domain/assessment/score-weights';
import { type RequestRules, requestRulesOf } from '../../domain/request/request-rules';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const NODE_KINDS = ['ROOT', 'CATEGORY', 'UNIT', 'INTERNAL_BODY', 'VILLAGE'];

/** A value that does not meet its variable's expectation: the message says what is expected. */
class Problem extends Error {}

/** How one variable is read: from its text (trimmed; absent or empty means unset) to its value. */
interface Variable<T> {
  readonly read: (text: string | undefined, name: string) => T;
}

function int(fallback: number, min: number, max: number): Variable<number> {
  return {
    read: (text, name) => {
      if (text === undefined) return fallback;
      const value = /^-?\d+$/.test(text) ? Number(text) : NaN;
      if (!Number.isInteger(value)) throw new Problem(`${name} must be an integer`);
      if (value < min || value > max) throw new Problem(`${name} must be from ${min} to ${max}`);
      return value;
    },
  };
}

function oneOf<T extends string | number>(fallback: T, values: readonly T[], message: string): Variable<T> {
  return {
    read: (text) => {
      if (text === undefined) return fallback;
      const value = values.find((v) => String(v) === text);
      if (value === undefined) throw new Problem(message);
      return value;
    },
  };
}

function flag(fallback: boolean): Variable<boolean> {
  return {
    read: (text, name) => {
      if (text === undefined) return fallback;
      if (text !== 'true' && text !== 'false') throw new Problem(`${name} must be true or false`);
      return text === 'true';
    },
  };
}

function text(fallback: string, pattern: RegExp = /\S/, message?: string): Variable<string> {
  return {
    read: (value, name) => {
      if (value === undefined) return fallback;
      if (!pattern.test(value)) throw new Problem(message ?? `${name} must not be empty`);
      return value;
    },
  };
}

/** An optional value: null when unset. */
function optional(check: (value: string) => boolean, message: string): Variable<string | null> {
  return {
    read: (value) => {
      if (value === undefined) return null;
      if (!check(value)) throw new Problem(message);
      return value;
    },
  };
}

const matching = (pattern: RegExp) => (value: string) => pattern.test(value);
const atLeast = (length: number) => (value: string) => value.length >= length;

/** Every variable the service reads. */
const ENVIRONMENT = {
  PORT: int(3000, 0, 65535),
  HOST: text('127.0.0.1'),
  /** The address clients reach the service at (the AsyncAPI document names it); never taken from a request's Host. */
  PUBLIC_BASE_URL: optional(
    matching(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/),
    'PUBLIC_BASE_URL must be an http(s) origin such as https://zwxt.example.gov.cn',
  ),
  /** Open HTTP connections at most (the rest wait in the kernel's backlog). */
  MAX_CONNECTIONS: int(1024, 1, 100_000),
  /** Requests per minute per credential (an account, a service; an address before sign-in). */
  RATE_LIMIT_PER_MINUTE: int(1200, 1, 10_000_000),
  DATA_DIR: text('./data'),
  /** Where traces go: none (ids made and carried only), otlp (a collector), console (stdout), memory (tests). */
  OTEL_TRACES_EXPORTER: oneOf<'none' | 'console' | 'memory' | 'otlp'>(
    'none',
    ['none', 'console', 'memory', 'otlp'],
    'OTEL_TRACES_EXPORTER must be one of none, console, memory, otlp',
  ),
  /** The collector's OTLP/HTTP base address (OpenTelemetry's variable): traces go to <it>/v1/traces. */
  OTEL_EXPORTER_OTLP_ENDPOINT: text(
    'http://localhost:4318',
    /^https?:\/\/\S+$/,
    'OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) address',
  ),
  /** The full address for traces, when not <OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces. */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optional(
    matching(/^https?:\/\/\S+$/),
    'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT must be an http(s) address',
  ),
  /** The built web console (npm run build:console), served under /console. */
  CONSOLE_DIR: text('./web/dist'),
  ESDB_CONNECTION_STRING: optional(
    matching(/^(esdb|esdb\+discover|kurrentdb|kurrentdb\+discover|kdb|kdb\+discover):\/\/\S+$/),
    'ESDB_CONNECTION_STRING must be an EventStoreDB connection string such as esdb://host:2113?tls=false',
  ),
  LOG_LEVEL: oneOf<(typeof LOG_LEVELS)[number]>(
    'info',
    LOG_LEVELS,
    `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`,
  ),
  EVENT_MAX_BYTES: int(1024 * 1024, 1024, 16 * 1024 * 1024),
  /** Embedded store: WAL pages after which a commit checkpoints them into the file (SQLite's default; the CLI's bulk commands 16,384). */
  EVENT_STORE_WAL_CHECKPOINT_PAGES: int(1000, 100, 1_000_000),
  COMMAND_MAX_ATTEMPTS: int(5, 1, 100),
  SUBSCRIPTION_POLL_MS: int(200, 10, 5000),
  SHUTDOWN_TIMEOUT_MS: int(10000, 100, 600000),
  JURISDICTION: text(
    'default',
    /^[a-z][a-z0-9]{0,31}$/,
    'JURISDICTION must be 1-32 lower-case letters and digits, starting with a letter (e.g. qingpu)',
  ),
  TIME_ZONE: text('Asia/Shanghai', /^[A-Za-z_]+\/[A-Za-z_]+$/, 'TIME_ZONE must be an IANA zone such as Asia/Shanghai'),
  TIMELINESS_DEADLINE_DAYS: oneOf(3, [3, 7], 'TIMELINESS_DEADLINE_DAYS must be 3 (000:9) or 7 (001a:10)'),
  SHORT_NAME_MAX_LENGTH: int(12, 1, 64),
  /** HS256 shared secret (embedded default: generated into DATA_DIR/jwt-secret when unset). */
  JWT_SECRET: optional(atLeast(32), 'JWT_SECRET must be at least 32 characters'),
  /** PEM public key (RS256/ES256) that verifies tokens issued elsewhere. */
  JWT_PUBLIC_KEY: optional(
    matching(/-----BEGIN PUBLIC KEY-----/),
    'JWT_PUBLIC_KEY must be a PEM public key (-----BEGIN PUBLIC KEY-----)',
  ),
  /** PEM private key for the `token` CLI when tokens are verified by JWT_PUBLIC_KEY. */
  JWT_PRIVATE_KEY: optional(
    matching(/-----BEGIN (RSA |EC )?PRIVATE KEY-----/),
    'JWT_PRIVATE_KEY must be a PEM private key',
  ),
  JWT_JWKS_URL: optional(matching(/^https:\/\/\S+$/), 'JWT_JWKS_URL must be an https URL'),
  /** The SSO's OpenID Connect issuer: the console then signs in with the authorization code flow and PKCE. */
  OIDC_ISSUER: optional(matching(/^https?:\/\/\S+$/), 'OIDC_ISSUER must be an http(s) URL'),
  OIDC_CLIENT_ID: optional(matching(/^\S+$/), 'OIDC_CLIENT_ID must be one word'),
  /** Unset: a public client (PKCE alone); set: client_secret_basic at the token endpoint. */
  OIDC_CLIENT_SECRET: optional(atLeast(1), ''),
  /** Where the issuer sends the browser back; default PUBLIC_BASE_URL + /sessions/sso/callback. */
  OIDC_REDIRECT_URI: optional(matching(/^https?:\/\/\S+$/), 'OIDC_REDIRECT_URI must be an http(s) URL'),
  /** The ID token claim that names the platform account (its account id). */
  OIDC_ACCOUNT_CLAIM: text('sub', /^[A-Za-z_][A-Za-z0-9_.:-]*$/, 'OIDC_ACCOUNT_CLAIM must be a claim name'),
  JWT_ISSUER: text('gov-collab'),
  MANAGED_LEVEL_BOUNDARY: int(3, 0, 10),
  USERS_EDIT_OWN_OFFICE_PHONE: flag(false),
  TEMPORARY_ACCOUNT_MAX_DAYS: int(90, 1, 366),
  SCHEDULER_INTERVAL_MS: int(60_000, 1000, 86_400_000),
  POLICIES_ENABLED: flag(true),
  /** How long a singleton worker's lease lasts unless renewed (renewed every third of it): a dead holder's worker moves within it. */
  LEASE_TTL_MS: int(15_000, 300, 600_000),
  MONGODB_URI: optional(
    matching(/^mongodb(\+srv)?:\/\/\S+$/),
    'MONGODB_URI must be a MongoDB connection string such as mongodb://host:27017/govcollab',
  ),
  PROJECTIONS_ENABLED: flag(true),
  PROJECTIONS_IN_WORKER: flag(true),
  PROJECTION_BATCH_SIZE: int(2000, 1, 100_000),
  REBUILD_BATCH_SIZE: int(20_000, 1, 100_000),
  /** 0: one per CPU core. */
  REBUILD_THREADS: int(0, 0, 64),
  GROUP_STALE_DAYS: int(90, 1, 3650),
  PASSWORD_ROTATION_DAYS: int(90, 1, 3650),
  ASSESSMENT_WEIGHTS: weights(),
  ASSESSMENT_RANKED_KINDS: text(
    'UNIT',
    new RegExp(`^(${NODE_KINDS.join('|')})(,(${NODE_KINDS.join('|')}))*$`),
    'ASSESSMENT_RANKED_KINDS must be node kinds separated by commas, e.g. UNIT or UNIT,VILLAGE',
  ),
  WEBHOOKS_ENABLED: flag(true),
  /** Derives every subscription's signing secret; set it alike on every instance (embedded default: generated into DATA_DIR/webhook-signing-key). */
  WEBHOOK_SIGNING_KEY: optional(atLeast(32), 'WEBHOOK_SIGNING_KEY must be at least 32 characters'),
  /** Receivers inside a government network that may resolve to private addresses (comma-separated host names). */
  WEBHOOK_ALLOWED_HOSTS: text(
    '',
    /^([A-Za-z0-9.-]+|\[[0-9a-fA-F:.]+\])(,([A-Za-z0-9.-]+|\[[0-9a-fA-F:.]+\]))*$/,
    'WEBHOOK_ALLOWED_HOSTS must be host names separated by commas',
  ),
  WEBHOOK_TIMEOUT_MS: int(10_000, 100, 120_000),
  WEBHOOK_MAX_ATTEMPTS: int(8, 1, 100),
  WEBHOOK_BACKOFF_BASE_MS: int(1000, 1, 3_600_000),
  WEBHOOK_BACKOFF_MAX_MS: int(300_000, 1, 86_400_000),
  WEBHOOK_CONCURRENCY: int(16, 1, 256),
  WEBHOOK_CHECKPOINT_MS: int(1000, 10, 600_000),
  SSE_HEARTBEAT_MS: int(15_000, 100, 600_000),
  /** The Merkle log's name in its checkpoints (c2sp.org/tlog-checkpoint origin); gov-collab/<JURISDICTION> by default. */
  INTEGRITY_LOG_ORIGIN: optional(
    matching(/^[A-Za-z0-9][A-Za-z0-9.\-_/]{0,127}$/),
    'INTEGRITY_LOG_ORIGIN must be one word of letters, digits and . - _ / (e.g. gov-collab.example.gov.cn/qingpu)',
  ),
  /** PKCS#8 PEM Ed25519 or SM2 private key that signs checkpoints (embedded default: generated into DATA_DIR). */
  INTEGRITY_SIGNING_KEY: optional(
    matching(/-----BEGIN PRIVATE KEY-----/),
    'INTEGRITY_SIGNING_KEY must be a PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----), Ed25519 or SM2',
  ),
  /** The checkpoints' signature algorithm: Ed25519 (the C2SP default) or SM2 with SM3 (国密). */
  INTEGRITY_SIGNATURE_ALGORITHM: oneOf<'ed25519' | 'sm2'>(
    'ed25519',
    ['ed25519', 'sm2'],
    'INTEGRITY_SIGNATURE_ALGORITHM must be ed25519 or sm2',
  ),
  INTEGRITY_CHECKPOINTS_ENABLED: flag(true),
  INTEGRITY_CHECKPOINT_INTERVAL_MS: int(500, 50, 86_400_000),
  /** Witnesses whose cosignatures are accepted: verifier keys "<name>+<hex key ID>+<base64 key>", comma-separated. */
  INTEGRITY_WITNESS_KEYS: text(
    '',
    /^([^+\s,]+\+[0-9a-f]{8}\+[A-Za-z0-9+/=]+)(,[^+\s,]+\+[0-9a-f]{8}\+[A-Za-z0-9+/=]+)*$/,
    'INTEGRITY_WITNESS_KEYS must be verifier keys such as city-platform+1a2b3c4d+AbC…= separated by commas',
  ),
  /** Each request kind's review steps, JSON (README "Requests"); one review by the system admins by default. */
  REQUEST_ROUTES: optional(() => true, ''),
  /** The document kinds each request kind needs one of, JSON; 003:10 and 003:16 by default. */
  REQUEST_DOCUMENTS: optional(() => true, ''),
  /** Request kinds whose direct command is refused (comma-separated), e.g. UNIT_REGISTRATION,ACCOUNT_OPENING. */
  REQUESTS_REQUIRED: text('', /^[A-Z_]+(,[A-Z_]+)*$/, 'REQUESTS_REQUIRED must be request kinds separated by commas'),
};

/** `activation=30,timeliness=25,…`: the assessment's weights, every component named once. */
function weights(): Variable<Weights> {
  return {
    read: (value) => {
      if (value === undefined) return DEFAULT_WEIGHTS;
      if (!/^\s*[a-zA-Z]+\s*=\s*\d+(\.\d+)?\s*(,\s*[a-zA-Z]+\s*=\s*\d+(\.\d+)?\s*)*$/.test(value))
        throw new Problem('ASSESSMENT_WEIGHTS must look like activation=30,timeliness=25,…');
      const parsed = parseWeights(value);
      if ('problem' in parsed) throw new Problem(parsed.problem);
      return parsed.weights;
    },
  };
}

type Environment = { readonly [K in keyof typeof ENVIRONMENT]: ReturnType<(typeof ENVIRONMENT)[K]['read']> };

function requestRulesOrProblem(env: Environment): RequestRules {
  try {
    return requestRulesOf({
      routes: env.REQUEST_ROUTES,
      documents: env.REQUEST_DOCUMENTS,
      required: env.REQUESTS_REQUIRED,
    });
  } catch (error) {
    throw new ConfigurationError([
      `REQUEST_ROUTES / REQUEST_DOCUMENTS / REQUESTS_REQUIRED: ${error instanceof Error ? error.message : String(error)}`,
    ]);
  }
}

function ssoOf(env: Environment) {
  if (env.OIDC_ISSUER === null) return null;
  const redirectUri =
    env.OIDC_REDIRECT_URI ?? (env.PUBLIC_BASE_URL ? `${env.PUBLIC_BASE_URL}/sessions/sso/callback` : null);
  const problems = [
    ...(env.OIDC_CLIENT_ID === null ? ['OIDC_CLIENT_ID: required when OIDC_ISSUER is set'] : []),
    ...(redirectUri === null ? ['OIDC_REDIRECT_URI (or PUBLIC_BASE_URL): required when OIDC_ISSUER is set'] : []),
  ];
  if (problems.length > 0) throw new ConfigurationError(problems);
  return {
    issuer: env.OIDC_ISSUER,
    clientId: env.OIDC_CLIENT_ID!,
    clientSecret: env.OIDC_CLIENT_SECRET,
    redirectUri: redirectUri!,
    accountClaim: env.OIDC_ACCOUNT_CLAIM,
  };
}

/** The typed configuration, grouped by concern. */
function configOf(env: Environment) {
  return {
    port: env.PORT,
    host: env.HOST,
    publicBaseUrl: env.PUBLIC_BASE_URL,
    maxConnections: env.MAX_CONNECTIONS,
    rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
    dataDir: env.DATA_DIR,
    consoleDir: env.CONSOLE_DIR,
    tracesExporter: env.OTEL_TRACES_EXPORTER,
    otlpTracesUrl:
      env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`,
    esdbConnectionString: env.ESDB_CONNECTION_STRING,
    logLevel: env.LOG_LEVEL,
    eventMaxBytes: env.EVENT_MAX_BYTES,
    eventStoreWalCheckpointPages: env.EVENT_STORE_WAL_CHECKPOINT_PAGES,
    commandMaxAttempts: env.COMMAND_MAX_ATTEMPTS,
    subscriptionPollMs: env.SUBSCRIPTION_POLL_MS,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    /** The deployment's jurisdiction: its org tree is the stream OrgTree-<jurisdiction>. */
    jurisdiction: env.JURISDICTION,
    timeZone: env.TIME_ZONE,
    /** N of "within N working days" (3 in 000:9, 7 in 001a:10). */
    timelinessDeadlineDays: env.TIMELINESS_DEADLINE_DAYS,
    /** The naming rule of node short names (规范化简称, 000:7). */
    naming: { maxShortNameLength: env.SHORT_NAME_MAX_LENGTH },
    auth: {
      secret: env.JWT_SECRET,
      publicKey: env.JWT_PUBLIC_KEY,
      privateKey: env.JWT_PRIVATE_KEY,
      jwksUrl: env.JWT_JWKS_URL,
      issuer: env.JWT_ISSUER,
    },
    /** Console sign-in through the SSO (OpenID Connect, authorization code with PKCE); null when no issuer is set. */
    sso: ssoOf(env),
    /** Nodes from the root (level 0) to this level are kept by system admins only (001b:5). */
    managedLevelBoundary: env.MANAGED_LEVEL_BOUNDARY,
    usersEditOwnOfficePhone: env.USERS_EDIT_OWN_OFFICE_PHONE,
    temporaryAccountMaxDays: env.TEMPORARY_ACCOUNT_MAX_DAYS,
    schedulerIntervalMs: env.SCHEDULER_INTERVAL_MS,
    policiesEnabled: env.POLICIES_ENABLED,
    leaseTtlMs: env.LEASE_TTL_MS,
    /** Read models on MongoDB when set; the embedded SQLite read store (DATA_DIR/read-models.sqlite) otherwise. */
    mongodbUri: env.MONGODB_URI,
    /** Whether this process feeds the read models (queries work either way). */
    projectionsEnabled: env.PROJECTIONS_ENABLED,
    /** On the embedded default, the live projections run in a worker thread beside the command thread. */
    projectionsInWorker: env.PROJECTIONS_IN_WORKER,
    projectionBatchSize: env.PROJECTION_BATCH_SIZE,
    /** Events per transaction of a rebuild (`cli rebuild`): larger than live batches, which keep latency low. */
    rebuildBatchSize: env.REBUILD_BATCH_SIZE,
    /** Worker threads of a rebuild on the embedded default, each building one read model at a time (0: one per core). */
    rebuildThreads: env.REBUILD_THREADS,
    /** The assessment (年度综合考核) report's parameters: deadlines, staleness, rotation, weights. */
    assessment: {
      groupStaleDays: env.GROUP_STALE_DAYS,
      passwordRotationDays: env.PASSWORD_ROTATION_DAYS,
      weights: env.ASSESSMENT_WEIGHTS,
      rankedKinds: env.ASSESSMENT_RANKED_KINDS.split(','),
    },
    /** Requests (申请与审批): routes, documents, the kinds that must be requested. */
    requests: requestRulesOrProblem(env),
    /** The verifiable history (issue 22): the Merkle log's checkpoints, their key, the witnesses. */
    integrity: {
      origin: env.INTEGRITY_LOG_ORIGIN ?? `gov-collab/${env.JURISDICTION}`,
      signingKey: env.INTEGRITY_SIGNING_KEY,
      signatureAlgorithm: env.INTEGRITY_SIGNATURE_ALGORITHM,
      checkpointsEnabled: env.INTEGRITY_CHECKPOINTS_ENABLED,
      checkpointIntervalMs: env.INTEGRITY_CHECKPOINT_INTERVAL_MS,
      witnessKeys: env.INTEGRITY_WITNESS_KEYS === '' ? [] : env.INTEGRITY_WITNESS_KEYS.split(','),
    },
    /** Downstream subscribers: webhook delivery (this process delivers when enabled) and the live stream. */
    webhooks: {
      enabled: env.WEBHOOKS_ENABLED,
      signingKey: env.WEBHOOK_SIGNING_KEY,
      allowedHosts: env.WEBHOOK_ALLOWED_HOSTS === '' ? [] : env.WEBHOOK_ALLOWED_HOSTS.toLowerCase().split(','),
      timeoutMs: env.WEBHOOK_TIMEOUT_MS,
      defaultMaxAttempts: env.WEBHOOK_MAX_ATTEMPTS,
      backoffBaseMs: env.WEBHOOK_BACKOFF_BASE_MS,
      backoffMaxMs: env.WEBHOOK_BACKOFF_MAX_MS,
      concurrency: env.WEBHOOK_CONCURRENCY,
      checkpointIntervalMs: env.WEBHOOK_CHECKPOINT_MS,
      sseHeartbeatMs: env.SSE_HEARTBEAT_MS,
    },
  };
}

type DeepReadonly<T> = T extends (infer E)[]
  ? ReadonlyArray<DeepReadonly<E>>
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

export type AppConfig = DeepReadonly<ReturnType<typeof configOf>>;

export class ConfigurationError extends Error {
  readonly code = 'INVALID_CONFIGURATION';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigurationError';
  }
}

export function loadConfig(env: Readonly<Record<string, string | undefined>>): AppConfig {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [name, variable] of Object.entries(ENVIRONMENT)) {
    // Empty strings count as unset, so `PORT= npm start` keeps the default.
    const raw = env[name]?.trim() || undefined;
    try {
      values[name] = (variable as Variable<unknown>).read(raw, name);
    } catch (error) {
      if (!(error instanceof Problem)) throw error;
      problems.push(`${name}=${JSON.stringify(env[name])}: ${error.message}`);
    }
  }
  if (problems.length > 0) throw new ConfigurationError(problems);
  return configOf(values as Environment);
}

export const APP_CONFIG = Symbol('AppConfig');
