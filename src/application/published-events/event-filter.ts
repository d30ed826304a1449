/**
 * A subscriber's filter: event types, stream-name prefixes and org subtrees; each given part must
 * match (AND), within a part any value matches (OR). Parsed once from outside input with errors an
 * administrator can act on.
 */
import { RuleViolation } from '../../domain/shared/domain-error';
import { isPublished, JURISDICTION_WIDE_TYPES } from './catalog';
import type { EventScope } from './event-scope';

export interface EventFilter {
  readonly types: readonly string[];
  readonly streamPrefixes: readonly string[];
  /** Roots of the org subtrees the subscriber follows. */
  readonly orgSubtrees: readonly string[];
}

/** A filter or position a subscriber cannot use (422). */
export class InvalidSubscriberRequest extends RuleViolation {
  constructor(code: string, message: string) {
    super(code, 'unprocessable', message);
  }
}

const ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
const PREFIX = /^[A-Za-z][A-Za-z0-9_.:-]{0,127}$/;
const MAX_VALUES = 100;

function list(value: unknown, field: string): string[] {
  if (value === undefined || value === null || value === '') return [];
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : null;
  if (!items || items.some((item) => typeof item !== 'string'))
    throw new InvalidSubscriberRequest('INVALID_EVENT_FILTER', `${field} 应为文字列表（或以逗号分隔的文字）`);
  const trimmed = [...new Set((items as string[]).map((item) => item.trim()).filter((item) => item !== ''))];
  if (trimmed.length > MAX_VALUES)
    throw new InvalidSubscriberRequest('INVALID_EVENT_FILTER', `${field} 最多 ${MAX_VALUES} 项`);
  return trimmed;
}

export function parseEventFilter(input: {
  types?: unknown;
  streamPrefixes?: unknown;
  orgSubtrees?: unknown;
}): EventFilter {
  const types = list(input.types, 'types');
  const unknown = types.filter((type) => !isPublished(type));
  if (unknown.length > 0)
    throw new InvalidSubscriberRequest(
      'UNKNOWN_EVENT_TYPE',
      `以下事件类型未对外发布：${unknown.join('、')}（见 /asyncapi）`,
    );
  const streamPrefixes = list(input.streamPrefixes, 'streamPrefixes');
  const badPrefix = streamPrefixes.find((prefix) => !PREFIX.test(prefix));
  if (badPrefix !== undefined)
    throw new InvalidSubscriberRequest(
      'INVALID_EVENT_FILTER',
      `流名前缀 ${JSON.stringify(badPrefix)} 无效（如 Person- 或 OrgTree-）`,
    );
  const orgSubtrees = list(input.orgSubtrees, 'orgSubtrees');
  const badNode = orgSubtrees.find((id) => !ID.test(id));
  if (badNode !== undefined)
    throw new InvalidSubscriberRequest('INVALID_EVENT_FILTER', `组织节点编号 ${JSON.stringify(badNode)} 无效`);
  return { types, streamPrefixes, orgSubtrees };
}

export function matches(filter: EventFilter, type: string, streamId: string, scope: EventScope | null): boolean {
  if (!isPublished(type)) return false;
  if (filter.types.length > 0 && !filter.types.includes(type)) return false;
  if (filter.streamPrefixes.length > 0 && !filter.streamPrefixes.some((prefix) => streamId.startsWith(prefix)))
    return false;
  if (JURISDICTION_WIDE_TYPES.has(type)) return true;
  if (filter.orgSubtrees.length > 0 && !(scope && filter.orgSubtrees.some((root) => scope.within.has(root))))
    return false;
  return true;
}
