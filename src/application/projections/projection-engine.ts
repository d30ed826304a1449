/**
 * Feeds projections from `subscribeToAll` and writes their changes to the read store.
 *
 * - Batches: events are taken from the subscription as long as they are already there (up to
 *   `batchSize`), so a rebuild or a burst is written in few transactions and a quiet feed one
 *   event at a time. Each projection's batch is committed with its checkpoint (the position of the
 *   batch's last event, whatever its type), and documents carry the position that wrote them.
 * - Exactly once: an event at or before a projection's checkpoint is skipped; a document write at
 *   or before the document's own position is skipped by the store.
 * - Generations: each projection version is built into its own generation of collections. A
 *   version the store has not got is built beside the ACTIVE one (queries keep reading that) and
 *   promoted when it has caught up; the old generation is then dropped.
 * - Lag: `status()` reports each generation's checkpoint, the head, and how long the oldest unapplied event has waited.
 * - Fencing (issue 25): started in a lease term, the engine commits with that term as its fence;
 *   once a later term has written, its commit is refused and the engine stops.
 */
import { type EventEnvelope, fromRecordedEvent } from '../event-store/event-envelope';
import type { EventStore, RecordedEvent, Subscription } from '../ports/event-store.port';
import { comparePositions, type Position, positionParts } from '../event-store/position';
import type { Clock } from '../ports/clock.port';
import {
  activeGeneration,
  type Doc,
  type DocumentWrite,
  type Fence,
  FencedWriteError,
  type GenerationRecord,
  physicalName,
  type ReadStore,
} from '../ports/read-store.port';
import type { OperationLog } from '../ports/operation-log.port';
import { type AnyProjection, type ProjectionView, readsHistory } from './projection';
import { ReadPosition } from './read-position';
import { WrittenKeys } from './written-keys';

export type ProjectionLog = Pick<OperationLog, 'info' | 'error'>;

/** The lease of the live projections: one instance feeds the read models at a time. */
export const PROJECTIONS_LEASE = 'projections';

export interface ProjectionEngineOptions {
  readonly batchSize?: number;
  /** How often a running engine looks for a generation promoted by another process (the rebuild CLI). */
  readonly generationCheckMs?: number;
  readonly retryDelayMs?: number;
  /** Told whenever the live feed has read further (the worker reports it to the main thread). */
  readonly onSeen?: (position: Position | null) => void;
}

export interface RebuildProgress {
  readonly processed: number;
  /** Fraction of the store's history read, 0..1. */
  readonly fraction: number;
  readonly position: Position | null;
}

export interface ProjectionStatus {
  readonly projection: string;
  readonly version: number;
  readonly generation: number;
  readonly state: GenerationRecord['state'];
  readonly checkpoint: Position | null;
  readonly head: Position | null;
  readonly caughtUp: boolean;
  /** How long the oldest event not yet applied has been waiting (ms); 0 when caught up. */
  readonly lagMs: number;
}

/** One projection generation being fed: its checkpoint and its batch. */
class GenerationRunner {
  private cache = new Map<string, { collection: string; id: string; doc: Doc | null; position: Position }>();
  private pending: Position | null = null;
  /**
   * Of a generation this runner started from nothing: a document it never wrote cannot exist, so
   * it is not looked for (half the reads of a rebuild). Keys are noted when changed, before
   * commit, so the filter may hold more than the store, never less.
   */
  private readonly written: WrittenKeys | null;

  /** The event types the projection reads, for a look-up per event. */
  readonly reads: ReadonlySet<string>;

  constructor(
    readonly projection: AnyProjection,
    public record: GenerationRecord,
    private readonly readStore: ReadStore,
    private readonly fence?: Fence,
  ) {
    this.written = record.checkpoint === null ? new WrittenKeys() : null;
    this.reads = new Set(readsHistory(projection) ? [] : projection.eventTypes);
  }

  private async load(collection: string, id: string, key: string): Promise<Doc | null> {
    if (this.written && !this.written.mayHold(key)) return null;
    return this.readStore.get(this.physical(collection), id);
  }

  get checkpoint(): Position | null {
    return this.pending ?? this.record.checkpoint;
  }

  private physical(collection: string): string {
    return physicalName(this.projection.name, this.record.generation, collection);
  }

  private readonly view: ProjectionView = {
    get: async (collection, id) => {
      const key = `${collection}\u0000${id}`;
      const cached = this.cache.get(key);
      return cached ? cached.doc : this.load(collection, id, key);
    },
    find: async (collection, filter, options) => {
      // A query must see this batch's changes: write them first (with the checkpoint so far).
      await this.flush();
      return this.readStore.find(this.physical(collection), filter, options);
    },
  };

  /** Applies one event to the batch; false when it was already applied. */
  async apply(event: RecordedEvent, envelope: EventEnvelope | null): Promise<boolean> {
    const checkpoint = this.checkpoint;
    if (checkpoint !== null && comparePositions(event.position, checkpoint) <= 0) return false;
    const changes = readsHistory(this.projection)
      ? await this.projection.changesOfStored(event, this.view)
      : envelope
        ? await this.projection.changesOf(envelope, this.view)
        : [];
    for (const change of changes) {
      const key = `${change.collection}\u0000${change.id}`;
      const cached = this.cache.get(key);
      const current = cached ? cached.doc : await this.load(change.collection, change.id, key);
      const next = change.apply(current);
      // Only a document not yet in the batch is new to the filter.
      if (!cached) this.written?.add(key);
      this.cache.set(key, {
        collection: change.collection,
        id: change.id,
        doc: next === null ? null : { ...next, id: change.id },
        position: event.position,
      });
    }
    this.pending = event.position;
    return true;
  }

  /** Commits the batch's documents and its checkpoint together. */
  async flush(): Promise<void> {
    if (this.pending === null) return;
    const last = readsHistory(this.projection) ? this.projection.writtenLast : undefined;
    const entries = [...this.cache.values()];
    const ordered = last
      ? [...entries.filter((e) => e.collection !== last), ...entries.filter((e) => e.collection === last)]
      : entries;
    const writes: DocumentWrite[] = ordered.map((entry) => ({
      collection: this.physical(entry.collection),
      id: entry.id,
      doc: entry.doc,
      position: entry.position,
    }));
    await this.readStore.commit(this.projection.name, this.record.generation, writes, this.pending, this.fence);
    this.record = { ...this.record, checkpoint: this.pending };
    this.cache = new Map();
    this.pending = null;
  }

  /** Forgets an unwritten batch (after a failed commit, to be read again). */
  discard(): void {
    this.cache = new Map();
    this.pending = null;
  }
}

const IDLE = Symbol('idle');
/**
 * The feed lets the event loop turn after this many events: timers and I/O get their turn
 * during a long catch-up, and the idle markers raced in the meantime are settled and released
 * (a rebuild that never turned held every event it had read until its end: issue 20).
 */
const YIELD_EVERY = 1000;

/** One subscription feeding a set of runners, from the lowest of their checkpoints. */
class ProjectionFeed {
  private subscription: Subscription | null = null;
  private stopped = false;
  private done: Promise<void> | null = null;

  constructor(
    private readonly store: EventStore,
    readonly runners: readonly GenerationRunner[],
    private readonly batchSize: number,
    private readonly retryDelayMs: number,
    private readonly log: ProjectionLog,
    private readonly onBatch: (processed: number, last: Position | null, idle: boolean) => Promise<void> | void,
    private readonly onFenced: () => void = () => undefined,
  ) {}

  start(): void {
    this.done = this.run();
  }

  private from(): Position | 'start' {
    let from: Position | null = null;
    for (const runner of this.runners) {
      const checkpoint = runner.checkpoint;
      if (checkpoint === null) return 'start';
      if (from === null || comparePositions(checkpoint, from) < 0) from = checkpoint;
    }
    return from ?? 'start';
  }

  private async run(): Promise<void> {
    const interested = new Set(this.runners.flatMap((r) => [...r.reads]));
    // One idle marker per turn of the event loop, shared by every race of that turn.
    let turn: Promise<typeof IDLE> | null = null;
    const endOfTurn = () =>
      (turn ??= new Promise<typeof IDLE>((resolve) =>
        setImmediate(() => {
          turn = null;
          resolve(IDLE);
        }),
      ));
    let sinceYield = 0;
    while (!this.stopped) {
      try {
        this.subscription = this.store.subscribeToAll({ from: this.from() });
        const iterator = this.subscription[Symbol.asyncIterator]();
        let next: Promise<IteratorResult<RecordedEvent>> | null = null;
        while (!this.stopped) {
          let processed = 0;
          let last: Position | null = null;
          let idle = false;
          while (processed < this.batchSize) {
            next ??= iterator.next();
            // Take what is already there; the batch ends at the first wait.
            const result = await Promise.race([next, endOfTurn()]);
            if (result === IDLE) {
              idle = true;
              break;
            }
            next = null;
            if (result.done) return;
            const event = result.value;
            const envelope = interested.has(event.type) ? fromRecordedEvent(event) : null;
            for (const runner of this.runners)
              await runner.apply(event, envelope && runner.reads.has(event.type) ? envelope : null);
            processed += 1;
            last = event.position;
            if (++sinceYield >= YIELD_EVERY) {
              sinceYield = 0;
              await new Promise((resolve) => setImmediate(resolve));
            }
          }
          for (const runner of this.runners) await runner.flush();
          await this.onBatch(processed, last, idle);
          // Nothing came: sleep until something does (it is taken in the next round).
          if (processed === 0 && next && !this.stopped) await next;
        }
      } catch (error) {
        // A store outage or a failed commit: forget the unwritten batch and read it again.
        for (const runner of this.runners) runner.discard();
        if (this.stopped) return;
        if (error instanceof FencedWriteError) {
          // Deposed: another instance holds a later term and feeds the read models now.
          this.log.error(error.message);
          this.stopped = true;
          this.onFenced();
          return;
        }
        this.log.error(
          `读模型投影失败，${this.retryDelayMs} ms 后重试：${error instanceof Error ? error.message : String(error)}`,
        );
        await this.subscription?.close();
        await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs));
      } finally {
        await this.subscription?.close();
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.subscription?.close();
    await this.done;
  }
}

export class ProjectionEngine {
  private live: ProjectionFeed | null = null;
  private build: ProjectionFeed | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly batchSize: number;
  /** How far the live feed has read (read-your-writes waits on it). */
  private readonly seen = new ReadPosition();
  private fence: Fence | undefined;
  /** A later term wrote: this engine stops (not awaited from inside the feed that found out). */
  private readonly deposed = () => void this.stop();

  constructor(
    private readonly store: EventStore,
    private readonly readStore: ReadStore,
    readonly projections: readonly AnyProjection[],
    private readonly clock: Clock,
    private readonly log: ProjectionLog,
    private readonly options: ProjectionEngineOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 2000;
  }

  private projection(name: string): AnyProjection {
    const projection = this.projections.find((p) => p.name === name);
    if (!projection) throw new Error(`未知的读模型 ${name}（可选：${this.projections.map((p) => p.name).join('、')}）`);
    return projection;
  }

  /** The ACTIVE generation of a projection at its current version, and the BUILDING one if any. */
  private async plan(
    projection: AnyProjection,
    forceNew = false,
  ): Promise<{ active: GenerationRecord | null; building: GenerationRecord | null }> {
    const generations = await this.readStore.generations(projection.name);
    const active = activeGeneration(generations);
    let building = generations.find((g) => g.state === 'BUILDING' && g.version === projection.version) ?? null;
    const current = active !== null && active.version === projection.version && !forceNew;
    if (!current && building === null) {
      const generation = Math.max(0, ...generations.map((g) => g.generation)) + 1;
      building = {
        projection: projection.name,
        generation,
        version: projection.version,
        checkpoint: null,
        state: 'BUILDING',
      };
      // Nothing queries a BUILDING generation: its indexes are built once, when it is promoted.
      await this.readStore.ensureCollections(
        projection.collections.map((c) => ({ ...c, name: physicalName(projection.name, generation, c.name) })),
        { deferIndexes: true },
      );
      await this.readStore.saveGeneration(building);
    }
    return { active, building: current ? null : building };
  }

  /**
   * Starts feeding: builds what is missing or outdated beside what queries read, then follows live.
   * With a term (the `projections` lease's), every commit is fenced by it.
   */
  async start(term?: number): Promise<void> {
    this.fence = term === undefined ? undefined : { lease: PROJECTIONS_LEASE, term };
    const live: GenerationRunner[] = [];
    const building: GenerationRunner[] = [];
    for (const projection of this.projections) {
      await this.dropRetired(projection);
      const { active, building: record } = await this.plan(projection);
      if (record) building.push(new GenerationRunner(projection, record, this.readStore, this.fence));
      // The old ACTIVE generation keeps answering (and following) until the new one takes over.
      if (active) live.push(new GenerationRunner(projection, active, this.readStore, this.fence));
    }
    this.startLive(live);
    if (building.length > 0) {
      this.build = new ProjectionFeed(
        this.store,
        building,
        this.batchSize,
        this.options.retryDelayMs ?? 1000,
        this.log,
        async (_n, _last, idle) => {
          if (idle && (await this.atHead(building))) await this.takeOver(building);
        },
        this.deposed,
      );
      this.build.start();
    }
    this.timer = setInterval(
      () => void this.followPromotions().catch((error) => this.log.error(String(error))),
      this.options.generationCheckMs ?? 2000,
    );
    this.timer.unref();
  }

  /** Every runner has read up to the store's head. */
  private async atHead(runners: readonly GenerationRunner[]): Promise<boolean> {
    const head = await this.store.headPosition();
    return head === null || runners.every((r) => r.checkpoint !== null && comparePositions(r.checkpoint, head) >= 0);
  }

  private startLive(runners: GenerationRunner[]): void {
    // Where the live feed starts, it has already read.
    const checkpoints = runners.map((r) => r.checkpoint);
    this.seen.set(
      checkpoints.length === 0 || checkpoints.includes(null)
        ? null
        : (checkpoints as Position[]).reduce((a, b) => (comparePositions(a, b) <= 0 ? a : b)),
    );
    if (runners.length === 0) return;
    this.live = new ProjectionFeed(
      this.store,
      runners,
      this.batchSize,
      this.options.retryDelayMs ?? 1000,
      this.log,
      (_n, last) => {
        if (!last) return;
        this.seen.set(last);
        this.options.onSeen?.(last);
      },
      this.deposed,
    );
    this.options.onSeen?.(this.seen.current);
    this.live.start();
  }

  /** The build feed has caught up: its generations replace the ACTIVE ones. */
  private async takeOver(built: GenerationRunner[]): Promise<void> {
    const build = this.build;
    this.build = null;
    // Not awaited from inside its own batch callback: the feed ends after this batch.
    void build?.stop();
    for (const runner of built) {
      await this.readStore.promote(runner.projection.name, runner.record.generation);
      this.log.info(
        `读模型 ${runner.projection.name} v${runner.projection.version} 已重建（第 ${runner.record.generation} 代）并启用`,
      );
    }
    await this.restartLive();
  }

  private async restartLive(): Promise<void> {
    const old = this.live;
    this.live = null;
    await old?.stop();
    const runners: GenerationRunner[] = [];
    for (const projection of this.projections) {
      await this.dropRetired(projection);
      const active = activeGeneration(await this.readStore.generations(projection.name));
      if (active) runners.push(new GenerationRunner(projection, active, this.readStore, this.fence));
    }
    this.startLive(runners);
  }

  /** Another process (the rebuild CLI) promoted a generation: follow it. */
  private async followPromotions(): Promise<void> {
    if (!this.live) return;
    for (const projection of this.projections) {
      const active = activeGeneration(await this.readStore.generations(projection.name));
      const running = this.live?.runners.find((r) => r.projection.name === projection.name);
      if (active && running && active.generation !== running.record.generation) return this.restartLive();
    }
  }

  private async dropRetired(projection: AnyProjection): Promise<void> {
    for (const record of await this.readStore.generations(projection.name)) {
      if (record.state !== 'RETIRED') continue;
      await this.readStore.dropCollections(
        projection.collections.map((c) => physicalName(projection.name, record.generation, c.name)),
      );
      await this.readStore.deleteGeneration(projection.name, record.generation);
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.build?.stop();
    await this.live?.stop();
    this.build = null;
    this.live = null;
    this.seen.releaseAll();
  }

  /**
   * Rebuilds projections into a new generation (or resumes an interrupted rebuild of the same
   * version) up to the head, then promotes them. For the CLI: run with the engine not started.
   */
  async rebuild(
    names: readonly string[],
    onProgress?: (progress: RebuildProgress) => void,
    batchSize = this.batchSize,
  ): Promise<{ processed: number }> {
    const runners: GenerationRunner[] = [];
    for (const name of names) {
      const projection = this.projection(name);
      const generations = await this.readStore.generations(name);
      const resumable = generations.find((g) => g.state === 'BUILDING' && g.version === projection.version);
      const record = resumable ?? (await this.plan(projection, true)).building!;
      runners.push(new GenerationRunner(projection, record, this.readStore));
    }
    const head = await this.store.headPosition();
    const total = head === null ? 0n : positionParts(head).commit;
    let processed = 0;
    await new Promise<void>((resolve, reject) => {
      const feed = new ProjectionFeed(
        this.store,
        runners,
        batchSize,
        this.options.retryDelayMs ?? 1000,
        this.log,
        async (n, last) => {
          processed += n;
          const fraction =
            total === 0n || last === null ? 1 : Math.min(1, Number(positionParts(last).commit) / Number(total));
          onProgress?.({ processed, fraction, position: last });
          if (last !== null && head !== null && comparePositions(last, head) >= 0)
            void feed.stop().then(resolve, reject);
        },
      );
      // An empty store, or a rebuild resumed at the head, has nothing to read.
      if (head === null || runners.every((r) => r.checkpoint !== null && comparePositions(r.checkpoint, head) >= 0))
        resolve();
      else feed.start();
    });
    for (const runner of runners) {
      await this.readStore.promote(runner.projection.name, runner.record.generation);
      await this.dropRetired(runner.projection);
    }
    onProgress?.({ processed, fraction: 1, position: head });
    return { processed };
  }

  /** Resolves once the live projections have read up to `position` (or after `timeoutMs`); true if they did. */
  waitFor(position: Position, timeoutMs: number): Promise<boolean> {
    return this.seen.waitFor(position, timeoutMs);
  }

  async status(): Promise<ProjectionStatus[]> {
    const head = await this.store.headPosition();
    const out: ProjectionStatus[] = [];
    for (const projection of this.projections) {
      for (const record of await this.readStore.generations(projection.name)) {
        const caughtUp =
          head === null || (record.checkpoint !== null && comparePositions(record.checkpoint, head) >= 0);
        let lagMs = 0;
        if (!caughtUp) {
          const [oldest] = await this.store.readAll({ from: record.checkpoint ?? 'start', maxCount: 1 });
          if (oldest) lagMs = Math.max(0, this.clock.now().getTime() - oldest.created.getTime());
        }
        out.push({
          projection: projection.name,
          version: record.version,
          generation: record.generation,
          state: record.state,
          checkpoint: record.checkpoint,
          head,
          caughtUp,
          lagMs,
        });
      }
    }
    return out;
  }
}

/**
 * Applies a sequence of events to fresh generations of `projections` in `readStore`, outside any
 * engine: the as-of views (the tree and directory as they stood at a past time) are built this
 * way in a throwaway store, with `keep` choosing the events that count.
 */
export async function projectInto(
  readStore: ReadStore,
  projections: readonly AnyProjection[],
  pages: AsyncIterable<readonly RecordedEvent[]>,
  keep: (envelope: EventEnvelope) => boolean,
): Promise<void> {
  const runners: GenerationRunner[] = [];
  for (const projection of projections) {
    const record: GenerationRecord = {
      projection: projection.name,
      generation: 1,
      version: projection.version,
      checkpoint: null,
      state: 'ACTIVE',
    };
    await readStore.ensureCollections(
      projection.collections.map((c) => ({ ...c, name: physicalName(projection.name, 1, c.name) })),
    );
    await readStore.saveGeneration(record);
    runners.push(new GenerationRunner(projection, record, readStore));
  }
  for await (const page of pages) {
    for (const event of page) {
      const wanted = runners.some((r) => r.reads.has(event.type));
      const envelope = wanted ? fromRecordedEvent(event) : null;
      const kept = envelope !== null && keep(envelope) ? envelope : null;
      for (const runner of runners) await runner.apply(event, kept && runner.reads.has(event.type) ? kept : null);
    }
    for (const runner of runners) await runner.flush();
  }
}

/** Pages of `$all` from the start, optionally filtered. */
export async function* pagesOfAll(
  store: EventStore,
  filter?: { streamPrefixes: string[] },
  pageSize = 4096,
): AsyncGenerator<RecordedEvent[]> {
  let from: Position | 'start' = 'start';
  for (;;) {
    const page = await store.readAll({ from, maxCount: pageSize, ...(filter ? { filter } : {}) });
    if (page.length === 0) return;
    yield page;
    from = page[page.length - 1].position;
  }
}
