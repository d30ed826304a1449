/**
 * The main thread's side of the projection worker (projection-worker.ts): starts it, wakes it on
 * every commit of the service's event store, follows how far it has read, and answers `waitFor`
 * for read-your-writes. If the worker dies it is started again: it resumes from its checkpoints,
 * which are committed with its documents, so nothing is lost or applied twice.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Position } from '../../application/event-store/position';
import { ReadPosition } from '../../application/projections/read-position';
import type { OperationLog } from '../../application/ports/operation-log.port';
import type { ProjectionProgress } from '../../application/projections/read-models';
import type { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store';

export interface WorkerSettings {
  readonly eventsFile: string;
  readonly readModelsFile: string;
  readonly timeZone: string;
  readonly batchSize: number;
  readonly pollIntervalMs: number;
  /** The `projections` lease term the worker's commits are fenced by. */
  readonly term?: number;
}

export type WorkerMessage =
  | { readonly kind: 'seen'; readonly position: Position | null }
  | { readonly kind: 'started' }
  | { readonly kind: 'stopped' }
  | { readonly kind: 'failed'; readonly message: string }
  | { readonly kind: 'log'; readonly level: 'info' | 'error'; readonly message: string };

/** The worker's file beside this one: TypeScript when run from the sources (tests, benches), JavaScript when built. */
function workerEntry(): { file: string; execArgv: string[] } {
  const typescript = __filename.endsWith('.ts');
  return {
    file: join(__dirname, `projection-worker.${typescript ? 'ts' : 'js'}`),
    execArgv: typescript ? ['-r', '@swc-node/register'] : [],
  };
}

export class ProjectionWorker implements ProjectionProgress {
  private worker: Worker | null = null;
  private readonly seen = new ReadPosition();
  private stopping = false;
  private unsubscribe: (() => void) | null = null;
  private term: number | undefined;

  constructor(
    private readonly settings: WorkerSettings,
    private readonly store: SqliteEventStore,
    private readonly log: OperationLog,
  ) {}

  /** Resolves once the worker has started its feeds (its first generation may still be building). */
  async start(term?: number): Promise<void> {
    this.term = term;
    this.stopping = false;
    this.unsubscribe = this.store.onCommitted(() => this.worker?.postMessage('committed'));
    await this.spawn();
  }

  private spawn(): Promise<void> {
    const { file, execArgv } = workerEntry();
    const worker = new Worker(file, { workerData: { ...this.settings, term: this.term }, execArgv });
    this.worker = worker;
    return new Promise<void>((resolve, reject) => {
      worker.on('message', (message: WorkerMessage) => {
        switch (message.kind) {
          case 'seen':
            this.seen.advance(message.position);
            return;
          case 'started':
            resolve();
            return;
          case 'failed':
            this.log.error(`读模型投影线程启动失败：${message.message}`);
            reject(new Error(message.message));
            return;
          case 'log':
            if (message.level === 'error') this.log.error(message.message);
            else this.log.info(message.message);
            return;
          case 'stopped':
            return;
        }
      });
      worker.on('error', (error) => this.log.error(`读模型投影线程出错：${error.message}`));
      worker.on('exit', (code) => {
        if (this.worker === worker) this.worker = null;
        if (this.stopping) return;
        // Restarted from its checkpoints: what it had committed stays, what it had not is read again.
        this.log.error(`读模型投影线程退出（${code}），重新启动`);
        setTimeout(() => void this.spawn().catch(() => undefined), 1000).unref();
      });
    });
  }

  waitFor(position: Position, timeoutMs: number): Promise<boolean> {
    return this.seen.waitFor(position, timeoutMs);
  }

  /** For tests: ends the worker abruptly, as a crash would (it is started again). */
  async crash(): Promise<void> {
    await this.worker?.terminate();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.unsubscribe?.();
    const worker = this.worker;
    if (worker) {
      const stopped = new Promise<void>((resolve) => {
        worker.once('exit', () => resolve());
        worker.on('message', (message: WorkerMessage) => {
          if (message.kind === 'stopped') void worker.terminate();
        });
      });
      worker.postMessage('stop');
      await stopped;
    }
    this.seen.releaseAll();
  }
}
