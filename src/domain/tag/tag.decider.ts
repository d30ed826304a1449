/**
 * Tag (标签), stream `Tag-<tagId>`: a label on persons and org nodes that apps use to address
 * groups of people, shareable with other units (001b:11).
 */
import { eventTypes, type Decider } from '../shared/decider';
import { DomainError } from '../shared/domain-error';

export class TagNotFound extends DomainError {
  readonly code = 'TAG_NOT_FOUND';
  readonly kind = 'unprocessable';
  constructor(tagId: string) {
    super(`标签 ${tagId} 不存在或已删除`, { tagId });
  }
}
export class TagAlreadyExists extends DomainError {
  readonly code = 'TAG_ALREADY_EXISTS';
  readonly kind = 'conflict';
  constructor(tagId: string) {
    super(`标签编号 ${tagId} 已被使用`, { tagId });
  }
}
export class InvalidTagName extends DomainError {
  readonly code = 'INVALID_TAG_NAME';
  readonly kind = 'unprocessable';
  constructor(name: string) {
    super(`标签名称“${String(name).slice(0, 40)}”无效：应为 1–32 个字符`, { name: String(name).slice(0, 40) });
  }
}
export class EmptyTagMemberList extends DomainError {
  readonly code = 'EMPTY_TAG_MEMBER_LIST';
  readonly kind = 'unprocessable';
  constructor() {
    super('请至少指定一名人员或一个组织');
  }
}

/** 001b:11: a tag names people on post and org nodes that exist; the application reads their status. */
export class TagMemberNotActive extends DomainError {
  readonly code = 'TAG_MEMBER_NOT_ACTIVE';
  readonly kind = 'conflict';
  constructor(ids: readonly string[]) {
    super(`以下人员或组织不存在、已离职或已撤并，不能加入标签：${ids.slice(0, 10).join('、')}`, { ids: [...ids] });
  }
}

/** Fact: the status of each person and node an AddTagMembers names ('ACTIVE' or anything else). */
export type TagMemberFacts = Readonly<Record<string, string>>;

export interface TagMembers {
  readonly personIds: readonly string[];
  readonly orgNodeIds: readonly string[];
}

export type TagState =
  | { readonly status: 'NONE' }
  | {
      readonly status: 'ACTIVE' | 'DELETED';
      readonly tagId: string;
      readonly name: string;
      readonly description: string | null;
      readonly ownerOrgNodeId: string;
      readonly members: TagMembers;
      readonly sharedOrgNodeIds: readonly string[];
    };

export type TagCommand =
  | { type: 'CreateTag'; data: { tagId: string; name: string; description?: string | null; ownerOrgNodeId: string } }
  | { type: 'EditTag'; data: { tagId: string; name?: string; description?: string | null } }
  | { type: 'DeleteTag'; data: { tagId: string } }
  | { type: 'AddTagMembers'; data: { tagId: string; statuses?: TagMemberFacts } & Partial<TagMembers> }
  | { type: 'RemoveTagMembers'; data: { tagId: string } & Partial<TagMembers> }
  | { type: 'SetTagSharedOrgs'; data: { tagId: string; orgNodeIds: readonly string[] } };

export type TagEvent =
  | { type: 'TagCreated'; data: { tagId: string; name: string; description: string | null; ownerOrgNodeId: string } }
  | {
      type: 'TagEdited';
      data: {
        tagId: string;
        changes: { name?: { from: string; to: string }; description?: { from: string | null; to: string | null } };
      };
    }
  | { type: 'TagDeleted'; data: { tagId: string } }
  | { type: 'TagMembersAdded'; data: { tagId: string; personIds: string[]; orgNodeIds: string[] } }
  | { type: 'TagMembersRemoved'; data: { tagId: string; personIds: string[]; orgNodeIds: string[] } }
  | { type: 'TagSharedOrgsChanged'; data: { tagId: string; from: string[]; to: string[] } };

/** Every Tag event type, checked exhaustive by the compiler. */
export const TAG_EVENT_TYPES = eventTypes<TagEvent>({
  TagCreated: true,
  TagEdited: true,
  TagDeleted: true,
  TagMembersAdded: true,
  TagMembersRemoved: true,
  TagSharedOrgsChanged: true,
});

export const tagStream = (tagId: string) => `Tag-${tagId}`;

function tagName(name: string): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (trimmed.length === 0 || [...trimmed].length > 32) throw new InvalidTagName(name);
  return trimmed;
}

function activeTag(state: TagState, tagId: string) {
  if (state.status !== 'ACTIVE') throw new TagNotFound(tagId);
  return state;
}

const unique = (ids: readonly string[] | undefined) => [...new Set(ids ?? [])];

export function decide(command: TagCommand, state: TagState): TagEvent[] {
  const { tagId } = command.data;
  switch (command.type) {
    case 'CreateTag':
      if (state.status !== 'NONE') throw new TagAlreadyExists(tagId);
      return [
        {
          type: 'TagCreated',
          data: {
            tagId,
            name: tagName(command.data.name),
            description: command.data.description?.trim() || null,
            ownerOrgNodeId: command.data.ownerOrgNodeId,
          },
        },
      ];
    case 'EditTag': {
      const tag = activeTag(state, tagId);
      const changes: Extract<TagEvent, { type: 'TagEdited' }>['data']['changes'] = {};
      if (command.data.name !== undefined) {
        const name = tagName(command.data.name);
        if (name !== tag.name) changes.name = { from: tag.name, to: name };
      }
      if (command.data.description !== undefined) {
        const description = command.data.description?.trim() || null;
        if (description !== tag.description) changes.description = { from: tag.description, to: description };
      }
      return Object.keys(changes).length === 0 ? [] : [{ type: 'TagEdited', data: { tagId, changes } }];
    }
    case 'DeleteTag':
      activeTag(state, tagId);
      return [{ type: 'TagDeleted', data: { tagId } }];
    case 'AddTagMembers': {
      const tag = activeTag(state, tagId);
      const personIds = unique(command.data.personIds);
      const orgNodeIds = unique(command.data.orgNodeIds);
      if (personIds.length + orgNodeIds.length === 0) throw new EmptyTagMemberList();
      // Facts absent: the caller is the platform replaying its own decision (never an issuer's request).
      const statuses = command.data.statuses;
      const inactive = statuses ? [...personIds, ...orgNodeIds].filter((id) => statuses[id] !== 'ACTIVE') : [];
      if (inactive.length > 0) throw new TagMemberNotActive(inactive);
      const added = {
        personIds: personIds.filter((id) => !tag.members.personIds.includes(id)),
        orgNodeIds: orgNodeIds.filter((id) => !tag.members.orgNodeIds.includes(id)),
      };
      return added.personIds.length + added.orgNodeIds.length === 0
        ? []
        : [{ type: 'TagMembersAdded', data: { tagId, ...added } }];
    }
    case 'RemoveTagMembers': {
      const tag = activeTag(state, tagId);
      const personIds = unique(command.data.personIds);
      const orgNodeIds = unique(command.data.orgNodeIds);
      if (personIds.length + orgNodeIds.length === 0) throw new EmptyTagMemberList();
      const removed = {
        personIds: personIds.filter((id) => tag.members.personIds.includes(id)),
        orgNodeIds: orgNodeIds.filter((id) => tag.members.orgNodeIds.includes(id)),
      };
      return removed.personIds.length + removed.orgNodeIds.length === 0
        ? []
        : [{ type: 'TagMembersRemoved', data: { tagId, ...removed } }];
    }
    case 'SetTagSharedOrgs': {
      const tag = activeTag(state, tagId);
      const to = unique(command.data.orgNodeIds).sort();
      if (JSON.stringify(to) === JSON.stringify(tag.sharedOrgNodeIds)) return [];
      return [{ type: 'TagSharedOrgsChanged', data: { tagId, from: [...tag.sharedOrgNodeIds], to } }];
    }
  }
}

export function evolve(state: TagState, event: TagEvent): TagState {
  if (event.type === 'TagCreated')
    return { status: 'ACTIVE', ...event.data, members: { personIds: [], orgNodeIds: [] }, sharedOrgNodeIds: [] };
  if (state.status === 'NONE') return state;
  switch (event.type) {
    case 'TagEdited':
      return {
        ...state,
        name: event.data.changes.name?.to ?? state.name,
        description: event.data.changes.description ? event.data.changes.description.to : state.description,
      };
    case 'TagDeleted':
      return { ...state, status: 'DELETED' };
    case 'TagMembersAdded':
      return {
        ...state,
        members: {
          personIds: [...state.members.personIds, ...event.data.personIds],
          orgNodeIds: [...state.members.orgNodeIds, ...event.data.orgNodeIds],
        },
      };
    case 'TagMembersRemoved':
      return {
        ...state,
        members: {
          personIds: state.members.personIds.filter((id) => !event.data.personIds.includes(id)),
          orgNodeIds: state.members.orgNodeIds.filter((id) => !event.data.orgNodeIds.includes(id)),
        },
      };
    case 'TagSharedOrgsChanged':
      return { ...state, sharedOrgNodeIds: event.data.to };
  }
}

export const tagDecider: Decider<TagCommand, TagEvent, TagState> = {
  initialState: () => ({ status: 'NONE' }),
  decide: (command, state) => decide(command, state),
  evolve,
};
