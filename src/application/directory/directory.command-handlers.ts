/**
 * Tags, the directory matrix and contact requests (001b:10-11), each stream read once and the
 * issuer authorized on it. A contact request is allowed where the matrix gives SEARCH_ADD between
 * the two people's classes, unless the asked person's own contact mode makes them not addable.
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
  directoryPolicyStream,
  type Matrix,
} from '../../domain/directory-policy/directory-policy.decider';
import { contactModeBetween } from '../../domain/directory-policy/visibility';
import { type TagCommand, type TagEvent, type TagState, tagDecider, tagStream } from '../../domain/tag/tag.decider';
import type { OrgTree } from '../org-node/org-tree';
import { DomainError } from '../../domain/shared/domain-error';
import { AccessControl } from '../access/access-control';
import type { BusCommandHandler } from '../commands/command-bus';
import { type CommandOutcome, type DeciderCommandRunner, loadAggregate } from '../commands/decider-command-runner';
import type { EventStore } from '../ports/event-store.port';
import { loadPerson } from '../person/person.load';
import type { ExecuteContactRequestCommand, ExecuteTagCommand, SetDirectoryMatrix } from './directory.commands';

export class ActorIsNotAPerson extends DomainError {
  readonly code = 'ACTOR_IS_NOT_A_PERSON';
  readonly kind = 'unprocessable';
  constructor() {
    super('此操作须由人员本人账号办理（请求未标明操作人员）');
  }
}

const TAG_ACTIONS = {
  CreateTag: '新建标签',
  EditTag: '编辑标签',
  DeleteTag: '删除标签',
  AddTagMembers: '添加标签成员',
  RemoveTagMembers: '移除标签成员',
  SetTagSharedOrgs: '设置标签共享单位',
} as const;

export class TagCommandHandler implements BusCommandHandler<ExecuteTagCommand> {
  constructor(
    private readonly runner: DeciderCommandRunner,
    private readonly access: AccessControl,
    private readonly store: EventStore,
    private readonly tree: OrgTree,
  ) {}

  /** The status of every person and node an AddTagMembers names, as their streams say. */
  private async withStatuses(request: TagCommand): Promise<TagCommand> {
    if (request.type !== 'AddTagMembers') return request;
    const personIds = [...new Set(request.data.personIds ?? [])];
    const orgNodeIds = [...new Set(request.data.orgNodeIds ?? [])];
    const statuses: Record<string, string> = { ...(await this.tree.nodeFacts(orgNodeIds)) };
    for (const id of personIds) statuses[id] = (await loadPerson(this.store, id)).state.status;
    return { ...request, data: { ...request.data, statuses } };
  }

  execute({ request, metadata, issuer }: ExecuteTagCommand): Promise<CommandOutcome<TagEvent>> {
    const prepare = async (state: TagState) => {
      const owner =
        request.type === 'CreateTag'
          ? request.data.ownerOrgNodeId
          : state.status === 'NONE'
            ? null
            : state.ownerOrgNodeId;
      await this.access.check(issuer, () => this.access.unit(TAG_ACTIONS[request.type], owner ? [owner] : []));
      return this.withStatuses(request);
    };
    return this.runner.run(tagDecider, tagStream(request.data.tagId), prepare, metadata);
  }
}

export class DirectoryMatrixHandler implements BusCommandHandler<SetDirectoryMatrix> {
  constructor(
    private readonly runner: DeciderCommandRunner,
    private readonly access: AccessControl,
    private readonly jurisdiction: string,
  ) {}

  async execute({ request, metadata, issuer }: SetDirectoryMatrix): Promise<CommandOutcome<DirectoryPolicyEvent>> {
    await this.access.check(issuer, () => AccessControl.systemAdmin('设置通讯录可见规则'));
    const command = { type: 'SetDirectoryMatrix' as const, data: { matrix: request.matrix } };
    return this.runner.run(directoryPolicyDecider, directoryPolicyStream(this.jurisdiction), command, metadata);
  }
}

/** The jurisdiction's directory matrix as recorded. */
export async function loadMatrix(store: EventStore, jurisdiction: string): Promise<Matrix> {
  const stream = directoryPolicyStream(jurisdiction);
  return (await loadAggregate(store, directoryPolicyDecider, stream)).state.matrix;
}

export class ContactRequestHandler implements BusCommandHandler<ExecuteContactRequestCommand> {
  constructor(
    private readonly runner: DeciderCommandRunner,
    private readonly store: EventStore,
    private readonly access: AccessControl,
    private readonly jurisdiction: string,
  ) {}

  async execute({
    request,
    metadata,
    issuer,
  }: ExecuteContactRequestCommand): Promise<CommandOutcome<ContactRequestEvent>> {
    const stream = contactRequestStream(request.data.requestId);
    const own =
      issuer.kind === 'PRINCIPAL' && issuer.principal.kind === 'ACCOUNT' ? issuer.principal.account.personId : null;
    const prepare = async (state: ContactRequestState): Promise<ContactRequestCommand> => {
      if (request.type === 'RequestContact') {
        await this.access.check(issuer, () => ({ kind: 'SELF', action: '发起联系请求', personId: own }));
        const fromPersonId = metadata.actor.personId;
        if (!fromPersonId) throw new ActorIsNotAPerson();
        const mode = await this.modeBetween(fromPersonId, request.data.toPersonId);
        return { type: 'RequestContact', data: { ...request.data, fromPersonId, mode } };
      }
      const action = request.type === 'AcceptContact' ? '同意联系请求' : '拒绝联系请求';
      const addressee = state.status === 'NONE' ? null : state.toPersonId;
      await this.access.check(issuer, () => ({ kind: 'SELF', action, personId: addressee }));
      const byPersonId = metadata.actor.personId;
      if (!byPersonId) throw new ActorIsNotAPerson();
      return { type: request.type, data: { requestId: request.data.requestId, byPersonId } };
    };
    return this.runner.run(contactRequestDecider, stream, prepare, metadata);
  }

  /** The mode from `fromPersonId` towards `toPersonId`, before contact requests. */
  private async modeBetween(fromPersonId: string, toPersonId: string): Promise<ContactModeName> {
    const [from, to, matrix] = await Promise.all([
      loadPerson(this.store, fromPersonId),
      loadPerson(this.store, toPersonId),
      loadMatrix(this.store, this.jurisdiction),
    ]);
    const posts = from.state.status === 'NONE' ? [] : from.state.posts.map((post) => post.orgNodeId);
    const inside = new Set((await this.access.positions(posts)).flatMap((position) => position.path));
    return contactModeBetween(from.state, to.state, matrix, inside);
  }
}
