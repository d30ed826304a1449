/**
 * Person commands: resolves the facts the Person decider needs (node statuses from the org tree),
 * keeps mobile numbers unique among ACTIVE persons and ID numbers unique among all persons through
 * reservation streams, and records every change's timeliness (lag in working days).
 */
import { fold } from '../../domain/shared/decider';
import type { PostInput, Profile } from '../../domain/person/person.decider';
import {
  type PersonCommand,
  type PersonEvent,
  type PersonState,
  personDecider,
  personStream,
} from '../../domain/person/person.decider';
import { assertIdNumber, assertMobile } from '../../domain/person/identity';
import {
  type CommandMetadata,
  type CommandOutcome,
  type DeciderCommandRunner,
  envelopeOf,
} from '../commands/decider-command-runner';
import { domainEventsOf } from '../event-store/event-envelope';
import type { EventStore } from '../event-store/event-store.port';
import type { Clock } from '../ports/clock';
import type { IdGenerator } from '../ports/id-generator';
import { effectiveLocalDate } from '../ports/working-day-calendar';
import type { OrgTreeService } from '../org-tree/org-tree.service';
import { type UniqueKind, UniqueValueReservations } from '../uniqueness/unique-value-reservations';

/** A person command as a client sends it: without the node facts, which this service resolves. */
export type PersonRequest<T extends PersonCommand['type']> = Omit<Extract<PersonCommand, { type: T }>['data'], 'nodes'>;

export class PersonService {
  readonly reservations: UniqueValueReservations;

  constructor(
    private readonly runner: DeciderCommandRunner,
    private readonly store: EventStore,
    private readonly tree: OrgTreeService,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {
    this.reservations = new UniqueValueReservations(
      store,
      ids,
      (kind, holderId, value) => this.holds(kind, holderId, value),
      clock,
    );
  }

  /**
   * The person as recorded. With `effectiveOn`, only the changes in effect on that date count
   * (bitemporal: a future-dated change takes effect on its date); the revision stays the
   * recorded one, since that is what a conditional write (If-Match) is checked against.
   */
  async load(
    personId: string,
    effectiveOn?: { date: string; timeZone: string },
  ): Promise<{ state: PersonState; revision: bigint | null }> {
    const recorded = await this.store.readStream(personStream(personId));
    const events = domainEventsOf<PersonEvent>(
      recorded,
      (e) => !effectiveOn || effectiveLocalDate(e.effectiveAt, effectiveOn.timeZone) <= effectiveOn.date,
    );
    return { state: fold(personDecider, events), revision: recorded.at(-1)?.revision ?? null };
  }

  private async holds(kind: UniqueKind, holderId: string, value: string): Promise<boolean> {
    const { state } = await this.load(holderId);
    if (state.status === 'NONE') return false;
    return kind === 'Mobile' ? state.status === 'ACTIVE' && state.mobile === value : state.idNumber === value;
  }

  private run(command: PersonCommand, metadata: CommandMetadata): Promise<CommandOutcome<PersonEvent>> {
    return this.runner.run(personDecider, personStream(command.data.personId), command, {
      ...metadata,
      recordTimeliness: true,
    });
  }

  /** Decides once without writing, so that a command the decider refuses reserves nothing. */
  private async precheck(command: PersonCommand, metadata: CommandMetadata): Promise<void> {
    const { state } = await this.load(command.data.personId);
    const now = this.clock.now();
    personDecider.decide(command, state, {
      now,
      effectiveAt: metadata.effectiveAt ?? now.toISOString(),
      actor: metadata.actor,
    });
  }

  private withCorrelation(metadata: CommandMetadata): CommandMetadata {
    return metadata.correlationId ? metadata : { ...metadata, correlationId: this.ids.next() };
  }

  private envelope(metadata: CommandMetadata) {
    return envelopeOf(metadata, this.clock.now(), metadata.correlationId ?? this.ids.next());
  }

  private withClaims(
    claims: Array<[UniqueKind, string]>,
    personId: string,
    metadata: CommandMetadata,
    command: () => Promise<CommandOutcome<PersonEvent>>,
  ): Promise<CommandOutcome<PersonEvent>> {
    return this.reservations.holding(claims, personId, this.envelope(metadata), command);
  }

  async register(request: PersonRequest<'RegisterPerson'>, metadata: CommandMetadata) {
    const m = this.withCorrelation(metadata);
    const today = this.clock.now().toISOString().slice(0, 10);
    // Checked here too so that a malformed number is refused before anything is reserved.
    const idNumber = assertIdNumber(request.idNumber, today);
    const mobile = assertMobile(request.mobile);
    const nodes = await this.tree.nodeFacts([request.primaryPost.orgNodeId]);
    const command: PersonCommand = { type: 'RegisterPerson', data: { ...request, nodes } };
    await this.precheck(command, m);
    return this.withClaims(
      [
        ['IdNumber', idNumber],
        ['Mobile', mobile],
      ],
      request.personId,
      m,
      () => this.run(command, m),
    );
  }

  async updateProfile(request: PersonRequest<'UpdatePersonProfile'>, metadata: CommandMetadata) {
    const m = this.withCorrelation(metadata);
    const { state } = await this.load(request.personId);
    const changes: Partial<Profile> = request.changes;
    const claims: Array<[UniqueKind, string]> = [];
    if (state.status === 'ACTIVE' && changes.mobile !== undefined) {
      const mobile = assertMobile(changes.mobile);
      if (mobile !== state.mobile) claims.push(['Mobile', mobile]);
    }
    if (state.status === 'ACTIVE' && changes.idNumber !== undefined) {
      const idNumber = assertIdNumber(changes.idNumber, this.clock.now().toISOString().slice(0, 10));
      if (idNumber !== state.idNumber) claims.push(['IdNumber', idNumber]);
    }
    const command: PersonCommand = { type: 'UpdatePersonProfile', data: request };
    await this.precheck(command, m);
    const outcome = await this.withClaims(claims, request.personId, m, () => this.run(command, m));
    // The old values are free once the change is recorded.
    if (state.status === 'ACTIVE') {
      for (const [kind] of claims)
        await this.reservations.release(
          kind,
          kind === 'Mobile' ? state.mobile : state.idNumber,
          request.personId,
          this.envelope(m),
        );
    }
    return outcome;
  }

  changePost(request: PersonRequest<'ChangePost'>, metadata: CommandMetadata) {
    return this.run({ type: 'ChangePost', data: request }, metadata);
  }

  async transfer(request: PersonRequest<'TransferPerson'>, metadata: CommandMetadata) {
    return this.run(
      { type: 'TransferPerson', data: { ...request, nodes: await this.tree.nodeFacts([request.to.orgNodeId]) } },
      metadata,
    );
  }

  async startSecondment(request: PersonRequest<'StartSecondment'>, metadata: CommandMetadata) {
    return this.run(
      { type: 'StartSecondment', data: { ...request, nodes: await this.tree.nodeFacts([request.post.orgNodeId]) } },
      metadata,
    );
  }

  endSecondment(request: PersonRequest<'EndSecondment'>, metadata: CommandMetadata) {
    return this.run({ type: 'EndSecondment', data: request }, metadata);
  }

  async assignConcurrentPost(request: PersonRequest<'AssignConcurrentPost'>, metadata: CommandMetadata) {
    return this.run(
      {
        type: 'AssignConcurrentPost',
        data: { ...request, nodes: await this.tree.nodeFacts([request.post.orgNodeId]) },
      },
      metadata,
    );
  }

  relieveConcurrentPost(request: PersonRequest<'RelieveConcurrentPost'>, metadata: CommandMetadata) {
    return this.run({ type: 'RelieveConcurrentPost', data: request }, metadata);
  }

  async recordDeparture(request: PersonRequest<'RecordDeparture'>, metadata: CommandMetadata) {
    const m = this.withCorrelation(metadata);
    const outcome = await this.run({ type: 'RecordDeparture', data: request }, m);
    const { state } = await this.load(request.personId);
    // Mobiles are unique among ACTIVE persons only: a departed person's number is free again.
    if (state.status === 'LEFT')
      await this.reservations.release('Mobile', state.mobile, request.personId, this.envelope(m));
    return outcome;
  }

  async reinstate(request: PersonRequest<'ReinstatePerson'>, metadata: CommandMetadata) {
    const m = this.withCorrelation(metadata);
    const { state } = await this.load(request.personId);
    const nodes = await this.tree.nodeFacts([request.primaryPost.orgNodeId]);
    const claims: Array<[UniqueKind, string]> = state.status === 'LEFT' ? [['Mobile', state.mobile]] : [];
    const command: PersonCommand = { type: 'ReinstatePerson', data: { ...request, nodes } };
    await this.precheck(command, m);
    return this.withClaims(claims, request.personId, m, () => this.run(command, m));
  }

  setDirectoryClass(request: PersonRequest<'SetDirectoryClass'>, metadata: CommandMetadata) {
    return this.run({ type: 'SetDirectoryClass', data: request }, metadata);
  }

  setContactMode(request: PersonRequest<'SetContactMode'>, metadata: CommandMetadata) {
    return this.run({ type: 'SetContactMode', data: request }, metadata);
  }

  /** Moves a person's post in `fromNode` to `toNode`, as restructuring does (003:11). */
  async rehome(personId: string, fromNode: string, toNode: string, metadata: CommandMetadata): Promise<void> {
    const { state } = await this.load(personId);
    if (state.status !== 'ACTIVE') return;
    const post = state.posts.find((p) => p.orgNodeId === fromNode);
    if (!post) return;
    const atTarget = state.posts.find((p) => p.orgNodeId === toNode);
    const input: PostInput = {
      orgNodeId: toNode,
      title: post.title,
      postLevel: post.postLevel,
      role: post.role,
      order: post.order,
    };
    if (post.kind === 'PRIMARY') {
      // A concurrent post or secondment in the surviving unit gives way to the primary post.
      if (atTarget?.kind === 'CONCURRENT') await this.relieveConcurrentPost({ personId, orgNodeId: toNode }, metadata);
      if (atTarget?.kind === 'SECONDMENT') await this.endSecondment({ personId, orgNodeId: toNode }, metadata);
      await this.transfer({ personId, to: input }, metadata);
      return;
    }
    if (post.kind === 'CONCURRENT') {
      await this.relieveConcurrentPost({ personId, orgNodeId: fromNode }, metadata);
      if (!atTarget) await this.assignConcurrentPost({ personId, post: input }, metadata);
      return;
    }
    await this.endSecondment({ personId, orgNodeId: fromNode }, metadata);
    if (!atTarget && post.from && post.until)
      await this.startSecondment({ personId, post: input, from: post.from, until: post.until }, metadata);
  }
}
