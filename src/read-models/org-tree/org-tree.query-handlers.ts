/** Questions about the tree as the viewer may see it: a node's subtree and its path from the root. */
import type { BusQueryHandler } from '../../application/queries/query-bus';
import type { ReadModels } from '../../application/projections/read-models';
import type { Principal } from '../../domain/access/access-policy';
import { ReadModelQuery } from '../consistent-query';
import {
  DirectoryQueryError,
  type DirectoryQueries,
  type NamingReport,
  type TreeNode,
} from '../directory/directory.queries';
import type { NamingRule } from '../../domain/org-node/naming-rule';
import { viewerOf } from '../viewers';

export class GetSubtree extends ReadModelQuery<{ nodes: TreeNode[] }> {
  constructor(
    principal: Principal,
    readonly orgNodeId: string,
    readonly depth: string | undefined,
    readonly asPerson: boolean,
    consistentWith?: string,
  ) {
    super(principal, consistentWith);
  }
}

export class GetSubtreeHandler implements BusQueryHandler<GetSubtree> {
  constructor(
    private readonly directory: DirectoryQueries,
    private readonly models: ReadModels,
  ) {}

  async execute({ principal, orgNodeId, depth, asPerson, consistentWith }: GetSubtree) {
    const viewer = viewerOf(principal, asPerson);
    await this.models.consistentWith(consistentWith);
    const levels = depth === undefined ? 64 : Number(depth);
    if (!Number.isInteger(levels) || levels < 0 || levels > 64)
      throw new DirectoryQueryError('INVALID_SEARCH', 'depth 应为 0–64 的整数');
    return { nodes: await this.directory.subtree(viewer, orgNodeId, levels) };
  }
}

export class GetPath extends ReadModelQuery<{ path: Array<{ orgNodeId: string; name: string; level: number }> }> {
  constructor(
    principal: Principal,
    readonly orgNodeId: string,
    consistentWith?: string,
  ) {
    super(principal, consistentWith);
  }
}

export class GetPathHandler implements BusQueryHandler<GetPath> {
  constructor(
    private readonly directory: DirectoryQueries,
    private readonly models: ReadModels,
  ) {}

  async execute({ principal, orgNodeId, consistentWith }: GetPath) {
    const viewer = viewerOf(principal);
    await this.models.consistentWith(consistentWith);
    return { path: await this.directory.path(viewer, orgNodeId) };
  }
}

/** The nodes of a subtree that break the naming rule (000:7), for its administrators. */
export class GetNamingReport extends ReadModelQuery<NamingReport> {
  constructor(
    principal: Principal,
    readonly orgNodeId: string,
    consistentWith?: string,
  ) {
    super(principal, consistentWith);
  }
}

export class GetNamingReportHandler implements BusQueryHandler<GetNamingReport> {
  constructor(
    private readonly directory: DirectoryQueries,
    private readonly models: ReadModels,
    private readonly rule: NamingRule,
  ) {}

  async execute({ principal, orgNodeId, consistentWith }: GetNamingReport) {
    await this.models.consistentWith(consistentWith);
    return this.directory.namingReport(viewerOf(principal), orgNodeId, this.rule);
  }
}
