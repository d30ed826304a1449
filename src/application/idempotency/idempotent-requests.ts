/**
 * Idempotency keys (HTTP `Idempotency-Key`): a retried request is answered with the first answer
 * and never applied twice. Each key has a stream, `Idempotency-<sha256(jurisdiction, account, key)>`:
 * the first request claims it with NO_STREAM (so two concurrent retries cannot both run), then
 * records its answer. A request that failed unexpectedly records nothing final and may be retried.
 */
import { createHash } from 'node:crypto';
import { DomainError } from '../../domain/shared/domain-error';
import { WrongExpectedVersionError } from '../event-store/event-store.errors';
import { type EventStore, NO_STREAM } from '../ports/event-store.port';
import type { JsonObject } from '../event-store/json';
import type { Clock } from '../ports/clock.port';
import type { IdGenerator } from '../ports/id-generator.port';

export interface RecordedAnswer {
  readonly status: number;
  readonly body: JsonObject;
  readonly etag: string | null;
}

export class IdempotencyKeyReused extends DomainError {
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
  readonly kind = 'unprocessable';
  constructor() {
    super('该幂等键已用于另一请求（路径或内容不同），请为新请求使用新的幂等键');
  }
}

export class IdempotentRequestInProgress extends DomainError {
  readonly code = 'IDEMPOTENT_REQUEST_IN_PROGRESS';
  readonly kind = 'conflict';
  constructor() {
    super('使用该幂等键的请求正在处理中，请稍后重试');
  }
}

/** A claim older than this whose request never answered is taken over (its process died). */
const ABANDONED_AFTER_MS = 60_000;

export class IdempotentRequests {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  static fingerprint(method: string, path: string, body: unknown): string {
    return createHash('sha256')
      .update(`${method} ${path}\n${JSON.stringify(body ?? null)}`)
      .digest('hex');
  }

  /**
   * Runs `execute` once per key. `execute` returns the answer to record, or throws; a thrown
   * error whose answer `answerFor` can state (a 4xx) is recorded too, and rethrown.
   */
  async run(
    scope: { jurisdiction: string; accountId: string; key: string; fingerprint: string },
    execute: () => Promise<RecordedAnswer>,
    answerFor: (error: unknown) => RecordedAnswer | null,
  ): Promise<{ answer: RecordedAnswer; replayed: boolean }> {
    const stream = `Idempotency-${createHash('sha256').update(`${scope.jurisdiction}\u0000${scope.accountId}\u0000${scope.key}`).digest('hex')}`;
    const history = await this.store.readStream(stream);
    const last = history.at(-1);
    if (last) {
      if (last.data.fingerprint !== scope.fingerprint) throw new IdempotencyKeyReused();
      if (last.type === 'IdempotentRequestAnswered')
        return { answer: last.data.answer as unknown as RecordedAnswer, replayed: true };
      const claimedAt = Date.parse(String(last.data.claimedAt));
      if (last.type === 'IdempotentRequestClaimed' && this.clock.now().getTime() - claimedAt < ABANDONED_AFTER_MS)
        throw new IdempotentRequestInProgress();
    }
    const event = (type: string, data: JsonObject) => ({
      eventId: this.ids.next(),
      type,
      data: { fingerprint: scope.fingerprint, ...data },
      metadata: { jurisdiction: scope.jurisdiction, accountId: scope.accountId },
    });
    let revision: bigint;
    try {
      revision = (
        await this.store.append(
          stream,
          [event('IdempotentRequestClaimed', { claimedAt: this.clock.now().toISOString() })],
          last ? last.revision : NO_STREAM,
        )
      ).nextExpectedRevision;
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) throw new IdempotentRequestInProgress();
      throw error;
    }
    let answer: RecordedAnswer;
    try {
      answer = await execute();
    } catch (error) {
      const stated = answerFor(error);
      await this.store.append(
        stream,
        [
          event(
            stated ? 'IdempotentRequestAnswered' : 'IdempotentRequestAbandoned',
            stated ? { answer: stated as unknown as JsonObject } : {},
          ),
        ],
        revision,
      );
      throw error;
    }
    await this.store.append(
      stream,
      [event('IdempotentRequestAnswered', { answer: answer as unknown as JsonObject })],
      revision,
    );
    return { answer, replayed: false };
  }
}
