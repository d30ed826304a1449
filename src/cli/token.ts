/** `token`: a bearer token for an existing account, or for a service (the gateway that reports usage). */
import { loadAggregate } from '../application/commands/decider-command-runner';
import { EVENT_STORE, type EventStore } from '../application/ports/event-store.port';
import { accountDecider, accountStream } from '../domain/account/account.decider';
import { TokenService } from '../infrastructure/auth/token-service';
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
