import { EventScopeTracker, SCOPE_KINDS, type ScopeIndex, type ScopeKind, type ScopeValues } from './event-scope';

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

  it('resumed from what it saved, answers as the tracker that folded everything', () => {
    // Given a fold saved half-way (its changes taken into an index, then forgotten by the tracker)
    const saved = new Map<string, unknown>();
    const index: ScopeIndex = {
      get: <K extends ScopeKind>(kind: K, key: string) => saved.get(`${kind}:${key}`) as ScopeValues[K] | undefined,
    };
    const save = (tracker: EventScopeTracker) => {
      const changes = tracker.changes();
      for (const kind of SCOPE_KINDS) for (const [key, value] of changes[kind]) saved.set(`${kind}:${key}`, value);
      tracker.markSaved();
    };
    const whole = tree();
    const first = tree();
    for (const tracker of [whole, first]) {
      tracker.observe('PersonRegistered', { personId: 'p', primaryPost: post('a1') });
      tracker.observe('AccountOpened', { accountId: 'acc', personId: 'p', sponsorOrgNodeId: null });
    }
    save(first);
    expect(first.changes().personNodes.size).toBe(0);
    // When the rest is folded by a tracker resumed from the index, and by the one that never saved
    const resumed = new EventScopeTracker(index);
    const rest: Array<[string, object]> = [
      ['OrgNodeMoved', { orgNodeId: 'a1', fromParentId: 'a', toParentId: 'b' }],
      ['AccountFrozen', { accountId: 'acc' }],
      ['OrgNodeCreated', { orgNodeId: 'root', parentId: null }],
      ['PersonTransferred', { personId: 'p', from: post('a1'), to: post('a') }],
      ['PersonProfileUpdated', { personId: 'p', changes: {} }],
    ];
    // Then every event is scoped alike (a root's null parent included)
    const scopes = (tracker: EventScopeTracker) =>
      rest.map(([type, data]) => {
        const scope = tracker.observe(type, data);
        return [scope.orgNodeIds, [...scope.within].sort()];
      });
    expect(scopes(resumed)).toEqual(scopes(whole));
    expect(resumed.changes().parentOf.get('root')).toBeNull();
  });
});
