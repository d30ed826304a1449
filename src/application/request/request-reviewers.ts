/**
 * Who may decide a request's step: the administrators its route names (system admins always may).
 * Scopes are subtrees, so the admins one level up, to whom an overdue step is reported (000:9),
 * may already decide it: the report changes who knows, not who may.
 */
import type { Permission } from '../../domain/access/access-policy';
import { AccessControl } from '../access/access-control';

export function reviewerPermission(
  access: AccessControl,
  step: { readonly name: string; readonly adminOf: string | null },
  applicantUnit: string,
): Promise<Permission> | Permission {
  const action = `审核申请（${step.name}）`;
  if (step.adminOf === null) return AccessControl.systemAdmin(action);
  return access.unit(action, [step.adminOf === 'APPLICANT_UNIT' ? applicantUnit : step.adminOf]);
}
