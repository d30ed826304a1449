/** Questions to the directory as the viewer may see it: a node's members, search, visibility, the class matrix. */
import { DirectoryQueryError } from './directory.queries';
import { AccessControl } from '../../application/access/access-control';
import type { ReadModels } from '../../application/projections/read-models';
import type { BusQueryHandler } from '../../application/queries/query-bus';
import type { Principal } from '../../domain/access/access-policy';
import type { AppState } from '../../domain/app-registration/app-registration.decider';
import type { TagState } from '../../domain/tag/tag.decider';
import { AUDIT_TRAIL, SNAPSHOTS } from '../audit-trail/audit-trail.projection';
import { NODES, ORG_TREE, type OrgNodeDoc } from '../org-tree/org-tree.projection';
import { ReadModelQuery } from '../consistent-query';
import { viewerOf } from '../viewers';
import type { DirectoryQueries, ListedPerson } from './directory.queries';

type Answer<K extends keyof DirectoryQueries> = DirectoryQueries[K] extends (...args: never[]) => Promise<infer A>
  ? A
  : never;

export class GetMembers extends ReadModelQuery<{ persons: ListedPerson[] }> {
  constructor(
    principal: Principal,
    readonly orgNodeId: string,
    readonly asPerson: boolean,
    consistentWith?: string,
  ) {
    super(principal, consistentWith);
  }
}

export class SearchDirectory extends ReadModelQuery<{ persons: ListedPerson[] }> {
  constructor(
    principal: Principal,
    readonly text: string,
    readonly limit: number,
    readonly asPerson: boolean,
    consistentWith?: string,
  ) {
    super(principal, consistentWith);
  }
}

/** resolve(viewer, target): a person may ask about what they see; administrators about anyone. */
export class ResolveVisibility extends ReadModelQuery<Answer<'resolve'>> {
  constructor(
    principal: Principal,
    readonly viewerId: string,
    readonly targetId: string,
    consistentWith?: string,
  ) {
    super(principal, consistentWith);
  }
}

export class GetMatrixCoverage extends ReadModelQuery<Answer<'matrixCoverage'>> {
  constructor(
    principal: Principal,
    readonly unitId: string | undefined,
    consistentWith?: string,
  ) {
    super(principal, consistentWith);
  }
}

/** The directory's questions share their reader and the read models' consistency wait. */
abstract class DirectoryHandler {
  constructor(
    protected readonly directory: DirectoryQueries,
    protected readonly models: ReadModels,
  ) {}
}

export class GetMembersHandler extends DirectoryHandler implements BusQueryHandler<GetMembers> {
  async execute({ principal, orgNodeId, asPerson, consistentWith }: GetMembers) {
    const viewer = viewerOf(principal, asPerson);
    await this.models.consistentWith(consistentWith);
    return { persons: await this.directory.members(viewer, orgNodeId) };
  }
}

export class SearchDirectoryHandler extends DirectoryHandler implements BusQueryHandler<SearchDirectory> {
  async execute({ principal, text, limit, asPerson, consistentWith }: SearchDirectory) {
    const viewer = viewerOf(principal, asPerson);
    await this.models.consistentWith(consistentWith);
    return { persons: await this.directory.search(viewer, text, limit) };
  }
}

export class ResolveVisibilityHandler implements BusQueryHandler<ResolveVisibility> {
  constructor(
    private readonly directory: DirectoryQueries,
    private readonly models: ReadModels,
    private readonly access: AccessControl,
  ) {}

  async execute({ principal, viewerId, targetId, consistentWith }: ResolveVisibility) {
    const self = { kind: 'SELF' as const, action: '查询可见性', personId: viewerId };
    const admin = AccessControl.systemAdmin('查询可见性');
    this.access.authorize(principal, AccessControl.anyOf(admin, self));
    await this.models.consistentWith(consistentWith);
    const visibility = await this.directory.resolve(viewerId, targetId);
    // A person the viewer may not find (a hidden unit's, a NONE cell's) does not exist for them: no rule is told.
    if (!this.access.allows(principal, admin) && !visibility.searchable && !visibility.listed)
      throw new DirectoryQueryError('PERSON_NOT_FOUND', `人员 ${targetId} 不存在`);
    return visibility;
  }
}

export class GetMatrixCoverageHandler extends DirectoryHandler implements BusQueryHandler<GetMatrixCoverage> {
  async execute({ principal, unitId, consistentWith }: GetMatrixCoverage) {
    const viewer = viewerOf(principal);
    await this.models.consistentWith(consistentWith);
    return this.directory.matrixCoverage(viewer, unitId);
  }
}

/**
 * A tag resolved to its current members (001b:11 各应用可以调用标签接口…设置标签共享组织), for an
 * app through its own temporary account when the tag is its unit's or shared with it, and for the
 * tag's administrators. For anyone else the tag does not exist (404).
 */
export class ResolveTag extends ReadModelQuery<{
  tagId: string;
  name: string;
  members: Array<{ personId: string; name: string }>;
}> {
  constructor(
    principal: Principal,
    readonly tagId: string,
    consistentWith?: string,
  ) {
    super(principal, consistentWith);
  }
}

export class ResolveTagHandler implements BusQueryHandler<ResolveTag> {
  constructor(
    private readonly directory: DirectoryQueries,
    private readonly models: ReadModels,
    private readonly access: AccessControl,
  ) {}

  /** An aggregate's state as the audit trail keeps it beside its entries (its own fold). */
  private async stateOf<State>(entityType: string, id: string): Promise<State | null> {
    const snapshot = await this.models.get(AUDIT_TRAIL, SNAPSHOTS, `${entityType}:${id}`);
    return (snapshot?.state as State | undefined) ?? null;
  }

  async execute({ principal, tagId, consistentWith }: ResolveTag) {
    this.access.authorize(principal, { kind: 'AUTHENTICATED' });
    await this.models.consistentWith(consistentWith);
    const tag = (await this.stateOf<TagState>('Tag', tagId)) ?? { status: 'NONE' as const };
    if (tag.status !== 'ACTIVE' || !(await this.mayUse(principal, tag.ownerOrgNodeId, tag.sharedOrgNodeIds)))
      throw new DirectoryQueryError('TAG_NOT_FOUND', `标签 ${tagId} 不存在`);
    const members = await this.directory.tagMembers(tag.members.personIds, tag.members.orgNodeIds);
    return { tagId, name: tag.name, members };
  }

  /** The tag's admins (of its owner unit), or an app whose unit lies under the owner or a shared org. */
  private async mayUse(principal: Principal, ownerId: string, sharedIds: readonly string[]): Promise<boolean> {
    if (this.access.allows(principal, await this.access.unit('调用标签', [ownerId]))) return true;
    if (principal.kind !== 'ACCOUNT' || principal.account.type !== 'TEMPORARY' || !principal.account.appId)
      return false;
    const app = await this.stateOf<AppState>('App', principal.account.appId);
    if (!app || app.status === 'NONE' || app.status === 'DEREGISTERED') return false;
    if (!this.access.allows(principal, { kind: 'APP_INTEGRATION', appId: app.appId })) return false;
    const unit = (await this.models.get(ORG_TREE, NODES, app.owningOrgNodeId)) as OrgNodeDoc | null;
    return unit !== null && [ownerId, ...sharedIds].some((id) => unit.path.includes(`/${id}/`));
  }
}
