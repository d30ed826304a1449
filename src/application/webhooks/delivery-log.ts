/**
 * A subscription's delivery state, kept as events in its own stream `SubscriptionDelivery-<id>`
 * (like the policies' checkpoints), so it survives restarts on either event store and every
 * operator action on it (replay, rewind) is on record with who did it.
 *
 * - DeliveryCheckpointed: every published event matching the subscription at or before `position`
 *   is settled (delivered, or in the failed list). Written at most every checkpoint interval, so a
 *   restart re-sends what was delivered after the last one: receivers deduplicate by event id.
 * - DeliveryFailed: an event moved to the failed list after its last attempt, or held there behind
 *   an earlier failed event of the same stream (`heldBehind`): a stream's events are never
 *   delivered out of order, so once one fails the rest of that stream waits with it.
 * - FailedDeliveriesReplayed: an operator sent (some of) the failed list back for delivery.
 * - FailedDeliveriesCleared: replayed events that were delivered leave the list.
 * - DeliveryRewound: an operator moved the subscription back (or forward) to a position; the
 *   failed entries after it are dropped since they will be delivered again.
 * - DeliveryClaimed: the worker of a term of the subscription's lease (issue 25) took the log
 *   over; it then writes at the revisions it knows, so a worker of an earlier term is refused.
 */
import type { EventStore } from '../ports/event-store.port';
import type { JsonObject } from '../event-store/json';
import { comparePositions, type Position } from '../event-store/position';

export const DELIVERY_STREAM_PREFIX = 'SubscriptionDelivery-';

export function deliveryStream(subscriptionId: string): string {
  return `${DELIVERY_STREAM_PREFIX}${subscriptionId}`;
}

export interface FailedEntry {
  readonly eventId: string;
  readonly eventType: string;
  readonly streamId: string;
  /** Decimal string (64-bit revision). */
  readonly revision: string;
  readonly position: Position;
  /** The nodes the event concerns (its scope when it was read), sent again on replay. */
  readonly orgNodeIds: readonly string[];
  readonly attempts: number;
  readonly lastError: string;
  readonly failedAt: string;
  /** The earlier failed event of the same stream this one waits behind, if it never failed itself. */
  readonly heldBehind: string | null;
  readonly replaying: boolean;
}

export type DeliveryLogEvent =
  | { type: 'DeliveryCheckpointed'; data: { subscriptionId: string; position: Position } }
  | { type: 'DeliveryFailed'; data: { subscriptionId: string } & Omit<FailedEntry, 'replaying'> }
  | { type: 'FailedDeliveriesReplayed'; data: { subscriptionId: string; eventIds: string[] } }
  | { type: 'FailedDeliveriesCleared'; data: { subscriptionId: string; eventIds: string[] } }
  | { type: 'DeliveryRewound'; data: { subscriptionId: string; from: Position | null; to: Position | null } }
  | { type: 'DeliveryClaimed'; data: { subscriptionId: string; term: number } };

/** What only an operator writes: a worker that did not load it must start again from the record. */
export const OPERATOR_ACTIONS: ReadonlySet<string> = new Set(['FailedDeliveriesReplayed', 'DeliveryRewound']);

export interface DeliveryState {
  /** null: nothing settled yet, deliver from the start. */
  readonly checkpoint: Position | null;
  /** The failed list in store order, by event id. */
  readonly failed: ReadonlyMap<string, FailedEntry>;
}

export const initialDeliveryState = (): DeliveryState => ({ checkpoint: null, failed: new Map() });

export function evolveDelivery(state: DeliveryState, event: { type: string; data: JsonObject }): DeliveryState {
  const d = event.data as unknown as Record<string, unknown>;
  switch (event.type) {
    case 'DeliveryCheckpointed': {
      const position = d.position as Position;
      // Only forwards: a late checkpoint write never moves the subscription back (rewind does that).
      return state.checkpoint !== null && comparePositions(position, state.checkpoint) <= 0
        ? state
        : { ...state, checkpoint: position };
    }
    case 'DeliveryFailed': {
      const { subscriptionId: _, ...entry } = d as unknown as DeliveryLogEvent['data'] & Omit<FailedEntry, 'replaying'>;
      const failed = new Map(state.failed);
      failed.set(entry.eventId, { ...(entry as Omit<FailedEntry, 'replaying'>), replaying: false });
      return { ...state, failed: sortedByPosition(failed) };
    }
    case 'FailedDeliveriesReplayed': {
      const failed = new Map(state.failed);
      for (const id of d.eventIds as string[]) {
        const entry = failed.get(id);
        if (entry) failed.set(id, { ...entry, replaying: true });
      }
      return { ...state, failed };
    }
    case 'FailedDeliveriesCleared': {
      const failed = new Map(state.failed);
      for (const id of d.eventIds as string[]) failed.delete(id);
      return { ...state, failed };
    }
    case 'DeliveryRewound': {
      const to = (d.to as Position | null) ?? null;
      const failed = new Map(
        [...state.failed].filter(([, entry]) => to !== null && comparePositions(entry.position, to) <= 0),
      );
      return { checkpoint: to, failed };
    }
    default:
      return state;
  }
}

function sortedByPosition(failed: Map<string, FailedEntry>): Map<string, FailedEntry> {
  return new Map([...failed].sort(([, a], [, b]) => comparePositions(a.position, b.position)));
}

/** A subscription's delivery state as recorded. */
export async function loadDeliveryState(store: EventStore, subscriptionId: string): Promise<DeliveryState> {
  return (await loadDeliveryLog(store, subscriptionId)).state;
}

/** The delivery state, the revision of the log's last event (null: no log yet) and the highest term that claimed it. */
export async function loadDeliveryLog(
  store: EventStore,
  subscriptionId: string,
): Promise<{ state: DeliveryState; revision: bigint | null; term: number }> {
  let state = initialDeliveryState();
  let revision: bigint | null = null;
  let term = 0;
  for (const recorded of await store.readStream(deliveryStream(subscriptionId))) {
    state = evolveDelivery(state, recorded);
    revision = recorded.revision;
    if (recorded.type === 'DeliveryClaimed') term = Math.max(term, Number(recorded.data.term));
  }
  return { state, revision, term };
}

/** Streams with an event in the failed list that is not being replayed: their later events wait. */
export function parkedStreams(state: DeliveryState): Set<string> {
  const parked = new Set<string>();
  for (const entry of state.failed.values()) if (!entry.replaying) parked.add(entry.streamId);
  return parked;
}
