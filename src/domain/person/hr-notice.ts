/**
 * HR changes are recorded on the strength of an HR notice (任免、调配通知): its date is the change's
 * effective date and its 文号 the authority. Without them the lag of an update (000:9 及时更新)
 * could be faked by leaving the date out, so a person's HR changes require both (issue 19, fix 4).
 */
import { DomainError } from '../shared/domain-error';
import type { PersonCommand } from './person.decider';

/** Registration, post change, transfer, secondment, concurrent post, departure, reinstatement. */
export const HR_CHANGES: ReadonlySet<PersonCommand['type']> = new Set<PersonCommand['type']>([
  'RegisterPerson',
  'ChangePost',
  'TransferPerson',
  'StartSecondment',
  'EndSecondment',
  'AssignConcurrentPost',
  'RelieveConcurrentPost',
  'RecordDeparture',
  'ReinstatePerson',
]);

export class HrNoticeRequired extends DomainError {
  readonly code = 'HR_NOTICE_REQUIRED';
  readonly kind = 'unprocessable';
  constructor(change: string, missing: readonly string[]) {
    super(`人事变更须写明人事通知的生效日期（effectiveAt）和依据文号（sourceRef），本次缺少：${missing.join('、')}`, {
      change,
      missing,
    });
  }
}

export interface HrNotice {
  readonly effectiveAt?: string;
  readonly sourceRef?: string | null;
}

export function assertHrNotice(change: PersonCommand['type'], notice: HrNotice): void {
  if (!HR_CHANGES.has(change)) return;
  const missing = [
    ...(notice.effectiveAt ? [] : ['effectiveAt']),
    ...((notice.sourceRef ?? '').trim() !== '' ? [] : ['sourceRef']),
  ];
  if (missing.length > 0) throw new HrNoticeRequired(change, missing);
}
