/**
 * What a subscriber receives for one event: ids, type and schema version, stream and position,
 * effective and recorded time, who and on whose authority, the nodes it concerns, and the changed
 * fields (the event's data, upcast to the current version) with personal data withheld unless the
 * subscriber holds the grant. The same shape over SSE, WebSocket and webhooks.
 */
import type { EventEnvelope } from '../event-store/event-envelope';
import type { JsonObject, JsonValue } from '../event-store/json';
import { PERSONAL_KEYS, type PersonalField, publishedEventType, type SubjectKind } from './catalog';
import type { EventScope } from './event-scope';

export interface PublicEvent {
  /** The event id: receivers deduplicate on it (a retried delivery repeats it). */
  readonly id: string;
  readonly type: string;
  readonly version: number;
  readonly stream: string;
  /** Revision in its stream, from 0 (a decimal string: revisions are 64-bit). */
  readonly revision: string;
  /** Global position: pass it back as Last-Event-ID or a rewind target. */
  readonly position: string;
  readonly recordedAt: string;
  readonly effectiveAt: string;
  readonly jurisdiction: string;
  readonly subject: { readonly kind: SubjectKind; readonly id: string };
  readonly orgNodeIds: readonly string[];
  readonly actor: { readonly role: string; readonly accountId: string };
  readonly reason: string | null;
  readonly sourceRef: string | null;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly data: JsonObject;
  /** Paths in `data` withheld for want of a grant (e.g. `changes.mobile`). */
  readonly withheld: readonly string[];
}

/** `data` with the personal fields not in `grants` left out, and the paths left out. */
export function withholdPersonalData(
  data: JsonObject,
  grants: ReadonlySet<PersonalField>,
): { data: JsonObject; withheld: string[] } {
  const withheld: string[] = [];
  return { data: redact(data, grants, '', withheld) as JsonObject, withheld };
}

function redact(value: JsonValue, grants: ReadonlySet<PersonalField>, path: string, withheld: string[]): JsonValue {
  if (Array.isArray(value))
    return value.map((item, i) => redact(item, grants, `${path}${path ? '.' : ''}${i}`, withheld));
  if (value === null || typeof value !== 'object') return value;
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    const field = PERSONAL_KEYS[key];
    if (field && !grants.has(field)) {
      withheld.push(at);
      continue;
    }
    out[key] = redact(item, grants, at, withheld);
  }
  return out;
}

/** The public form of a published event; `grants` are the personal fields the receiver may see. */
export function toPublicEvent(
  envelope: EventEnvelope,
  scope: EventScope,
  grants: ReadonlySet<PersonalField>,
): PublicEvent {
  const entry = publishedEventType(envelope.type);
  if (!entry) throw new Error(`${envelope.type} is not a published event type`);
  const { data, withheld } = withholdPersonalData(envelope.data as JsonObject, grants);
  return {
    id: envelope.eventId,
    type: envelope.type,
    version: envelope.schemaVersion,
    stream: envelope.streamId,
    revision: envelope.revision.toString(),
    position: envelope.position,
    recordedAt: envelope.recordedAt,
    effectiveAt: envelope.effectiveAt,
    jurisdiction: envelope.jurisdiction,
    subject: { kind: entry.subject, id: String((envelope.data as JsonObject)[entry.subjectIdField]) },
    orgNodeIds: scope.orgNodeIds,
    actor: { role: envelope.actor.role, accountId: envelope.actor.accountId },
    reason: envelope.reason,
    sourceRef: envelope.sourceRef,
    correlationId: envelope.correlationId,
    causationId: envelope.causationId,
    data,
    withheld,
  };
}
