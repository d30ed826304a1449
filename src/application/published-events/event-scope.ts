/**
 * Which org nodes a published event concerns, and so which subtrees it belongs to. A person's
 * change concerns the nodes of their posts, an account's the nodes of its person (or its sponsor
 * unit), a group's or app's or tag's its owning node, a node's the node itself and, for a move,
 * both parents. The tracker folds the history in order and answers for each event as the tree
 * stood just before and just after it, so a person transferred out of a subtree, or a node moved
 * out of it, is still seen by the subtree's subscribers (they learn that it left).
 *
 * Pure: fed every event from the start of the store (only the types in SCOPE_EVENT_TYPES matter).
 */
type Data = Record<string, unknown>;

export interface EventScope {
  /** The nodes the event concerns (after the event, then any it left). */
  readonly orgNodeIds: readonly string[];
  /** Those nodes and all their ancestors, before and after the event: the subtree roots it belongs to. */
  readonly within: ReadonlySet<string>;
}

/** The event types that change what later events concern. */
export const SCOPE_EVENT_TYPES = [
  'OrgNodeCreated',
  'OrgNodeMoved',
  'PersonRegistered',
  'PersonTransferred',
  'SecondmentStarted',
  'SecondmentEnded',
  'ConcurrentPostAssigned',
  'ConcurrentPostRelieved',
  'PersonLeft',
  'PersonReinstated',
  'AccountOpened',
  'WorkGroupCreated',
  'WorkGroupRehomed',
  'AppAccessRequested',
  'AppDeregistered',
  'TagCreated',
] as const;

const postNode = (post: unknown): string => (post as { orgNodeId: string }).orgNodeId;

export class EventScopeTracker {
  private readonly parentOf = new Map<string, string | null>();
  private readonly personNodes = new Map<string, string[]>();
  private readonly accountOwner = new Map<string, { personId: string | null; orgNodeId: string | null }>();
  private readonly ownerNode = new Map<string, string>();

  /** The scope of `event` and the tracker moved past it. Call once per event, in store order. */
  observe(type: string, data: Data): EventScope {
    const before = this.nodesOf(type, data);
    const withinBefore = this.ancestry(before);
    this.apply(type, data);
    const after = this.nodesOf(type, data);
    const within = this.ancestry(after, withinBefore);
    return { orgNodeIds: [...new Set([...after, ...before])], within };
  }

  private nodesOf(type: string, d: Data): string[] {
    switch (type) {
      case 'OrgNodesMerged':
        return [d.survivorId as string, ...(d.absorbedIds as string[])];
      case 'OrgNodeMergedInto':
        return [d.orgNodeId as string, d.survivorId as string];
      case 'OrgNodeMoved':
        return [d.orgNodeId as string, d.fromParentId as string, d.toParentId as string];
      case 'PersonLeft':
        return [...new Set([d.primaryOrgNodeId as string, ...(d.posts as unknown[]).map(postNode)])];
      case 'PersonTransferred':
        return [...new Set([...(this.personNodes.get(d.personId as string) ?? []), postNode(d.from), postNode(d.to)])];
      case 'SecondmentEnded':
      case 'ConcurrentPostRelieved':
        return [...new Set([...(this.personNodes.get(d.personId as string) ?? []), d.orgNodeId as string])];
      case 'TagSharedOrgsChanged':
        return [
          ...new Set([
            this.ownerNode.get(`tag:${d.tagId as string}`) ?? '',
            ...(d.from as string[]),
            ...(d.to as string[]),
          ]),
        ].filter(Boolean);
      case 'WorkGroupRehomed':
        return [d.from as string, d.to as string];
    }
    if (typeof d.orgNodeId === 'string' && type.startsWith('OrgNode')) return [d.orgNodeId];
    if (typeof d.personId === 'string' && !('accountId' in d) && !('groupId' in d))
      return this.personNodes.get(d.personId) ?? [];
    if (typeof d.accountId === 'string') {
      const owner = this.accountOwner.get(d.accountId);
      const nodes = owner?.personId
        ? (this.personNodes.get(owner.personId) ?? [])
        : owner?.orgNodeId
          ? [owner.orgNodeId]
          : [];
      return typeof d.orgNodeId === 'string' ? [...new Set([...nodes, d.orgNodeId])] : nodes;
    }
    for (const [key, prefix] of [
      ['groupId', 'group'],
      ['appId', 'app'],
      ['tagId', 'tag'],
    ] as const) {
      if (typeof d[key] === 'string') {
        const node = this.ownerNode.get(`${prefix}:${d[key] as string}`);
        return node ? [node] : [];
      }
    }
    return [];
  }

  private apply(type: string, d: Data): void {
    const personId = d.personId as string;
    const nodes = () => this.personNodes.get(personId) ?? [];
    switch (type) {
      case 'OrgNodeCreated':
        this.parentOf.set(d.orgNodeId as string, (d.parentId as string | null) ?? null);
        break;
      case 'OrgNodeMoved':
        this.parentOf.set(d.orgNodeId as string, d.toParentId as string);
        break;
      case 'PersonRegistered':
      case 'PersonReinstated':
        this.personNodes.set(personId, [postNode(d.primaryPost)]);
        break;
      case 'PersonTransferred':
        this.personNodes.set(personId, [
          postNode(d.to),
          ...nodes().filter((n) => n !== postNode(d.from) && n !== postNode(d.to)),
        ]);
        break;
      case 'SecondmentStarted':
      case 'ConcurrentPostAssigned':
        this.personNodes.set(personId, [...nodes(), postNode(d.post)]);
        break;
      case 'SecondmentEnded':
      case 'ConcurrentPostRelieved':
        this.personNodes.set(
          personId,
          nodes().filter((n) => n !== d.orgNodeId),
        );
        break;
      case 'PersonLeft':
        // Kept: a departed person's later changes (accounts closed by policy) still concern their unit.
        this.personNodes.set(personId, [d.primaryOrgNodeId as string]);
        break;
      case 'AccountOpened':
        this.accountOwner.set(d.accountId as string, {
          personId: (d.personId as string | null) ?? null,
          orgNodeId: (d.sponsorOrgNodeId as string | null) ?? null,
        });
        break;
      case 'WorkGroupCreated':
        this.ownerNode.set(`group:${d.groupId as string}`, d.owningOrgNodeId as string);
        break;
      case 'WorkGroupRehomed':
        this.ownerNode.set(`group:${d.groupId as string}`, d.to as string);
        break;
      case 'AppAccessRequested':
        this.ownerNode.set(`app:${d.appId as string}`, d.owningOrgNodeId as string);
        break;
      case 'TagCreated':
        this.ownerNode.set(`tag:${d.tagId as string}`, d.ownerOrgNodeId as string);
        break;
    }
  }

  private ancestry(nodes: readonly string[], into = new Set<string>()): Set<string> {
    for (const node of nodes) {
      let current: string | null | undefined = node;
      // Bounded: a tree has no cycles (the decider forbids them), but a corrupt history must not hang us.
      for (let hops = 0; current && hops < 64; hops++) {
        into.add(current);
        current = this.parentOf.get(current);
      }
    }
    return into;
  }
}
