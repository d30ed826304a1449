/** `token`: a bearer token for an existing account, or for a service (the gateway that reports usage). */
import { GetAccount } from '../application/account/account.queries';
import { QUERY_BUS, type QueryBus } from '../application/queries/query-bus';
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
      // The token command is the operator's: it reads the account as the platform itself.
      const platform = { kind: 'SERVICE' as const, name: 'cli' };
      const { account } = await app.get<QueryBus>(QUERY_BUS).execute(new GetAccount(platform, options.account));
      const status = account?.status ?? 'NONE';
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
