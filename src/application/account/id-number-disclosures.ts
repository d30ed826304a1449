/** The disclosure record as an account command: IdNumbersDisclosed on the asking admin's own stream. */
import { AccessControl } from '../access/access-control';
import { byPrincipal, type CommandBus } from '../commands/command-bus';
import type { DisclosureRecord } from '../ports/disclosure-record.port';
import type { Principal } from '../../domain/access/access-policy';
import { AccessDenied } from '../../domain/access/access-policy';
import { ExecuteAccountCommand } from './account.commands';

export class IdNumberDisclosures implements DisclosureRecord {
  constructor(
    private readonly commands: CommandBus,
    private readonly jurisdiction: string,
  ) {}

  async idNumbersShown(principal: Principal, purpose: string, rows: number): Promise<void> {
    if (principal.kind !== 'ACCOUNT')
      throw new AccessDenied('SYSTEM_ADMIN_ONLY', '完整身份证号只能由系统管理员申请查看');
    const { accountId } = principal.account;
    const metadata = { actor: AccessControl.actorOf(principal), jurisdiction: this.jurisdiction, reason: purpose };
    await this.commands.execute(
      new ExecuteAccountCommand(
        { type: 'RecordIdNumberDisclosure', data: { accountId, purpose, rows } },
        metadata,
        byPrincipal(principal),
      ),
    );
  }
}
