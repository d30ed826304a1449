/** A point in the past, and the errors of audit questions: shared by the audit trail's queries and time travel. */
import type { EventEnvelope } from '../event-store/event-envelope';
import { effectiveLocalDate } from '../calendar/working-days';

export class AuditQueryError extends Error {
  constructor(
    readonly code: 'INVALID_AUDIT_QUERY' | 'ENTITY_NOT_FOUND',
    message: string,
  ) {
    super(message);
  }
}

/** A point in the past: what had been recorded by an instant, or what was in effect on a date. */
export type AsOf = { readonly recordedAt: string } | { readonly effectiveOn: string };

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function instant(value: string, name: string): string {
  const time = Date.parse(value);
  if (typeof value !== 'string' || Number.isNaN(time))
    throw new AuditQueryError('INVALID_AUDIT_QUERY', `${name} 应为 ISO 8601 时间，实为 ${JSON.stringify(value)}`);
  return new Date(time).toISOString();
}

export function date(value: string, name: string): string {
  if (typeof value !== 'string' || !DATE.test(value) || Number.isNaN(Date.parse(value)))
    throw new AuditQueryError('INVALID_AUDIT_QUERY', `${name} 应为日期 YYYY-MM-DD，实为 ${JSON.stringify(value)}`);
  return value;
}

/** The `recordedAt` / `effectiveOn` pair of a request: exactly one of them. */
export function asOfOf(recordedAt: string | undefined, effectiveOn: string | undefined): AsOf {
  if ((recordedAt === undefined) === (effectiveOn === undefined))
    throw new AuditQueryError('INVALID_AUDIT_QUERY', '须给出 recordedAt（记录时间）或 effectiveOn（生效日期）之一');
  return recordedAt !== undefined ? { recordedAt } : { effectiveOn: effectiveOn! };
}

/** Which events count as of a point in the past. */
export function keptAsOf(asOf: AsOf, timeZone: string): (envelope: EventEnvelope) => boolean {
  if ('recordedAt' in asOf) {
    const bound = instant(asOf.recordedAt, 'recordedAt');
    return (e) => new Date(Date.parse(e.recordedAt)).toISOString() <= bound;
  }
  const day = date(asOf.effectiveOn, 'effectiveOn');
  return (e) => effectiveLocalDate(e.effectiveAt, timeZone) <= day;
}
