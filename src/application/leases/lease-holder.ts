/**
 * Runs a singleton worker only while this instance holds its lease (issue 25). Every third of the
 * lease's TTL it tries to acquire the lease (when not holding it) or renews it (when holding it);
 * when it acquires, the worker starts in the new term; when a renewal is refused (the term is over:
 * another instance took over after this one stalled) or cannot be made before expiry, the worker
 * stops. A clean stop releases the lease, so that another instance takes over at once.
 */
import { leaseDecider, leaseStream } from '../../domain/lease/lease.decider';
import { DomainError } from '../../domain/shared/domain-error';
import type { DeciderCommandRunner } from '../commands/decider-command-runner';
import type { Clock } from '../ports/clock.port';
import type { OperationLog } from '../ports/operation-log.port';

/** The worker a lease guards: started in a term (its fencing token), stopped when the term ends. */
export interface LeasedWorker {
  start(term: number): Promise<void>;
  stop(): Promise<void>;
}

export interface LeaseSettings {
  readonly jurisdiction: string;
  /** The worker's name: its lease stream is Lease-<jurisdiction>-<lease>. */
  readonly lease: string;
  /** This instance (host, process, a random part): never reused by another process. */
  readonly holder: string;
  readonly ttlMs: number;
  /** Told when this instance acquires the lease (its term) or stops holding it (null): the metrics. */
  readonly onChange?: (term: number | null) => void;
}

export class LeaseHolder {
  private term: number | null = null;
  private expiresAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly runner: DeciderCommandRunner,
    private readonly worker: LeasedWorker,
    private readonly settings: LeaseSettings,
    private readonly clock: Clock,
    private readonly log: OperationLog,
  ) {}

  /** The term this instance holds, or null. */
  get heldTerm(): number | null {
    return this.term;
  }

  /** Tries once now (the worker starts before this resolves when the lease is free), then keeps trying. */
  async start(): Promise<void> {
    await this.serialized(() => this.tick());
    this.timer = setInterval(
      () => void this.serialized(() => this.tick()),
      Math.max(100, Math.floor(this.settings.ttlMs / 3)),
    );
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.serialized(async () => {
      const term = this.term;
      if (term === null) return;
      this.term = null;
      this.settings.onChange?.(null);
      await this.worker.stop();
      await this.execute({ type: 'ReleaseLease', data: { ...this.identity(), term } }).catch(() => undefined);
    });
  }

  private serialized(work: () => Promise<void>): Promise<void> {
    const next = this.chain.then(work, work);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private identity() {
    return { lease: this.settings.lease, holder: this.settings.holder };
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const { ttlMs } = this.settings;
    const started = this.clock.now().getTime();
    try {
      const command =
        this.term === null
          ? ({ type: 'AcquireLease', data: { ...this.identity(), ttlMs } } as const)
          : ({ type: 'RenewLease', data: { ...this.identity(), term: this.term, ttlMs } } as const);
      const [event] = (await this.execute(command)).events;
      this.expiresAt = started + ttlMs;
      if (this.term === null && event && event.data.term !== undefined) {
        this.term = (event.data as { term: number }).term;
        this.log.info(`已取得工作进程 ${this.settings.lease} 的租约（第 ${this.term} 任期）`);
        this.settings.onChange?.(this.term);
        await this.worker.start(this.term);
      }
    } catch (error) {
      if (error instanceof DomainError && error.code === 'LEASE_HELD') return;
      if (this.term === null) {
        this.log.warn(
          `租约 ${this.settings.lease} 未能取得：${error instanceof Error ? error.message : String(error)}`,
        );
        return;
      }
      const lost = error instanceof DomainError && error.code === 'LEASE_LOST';
      // A renewal not made: once the lease may have expired, another instance may run the worker.
      if (lost || this.clock.now().getTime() >= this.expiresAt) await this.depose(lost ? error.message : '续约超时');
    }
  }

  private async depose(why: string): Promise<void> {
    this.log.warn(`工作进程 ${this.settings.lease} 的租约已失去（${why}），停止运行`);
    this.term = null;
    this.settings.onChange?.(null);
    await this.worker.stop();
  }

  private execute(command: Parameters<typeof leaseDecider.decide>[0]) {
    return this.runner.run(leaseDecider, leaseStream(this.settings.jurisdiction, this.settings.lease), command, {
      actor: { accountId: `lease:${this.settings.holder}`, role: 'SYSTEM' },
      jurisdiction: this.settings.jurisdiction,
    });
  }
}
