/**
 * A projection turns events into changes of its own documents. `changesOf` is a pure function of
 * the event and of the projection's documents as they stand (read through `view`, which sees the
 * changes of the events before it in the same batch); it never writes, the engine does.
 */
import type { DomainEvent } from '../../domain/shared/decider';
import type { TypedEnvelope } from '../event-store/event-envelope';
import type { RecordedEvent } from '../ports/event-store.port';
import type { CollectionSpec, Doc, Filter, FindOptions } from '../ports/read-store.port';

/** A change of one document: `apply` gets the current document (or null) and returns the next one (null deletes). */
export interface Change {
  readonly collection: string;
  readonly id: string;
  readonly apply: (current: Doc | null) => Doc | null;
}

export interface ProjectionView {
  get(collection: string, id: string): Promise<Doc | null>;
  find(collection: string, filter: Filter, options?: FindOptions): Promise<Doc[]>;
}

/** What every projection declares: its name, version and collections. */
interface ProjectionShape {
  /** Stable name: the prefix of its collections and the key of its checkpoint. */
  readonly name: string;
  /** Bump when the documents' shape or meaning changes: the new version is rebuilt beside the old one. */
  readonly version: number;
  /** Logical collections with the indexes its queries need. */
  readonly collections: readonly CollectionSpec[];
}

/**
 * A projection of the stored history itself (the Merkle log, issue 22): every event, as stored
 * (not upcast: what is proven is what was written), in the global order.
 */
export interface HistoryProjection extends ProjectionShape {
  readonly readsHistory: true;
  /**
   * Written after the projection's other collections in each batch: on a store that writes a
   * batch's documents without a transaction (MongoDB), a batch cut short by a crash has left this
   * one either as it was before the batch or with everything before it already written.
   */
  readonly writtenLast?: string;
  changesOfStored(event: RecordedEvent, view: ProjectionView): Change[] | Promise<Change[]>;
}

/** What the engine feeds. */
export type AnyProjection = Projection | HistoryProjection;

export function readsHistory(projection: AnyProjection): projection is HistoryProjection {
  return 'readsHistory' in projection;
}

/**
 * A projection of the events of union `Event`. The engine passes it only events of its
 * `eventTypes`, upcast to their current schema, so `changesOf` sees them typed.
 */
export interface Projection<Event extends DomainEvent = DomainEvent> extends ProjectionShape {
  /** The event types it reads; others pass by (the checkpoint still moves past them). */
  readonly eventTypes: ReadonlyArray<Event['type']>;
  changesOf(event: TypedEnvelope<Event>, view: ProjectionView): Change[] | Promise<Change[]>;
}

/** Helper for the common case: set (or create) a document from the current one. */
export function change(collection: string, id: string, apply: (current: Doc | null) => Doc | null): Change {
  return { collection, id, apply };
}
