import { DeciderSpecification } from '../../../test/support/decider-specification';
import {
  EmptyTagMemberList,
  InvalidTagName,
  TagAlreadyExists,
  type TagEvent,
  TagNotFound,
  tagDecider,
} from './tag.decider';

const spec = DeciderSpecification.for(tagDecider);
const created: TagEvent = {
  type: 'TagCreated',
  data: { tagId: 't1', name: '应急值班', description: null, ownerOrgNodeId: 'gov' },
};
const members: TagEvent = {
  type: 'TagMembersAdded',
  data: { tagId: 't1', personIds: ['p1', 'p2'], orgNodeIds: ['edu'] },
};
const deleted: TagEvent = { type: 'TagDeleted', data: { tagId: 't1' } };

describe('Tag decider (001b:11)', () => {
  it('creates a tag and refuses a bad name or a used id', () => {
    spec
      .given([])
      .when({ type: 'CreateTag', data: { tagId: 't1', name: ' 应急值班 ', ownerOrgNodeId: 'gov' } })
      .then([created]);
    spec
      .given([])
      .when({ type: 'CreateTag', data: { tagId: 't1', name: '', ownerOrgNodeId: 'gov' } })
      .thenThrows(InvalidTagName);
    spec
      .given([created])
      .when({ type: 'CreateTag', data: { tagId: 't1', name: 'x', ownerOrgNodeId: 'gov' } })
      .thenThrows(TagAlreadyExists);
  });

  it('edits name and description, nothing when unchanged', () => {
    spec
      .given([created])
      .when({ type: 'EditTag', data: { tagId: 't1', name: '防汛值班', description: '汛期' } })
      .then([
        {
          type: 'TagEdited',
          data: {
            tagId: 't1',
            changes: { name: { from: '应急值班', to: '防汛值班' }, description: { from: null, to: '汛期' } },
          },
        },
      ]);
    spec
      .given([created])
      .when({ type: 'EditTag', data: { tagId: 't1', name: '应急值班' } })
      .thenNothingHappens();
  });

  it('adds only new members and removes only present ones', () => {
    spec
      .given([created])
      .when({ type: 'AddTagMembers', data: { tagId: 't1', personIds: ['p1', 'p2', 'p1'], orgNodeIds: ['edu'] } })
      .then([members]);
    spec
      .given([created, members])
      .when({ type: 'AddTagMembers', data: { tagId: 't1', personIds: ['p2', 'p3'] } })
      .then([{ type: 'TagMembersAdded', data: { tagId: 't1', personIds: ['p3'], orgNodeIds: [] } }]);
    spec
      .given([created, members])
      .when({ type: 'AddTagMembers', data: { tagId: 't1', personIds: ['p1'] } })
      .thenNothingHappens();
    spec
      .given([created, members])
      .when({ type: 'RemoveTagMembers', data: { tagId: 't1', personIds: ['p1', 'p9'] } })
      .then([{ type: 'TagMembersRemoved', data: { tagId: 't1', personIds: ['p1'], orgNodeIds: [] } }]);
    spec
      .given([created])
      .when({ type: 'AddTagMembers', data: { tagId: 't1' } })
      .thenThrows(EmptyTagMemberList);
  });

  it('shares with other units, and refuses changes to a deleted tag', () => {
    spec
      .given([created])
      .when({ type: 'SetTagSharedOrgs', data: { tagId: 't1', orgNodeIds: ['party', 'edu'] } })
      .then([{ type: 'TagSharedOrgsChanged', data: { tagId: 't1', from: [], to: ['edu', 'party'] } }]);
    spec
      .given([created])
      .when({ type: 'DeleteTag', data: { tagId: 't1' } })
      .then([deleted]);
    spec
      .given([created, deleted])
      .when({ type: 'AddTagMembers', data: { tagId: 't1', personIds: ['p1'] } })
      .thenThrows(TagNotFound);
    spec
      .given([created, deleted])
      .when({ type: 'DeleteTag', data: { tagId: 't1' } })
      .thenThrows(TagNotFound);
  });
});

describe('tag members are people on post and nodes that exist (001b:11)', () => {
  const created = {
    type: 'TagCreated',
    data: { tagId: 't1', name: '联络员', description: null, ownerOrgNodeId: 'edu' },
  } as const;
  const add = (statuses: Record<string, string>) =>
    ({ type: 'AddTagMembers', data: { tagId: 't1', personIds: ['p1'], orgNodeIds: ['edu'], statuses } }) as const;

  it('given a departed person, when tagged, then TAG_MEMBER_NOT_ACTIVE', () => {
    DeciderSpecification.for(tagDecider)
      .given([created])
      .when(add({ p1: 'LEFT', edu: 'ACTIVE' }))
      .thenFails('TAG_MEMBER_NOT_ACTIVE');
  });

  it('given a dissolved node, when tagged, then TAG_MEMBER_NOT_ACTIVE; both on post and existing, then added', () => {
    DeciderSpecification.for(tagDecider)
      .given([created])
      .when(add({ p1: 'ACTIVE', edu: 'DISSOLVED' }))
      .thenFails('TAG_MEMBER_NOT_ACTIVE');
    DeciderSpecification.for(tagDecider)
      .given([created])
      .when(add({ p1: 'ACTIVE', edu: 'ACTIVE' }))
      .then([{ type: 'TagMembersAdded', data: { tagId: 't1', personIds: ['p1'], orgNodeIds: ['edu'] } }]);
  });
});
