/**
 * Configuration from environment variables, validated at start-up: a bad value stops the service
 * with a message naming the variable, the value and what is expected (README "Configuration").
 */
import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';
import { DEFAULT_WEIGHTS, SCORE_COMPONENTS, type Weights } from '../../read-models/assessment/assessment.evaluation';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

class EnvironmentVariables {
  @Transform(toInt)
  @IsInt({ message: 'PORT must be an integer' })
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @Transform(trimmed)
  @IsString()
  @MinLength(1)
  HOST = '127.0.0.1';

  @Transform(trimmed)
  @IsString()
  @MinLength(1)
  DATA_DIR = './data';

  @IsOptional()
  @Transform(trimmed)
  @Matches(/^(esdb|esdb\+discover|kurrentdb|kurrentdb\+discover|kdb|kdb\+discover):\/\/\S+$/, {
    message: 'ESDB_CONNECTION_STRING must be an EventStoreDB connection string such as esdb://host:2113?tls=false',
  })
  ESDB_CONNECTION_STRING?: string;

  @Transform(trimmed)
  @IsIn(LOG_LEVELS as unknown as string[], { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(16 * 1024 * 1024)
  EVENT_MAX_BYTES = 1024 * 1024;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  COMMAND_MAX_ATTEMPTS = 5;

  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(5000)
  SUBSCRIPTION_POLL_MS = 200;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600000)
  SHUTDOWN_TIMEOUT_MS = 10000;

  @Transform(trimmed)
  @Matches(/^[a-z][a-z0-9]{0,31}$/, {
    message: 'JURISDICTION must be 1-32 lower-case letters and digits, starting with a letter (e.g. qingpu)',
  })
  JURISDICTION = 'default';

  @Transform(trimmed)
  @IsString()
  @Matches(/^[A-Za-z_]+\/[A-Za-z_]+$/, { message: 'TIME_ZONE must be an IANA zone such as Asia/Shanghai' })
  TIME_ZONE = 'Asia/Shanghai';

  @Transform(toInt)
  @IsIn([3, 7], { message: 'TIMELINESS_DEADLINE_DAYS must be 3 (000:9) or 7 (001a:10)' })
  TIMELINESS_DEADLINE_DAYS = 3;

  /** HS256 shared secret (embedded default: generated into DATA_DIR/jwt-secret when unset). */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;

  /** PEM public key (RS256/ES256) that verifies tokens issued elsewhere. */
  @IsOptional()
  @Matches(/-----BEGIN PUBLIC KEY-----/, {
    message: 'JWT_PUBLIC_KEY must be a PEM public key (-----BEGIN PUBLIC KEY-----)',
  })
  JWT_PUBLIC_KEY?: string;

  /** PEM private key for the `token` CLI when tokens are verified by JWT_PUBLIC_KEY. */
  @IsOptional()
  @Matches(/-----BEGIN (RSA |EC )?PRIVATE KEY-----/, { message: 'JWT_PRIVATE_KEY must be a PEM private key' })
  JWT_PRIVATE_KEY?: string;

  @IsOptional()
  @Transform(trimmed)
  @Matches(/^https:\/\/\S+$/, { message: 'JWT_JWKS_URL must be an https URL' })
  JWT_JWKS_URL?: string;

  @Transform(trimmed)
  @IsString()
  @MinLength(1)
  JWT_ISSUER = 'gov-collab';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10)
  MANAGED_LEVEL_BOUNDARY = 3;

  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsIn([true, false], { message: 'USERS_EDIT_OWN_OFFICE_PHONE must be true or false' })
  USERS_EDIT_OWN_OFFICE_PHONE = false;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(366)
  TEMPORARY_ACCOUNT_MAX_DAYS = 90;

  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(86_400_000)
  SCHEDULER_INTERVAL_MS = 60_000;

  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsIn([true, false], { message: 'POLICIES_ENABLED must be true or false' })
  POLICIES_ENABLED = true;

  @IsOptional()
  @Transform(trimmed)
  @Matches(/^mongodb(\+srv)?:\/\/\S+$/, {
    message: 'MONGODB_URI must be a MongoDB connection string such as mongodb://host:27017/govcollab',
  })
  MONGODB_URI?: string;

  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsIn([true, false], { message: 'PROJECTIONS_ENABLED must be true or false' })
  PROJECTIONS_ENABLED = true;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  PROJECTION_BATCH_SIZE = 2000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3650)
  GROUP_STALE_DAYS = 90;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3650)
  PASSWORD_ROTATION_DAYS = 90;

  @Transform(trimmed)
  @Matches(/^\s*[a-zA-Z]+\s*=\s*\d+(\.\d+)?\s*(,\s*[a-zA-Z]+\s*=\s*\d+(\.\d+)?\s*)*$/, {
    message: 'ASSESSMENT_WEIGHTS must look like activation=30,timeliness=25,…',
  })
  ASSESSMENT_WEIGHTS = Object.entries(DEFAULT_WEIGHTS)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsIn([true, false], { message: 'WEBHOOKS_ENABLED must be true or false' })
  WEBHOOKS_ENABLED = true;

  /** Derives every subscription's signing secret; set it alike on every instance (embedded default: generated into DATA_DIR/webhook-signing-key). */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'WEBHOOK_SIGNING_KEY must be at least 32 characters' })
  WEBHOOK_SIGNING_KEY?: string;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(120_000)
  WEBHOOK_TIMEOUT_MS = 10_000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  WEBHOOK_MAX_ATTEMPTS = 8;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3_600_000)
  WEBHOOK_BACKOFF_BASE_MS = 1000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86_400_000)
  WEBHOOK_BACKOFF_MAX_MS = 300_000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(256)
  WEBHOOK_CONCURRENCY = 16;

  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(600_000)
  WEBHOOK_CHECKPOINT_MS = 1000;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600_000)
  SSE_HEARTBEAT_MS = 15_000;

  @Transform(trimmed)
  @Matches(/^(ROOT|CATEGORY|UNIT|INTERNAL_BODY|VILLAGE)(,(ROOT|CATEGORY|UNIT|INTERNAL_BODY|VILLAGE))*$/, {
    message: 'ASSESSMENT_RANKED_KINDS must be node kinds separated by commas, e.g. UNIT or UNIT,VILLAGE',
  })
  ASSESSMENT_RANKED_KINDS = 'UNIT';
}

/** `activation=30,timeliness=25` → the weights, every component named once (unnamed ones weigh 0). */
export function parseWeights(text: string): { weights: Weights } | { problem: string } {
  const weights: Record<string, number> = Object.fromEntries(SCORE_COMPONENTS.map((k) => [k, 0]));
  for (const part of text.split(',')) {
    const [key, value] = part.split('=').map((x) => x.trim());
    if (!(SCORE_COMPONENTS as readonly string[]).includes(key))
      return {
        problem: `ASSESSMENT_WEIGHTS: unknown component ${JSON.stringify(key)}; components are ${SCORE_COMPONENTS.join(', ')}`,
      };
    weights[key] = Number(value);
  }
  if (Object.values(weights).every((w) => w === 0))
    return { problem: 'ASSESSMENT_WEIGHTS: at least one weight must be above 0' };
  return { weights: weights as unknown as Weights };
}

export interface AppConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly esdbConnectionString: string | null;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly eventMaxBytes: number;
  readonly commandMaxAttempts: number;
  readonly subscriptionPollMs: number;
  readonly shutdownTimeoutMs: number;
  /** The deployment's jurisdiction: its org tree is the stream OrgTree-<jurisdiction>. */
  readonly jurisdiction: string;
  readonly timeZone: string;
  /** N of "within N working days" (3 in 000:9, 7 in 001a:10). */
  readonly timelinessDeadlineDays: number;
  readonly auth: {
    readonly secret: string | null;
    readonly publicKey: string | null;
    readonly privateKey: string | null;
    readonly jwksUrl: string | null;
    readonly issuer: string;
  };
  /** Nodes from the root (level 0) to this level are kept by system admins only (001b:5). */
  readonly managedLevelBoundary: number;
  readonly usersEditOwnOfficePhone: boolean;
  readonly temporaryAccountMaxDays: number;
  readonly schedulerIntervalMs: number;
  readonly policiesEnabled: boolean;
  /** Read models on MongoDB when set; the embedded SQLite read store (DATA_DIR/read-models.sqlite) otherwise. */
  readonly mongodbUri: string | null;
  /** Whether this process feeds the read models (queries work either way). */
  readonly projectionsEnabled: boolean;
  readonly projectionBatchSize: number;
  /** The assessment (年度综合考核) report's parameters: deadlines, staleness, rotation, weights. */
  readonly assessment: {
    readonly groupStaleDays: number;
    readonly passwordRotationDays: number;
    readonly weights: Weights;
    readonly rankedKinds: readonly string[];
  };
  /** Downstream subscribers: webhook delivery (this process delivers when enabled) and the live stream. */
  readonly webhooks: {
    readonly enabled: boolean;
    readonly signingKey: string | null;
    readonly timeoutMs: number;
    readonly defaultMaxAttempts: number;
    readonly backoffBaseMs: number;
    readonly backoffMaxMs: number;
    readonly concurrency: number;
    readonly checkpointIntervalMs: number;
    readonly sseHeartbeatMs: number;
  };
}

export class ConfigurationError extends Error {
  readonly code = 'INVALID_CONFIGURATION';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigurationError';
  }
}

const KNOWN = Object.keys(new EnvironmentVariables()).concat(
  'ESDB_CONNECTION_STRING',
  'MONGODB_URI',
  'JWT_SECRET',
  'JWT_PUBLIC_KEY',
  'JWT_PRIVATE_KEY',
  'JWT_JWKS_URL',
  'WEBHOOK_SIGNING_KEY',
);

export function loadConfig(env: Readonly<Record<string, string | undefined>>): AppConfig {
  // Only our variables, and empty strings count as unset, so `PORT= npm start` keeps the default.
  const relevant: Record<string, string> = {};
  for (const key of KNOWN) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') relevant[key] = value;
  }
  const parsed = plainToInstance(EnvironmentVariables, relevant, { exposeDefaultValues: true });
  const errors = validateSync(parsed, { whitelist: true, forbidUnknownValues: true });
  const problems = errors.map((error) => {
    const reasons = Object.values(error.constraints ?? {}).join('; ');
    return `${error.property}=${JSON.stringify(relevant[error.property])}: ${reasons}`;
  });
  const weights = errors.some((e) => e.property === 'ASSESSMENT_WEIGHTS')
    ? null
    : parseWeights(parsed.ASSESSMENT_WEIGHTS);
  if (weights && 'problem' in weights) problems.push(weights.problem);
  if (problems.length > 0 || !weights || 'problem' in weights) throw new ConfigurationError(problems);
  return {
    port: parsed.PORT,
    host: parsed.HOST,
    dataDir: parsed.DATA_DIR,
    esdbConnectionString: parsed.ESDB_CONNECTION_STRING ?? null,
    logLevel: parsed.LOG_LEVEL,
    eventMaxBytes: parsed.EVENT_MAX_BYTES,
    commandMaxAttempts: parsed.COMMAND_MAX_ATTEMPTS,
    subscriptionPollMs: parsed.SUBSCRIPTION_POLL_MS,
    shutdownTimeoutMs: parsed.SHUTDOWN_TIMEOUT_MS,
    jurisdiction: parsed.JURISDICTION,
    timeZone: parsed.TIME_ZONE,
    timelinessDeadlineDays: parsed.TIMELINESS_DEADLINE_DAYS,
    auth: {
      secret: parsed.JWT_SECRET ?? null,
      publicKey: parsed.JWT_PUBLIC_KEY ?? null,
      privateKey: parsed.JWT_PRIVATE_KEY ?? null,
      jwksUrl: parsed.JWT_JWKS_URL ?? null,
      issuer: parsed.JWT_ISSUER,
    },
    managedLevelBoundary: parsed.MANAGED_LEVEL_BOUNDARY,
    usersEditOwnOfficePhone: parsed.USERS_EDIT_OWN_OFFICE_PHONE,
    temporaryAccountMaxDays: parsed.TEMPORARY_ACCOUNT_MAX_DAYS,
    schedulerIntervalMs: parsed.SCHEDULER_INTERVAL_MS,
    policiesEnabled: parsed.POLICIES_ENABLED,
    mongodbUri: parsed.MONGODB_URI ?? null,
    projectionsEnabled: parsed.PROJECTIONS_ENABLED,
    projectionBatchSize: parsed.PROJECTION_BATCH_SIZE,
    assessment: {
      groupStaleDays: parsed.GROUP_STALE_DAYS,
      passwordRotationDays: parsed.PASSWORD_ROTATION_DAYS,
      weights: weights.weights,
      rankedKinds: parsed.ASSESSMENT_RANKED_KINDS.split(','),
    },
    webhooks: {
      enabled: parsed.WEBHOOKS_ENABLED,
      signingKey: parsed.WEBHOOK_SIGNING_KEY ?? null,
      timeoutMs: parsed.WEBHOOK_TIMEOUT_MS,
      defaultMaxAttempts: parsed.WEBHOOK_MAX_ATTEMPTS,
      backoffBaseMs: parsed.WEBHOOK_BACKOFF_BASE_MS,
      backoffMaxMs: parsed.WEBHOOK_BACKOFF_MAX_MS,
      concurrency: parsed.WEBHOOK_CONCURRENCY,
      checkpointIntervalMs: parsed.WEBHOOK_CHECKPOINT_MS,
      sseHeartbeatMs: parsed.SSE_HEARTBEAT_MS,
    },
  };
}

export const APP_CONFIG = Symbol('AppConfig');
