import { AccessDenied } from '../../domain/access/access-policy';
import { visibleTree } from '../../domain/access/read-policy';
import type { OrgNode } from '../../domain/org-node/org-node.decider';
import type { AccessControl } from '../access/access-control';
import { type BusQueryHandler, PrincipalQuery } from '../queries/query-bus';
import type { OrgTree } from './org-tree';

/** The jurisdiction's tree as in effect on a date, with the recorded revision. */
export class GetOrgTree extends PrincipalQuery<{ rootId: string | null; nodes: OrgNode[]; revision: bigint | null }> {
  constructor(
    principal: ConstructorParameters<typeof PrincipalQuery>[0],
    readonly effectiveOn: { readonly date: string; readonly timeZone: string },
  ) {
    super(principal);
  }
}

/** The tree as the viewer may see it: hidden subtrees they are kept out of are absent, allow-lists for admins only. */
export class GetOrgTreeHandler implements BusQueryHandler<GetOrgTree> {
  constructor(
    private readonly tree: OrgTree,
    private readonly access: AccessControl,
  ) {}

  async execute({ principal, effectiveOn }: GetOrgTree) {
    const viewer = await this.access.standingOf(principal);
    if (viewer === null)
      throw new AccessDenied('TEMPORARY_ACCOUNT_LIMITED', '临时账号和接口凭证不能查询组织架构', {}, true);
    const { state, revision } = await this.tree.loadEffectiveOn(effectiveOn.date, effectiveOn.timeZone);
    return { rootId: state.rootId, nodes: visibleTree(viewer, state, [...state.nodes.values()]), revision };
  }
}
