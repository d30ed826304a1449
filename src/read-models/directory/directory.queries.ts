/**
 * Queries of the org tree and the directory as a viewer sees them. Every listing and search goes
 * through `resolveVisibility` for each person it returns, and fields are cut to what the rule
 * allows: a person the viewer may not see is never returned, not even as a count, and the mobile
 * number only where the two may chat; the ID number never (admins read it from the person itself).
 */
import { type NamingProblem, type NamingRule, namingProblems } from '../../domain/org-node/naming-rule';
import { AccessDenied } from '../../domain/access/access-policy';
import type { ReadModels } from '../../application/projections/read-models';
import { CLASSES, type ContactModeName } from '../../domain/directory-policy/directory-policy.decider';
import {
  barredBy,
  type DirectoryParty,
  type DirectoryTarget,
  resolveVisibility,
  type Visibility,
} from '../../domain/directory-policy/visibility';
import { NODES, ORG_TREE, type OrgNodeDoc } from '../org-tree/org-tree.projection';
import {
  CONTACTS,
  contactPairId,
  DIRECTORY,
  MATRIX_ID,
  matrixOf,
  MAX_KEY_LENGTH,
  normalizeSearch,
  PERSONS,
  type PersonDoc,
  SETTINGS,
} from './directory.projection';

export class DirectoryQueryError extends Error {
  constructor(
    readonly code:
      'PERSON_NOT_FOUND' | 'ORG_NODE_NOT_FOUND' | 'TAG_NOT_FOUND' | 'INVALID_SEARCH' | 'VIEWER_NOT_A_PERSON',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Who is looking: a person, or an administrator, who sees as an administrator (hidden nodes
 * included, 001b:9) inside their scope — the whole jurisdiction for a system admin (scope null) —
 * and as their own person outside it.
 */
export type Viewer =
  | { readonly kind: 'PERSON'; readonly personId: string }
  | { readonly kind: 'ADMINISTRATOR'; readonly scope: readonly string[] | null; readonly personId: string | null };

/** Whether an administrator administers what lies at `path` ("/root/a/b/"). */
function administers(viewer: Viewer, path: string): boolean {
  if (viewer.kind !== 'ADMINISTRATOR') return false;
  return viewer.scope === null || viewer.scope.some((id) => path.includes(`/${id}/`));
}

/** Matrix coverage counts people: it is for the administrators of the unit counted (or of the jurisdiction). */
function coverageRefused(unitId: string | null): AccessDenied {
  return new AccessDenied(
    'OUTSIDE_ADMIN_SCOPE',
    unitId === null
      ? '全区通讯录覆盖情况只能由系统管理员查看'
      : `组织节点 ${unitId} 不在管理范围内，不能查看其通讯录覆盖情况`,
    unitId === null ? {} : { unitId },
  );
}

export interface ListedPerson {
  readonly personId: string;
  readonly name: string;
  readonly gender: string;
  readonly directoryClass: string;
  readonly posts: ReadonlyArray<{ orgNodeId: string; nodeName: string | null; kind: string; title: string | null }>;
  readonly officePhone: string | null;
  /** Present only where the viewer may chat with the person. */
  readonly mobile?: string;
  readonly visibility: Visibility;
  /** In a node's member list: the roles the person holds in that node (unit-responsibilities.ts). */
  readonly roles?: string[];
}

export interface TreeNode {
  readonly orgNodeId: string;
  readonly name: string;
  readonly shortName: string | null;
  readonly kind: string;
  readonly parentId: string | null;
  readonly path: string[];
  readonly level: number;
  readonly order: number;
  readonly hidden: boolean;
  readonly status: string;
  /** People holding a post in the node itself. */
  readonly members: number;
  /** Posts held in the node and everything below it. */
  readonly postsInSubtree: number;
}

/** The roles a person holds in a node (HEAD, SYSTEM_ADMIN…), for the people listed there. */
function rolesOf(node: OrgNodeDoc, personId: string): string[] {
  return Object.entries(node.responsibilities ?? {})
    .filter(([, holders]) => holders.includes(personId))
    .map(([role]) => role);
}

export interface NamingReport {
  readonly rule: NamingRule;
  /** ACTIVE nodes checked (those the viewer sees in the subtree). */
  readonly checked: number;
  readonly nodes: ReadonlyArray<{
    orgNodeId: string;
    name: string;
    shortName: string | null;
    parentId: string | null;
    problems: NamingProblem[];
  }>;
}

const pathIds = (path: string) => path.split('/').filter(Boolean);

export class DirectoryQueries {
  constructor(private readonly models: ReadModels) {}

  private async person(personId: string): Promise<PersonDoc | null> {
    return (await this.models.get(DIRECTORY, PERSONS, personId)) as PersonDoc | null;
  }

  private async nodes(ids: readonly string[]): Promise<Map<string, OrgNodeDoc>> {
    const docs = (await this.models.getMany(ORG_TREE, NODES, [...new Set(ids)])) as OrgNodeDoc[];
    return new Map(docs.map((d) => [d.id, d]));
  }

  private async hiddenNodes(): Promise<Map<string, OrgNodeDoc>> {
    // Hinted: with planner statistics a mostly-false flag looks unselective, and the planner
    // would scan every node in id order to find the few hidden ones.
    const docs = (await this.models.find(ORG_TREE, NODES, { hidden: true }, { hint: ['hidden'] })) as OrgNodeDoc[];
    return new Map(docs.map((d) => [d.id, d]));
  }

  private party(person: PersonDoc, nodes: Map<string, OrgNodeDoc>): DirectoryParty {
    return {
      personId: person.id,
      status: person.status,
      directoryClass: person.directoryClass,
      postPaths: person.postNodeIds.map((id) => nodes.get(id)?.path).filter((p): p is string => p !== undefined),
    };
  }

  private target(person: PersonDoc, nodes: Map<string, OrgNodeDoc>, hidden: Map<string, OrgNodeDoc>): DirectoryTarget {
    const primaryPath = person.primaryNodeId ? (nodes.get(person.primaryNodeId)?.path ?? '') : '';
    return {
      ...this.party(person, nodes),
      contactMode: person.contactMode,
      hiddenAbove: pathIds(primaryPath)
        .filter((id) => hidden.has(id))
        .map((id) => ({ orgNodeId: id, visibleTo: hidden.get(id)!.visibleTo })),
    };
  }

  private async viewerOf(personId: string): Promise<{ doc: PersonDoc; party: DirectoryParty }> {
    const doc = await this.person(personId);
    if (!doc) throw new DirectoryQueryError('VIEWER_NOT_A_PERSON', `查看人 ${personId} 不在通讯录中`);
    return { doc, party: this.party(doc, await this.nodes(doc.postNodeIds)) };
  }

  private async contactsOf(personId: string, others: readonly string[]): Promise<Set<string>> {
    const pairs = await this.models.getMany(
      DIRECTORY,
      CONTACTS,
      others.map((o) => contactPairId(personId, o)),
    );
    return new Set(pairs.flatMap((p) => (p.personIds as string[]).filter((id) => id !== personId)));
  }

  /** What `viewerId` may see of and do with `targetId`, and the rule that decided it. */
  async resolve(viewerId: string, targetId: string): Promise<Visibility & { viewerId: string; targetId: string }> {
    const [viewerDoc, targetDoc, settings] = await Promise.all([
      this.person(viewerId),
      this.person(targetId),
      this.models.get(DIRECTORY, SETTINGS, MATRIX_ID),
    ]);
    if (!viewerDoc) throw new DirectoryQueryError('PERSON_NOT_FOUND', `人员 ${viewerId} 不存在`);
    if (!targetDoc) throw new DirectoryQueryError('PERSON_NOT_FOUND', `人员 ${targetId} 不存在`);
    const [nodes, hidden, contacts] = await Promise.all([
      this.nodes([
        ...viewerDoc.postNodeIds,
        ...targetDoc.postNodeIds,
        ...(targetDoc.primaryNodeId ? [targetDoc.primaryNodeId] : []),
      ]),
      this.hiddenNodes(),
      this.contactsOf(viewerId, [targetId]),
    ]);
    const visibility = resolveVisibility({
      viewer: this.party(viewerDoc, nodes),
      target: this.target(targetDoc, nodes, hidden),
      matrix: matrixOf(settings),
      contactAccepted: contacts.has(targetId),
    });
    return { viewerId, targetId, ...visibility };
  }

  /** Each person in `docs` the viewer may see under `need`, cut to what they may see. */
  private async visibleTo(viewer: Viewer, docs: PersonDoc[], need: 'listed' | 'searchable'): Promise<ListedPerson[]> {
    const [settings, hidden] = await Promise.all([this.models.get(DIRECTORY, SETTINGS, MATRIX_ID), this.hiddenNodes()]);
    const matrix = matrixOf(settings);
    const asPerson = viewer.kind === 'PERSON' ? viewer.personId : viewer.scope === null ? null : viewer.personId;
    const viewerInfo = asPerson ? await this.viewerOf(asPerson) : null;
    const nodes = await this.nodes([
      ...docs.flatMap((d) => [...d.postNodeIds, ...(d.primaryNodeId ? [d.primaryNodeId] : [])]),
      ...(viewerInfo?.doc.postNodeIds ?? []),
    ]);
    const contacts = viewerInfo
      ? await this.contactsOf(
          viewerInfo.doc.id,
          docs.map((d) => d.id),
        )
      : new Set<string>();
    const out: ListedPerson[] = [];
    for (const doc of docs) {
      const primaryPath = doc.primaryNodeId ? (nodes.get(doc.primaryNodeId)?.path ?? '') : '';
      const administered = administers(viewer, primaryPath);
      // Outside an administrator's scope there is no administrator's view: as their person, or nothing.
      if (!administered && viewerInfo === null) continue;
      const visibility: Visibility =
        !administered && viewerInfo
          ? resolveVisibility({
              viewer: viewerInfo.party,
              target: this.target(doc, nodes, hidden),
              matrix,
              contactAccepted: contacts.has(doc.id),
            })
          : {
              listed: true,
              searchable: true,
              addable: false,
              chattable: false,
              showMobile: true,
              mode: null,
              rule: 'SELF',
            };
      if (!visibility[need]) continue;
      out.push({
        personId: doc.id,
        name: doc.name,
        gender: doc.gender,
        directoryClass: doc.directoryClass,
        // Posts in hidden nodes the viewer may not see are left out of the listing.
        posts: doc.posts
          .filter((p) => {
            const path = nodes.get(p.orgNodeId)?.path ?? '';
            return (
              administers(viewer, path) || (viewerInfo !== null && !this.hiddenFrom(viewerInfo.party, path, hidden))
            );
          })
          .map((p) => ({
            orgNodeId: p.orgNodeId,
            nodeName: nodes.get(p.orgNodeId)?.name ?? null,
            kind: p.kind,
            title: p.title,
          })),
        officePhone: doc.officePhone,
        ...(visibility.showMobile ? { mobile: doc.mobile } : {}),
        visibility,
      });
    }
    return out;
  }

  /** A node at `path` is hidden from the viewer when a hidden node on that path bars them. */
  private hiddenFrom(viewer: DirectoryParty, path: string, hidden: Map<string, OrgNodeDoc>): boolean {
    return pathIds(path).some((id) => {
      const node = hidden.get(id);
      return node !== undefined && barredBy(viewer, { orgNodeId: id, visibleTo: node.visibleTo });
    });
  }

  /**
   * Search by name (whole or part) or by mobile number (the whole number). Only persons the viewer
   * may find are returned; a mobile search finds no one the matrix says NONE for.
   */
  async search(viewer: Viewer, text: string, limit = 50): Promise<ListedPerson[]> {
    const query = normalizeSearch(typeof text === 'string' ? text : '');
    if (query.length === 0 || query.length > 64)
      throw new DirectoryQueryError('INVALID_SEARCH', '搜索内容应为 1–64 个字符（姓名或完整手机号）');
    const byMobile = /^1\d{10}$/.test(query);
    const key = byMobile ? `m:${query}` : `n:${[...query].slice(0, MAX_KEY_LENGTH).join('')}`;
    let docs = (await this.models.find(DIRECTORY, PERSONS, { searchKeys: key }, { limit: 2000 })) as PersonDoc[];
    // A query longer than the indexed substrings is checked against the whole name.
    if (!byMobile && [...query].length > MAX_KEY_LENGTH)
      docs = docs.filter((d) => normalizeSearch(d.name).includes(query));
    const found = await this.visibleTo(viewer, docs, 'searchable');
    return found.slice(0, Math.max(1, Math.min(limit, 200)));
  }

  /** The people of one node as the viewer may see them listed (DIRECT only, 001b:10). */
  /** Listed by the order of their post in the node (分级排序, 001b:8; 000:7), then by name. */
  async members(viewer: Viewer, orgNodeId: string): Promise<ListedPerson[]> {
    const node = await this.nodeFor(viewer, orgNodeId);
    const docs = (await this.models.find(
      DIRECTORY,
      PERSONS,
      { postNodeIds: orgNodeId },
      { sort: [['name', 1]] },
    )) as PersonDoc[];
    const orderAt = (doc: PersonDoc) =>
      doc.posts.find((p) => p.orgNodeId === orgNodeId)?.order ?? Number.MAX_SAFE_INTEGER;
    // The node's head comes first (its 主要负责同志), then post order; a stable sort keeps names in order.
    const heads = new Set(node.responsibilities?.HEAD ?? []);
    const rank = (doc: PersonDoc) => (heads.has(doc.id) ? 0 : 1);
    const listed = await this.visibleTo(
      viewer,
      [...docs].sort((a, b) => rank(a) - rank(b) || orderAt(a) - orderAt(b)),
      'listed',
    );
    return listed.map((person) => ({ ...person, roles: rolesOf(node, person.personId) }));
  }

  /**
   * The nodes of a subtree that break the naming rule (000:7), as its administrators see it: a
   * missing short name, one longer than the rule allows, one a sibling has too.
   */
  async namingReport(viewer: Viewer, orgNodeId: string, rule: NamingRule): Promise<NamingReport> {
    const root = await this.nodeFor(viewer, orgNodeId);
    if (!administers(viewer, root.path))
      throw new AccessDenied('OUTSIDE_ADMIN_SCOPE', `组织节点 ${orgNodeId} 不在管理范围内，不能查看其命名检查`, {
        orgNodeId,
      });
    const nodes = await this.subtree(viewer, orgNodeId);
    const problems = namingProblems(
      nodes.map((n) => ({ ...n, shortName: n.shortName ?? null })),
      rule,
    );
    return {
      rule,
      checked: nodes.filter((n) => n.status === 'ACTIVE').length,
      nodes: nodes
        .filter((n) => problems.has(n.orgNodeId))
        .map((n) => ({
          orgNodeId: n.orgNodeId,
          name: n.name,
          shortName: n.shortName,
          parentId: n.parentId,
          problems: problems.get(n.orgNodeId)!,
        })),
    };
  }

  /** A node and everything below it (to `depth` levels), with member counts; hidden subtrees only for those allowed. */
  async subtree(viewer: Viewer, orgNodeId: string, depth = 64): Promise<TreeNode[]> {
    const root = (await this.models.get(ORG_TREE, NODES, orgNodeId)) as OrgNodeDoc | null;
    if (!root) throw new DirectoryQueryError('ORG_NODE_NOT_FOUND', `组织节点 ${orgNodeId} 不存在`);
    const docs = (await this.models.find(
      ORG_TREE,
      NODES,
      { path: { $prefix: root.path }, level: { $lte: root.level + depth } },
      {
        sort: [
          ['level', 1],
          ['order', 1],
        ],
      },
    )) as OrgNodeDoc[];
    const visible = await this.seen(viewer, docs);
    if (!visible.some((d) => d.id === root.id))
      throw new DirectoryQueryError('ORG_NODE_NOT_FOUND', `组织节点 ${orgNodeId} 不存在`);
    const counts = await this.memberCounts(viewer, visible);
    const subtreeSums = new Map<string, number>();
    for (const doc of visible) {
      // Each node's posts count in itself and every ancestor.
      for (const id of pathIds(doc.path)) subtreeSums.set(id, (subtreeSums.get(id) ?? 0) + (counts.get(doc.id) ?? 0));
    }
    return visible.map((d) => ({
      orgNodeId: d.id,
      name: d.name,
      shortName: d.shortName,
      kind: d.kind,
      parentId: d.parentId,
      path: pathIds(d.path),
      level: d.level,
      order: d.order,
      hidden: d.hidden,
      status: d.status,
      members: counts.get(d.id) ?? 0,
      postsInSubtree: subtreeSums.get(d.id) ?? 0,
    }));
  }

  /**
   * Members per node, counted only over the people the viewer would see listed there (not even a
   * count of the others): an administrator of the whole jurisdiction counts everyone.
   */
  private async memberCounts(viewer: Viewer, nodes: readonly OrgNodeDoc[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    if (viewer.kind === 'ADMINISTRATOR' && viewer.scope === null) {
      for (const doc of nodes) counts.set(doc.id, await this.models.count(DIRECTORY, PERSONS, { postNodeIds: doc.id }));
      return counts;
    }
    const ids = new Set(nodes.map((doc) => doc.id));
    const docs = await this.postedIn([...ids]);
    const listed = new Set((await this.visibleTo(viewer, docs, 'listed')).map((person) => person.personId));
    for (const doc of docs) {
      if (!listed.has(doc.id)) continue;
      for (const id of doc.postNodeIds) if (ids.has(id)) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return counts;
  }

  /** Everyone holding a post in one of the nodes, each once (asked by chunks of node ids). */
  private async postedIn(orgNodeIds: readonly string[]): Promise<PersonDoc[]> {
    const people = new Map<string, PersonDoc>();
    for (let i = 0; i < orgNodeIds.length; i += 500) {
      const filter = { postNodeIds: { $in: orgNodeIds.slice(i, i + 500) } };
      for (const doc of (await this.models.find(DIRECTORY, PERSONS, filter)) as PersonDoc[]) people.set(doc.id, doc);
    }
    return [...people.values()];
  }

  /** The 4×4 matrix with, per cell, its mode and how many viewers and targets it covers (ACTIVE persons, optionally within a unit's subtree). */
  async matrixCoverage(
    viewer: Viewer,
    unitId?: string,
  ): Promise<{
    unitId: string | null;
    classes: Record<string, number>;
    cells: Array<{
      viewer: string;
      target: string;
      mode: ContactModeName;
      viewers: number;
      targets: number;
      pairs: number;
    }>;
  }> {
    const matrix = matrixOf(await this.models.get(DIRECTORY, SETTINGS, MATRIX_ID));
    let within: string[] | null = null;
    if (unitId) {
      const unit = await this.nodeFor(viewer, unitId);
      within = (await this.models.find(ORG_TREE, NODES, { path: { $prefix: unit.path } })).map((d) => d.id);
      if (!administers(viewer, unit.path)) throw coverageRefused(unitId);
    } else if (viewer.kind !== 'ADMINISTRATOR' || viewer.scope !== null) throw coverageRefused(null);
    const classes: Record<string, number> = {};
    for (const c of CLASSES) {
      classes[c] = await this.models.count(DIRECTORY, PERSONS, {
        status: 'ACTIVE',
        directoryClass: c,
        ...(within ? { primaryNodeId: { $in: within } } : {}),
      });
    }
    const cells = CLASSES.flatMap((viewer) =>
      CLASSES.map((target) => ({
        viewer,
        target,
        mode: matrix[viewer][target],
        viewers: classes[viewer],
        targets: classes[target],
        pairs: classes[viewer] * classes[target] - (viewer === target ? classes[viewer] : 0),
      })),
    );
    return { unitId: unitId ?? null, classes, cells };
  }

  /** The nodes among `docs` that exist for the viewer: a hidden node keeps out all but its admins, insiders and allow-list. */
  private async seen(viewer: Viewer, docs: OrgNodeDoc[]): Promise<OrgNodeDoc[]> {
    if (viewer.kind === 'ADMINISTRATOR' && viewer.scope === null) return docs;
    const personId = viewer.personId;
    const party = personId ? (await this.viewerOf(personId)).party : null;
    const hidden = await this.hiddenNodes();
    return docs.filter(
      (d) => administers(viewer, d.path) || (party !== null ? !this.hiddenFrom(party, d.path, hidden) : false),
    );
  }

  /** A node as the viewer may know it: a hidden node they are kept out of does not exist for them. */
  /** A node as the viewer may see it; a hidden node they may not see does not exist (ORG_NODE_NOT_FOUND). */
  async nodeFor(viewer: Viewer, orgNodeId: string): Promise<OrgNodeDoc> {
    const node = (await this.models.get(ORG_TREE, NODES, orgNodeId)) as OrgNodeDoc | null;
    if (!node || (await this.seen(viewer, [node])).length === 0)
      throw new DirectoryQueryError('ORG_NODE_NOT_FOUND', `组织节点 ${orgNodeId} 不存在`);
    return node;
  }

  /**
   * A tag's current members (001b:11): its people, and the people of its nodes and everything
   * below them, on post now; people under a hidden node are left out (001b:9).
   */
  async tagMembers(
    personIds: readonly string[],
    orgNodeIds: readonly string[],
  ): Promise<Array<{ personId: string; name: string }>> {
    const hidden = [...(await this.hiddenNodes()).values()].map((node) => node.path);
    const roots = (await this.models.getMany(ORG_TREE, NODES, [...orgNodeIds])) as OrgNodeDoc[];
    const below = new Set<string>();
    for (const root of roots.filter((node) => node.status === 'ACTIVE'))
      for (const node of (await this.models.find(ORG_TREE, NODES, { path: { $prefix: root.path } })) as OrgNodeDoc[])
        below.add(node.id);
    const people = new Map<string, PersonDoc>();
    for (const doc of (await this.models.getMany(DIRECTORY, PERSONS, [...personIds])) as PersonDoc[])
      people.set(doc.id, doc);
    for (const doc of await this.postedIn([...below])) people.set(doc.id, doc);
    const paths = await this.nodes([...people.values()].flatMap((doc) => doc.postNodeIds));
    const underHidden = (doc: PersonDoc) =>
      doc.postNodeIds.some((id) => hidden.some((path) => (paths.get(id)?.path ?? '').startsWith(path)));
    return [...people.values()]
      .filter((doc) => doc.status === 'ACTIVE' && !underHidden(doc))
      .map((doc) => ({ personId: doc.id, name: doc.name }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.personId < b.personId ? -1 : 1));
  }

  /** A node with its path from the root (names included), for breadcrumbs. */
  async path(viewer: Viewer, orgNodeId: string): Promise<Array<{ orgNodeId: string; name: string; level: number }>> {
    const node = await this.nodeFor(viewer, orgNodeId);
    const ids = pathIds(node.path);
    const nodes = await this.nodes(ids);
    return ids.map((id) => ({ orgNodeId: id, name: nodes.get(id)?.name ?? id, level: nodes.get(id)?.level ?? 0 }));
  }
}
