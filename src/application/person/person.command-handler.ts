/**
 * Every person command, in one place: the Person stream is read once, the issuer authorized on
 * that state, the node facts the decider needs resolved from the org tree, mobile numbers kept
 * unique among ACTIVE persons and ID numbers among all persons through reservation streams, and
 * every change's timeliness (lag in working days) recorded.
 */
import type { Permission } from '../../domain/access/access-policy';
import { assertHrNotice } from '../../domain/person/hr-notice';
import { assertIdNumber, assertMobile } from '../../domain/person/identity';
import {
  type PersonCommand,
  type PersonEvent,
  type PersonState,
  type Profile,
  personDecider,
  personStream,
} from '../../domain/person/person.decider';
import { NO_REQUIRED_REQUESTS, assertDirectAllowed, type RequestRules } from '../../domain/request/request-rules';
import { AccessControl } from '../access/access-control';
import type { BusCommandHandler, Issuer } from '../commands/command-bus';
import {
  type CommandMetadata,
  type CommandOutcome,
  type DeciderCommandRunner,
  envelopeOf,
  type LoadedStream,
  preparedOnce,
} from '../commands/decider-command-runner';
import type { EventStore } from '../ports/event-store.port';
import type { OrgTree } from '../org-node/org-tree';
import type { OrgTreeState } from '../../domain/org-node/org-node.decider';
import type { Clock } from '../ports/clock.port';
import type { IdGenerator } from '../ports/id-generator.port';
import { type UniqueKind, UniqueValueReservations } from '../uniqueness/unique-value-reservations';
import type { ExecutePersonCommand, PersonRequest, RegisterNewPeople, RegistrationResult } from './person.commands';
import { withNodeFacts } from './person-facts';
import { loadPerson } from './person.load';

type Claims = Array<[UniqueKind, string]>;

export class PersonCommandHandler implements BusCommandHandler<ExecutePersonCommand> {
  readonly reservations: UniqueValueReservations;

  constructor(
    private readonly runner: DeciderCommandRunner,
    private readonly store: EventStore,
    private readonly tree: OrgTree,
    private readonly access: AccessControl,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly requests: RequestRules = NO_REQUIRED_REQUESTS,
  ) {
    const holds = async (kind: UniqueKind, holderId: string, value: string) => {
      const { state } = await loadPerson(store, holderId);
      if (state.status === 'NONE') return false;
      return kind === 'Mobile' ? state.status === 'ACTIVE' && state.mobile === value : state.idNumber === value;
    };
    this.reservations = new UniqueValueReservations(store, ids, holds, clock);
  }

  async execute({ request, metadata, issuer }: ExecutePersonCommand): Promise<CommandOutcome<PersonEvent>> {
    if (issuer.kind === 'PRINCIPAL') assertDirectAllowed(this.requests, 'Person', request.type);
    const m: CommandMetadata = {
      ...metadata,
      correlationId: metadata.correlationId ?? this.ids.next(),
      recordTimeliness: true,
    };
    const stream = personStream(request.data.personId);
    const loaded = await this.runner.load(personDecider, stream);
    const prepare = this.prepareOf(request, metadata, issuer);
    switch (request.type) {
      case 'RegisterPerson':
      case 'UpdatePersonProfile':
      case 'ReinstatePerson':
        return this.withReservations(request, loaded, prepare, m);
      case 'RecordDeparture': {
        const outcome = await this.runner.run(personDecider, stream, prepare, m, loaded);
        if (m.validateOnly) return outcome;
        const { state } = await this.runner.load(personDecider, stream);
        // Mobiles are unique among ACTIVE persons only: a departed person's number is free again.
        if (state.status === 'LEFT') {
          await this.reservations.release('Mobile', state.mobile, state.personId, this.envelope(m));
        }
        return outcome;
      }
      default:
        return this.runner.run(personDecider, stream, prepare, m, loaded);
    }
  }

  /**
   * RegisterNewPeople: people planned as new (the bulk import's rows), decided and reserved
   * together. Their streams are not read: each is appended as new (NO_STREAM), so one registered
   * meanwhile after all is refused like any conflicting registration. Every registration is
   * authorized, checked and reserved as RegisterPerson is; each answers on its own.
   */
  async registerNew({ registrations, metadata, issuer }: RegisterNewPeople): Promise<RegistrationResult[]> {
    const initial: LoadedStream<PersonState> = { state: personDecider.initialState(), revision: null, position: null };
    return Promise.all(
      registrations.map(async ({ data, effectiveAt }): Promise<RegistrationResult> => {
        const request = { type: 'RegisterPerson' as const, data };
        const m: CommandMetadata = {
          ...metadata,
          effectiveAt: effectiveAt ?? metadata.effectiveAt,
          correlationId: metadata.correlationId ?? this.ids.next(),
          recordTimeliness: true,
        };
        try {
          const prepare = this.prepareOf(request, metadata, issuer);
          return { outcome: await this.withReservations(request, initial, prepare, m, 'together') };
        } catch (error) {
          return { refused: error };
        }
      }),
    );
  }

  /** Turns the request into the decider's command on a loaded state: authorized, with the facts it needs. */
  private prepareOf(
    request: PersonRequest,
    metadata: CommandMetadata,
    issuer: Issuer,
  ): (state: PersonState) => Promise<PersonCommand> {
    return async (state) => {
      // One look at the tree serves the permission (positions) and the decider's facts (node statuses).
      const { state: tree } = await this.tree.load();
      await this.access.check(issuer, () => this.permission(request, state, tree));
      // The platform's own steps carry the notice of the decision that caused them (a restructuring's plan).
      if (issuer.kind === 'PRINCIPAL') assertHrNotice(request.type, metadata);
      return this.withSuccessor(withNodeFacts(request, tree));
    };
  }

  /** The permission a request needs, judged on the person as just loaded. */
  private async permission(request: PersonRequest, state: PersonState, tree: OrgTreeState): Promise<Permission> {
    const ofPerson = (action: string, alsoNodes: readonly string[] = []) =>
      this.access.person(action, state, alsoNodes, tree);
    switch (request.type) {
      case 'RegisterPerson':
        return this.access.unit('登记人员', [request.data.primaryPost.orgNodeId], tree);
      case 'ReinstatePerson':
        return this.access.unit('恢复人员', [request.data.primaryPost.orgNodeId], tree);
      case 'UpdatePersonProfile':
        return this.profilePermission(state, request.data.changes, tree);
      // The node a command posts into is checked like a transfer's destination.
      case 'ChangePost':
        return ofPerson('调整职务', [request.data.orgNodeId]);
      case 'TransferPerson':
        return ofPerson('办理调动', [request.data.to.orgNodeId]);
      case 'StartSecondment':
        return ofPerson('办理借调', [request.data.post.orgNodeId]);
      case 'EndSecondment':
        return ofPerson('结束借调');
      case 'AssignConcurrentPost':
        return ofPerson('办理兼任', [request.data.post.orgNodeId]);
      case 'RelieveConcurrentPost':
        return ofPerson('免去兼任');
      case 'RecordDeparture':
        return ofPerson('办理离岗');
      case 'SetDirectoryClass':
        return ofPerson('设置通讯录类别');
      case 'SetContactMode':
        return ofPerson('设置联系方式可见性');
    }
  }

  /** Admins of the person's unit; the person themself for the office phone alone, where the jurisdiction allows it. */
  private async profilePermission(state: PersonState, changes: object, tree: OrgTreeState): Promise<Permission> {
    const admin = await this.access.person('修改人员信息', state, [], tree);
    const keys = Object.keys(changes);
    const phoneOnly = keys.length > 0 && keys.every((key) => key === 'officePhone');
    if (!phoneOnly || !this.access.usersEditOwnOfficePhone) return admin;
    const personId = state.status === 'NONE' ? null : state.personId;
    return AccessControl.anyOf(admin, { kind: 'SELF', action: '修改办公电话', personId });
  }

  /**
   * Commands that claim a unique value: decided once on the loaded state without writing, so that a
   * refused command reserves nothing; then the values are reserved and the command appended.
   */
  private async withReservations(
    request: Extract<PersonRequest, { type: 'RegisterPerson' | 'UpdatePersonProfile' | 'ReinstatePerson' }>,
    loaded: LoadedStream<PersonState>,
    prepare: (state: PersonState) => Promise<PersonCommand>,
    m: CommandMetadata,
    claiming: 'one by one' | 'together' = 'one by one',
  ): Promise<CommandOutcome<PersonEvent>> {
    const { state } = loaded;
    const personId = request.data.personId;
    const today = this.clock.now().toISOString().slice(0, 10);
    const command = await prepare(state);
    // Checked here too so that a malformed number is refused before anything is reserved.
    const claims = this.claimsOf(request, state, today);
    this.runner.precheck(personDecider, command, state, m);
    const stream = personStream(personId);
    const run = () => this.runner.run(personDecider, stream, preparedOnce(command, prepare), m, loaded);
    const outcome = m.validateOnly
      ? await this.reservations.checking(claims, personId, m.jurisdiction, run)
      : claiming === 'together'
        ? await this.reservations.holdingTogether(claims, personId, this.envelope(m), run)
        : await this.reservations.holding(claims, personId, this.envelope(m), run);
    if (m.validateOnly) return outcome;
    // A changed profile frees the values it replaced once the change is recorded.
    if (request.type === 'UpdatePersonProfile' && state.status === 'ACTIVE') {
      for (const [kind] of claims) {
        const old = kind === 'Mobile' ? state.mobile : state.idNumber;
        await this.reservations.release(kind, old, personId, this.envelope(m));
      }
    }
    return outcome;
  }

  private claimsOf(
    request: Extract<PersonRequest, { type: 'RegisterPerson' | 'UpdatePersonProfile' | 'ReinstatePerson' }>,
    state: PersonState,
    today: string,
  ): Claims {
    if (request.type === 'RegisterPerson') {
      return [
        ['IdNumber', assertIdNumber(request.data.idNumber, today)],
        ['Mobile', assertMobile(request.data.mobile)],
      ];
    }
    if (request.type === 'ReinstatePerson') return state.status === 'LEFT' ? [['Mobile', state.mobile]] : [];
    const changes: Partial<Profile> = request.data.changes;
    const claims: Claims = [];
    if (state.status !== 'ACTIVE') return claims;
    if (changes.mobile !== undefined) {
      const mobile = assertMobile(changes.mobile);
      if (mobile !== state.mobile) claims.push(['Mobile', mobile]);
    }
    if (changes.idNumber !== undefined) {
      const idNumber = assertIdNumber(changes.idNumber, today);
      if (idNumber !== state.idNumber) claims.push(['IdNumber', idNumber]);
    }
    return claims;
  }

  /** The successor's status as their stream says, whatever the request says. */
  private async withSuccessor(command: PersonCommand): Promise<PersonCommand> {
    if (command.type !== 'RecordDeparture' && command.type !== 'TransferPerson') return command;
    const { successorId } = command.data;
    if (!successorId) return { ...command, data: { ...command.data, successorStatus: undefined } } as PersonCommand;
    const { state } = await loadPerson(this.store, successorId);
    return { ...command, data: { ...command.data, successorStatus: state.status } } as PersonCommand;
  }

  private envelope(metadata: CommandMetadata) {
    return envelopeOf(metadata, this.clock.now(), metadata.correlationId ?? this.ids.next());
  }
}

/** RegisterNewPeople on the bus: the person handler's registerNew. */
export class RegisterNewPeopleHandler implements BusCommandHandler<RegisterNewPeople> {
  constructor(private readonly people: PersonCommandHandler) {}

  execute(command: RegisterNewPeople): Promise<RegistrationResult[]> {
    return this.people.registerNew(command);
  }
}
