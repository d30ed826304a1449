import type { OrgNode } from '../../domain/org-node/org-node.decider';
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

export class GetOrgTreeHandler implements BusQueryHandler<GetOrgTree> {
  constructor(private readonly tree: OrgTree) {}

  async execute({ effectiveOn }: GetOrgTree) {
    const { state, revision } = await this.tree.loadEffectiveOn(effectiveOn.date, effectiveOn.timeZone);
    return { rootId: state.rootId, nodes: [...state.nodes.values()], revision };
  }
}
