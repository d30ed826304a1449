/**
 * Bootstraps a jurisdiction: the root node, the first system admin as a real-name person with a
 * post in the root, and that person's SYSTEM_ADMIN account, activated. Every later change is made
 * by an account; these first ones are made by the system (actor `bootstrap`).
 *
 * Each step is skipped when already done, so a bootstrap interrupted half-way can be run again;
 * a jurisdiction whose root is already another node is refused.
 */
import type { Profile } from '../../domain/person/person.decider';
import type { Actor } from '../../domain/shared/actor';
import { RuleViolation } from '../../domain/shared/domain-error';
import type { AccountService } from '../account/account.service';
import type { CommandMetadata } from '../commands/decider-command-runner';
import type { OrgTreeService } from '../org-tree/org-tree.service';
import type { PersonService } from '../person/person.service';

export const BOOTSTRAP_ACTOR: Actor = { accountId: 'bootstrap', role: 'SYSTEM' };

export interface BootstrapRequest {
  readonly root: { readonly orgNodeId: string; readonly name: string };
  readonly admin: Profile & { readonly personId: string; readonly title?: string | null };
  readonly account: { readonly accountId: string; readonly loginName: string };
}

export async function bootstrapJurisdiction(
  services: { tree: OrgTreeService; people: PersonService; accounts: AccountService },
  request: BootstrapRequest,
  jurisdiction: string,
): Promise<{ accountId: string; created: string[] }> {
  const metadata: CommandMetadata = {
    actor: BOOTSTRAP_ACTOR,
    jurisdiction,
    reason: '初始化辖区',
    sourceRef: 'bootstrap',
  };
  const created: string[] = [];

  const { state: tree } = await services.tree.load();
  if (tree.rootId !== null && tree.rootId !== request.root.orgNodeId) {
    throw new RuleViolation(
      'JURISDICTION_ALREADY_BOOTSTRAPPED',
      'conflict',
      `辖区 ${jurisdiction} 已初始化，根节点为 ${tree.rootId}`,
      { rootId: tree.rootId },
    );
  }
  if (tree.rootId === null) {
    await services.tree.execute(
      {
        type: 'CreateOrgNode',
        data: { orgNodeId: request.root.orgNodeId, name: request.root.name, kind: 'ROOT', parentId: null },
      },
      metadata,
    );
    created.push(`根节点 ${request.root.orgNodeId}`);
  }

  const { personId, title, ...profile } = request.admin;
  if ((await services.people.load(personId)).state.status === 'NONE') {
    await services.people.register(
      { ...profile, personId, primaryPost: { orgNodeId: request.root.orgNodeId, title: title ?? '系统管理员' } },
      metadata,
    );
    created.push(`人员 ${personId}`);
  }

  const { accountId, loginName } = request.account;
  const { state: account } = await services.accounts.load(accountId);
  if (account.status === 'NONE') {
    await services.accounts.open({ accountId, type: 'SYSTEM_ADMIN', loginName, personId }, metadata);
    created.push(`系统管理员账号 ${accountId}`);
  } else if (account.type !== 'SYSTEM_ADMIN' || account.personId !== personId) {
    throw new RuleViolation(
      'ACCOUNT_ALREADY_EXISTS',
      'conflict',
      `账号 ${accountId} 已存在且不是该人员的系统管理员账号`,
      { accountId },
    );
  }
  await services.accounts.execute({ type: 'ActivateAccount', data: { accountId } }, metadata);
  return { accountId, created };
}
