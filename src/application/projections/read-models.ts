/**
 * How queries reach the read models: through the ACTIVE generation of each projection (so a
 * rebuild in progress is never read), optionally after waiting until the projections have read
 * up to a position the client saw (read-your-writes after a command).
 */
import { parsePosition } from '../event-store/position';
import {
  activeGeneration,
  type Doc,
  type Filter,
  type FindOptions,
  physicalName,
  type ReadStore,
} from '../ports/read-store.port';
import type { Position } from '../event-store/position';

/** How far the live projections have read: the engine in this process, or the projection worker. */
export interface ProjectionProgress {
  /** Resolves once the live projections have read up to `position` (or after `timeoutMs`); true if they did. */
  waitFor(position: Position, timeoutMs: number): Promise<boolean>;
}

export class ReadModelNotReady extends Error {
  readonly code = 'READ_MODEL_NOT_READY';
  constructor(projection: string) {
    super(`读模型 ${projection} 正在首次构建，请稍后再试`);
  }
}

export class ReadModelBehind extends Error {
  readonly code = 'READ_MODEL_BEHIND';
  constructor(position: string) {
    super(`读模型尚未处理到位置 ${position}，请稍后再试`);
  }
}

const GENERATION_TTL_MS = 1000;

export class ReadModels {
  private readonly active = new Map<string, { generation: number; until: number }>();

  constructor(
    readonly store: ReadStore,
    private readonly engine: ProjectionProgress | null,
    private readonly now: () => number,
  ) {}

  private async generation(projection: string): Promise<number> {
    const cached = this.active.get(projection);
    if (cached && cached.until > this.now()) return cached.generation;
    const active = activeGeneration(await this.store.generations(projection));
    if (!active) throw new ReadModelNotReady(projection);
    this.active.set(projection, { generation: active.generation, until: this.now() + GENERATION_TTL_MS });
    return active.generation;
  }

  async collection(projection: string, collection: string): Promise<string> {
    return physicalName(projection, await this.generation(projection), collection);
  }

  async get(projection: string, collection: string, id: string): Promise<Doc | null> {
    return this.store.get(await this.collection(projection, collection), id);
  }

  async getMany(projection: string, collection: string, ids: readonly string[]): Promise<Doc[]> {
    return this.store.getMany(await this.collection(projection, collection), ids);
  }

  async find(projection: string, collection: string, filter?: Filter, options?: FindOptions): Promise<Doc[]> {
    return this.store.find(await this.collection(projection, collection), filter, options);
  }

  async count(projection: string, collection: string, filter?: Filter): Promise<number> {
    return this.store.count(await this.collection(projection, collection), filter);
  }

  /** Waits (up to `timeoutMs`) until the live projections have read the event at `position`. */
  async consistentWith(position: string | undefined, timeoutMs = 5000): Promise<void> {
    if (!position || !this.engine) return;
    const target = parsePosition(position);
    this.active.clear();
    if (!(await this.engine.waitFor(target, timeoutMs))) throw new ReadModelBehind(position);
  }
}
