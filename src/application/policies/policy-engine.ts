/**
 * Runs the policies and the scheduler of date-driven ones.
 *
 * One ordered feed of `$all` (only the event types the policies and their lookups use): each event
 * first updates the lookups, then goes to every policy that handles it and has not handled it yet.
 * Each policy keeps a durable checkpoint (stream `PolicyCheckpoint-<jurisdiction>-<policy>`),
 * advanced in memory after it has handled an event and written every CHECKPOINT_EVERY events, at
 * the end of the catch-up, a moment after the feed goes quiet, and on stop (one append per event
 * was 5,990 appends for a fresh store's catch-up: issue 20). A crash before a checkpoint is
 * written means those events are handled again on restart; policies are idempotent, so nothing
 * happens twice.
 * The lookups live in memory and are rebuilt from the start of the feed on every start.
 *
 * The scheduler runs after the catch-up and then every interval: secondments whose `until` has
 * come end on that date, temporary accounts past expiry close at their expiry, also when the
 * service was down at the time (the event carries the true effective date).
 */
import { ExecuteRequestCommand } from '../request/request.commands';
import { ExecuteTagCommand } from '../directory/directory.commands';
import { ExecuteOrgNodeCommand } from '../org-node/org-node.commands';
import { DomainError } from '../../domain/shared/domain-error';
import { ExecuteAccountCommand } from '../account/account.commands';
import { ExecuteAppCommand } from '../app-registration/app-registration.commands';
import { byPlatform, type CommandBus } from '../commands/command-bus';
import { type CommandMetadata, envelopeOf } from '../commands/decider-command-runner';
import { ExecutePersonCommand } from '../person/person.commands';
import { loadPerson } from '../person/person.load';
import { ExecuteWorkGroupCommand } from '../work-group/work-group.commands';
import { type EventEnvelope, fromRecordedEvent } from '../event-store/event-envelope';
import { ANY, type EventStore, NO_STREAM, type RecordedEvent, type Subscription } from '../ports/event-store.port';
import { WrongExpectedVersionError } from '../event-store/event-store.errors';
import type { JsonObject } from '../event-store/json';
import type { Position } from '../event-store/position';
import type { Clock } from '../ports/clock.port';
import type { IdGenerator } from '../ports/id-generator.port';
import { localDate } from '../calendar/working-days';
import type { Policy, PolicyServices } from './policies';
import type { PolicyLookups } from '../ports/policy-lookups.port';
import type { OperationLog } from '../ports/operation-log.port';
import { NO_TRACING, type Tracing } from '../ports/tracing.port';

export type PolicyLog = OperationLog;

export interface PolicyEngineOptions {
  readonly jurisdiction: string;
  readonly timeZone: string;
  readonly schedulerIntervalMs: number;
  /** Pause before retrying an event whose handling failed for a reason other than a business rule. */
  readonly retryDelayMs?: number;
  readonly pageSize?: number;
  /** Each event's handling is a span of the trace the event carries (default: nothing traced). */
  readonly tracing?: Tracing;
}

const CHECKPOINT_EVENT = 'PolicyCheckpointAdvanced';
/** A policy's checkpoint is written at least every this many handled events… */
const CHECKPOINT_EVERY = 256;
/** …and this long after the last one handled. */
const CHECKPOINT_DELAY_MS = 200;
export const SCHEDULER_NAME = 'scheduler';

class Stopped extends Error {}

/** How long after its approval a request's change may still be under way in the approving call. */
const EXECUTION_GRACE_MS = 30_000;

export class PolicyEngine {
  private readonly checkpoints = new Map<string, Position | null>();
  /** Under a lease: the term, and each checkpoint stream's revision as this engine last wrote it. */
  private term: number | null = null;
  private readonly revisions = new Map<string, bigint | typeof NO_STREAM>();
  /** Checkpoints advanced in memory and not yet written, with how many events since the last write. */
  private readonly unsaved = new Map<string, { position: Position; count: number }>();
  private checkpointTimer: NodeJS.Timeout | null = null;
  private subscription: Subscription | null = null;
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopping = false;
  private lock: Promise<unknown> = Promise.resolve();
  private lastPosition: Position | null = null;
  private caughtUpResolve!: () => void;
  /** Resolves once the feed has been read up to where it stood at start and the first schedule has run. */
  readonly caughtUp: Promise<void> = new Promise((resolve) => (this.caughtUpResolve = resolve));

  constructor(
    private readonly store: EventStore,
    private readonly commands: CommandBus,
    private readonly reads: Pick<PolicyServices, 'store' | 'tree' | 'lookups'>,
    private readonly policies: readonly Policy[],
    private readonly lookups: PolicyLookups,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly log: PolicyLog,
    private readonly options: PolicyEngineOptions,
  ) {}

  private get tracing(): Tracing {
    return this.options.tracing ?? NO_TRACING;
  }

  private checkpointStream(policy: string): string {
    return `PolicyCheckpoint-${this.options.jurisdiction}-${policy}`;
  }

  private get eventTypes(): string[] {
    return [...new Set([...this.lookups.eventTypes, ...this.policies.flatMap((p) => p.handles)])];
  }

  /**
   * `term`: the lease term this engine runs in (issue 25). The engine then claims each checkpoint
   * stream for its term first, and writes its checkpoints at the revision it knows: a deposed
   * engine's late checkpoint is refused (the stream has moved on), and it stops.
   */
  async start(term?: number): Promise<void> {
    for (const policy of this.policies) {
      const stream = this.checkpointStream(policy.name);
      const [last] = await this.store.readStream(stream, { direction: 'backwards', maxCount: 1 });
      const position = last ? (last.data.position as Position | null) : null;
      this.checkpoints.set(policy.name, position);
      if (term === undefined) continue;
      this.revisions.set(policy.name, last ? last.revision : NO_STREAM);
      this.term = term;
      await this.saveCheckpoint(policy.name, position);
    }
    this.running = this.run().catch((error) => {
      if (!(error instanceof Stopped))
        this.log.error(`策略引擎停止：${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    if (this.checkpointTimer) clearTimeout(this.checkpointTimer);
    await this.subscription?.close();
    await this.running;
    await this.lock.catch(() => undefined);
    await this.writeCheckpoints().catch((error) =>
      this.log.error(
        `策略检查点未写入（重启后将重放，策略幂等）：${error instanceof Error ? error.message : String(error)}`,
      ),
    );
  }

  /** Position of the last event the engine has taken in (tests wait on it). */
  get position(): Position | null {
    return this.lastPosition;
  }

  /** Resolves when every event up to the store's current head has been handled. */
  async settled(): Promise<void> {
    await this.caughtUp;
    const head = await this.store.headPosition();
    const [lastRelevant] = head
      ? await this.store.readAll({ direction: 'backwards', maxCount: 1, filter: { eventTypes: this.eventTypes } })
      : [];
    while (
      lastRelevant &&
      (this.lastPosition === null || this.lastPosition < lastRelevant.position) &&
      !this.stopping
    ) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await this.exclusive(async () => undefined);
  }

  private async run(): Promise<void> {
    const filter = { eventTypes: this.eventTypes };
    const pageSize = this.options.pageSize ?? 500;
    let from: Position | 'start' = 'start';
    for (;;) {
      const page = await this.store.readAll({ from, maxCount: pageSize, filter });
      for (const recorded of page) await this.exclusive(() => this.process(recorded));
      // The catch-up reads synchronously: let requests in between pages (at start-up the lookups
      // are folded from the whole history, and a service that never turned stalled for seconds).
      await new Promise((resolve) => setImmediate(resolve));
      if (page.length > 0) from = page[page.length - 1].position;
      if (page.length < pageSize || this.stopping) break;
    }
    if (this.stopping) return;
    await this.exclusive(() => this.writeCheckpoints());
    await this.exclusive(() => this.schedule());
    this.caughtUpResolve();
    this.timer = setInterval(
      () => void this.exclusive(() => this.schedule()).catch(() => undefined),
      this.options.schedulerIntervalMs,
    );
    this.subscription = this.store.subscribeToAll({ from, filter });
    for await (const recorded of this.subscription) {
      if (this.stopping) break;
      await this.exclusive(() => this.process(recorded));
    }
  }

  /** The feed and the scheduler never run at the same time: both read and change the lookups' world. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const next = this.lock.then(work, work);
    this.lock = next.catch(() => undefined);
    return next;
  }

  private metadataFor(
    policy: string,
    cause: { eventId: string; correlationId: string; effectiveAt: string; traceparent?: string | null },
    reason: string | null = null,
  ): CommandMetadata {
    return {
      actor: { accountId: `policy:${policy}`, role: 'SYSTEM' },
      jurisdiction: this.options.jurisdiction,
      effectiveAt: cause.effectiveAt,
      causationId: cause.eventId,
      correlationId: cause.correlationId,
      reason,
      ...(cause.traceparent ? { traceparent: cause.traceparent } : {}),
    };
  }

  private servicesFor(policy: string): PolicyServices {
    const issuer = byPlatform(`policy:${policy}`);
    return {
      ...this.reads,
      account: (request, metadata) => new ExecuteAccountCommand(request, metadata, issuer),
      person: (request, metadata) => new ExecutePersonCommand(request, metadata, issuer),
      workGroup: (request, metadata) => new ExecuteWorkGroupCommand(request, metadata, issuer),
      orgNode: (request, metadata) => new ExecuteOrgNodeCommand(request, metadata, issuer),
      tag: (request, metadata) => new ExecuteTagCommand(request, metadata, issuer),
      app: (request, metadata) => new ExecuteAppCommand(request, metadata, issuer),
      request: (request, metadata) => new ExecuteRequestCommand(request, metadata, issuer),
      attempt: async (what, command) => {
        try {
          await this.commands.execute(command);
        } catch (error) {
          // A rule refusing the command means there is nothing left to do (the thing is gone or already changed).
          if (!(error instanceof DomainError)) throw error;
          this.log.warn(`策略 ${policy}：${what} 未执行（${error.code}：${error.message}）`);
        }
      },
    };
  }

  private async process(recorded: RecordedEvent): Promise<void> {
    const event = fromRecordedEvent(recorded);
    this.lookups.apply(event);
    for (const policy of this.policies) {
      if (!policy.handles.includes(event.type)) continue;
      const checkpoint = this.checkpoints.get(policy.name) ?? null;
      if (checkpoint !== null && recorded.position <= checkpoint) continue;
      await this.handleWithRetry(policy, event);
      await this.advanceCheckpoint(policy.name, recorded.position);
    }
    this.lastPosition = recorded.position;
  }

  private async handleWithRetry(policy: Policy, event: EventEnvelope): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      if (this.stopping) throw new Stopped();
      try {
        // The policy's work continues the trace of the event it handles; what it writes carries its span.
        const attributes = { 'gov.policy': policy.name, 'gov.event.type': event.type, 'gov.event.id': event.eventId };
        await this.tracing.span(`policy ${policy.name}`, 'internal', event.traceparent, attributes, (traceparent) =>
          policy.handle(event, this.servicesFor(policy.name), this.metadataFor(policy.name, { ...event, traceparent })),
        );
        return;
      } catch (error) {
        // Never skip an event: a store outage is waited out, the event is handled when it is back.
        this.log.error(
          `策略 ${policy.name} 处理事件 ${event.eventId}（${event.type}）失败，第 ${attempt} 次，稍后重试：${error instanceof Error ? error.message : String(error)}`,
        );
        await new Promise((resolve) =>
          setTimeout(resolve, Math.min((this.options.retryDelayMs ?? 1000) * attempt, 30_000)),
        );
      }
    }
  }

  private async advanceCheckpoint(policy: string, position: Position): Promise<void> {
    this.checkpoints.set(policy, position);
    const count = (this.unsaved.get(policy)?.count ?? 0) + 1;
    this.unsaved.set(policy, { position, count });
    if (count >= CHECKPOINT_EVERY) {
      await this.writeCheckpoint(policy);
      return;
    }
    this.checkpointTimer ??= setTimeout(() => {
      this.checkpointTimer = null;
      if (!this.stopping)
        void this.exclusive(() => this.writeCheckpoints()).catch((error) =>
          this.log.error(`策略检查点写入失败，稍后重试：${error instanceof Error ? error.message : String(error)}`),
        );
    }, CHECKPOINT_DELAY_MS);
  }

  private async writeCheckpoints(): Promise<void> {
    for (const policy of [...this.unsaved.keys()]) await this.writeCheckpoint(policy);
  }

  private async writeCheckpoint(policy: string): Promise<void> {
    const unsaved = this.unsaved.get(policy);
    if (!unsaved) return;
    await this.saveCheckpoint(policy, unsaved.position);
    // Only what was written is forgotten: an event handled meanwhile stays to be written.
    if (this.unsaved.get(policy) === unsaved) this.unsaved.delete(policy);
  }

  private async saveCheckpoint(policy: string, position: Position | null): Promise<void> {
    const metadata = envelopeOf(
      { actor: { accountId: `policy:${policy}`, role: 'SYSTEM' }, jurisdiction: this.options.jurisdiction },
      this.clock.now(),
      this.ids.next(),
    );
    const expected = this.term === null ? ANY : (this.revisions.get(policy) ?? NO_STREAM);
    const data: JsonObject = this.term === null ? { position } : { position, term: this.term };
    try {
      const result = await this.store.append(
        this.checkpointStream(policy),
        [{ eventId: this.ids.next(), type: CHECKPOINT_EVENT, data, metadata: metadata as unknown as JsonObject }],
        expected,
      );
      if (this.term !== null) this.revisions.set(policy, result.nextExpectedRevision);
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError) || this.term === null) throw error;
      // Another instance claimed the checkpoint in a later term: this engine was deposed.
      this.log.warn(`策略引擎第 ${this.term} 任期已被接替，检查点未写入，停止处理`);
      this.stopping = true;
      void this.subscription?.close();
      throw new Stopped();
    }
  }

  /** The date-driven policies: what has fallen due by now ends or closes, effective when it fell due. */
  private async schedule(): Promise<void> {
    if (this.stopping) return;
    const now = this.clock.now();
    const today = localDate(now, this.options.timeZone);
    try {
      const s = this.servicesFor('secondment-schedule');
      for (const due of this.lookups.secondmentsDueBy(today)) {
        const { state: person } = await loadPerson(s.store, due.personId);
        if (
          person.status === 'NONE' ||
          !person.posts.some((p) => p.kind === 'SECONDMENT' && p.orgNodeId === due.orgNodeId && p.until === due.until)
        )
          continue;
        const metadata = this.metadataFor(
          'secondment-schedule',
          { eventId: due.causationId, correlationId: due.correlationId, effectiveAt: due.until },
          '借调期满',
        );
        await s.attempt(
          `结束借调 ${due.personId}@${due.orgNodeId}`,
          s.person({ type: 'EndSecondment', data: { personId: due.personId, orgNodeId: due.orgNodeId } }, metadata),
        );
      }
      const e = this.servicesFor('temporary-account-expiry');
      for (const due of this.lookups.expiriesDueBy(now.toISOString())) {
        const metadata = this.metadataFor(
          'temporary-account-expiry',
          { eventId: due.causationId, correlationId: due.correlationId, effectiveAt: due.expiresAt },
          '临时账号到期',
        );
        const close = e.account(
          { type: 'CloseAccount', data: { accountId: due.accountId, reason: 'EXPIRED' } },
          metadata,
        );
        await e.attempt(`注销到期临时账号 ${due.accountId}`, close);
      }
      // 000:9 及时向上一级管理员报告: a step past its due date goes one level up (its admins may then decide it).
      const r = this.servicesFor('request-escalation');
      for (const due of this.lookups.requestStepsOverdueOn(today)) {
        const metadata = this.metadataFor(
          'request-escalation',
          { eventId: due.causationId, correlationId: due.correlationId, effectiveAt: now.toISOString() },
          '超过办理期限，报上一级管理员',
        );
        const escalate = r.request(
          { type: 'EscalateRequestStep', data: { requestId: due.requestId, step: due.step } },
          metadata,
        );
        await r.attempt(`上报超期申请 ${due.requestId}`, escalate);
      }
      // An approval whose change was not recorded a while later: the process stopped in between. Carried out
      // now (idempotent: a change already made is found by its cause); the approval's own attempt has long ended.
      const x = this.servicesFor('request-execution');
      const settled = new Date(now.getTime() - EXECUTION_GRACE_MS).toISOString();
      for (const pending of this.lookups.executionsPendingSince(settled)) {
        const metadata = this.metadataFor(
          'request-execution',
          { eventId: pending.causationId, correlationId: pending.correlationId, effectiveAt: now.toISOString() },
          '审批通过后未办结，继续办理',
        );
        const execute = x.request({ type: 'ExecuteApprovedRequest', data: { requestId: pending.requestId } }, metadata);
        await x.attempt(`继续办理已批准的申请 ${pending.requestId}`, execute);
      }
    } catch (error) {
      this.log.error(`定时任务失败，下次重试：${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
