/**
 * Who reads the directory and the tree, and as whom: administrators see the whole tree; a user sees
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
  const admin = principal.account.type === 'SYSTEM_ADMIN' || principal.account.type === 'TIERED_ADMIN';
  if (admin && !asPerson) return { kind: 'ADMINISTRATOR' };
  if (!principal.account.personId)
    throw new AccessDenied('NOT_PERMITTED', '该账号未关联人员，无法以人员身份查询通讯录', {}, false);
  return { kind: 'PERSON', personId: principal.account.personId };
}
