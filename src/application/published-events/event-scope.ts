/**
 * Which org nodes a published event concerns, and so which subtrees it belongs to. A person's
 * change concerns the nodes of their posts, an account's the nodes of its person (or its sponsor
 * unit), a group's or app's or tag's its owning node, a node's the node itself and, for a move,
 * both parents. The tracker folds the history in order and answers for each event as the tree
 * stood just before and just after it, so a person transferred out of a subtree, or a node moved
 * out of it, is still seen by the subtree's subscribers (they learn that it left).
 *
 * Pure: fed every event from the start of the store (only the types in SCOPE_EVENT_TYPES matter), or
 * from where a saved fold stands, reading that fold through a ScopeIndex.
 */
import type { PlatformEvent } from '../../domain/events';

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
  'RequestFiled',
] as const;

const postNode = (post: { readonly orgNodeId: string }): string => post.orgNodeId;

/** What the tracker keeps, per kind of entry (ids only: nodes, people, accounts, owned things). */
export interface ScopeValues {
  readonly parentOf: string | null;
  readonly personNodes: readonly string[];
  readonly accountOwner: { readonly personId: string | null; readonly orgNodeId: string | null };
  readonly ownerNode: string;
}
export type ScopeKind = keyof ScopeValues;
export const SCOPE_KINDS: readonly ScopeKind[] = ['parentOf', 'personNodes', 'accountOwner', 'ownerNode'];

/** A saved fold the tracker reads what it has not changed since (LiveFeedHub's scope index). */
export interface ScopeIndex {
  get<K extends ScopeKind>(kind: K, key: string): ScopeValues[K] | undefined;
}

/** What the tracker changed since its fold was last saved, per kind. */
export type ScopeChanges = { readonly [K in ScopeKind]: ReadonlyMap<string, ScopeValues[K]> };

type ChangeMaps = { [K in ScopeKind]: Map<string, ScopeValues[K]> };
const noChanges = (): ChangeMaps => ({
  parentOf: new Map(),
  personNodes: new Map(),
  accountOwner: new Map(),
  ownerNode: new Map(),
});

export class EventScopeTracker {
  private changed = noChanges();

  /** A tracker that has folded nothing, or one that resumes a saved fold (read when first needed, not loaded). */
  constructor(private readonly saved: ScopeIndex | null = null) {}

  /** What changed since the last `markSaved()`: what a save adds to the index. */
  changes(): ScopeChanges {
    return this.changed;
  }

  /** The changes are in the index now: read from there from now on. */
  markSaved(): void {
    this.changed = noChanges();
  }

  private get<K extends ScopeKind>(kind: K, key: string): ScopeValues[K] | undefined {
    const changed = this.changed[kind] as Map<string, ScopeValues[K]>;
    // `has`, not `get`: a root's parent is null.
    return changed.has(key) ? changed.get(key) : this.saved?.get(kind, key);
  }

  private set<K extends ScopeKind>(kind: K, key: string, value: ScopeValues[K]): void {
    (this.changed[kind] as Map<string, ScopeValues[K]>).set(key, value);
  }

  /** The scope of `event` and the tracker moved past it. Call once per event, in store order. */
  observe(type: string, data: object): EventScope {
    // The feed passes the platform's stored events, upcast to their current schema.
    const event = { type, data } as PlatformEvent;
    const before = this.nodesOf(event);
    const withinBefore = this.ancestry(before);
    this.apply(event);
    const after = this.nodesOf(event);
    const within = this.ancestry(after, withinBefore);
    return { orgNodeIds: [...new Set([...after, ...before])], within };
  }

  private nodesOf(event: PlatformEvent): readonly string[] {
    const known = (personId: string) => this.get('personNodes', personId) ?? [];
    switch (event.type) {
      case 'OrgNodesMerged':
        return [event.data.survivorId, ...event.data.absorbedIds];
      case 'OrgNodeMergedInto':
        return [event.data.orgNodeId, event.data.survivorId];
      case 'OrgNodeMoved':
        return [event.data.orgNodeId, event.data.fromParentId, event.data.toParentId];
      case 'PersonLeft':
        return [...new Set([event.data.primaryOrgNodeId, ...event.data.posts.map(postNode)])];
      case 'PersonTransferred': {
        const { personId, from, to } = event.data;
        return [...new Set([...known(personId), postNode(from), postNode(to)])];
      }
      case 'SecondmentEnded':
      case 'ConcurrentPostRelieved':
        return [...new Set([...known(event.data.personId), event.data.orgNodeId])];
      case 'TagSharedOrgsChanged': {
        const owner = this.get('ownerNode', `tag:${event.data.tagId}`) ?? '';
        return [...new Set([owner, ...event.data.from, ...event.data.to])].filter(Boolean);
      }
      case 'WorkGroupRehomed':
        return [event.data.from, event.data.to];
    }
    const d = event.data;
    if ('orgNodeId' in d && typeof d.orgNodeId === 'string' && event.type.startsWith('OrgNode')) return [d.orgNodeId];
    if ('personId' in d && typeof d.personId === 'string' && !('accountId' in d) && !('groupId' in d))
      return known(d.personId);
    if ('accountId' in d) {
      const owner = this.get('accountOwner', d.accountId);
      const nodes = owner?.personId ? known(owner.personId) : owner?.orgNodeId ? [owner.orgNodeId] : [];
      return 'orgNodeId' in d && typeof d.orgNodeId === 'string' ? [...new Set([...nodes, d.orgNodeId])] : nodes;
    }
    const owned =
      'groupId' in d
        ? `group:${d.groupId}`
        : 'appId' in d
          ? `app:${d.appId}`
          : 'tagId' in d
            ? `tag:${d.tagId}`
            : 'requestId' in d && event.type.startsWith('Request')
              ? `request:${d.requestId}`
              : null;
    const node = owned === null ? undefined : this.get('ownerNode', owned);
    return node ? [node] : [];
  }

  private apply(event: PlatformEvent): void {
    const nodes = (personId: string) => this.get('personNodes', personId) ?? [];
    switch (event.type) {
      case 'OrgNodeCreated':
        this.set('parentOf', event.data.orgNodeId, event.data.parentId ?? null);
        break;
      case 'OrgNodeMoved':
        this.set('parentOf', event.data.orgNodeId, event.data.toParentId);
        break;
      case 'PersonRegistered':
      case 'PersonReinstated':
        this.set('personNodes', event.data.personId, [postNode(event.data.primaryPost)]);
        break;
      case 'PersonTransferred': {
        const { personId, from, to } = event.data;
        const others = nodes(personId).filter((n) => n !== postNode(from) && n !== postNode(to));
        this.set('personNodes', personId, [postNode(to), ...others]);
        break;
      }
      case 'SecondmentStarted':
      case 'ConcurrentPostAssigned':
        this.set('personNodes', event.data.personId, [...nodes(event.data.personId), postNode(event.data.post)]);
        break;
      case 'SecondmentEnded':
      case 'ConcurrentPostRelieved': {
        const { personId, orgNodeId } = event.data;
        this.set(
          'personNodes',
          personId,
          nodes(personId).filter((n) => n !== orgNodeId),
        );
        break;
      }
      case 'PersonLeft':
        // Kept: a departed person's later changes (accounts closed by policy) still concern their unit.
        this.set('personNodes', event.data.personId, [event.data.primaryOrgNodeId]);
        break;
      case 'AccountOpened':
        this.set('accountOwner', event.data.accountId, {
          personId: event.data.personId ?? null,
          orgNodeId: event.data.sponsorOrgNodeId ?? null,
        });
        break;
      case 'WorkGroupCreated':
        this.set('ownerNode', `group:${event.data.groupId}`, event.data.owningOrgNodeId);
        break;
      case 'WorkGroupRehomed':
        this.set('ownerNode', `group:${event.data.groupId}`, event.data.to);
        break;
      case 'AppAccessRequested':
        this.set('ownerNode', `app:${event.data.appId}`, event.data.owningOrgNodeId);
        break;
      case 'TagCreated':
        this.set('ownerNode', `tag:${event.data.tagId}`, event.data.ownerOrgNodeId);
        break;
      case 'RequestFiled':
        // A request concerns the unit it was filed for.
        this.set('ownerNode', `request:${event.data.requestId}`, event.data.orgNodeId);
        break;
    }
  }

  private ancestry(nodes: readonly string[], into = new Set<string>()): Set<string> {
    for (const node of nodes) {
      let current: string | null | undefined = node;
      // Bounded: a tree has no cycles (the decider forbids them), but a corrupt history must not hang us.
      for (let hops = 0; current && hops < 64; hops++) {
        into.add(current);
        current = this.get('parentOf', current);
      }
    }
    return into;
  }
}
