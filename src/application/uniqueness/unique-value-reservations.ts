/**
 * Uniqueness across aggregates without a multi-stream transaction (EventStoreDB has none): one
 * reservation stream per value, `UniqueValue-<kind>-<sha256 of the value>`, claimed with an
 * expected revision. Two concurrent registrations of one mobile race on the same stream and only
 * one append succeeds. The value itself never appears in a stream name or an event.
 *
 * A claim left behind by a command that failed after reserving (a crash between the two appends)
 * is recognised as stale and taken over: its holder does not actually hold the value, and the
 * claim is older than a grace period. A younger claim belongs to a command still under way (its
 * holder's stream may not exist yet) and counts as held.
 */
import { createHash } from 'node:crypto';
import { DomainError } from '../../domain/shared/domain-error';
import { WrongExpectedVersionError } from '../event-store/event-store.errors';
import { type EventStore, NO_STREAM, type RecordedEvent } from '../ports/event-store.port';
import type { Clock } from '../ports/clock.port';
import type { EnvelopeMetadata } from '../event-store/event-envelope';
import type { JsonObject } from '../event-store/json';
import type { IdGenerator } from '../ports/id-generator.port';

export type UniqueKind = 'Mobile' | 'IdNumber' | 'LoginName' | 'UserAccount' | 'AdminAccount';

/**
 * The refusals name no holder: who holds a mobile or an ID number is controlled information
 * (000:15), and naming the holder would let anyone test numbers against the directory.
 */
const TAKEN: Record<UniqueKind, { code: string; message: string }> = {
  Mobile: { code: 'MOBILE_ALREADY_IN_USE', message: '该手机号码已被在职人员使用' },
  IdNumber: { code: 'ID_NUMBER_ALREADY_REGISTERED', message: '该身份证号已登记' },
  LoginName: { code: 'LOGIN_NAME_ALREADY_IN_USE', message: '该登录名已被使用' },
  // 一人一号: one user account per person.
  UserAccount: { code: 'PERSON_ALREADY_HAS_USER_ACCOUNT', message: '该人员已有用户账号（一人一号）' },
  // And one admin account per person (a system admin's or a tiered admin's, 000:6): scopes are added to it.
  AdminAccount: {
    code: 'PERSON_ALREADY_HAS_ADMIN_ACCOUNT',
    message: '该人员已有管理员账号，管理范围请在该账号上增加（一人一个管理员账号）',
  },
};

export class ValueAlreadyTaken extends DomainError {
  readonly kind = 'conflict';
  readonly code: string;
  constructor(kind: UniqueKind) {
    super(TAKEN[kind].message);
    this.code = TAKEN[kind].code;
  }
}

/** Does `holderId` really hold `value` now? Answered from the holder's own stream. */
export type HolderCheck = (kind: UniqueKind, holderId: string, value: string) => Promise<boolean>;

/** How long a claim counts as held while its command is still under way. */
export const CLAIM_GRACE_MS = 60_000;

export class UniqueValueReservations {
  constructor(
    private readonly store: EventStore,
    private readonly ids: IdGenerator,
    private readonly holds: HolderCheck,
    private readonly clock: Clock,
  ) {}

  /** Is the claim recorded in `claim` still someone else's? */
  private async heldByOther(
    kind: UniqueKind,
    claim: RecordedEvent,
    holderId: string,
    value: string,
  ): Promise<string | null> {
    if (claim.type !== 'UniqueValueReserved') return null;
    const current = claim.data.holderId as string;
    if (current === holderId) return null;
    const claimedAt = Date.parse(String(claim.metadata.recordedAt));
    const recent = Number.isNaN(claimedAt) || this.clock.now().getTime() - claimedAt < CLAIM_GRACE_MS;
    return recent || (await this.holds(kind, current, value)) ? current : null;
  }

  static streamOf(jurisdiction: string, kind: UniqueKind, value: string): string {
    // The jurisdiction is hashed in: uniqueness holds within one jurisdiction.
    return `UniqueValue-${kind}-${createHash('sha256').update(`${jurisdiction}\u0000${value}`).digest('hex')}`;
  }

  /** Read-only: throws if `value` is held by someone else, so a refused command writes nothing. */
  async check(kind: UniqueKind, value: string, holderId: string, jurisdiction: string): Promise<void> {
    const [last] = await this.store.readStream(UniqueValueReservations.streamOf(jurisdiction, kind, value), {
      direction: 'backwards',
      maxCount: 1,
    });
    const other = last ? await this.heldByOther(kind, last, holderId, value) : null;
    if (other) throw new ValueAlreadyTaken(kind);
  }

  /** Claims `value` for `holderId`; a no-op if it already holds it. */
  async reserve(kind: UniqueKind, value: string, holderId: string, envelope: EnvelopeMetadata): Promise<void> {
    const stream = UniqueValueReservations.streamOf(envelope.jurisdiction, kind, value);
    // A value never claimed (the usual case) is claimed without a read first: the append expects no
    // stream, and a stream that exists, whoever holds it, sends the claim through the read below.
    try {
      await this.store.append(stream, [this.event('UniqueValueReserved', kind, holderId, envelope)], NO_STREAM);
      return;
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
    }
    for (let attempt = 0; attempt < 10; attempt++) {
      const [last] = await this.store.readStream(stream, { direction: 'backwards', maxCount: 1 });
      if (last?.type === 'UniqueValueReserved' && last.data.holderId === holderId) return;
      const other = last ? await this.heldByOther(kind, last, holderId, value) : null;
      if (other) throw new ValueAlreadyTaken(kind);
      try {
        await this.store.append(
          stream,
          [this.event('UniqueValueReserved', kind, holderId, envelope)],
          last ? last.revision : NO_STREAM,
        );
        return;
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
      }
    }
    throw new ValueAlreadyTaken(kind);
  }

  /** Gives `value` up if `holderId` holds the claim. */
  async release(kind: UniqueKind, value: string, holderId: string, envelope: EnvelopeMetadata): Promise<void> {
    const stream = UniqueValueReservations.streamOf(envelope.jurisdiction, kind, value);
    for (let attempt = 0; attempt < 10; attempt++) {
      const [last] = await this.store.readStream(stream, { direction: 'backwards', maxCount: 1 });
      if (last?.type !== 'UniqueValueReserved' || last.data.holderId !== holderId) return;
      try {
        await this.store.append(stream, [this.event('UniqueValueReleased', kind, holderId, envelope)], last.revision);
        return;
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
      }
    }
  }

  private event(
    type: 'UniqueValueReserved' | 'UniqueValueReleased',
    kind: UniqueKind,
    holderId: string,
    envelope: EnvelopeMetadata,
  ) {
    return { eventId: this.ids.next(), type, data: { kind, holderId }, metadata: envelope as unknown as JsonObject };
  }

  /** As `holding`, for a command that only validates (writes nothing): the claims checked, none taken. */
  async checking<T>(
    claims: ReadonlyArray<readonly [UniqueKind, string]>,
    holderId: string,
    jurisdiction: string,
    command: () => Promise<T>,
  ): Promise<T> {
    for (const [kind, value] of claims) await this.check(kind, value, holderId, jurisdiction);
    return command();
  }

  /**
   * As `holding`, the claims reserved at once rather than one after the other (a value held by
   * someone else is refused by `reserve` itself): for many commands at a time, whose appends then
   * share the store's commits. The claims taken are given back if any fails or the command does.
   */
  async holdingTogether<T>(
    claims: ReadonlyArray<readonly [UniqueKind, string]>,
    holderId: string,
    envelope: EnvelopeMetadata,
    command: () => Promise<T>,
  ): Promise<T> {
    const reserved = await Promise.allSettled(
      claims.map(([kind, value]) => this.reserve(kind, value, holderId, envelope)),
    );
    const taken = claims.filter((_, i) => reserved[i].status === 'fulfilled');
    try {
      const refused = reserved.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (refused) throw refused.reason;
      return await command();
    } catch (error) {
      await Promise.all(taken.map(([kind, value]) => this.release(kind, value, holderId, envelope)));
      throw error;
    }
  }

  /**
   * Runs `command` holding claims on `claims` for `holderId`: every claim is checked before
   * anything is written, then reserved; if the command fails, the claims it took are given back,
   * so a refused command does not block the values.
   */
  async holding<T>(
    claims: ReadonlyArray<readonly [UniqueKind, string]>,
    holderId: string,
    envelope: EnvelopeMetadata,
    command: () => Promise<T>,
  ): Promise<T> {
    for (const [kind, value] of claims) await this.check(kind, value, holderId, envelope.jurisdiction);
    const taken: Array<readonly [UniqueKind, string]> = [];
    try {
      for (const [kind, value] of claims) {
        await this.reserve(kind, value, holderId, envelope);
        taken.push([kind, value]);
      }
      return await command();
    } catch (error) {
      for (const [kind, value] of taken) await this.release(kind, value, holderId, envelope);
      throw error;
    }
  }
}
