/** `bootstrap`: the root node, the first system admin (person and SYSTEM_ADMIN account, activated) and a token for it. */
import { BootstrapJurisdiction, type BootstrapRequest } from '../application/bootstrap/bootstrap-jurisdiction';
import { COMMAND_BUS, type CommandBus } from '../application/commands/command-bus';
import { TokenService } from '../infrastructure/auth/token-service';
import type { EmploymentType } from '../domain/person/person.decider';
import { APP_CONFIG, type AppConfig } from '../infrastructure/config/app-config';
import type { Command } from 'commander';
import { withApp } from './app-context';

interface BootstrapOptions {
  rootId: string;
  rootName: string;
  personId: string;
  name: string;
  idNumber: string;
  gender: string;
  mobile: string;
  employment: EmploymentType;
  accountId: string;
  login: string;
  ttl: string;
}

async function bootstrapCommand(options: BootstrapOptions): Promise<number> {
  return withApp(async (app) => {
    const config = app.get<AppConfig>(APP_CONFIG);
    const request: BootstrapRequest = {
      root: { orgNodeId: options.rootId, name: options.rootName },
      admin: {
        personId: options.personId,
        name: options.name,
        idNumber: options.idNumber,
        gender: options.gender,
        mobile: options.mobile,
        officePhone: null,
        employment: {
          type: options.employment,
          establishmentType: options.employment === 'ON_ESTABLISHMENT' ? 'ADMINISTRATIVE' : null,
        },
        rank: null,
        politicalStatus: null,
        leadershipDuties: null,
      },
      account: { accountId: options.accountId, loginName: options.login },
    };
    const result = await app.get<CommandBus>(COMMAND_BUS).execute(new BootstrapJurisdiction(request));
    process.stderr.write(
      result.created.length > 0
        ? `辖区 ${config.jurisdiction} 已初始化：${result.created.join('，')}\n`
        : `辖区 ${config.jurisdiction} 此前已初始化，未作改动\n`,
    );
    process.stdout.write(
      `${await app.get(TokenService).issue({ kind: 'ACCOUNT', accountId: result.accountId }, options.ttl)}\n`,
    );
    return 0;
  });
}

export function registerBootstrap(program: Command): void {
  program
    .command('bootstrap')
    .description(
      'Create the root node, the first system admin (person and SYSTEM_ADMIN account, activated) and print a token for it',
    )
    .requiredOption('--root-name <name>', 'name of the root node, e.g. 青浦区')
    .option('--root-id <id>', 'id of the root node', 'root')
    .requiredOption('--name <name>', "the admin's real name")
    .requiredOption('--id-number <idNumber>', "the admin's 18-character ID number")
    .requiredOption('--gender <code>', 'GB/T 2261.1 code: 1 male, 2 female')
    .requiredOption('--mobile <mobile>', "the admin's 11-digit mobile")
    .option('--employment <type>', 'ON_ESTABLISHMENT, CONTRACTED or EXTERNAL_TEMPORARY', 'ON_ESTABLISHMENT')
    .option('--person-id <id>', "the admin's person id", 'p-admin')
    .option('--account-id <id>', "the admin's account id", 'acc-admin')
    .option('--login <loginName>', "the admin's login name", 'admin')
    .option('--ttl <duration>', 'token lifetime, e.g. 8h, 30d', '8h')
    .action(async (options: BootstrapOptions) => {
      process.exitCode = await bootstrapCommand(options);
    });
}
