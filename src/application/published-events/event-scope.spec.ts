import { EventScopeTracker } from './event-scope';

const post = (orgNodeId: string) => ({
  orgNodeId,
  kind: 'PRIMARY',
  title: null,
  postLevel: null,
  role: null,
  order: 0,
  from: null,
  until: null,
});

describe('EventScopeTracker (subtree filters)', () => {
  function tree(): EventScopeTracker {
    const tracker = new EventScopeTracker();
    tracker.observe('OrgNodeCreated', { orgNodeId: 'root', parentId: null });
    tracker.observe('OrgNodeCreated', { orgNodeId: 'a', parentId: 'root' });
    tracker.observe('OrgNodeCreated', { orgNodeId: 'a1', parentId: 'a' });
    tracker.observe('OrgNodeCreated', { orgNodeId: 'b', parentId: 'root' });
    return tracker;
  }

  it('places a person’s changes at the nodes of their posts, and a transfer on both sides', () => {
    const tracker = tree();
    expect([...tracker.observe('PersonRegistered', { personId: 'p', primaryPost: post('a1') }).within].sort()).toEqual([
      'a',
      'a1',
      'root',
    ]);
    const transfer = tracker.observe('PersonTransferred', { personId: 'p', from: post('a1'), to: post('b') });
    expect(transfer.within.has('a')).toBe(true);
    expect(transfer.within.has('b')).toBe(true);
    expect(tracker.observe('PersonProfileUpdated', { personId: 'p', changes: {} }).within.has('a')).toBe(false);
  });

  it('follows accounts to their person, groups to their unit, and a moved node on both sides', () => {
    const tracker = tree();
    tracker.observe('PersonRegistered', { personId: 'p', primaryPost: post('a1') });
    tracker.observe('AccountOpened', { accountId: 'acc', personId: 'p', sponsorOrgNodeId: null });
    expect(tracker.observe('AccountActivated', { accountId: 'acc' }).orgNodeIds).toEqual(['a1']);
    tracker.observe('WorkGroupCreated', { groupId: 'g', owningOrgNodeId: 'b' });
    expect(tracker.observe('GroupMembersAdded', { groupId: 'g', personIds: ['p'] }).within.has('b')).toBe(true);
    const moved = tracker.observe('OrgNodeMoved', { orgNodeId: 'a1', fromParentId: 'a', toParentId: 'b' });
    expect(moved.within.has('a')).toBe(true);
    expect(moved.within.has('b')).toBe(true);
    expect(tracker.observe('AccountFrozen', { accountId: 'acc' }).within.has('a')).toBe(false);
  });
});
