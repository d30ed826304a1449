/**
 * `token`: a bearer token for an existing account, or for a service (the gateway that reports
 * usage). `login-link`: a one-time sign-in link for an account, for the console (issue 24).
 */
import { loadAggregate } from '../application/commands/decider-command-runner';
import { EVENT_STORE, type EventStore } from '../application/ports/event-store.port';
import { accountDecider, accountStream } from '../domain/account/account.decider';
import { SIGN_IN_LINK_MAX_SECONDS, TokenService } from '../infrastructure/auth/token-service';
import { APP_CONFIG, type AppConfig } from '../infrastructure/config/app-config';
import type { Command } from 'commander';
import { withApp } from './app-context';

async function tokenCommand(options: { account?: string; service?: string; ttl: string }): Promise<number> {
  if (!options.account === !options.service) {
    process.stderr.write('请指定 --account <账号编号> 或 --service <服务名>（二者选一）\n');
    return 2;
  }
  return withApp(async (app) => {
    if (options.account) {
      // The operator holds the data directory: the account is read from its stream, not as a principal's query.
      const store = app.get<EventStore>(EVENT_STORE);
      const { state } = await loadAggregate(store, accountDecider, accountStream(options.account));
      const status = state.status;
      if (status === 'NONE' || status === 'CLOSED') {
        process.stderr.write(`账号 ${options.account} ${status === 'NONE' ? '不存在' : '已注销'}，不签发凭证\n`);
        return 1;
      }
      if (status !== 'ACTIVE')
        process.stderr.write(`注意：账号 ${options.account} 当前状态为 ${status}，凭用此凭证的请求将被拒绝（403）\n`);
    }
    const credential = options.account
      ? { kind: 'ACCOUNT' as const, accountId: options.account }
      : { kind: 'SERVICE' as const, name: options.service! };
    process.stdout.write(`${await app.get(TokenService).issue(credential, options.ttl)}\n`);
    return 0;
  });
}

export function registerToken(program: Command): void {
  program
    .command('token')
    .description('Print a bearer token for an existing account, or for a service (the gateway that reports usage)')
    .option('--account <accountId>', 'the account the token stands for')
    .option('--service <name>', 'a service credential, e.g. gateway')
    .option('--ttl <duration>', 'token lifetime, e.g. 8h, 30d', '8h')
    .action(async (options: { account?: string; service?: string; ttl: string }) => {
      process.exitCode = await tokenCommand(options);
    });
}

async function loginLinkCommand(options: { account: string; ttl: string; baseUrl?: string }): Promise<number> {
  const seconds = durationSeconds(options.ttl);
  if (seconds === null || seconds > SIGN_IN_LINK_MAX_SECONDS) {
    process.stderr.write('--ttl 应为不超过一天的时长，如 15m、2h\n');
    return 2;
  }
  return withApp(async (app) => {
    const store = app.get<EventStore>(EVENT_STORE);
    const { state } = await loadAggregate(store, accountDecider, accountStream(options.account));
    if (state.status === 'NONE' || state.status === 'CLOSED' || state.status === 'FROZEN') {
      const why = { NONE: '不存在', CLOSED: '已注销', FROZEN: '已冻结' }[state.status];
      process.stderr.write(`账号 ${options.account} ${why}，不签发登录链接\n`);
      return 1;
    }
    const config = app.get<AppConfig>(APP_CONFIG);
    const base = (options.baseUrl ?? config.publicBaseUrl ?? `http://localhost:${config.port}`).replace(/\/+$/, '');
    const code = await app.get(TokenService).issueSignInLink(options.account, `${seconds}s`);
    // The link itself on stdout (for a script); what it does on stderr (for the operator).
    process.stdout.write(`${base}/console/sign-in#link=${code}\n`);
    const activates = state.status === 'PENDING_ACTIVATION' ? '；首次使用即激活该账号（000:9）' : '';
    process.stderr.write(`一次性登录链接，${options.ttl} 内有效${activates}\n`);
    return 0;
  });
}

/** `15m`, `2h`, `1d`, `90s` in seconds; null when it is none of these. */
function durationSeconds(text: string): number | null {
  const match = /^(\d{1,6})([smhd])$/.exec(text.trim());
  if (!match) return null;
  return Number(match[1]) * { s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as 's' | 'm' | 'h' | 'd'];
}

export function registerLoginLink(program: Command): void {
  program
    .command('login-link')
    .description('Print a one-time sign-in link for an account (its first use activates a new account, 000:9)')
    .requiredOption('--account <accountId>', 'the account the link signs in')
    .option('--ttl <duration>', 'how long the link may be used, at most 1d', '15m')
    .option('--base-url <url>', 'where the service is reached, default PUBLIC_BASE_URL or http://localhost:<PORT>')
    .action(async (options: { account: string; ttl: string; baseUrl?: string }) => {
      process.exitCode = await loginLinkCommand(options);
    });
}
