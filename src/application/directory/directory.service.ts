/**
 * Tags, the directory matrix and contact requests (001b:10-11). A contact request is allowed where
 * the matrix gives SEARCH_ADD between the two people's classes, unless the asked person's own
 * contact mode makes them not addable.
 */
import {
  contactRequestDecider,
  contactRequestStream,
  type ContactRequestCommand,
  type ContactRequestEvent,
  type ContactRequestState,
} from '../../domain/contact-request/contact-request.decider';
import {
  type ContactModeName,
  directoryPolicyDecider,
  type DirectoryPolicyEvent,
  type DirectoryPolicyState,
  directoryPolicyStream,
  type Matrix,
} from '../../domain/directory-policy/directory-policy.decider';
import { type TagCommand, type TagEvent, type TagState, tagDecider, tagStream } from '../../domain/tag/tag.decider';
import { DomainError } from '../../domain/shared/domain-error';
import { type CommandMetadata, type DeciderCommandRunner, loadAggregate } from '../commands/decider-command-runner';
import type { EventStore } from '../event-store/event-store.port';
import type { PersonService } from '../person/person.service';

export class ActorIsNotAPerson extends DomainError {
  readonly code = 'ACTOR_IS_NOT_A_PERSON';
  readonly kind = 'unprocessable';
  constructor() {
    super('此操作须由人员本人账号办理（请求未标明操作人员）');
  }
}

export class DirectoryService {
  constructor(
    private readonly runner: DeciderCommandRunner,
    private readonly store: EventStore,
    private readonly people: PersonService,
    private readonly jurisdiction: string,
  ) {}

  tag(command: TagCommand, metadata: CommandMetadata) {
    return this.runner.run(tagDecider, tagStream(command.data.tagId), command, metadata);
  }

  async loadTag(tagId: string): Promise<TagState> {
    return (await loadAggregate<TagEvent, TagState>(this.store, tagDecider, tagStream(tagId))).state;
  }

  async loadContactRequest(requestId: string): Promise<ContactRequestState> {
    return (
      await loadAggregate<ContactRequestEvent, ContactRequestState>(
        this.store,
        contactRequestDecider,
        contactRequestStream(requestId),
      )
    ).state;
  }

  setMatrix(matrix: Matrix, metadata: CommandMetadata) {
    return this.runner.run(
      directoryPolicyDecider,
      directoryPolicyStream(this.jurisdiction),
      { type: 'SetDirectoryMatrix', data: { matrix } },
      metadata,
    );
  }

  async matrix(): Promise<Matrix> {
    return (
      await loadAggregate<DirectoryPolicyEvent, DirectoryPolicyState>(
        this.store,
        directoryPolicyDecider,
        directoryPolicyStream(this.jurisdiction),
      )
    ).state.matrix;
  }

  /** The mode from `fromPersonId` towards `toPersonId`, before contact requests. */
  async modeBetween(fromPersonId: string, toPersonId: string): Promise<ContactModeName> {
    const [from, to, matrix] = await Promise.all([
      this.people.load(fromPersonId),
      this.people.load(toPersonId),
      this.matrix(),
    ]);
    if (from.state.status !== 'ACTIVE' || to.state.status !== 'ACTIVE') return 'NONE';
    if (to.state.contactMode && !to.state.contactMode.addable) return 'NONE';
    return matrix[from.state.directoryClass][to.state.directoryClass];
  }

  async requestContact(
    request: { requestId: string; toPersonId: string; message?: string | null },
    metadata: CommandMetadata,
  ) {
    const fromPersonId = metadata.actor.personId;
    if (!fromPersonId) throw new ActorIsNotAPerson();
    const mode = await this.modeBetween(fromPersonId, request.toPersonId);
    const command: ContactRequestCommand = { type: 'RequestContact', data: { ...request, fromPersonId, mode } };
    return this.runner.run(contactRequestDecider, contactRequestStream(request.requestId), command, metadata);
  }

  answerContact(type: 'AcceptContact' | 'DeclineContact', requestId: string, metadata: CommandMetadata) {
    const byPersonId = metadata.actor.personId;
    if (!byPersonId) throw new ActorIsNotAPerson();
    return this.runner.run(
      contactRequestDecider,
      contactRequestStream(requestId),
      { type, data: { requestId, byPersonId } },
      metadata,
    );
  }
}
