/**
 * The live projections as the worker of the `projections` lease (issue 25): the instance holding
 * the lease feeds the read models, in the projection worker thread (embedded default) or in this
 * thread, fenced by its term; every other instance only reads them, and waits for its own writes
 * by what the read store has committed.
 */
import type { LeasedWorker } from '../../application/leases/lease-holder';
import type { Position } from '../../application/event-store/position';
import type { ProjectionEngine } from '../../application/projections/projection-engine';
import type { ProjectionProgress } from '../../application/projections/read-models';
import type { StoredProgress } from '../../application/projections/stored-progress';
import type { ProjectionWorker } from './projection-worker-client';

export class LeasedProjections implements LeasedWorker, ProjectionProgress {
  private feeding: ProjectionProgress | null = null;

  constructor(
    private readonly engine: ProjectionEngine,
    private readonly worker: ProjectionWorker | null,
    private readonly stored: StoredProgress,
  ) {}

  async start(term: number): Promise<void> {
    if (this.worker) await this.worker.start(term);
    else await this.engine.start(term);
    this.feeding = this.worker ?? this.engine;
  }

  async stop(): Promise<void> {
    this.feeding = null;
    await this.worker?.stop();
    await this.engine.stop();
  }

  waitFor(position: Position, timeoutMs: number): Promise<boolean> {
    return (this.feeding ?? this.stored).waitFor(position, timeoutMs);
  }
}
