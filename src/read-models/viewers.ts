/**
 * Who reads the directory and the tree, and as whom: a system admin sees the whole tree; a tiered
 * admin sees as an administrator inside their scope and as their own person outside it; a user sees
 * it as their own person; temporary accounts and service credentials see nothing of it.
 */
import { AccessDenied, type Principal } from '../domain/access/access-policy';
import type { Viewer } from './directory/directory.queries';

export function viewerOf(principal: Principal, asPerson = false): Viewer {
  if (
    principal.kind !== 'ACCOUNT' ||
    principal.account.type === 'TEMPORARY' ||
    (principal.account.personId === null && principal.account.type === 'USER')
  ) {
    throw new AccessDenied('TEMPORARY_ACCOUNT_LIMITED', '临时账号和接口凭证不能查询通讯录', {}, true);
  }
  const { type, adminScope, personId } = principal.account;
  // A tiered admin administers their scope only; outside it they see as their own person.
  if (type === 'SYSTEM_ADMIN' && !asPerson) return { kind: 'ADMINISTRATOR', scope: null, personId };
  if (type === 'TIERED_ADMIN' && !asPerson) return { kind: 'ADMINISTRATOR', scope: adminScope, personId };
  if (!principal.account.personId)
    throw new AccessDenied('NOT_PERMITTED', '该账号未关联人员，无法以人员身份查询通讯录', {}, false);
  return { kind: 'PERSON', personId: principal.account.personId };
}
