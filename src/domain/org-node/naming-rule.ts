/**
 * 000:7 "严格按照单位规范化简称及顺序为组织内节点命名": every node has a short name (规范化简称)
 * that follows the jurisdiction's rule — at most `maxShortNameLength` characters — and is
 * distinct among its siblings. Creating or renaming a node is refused when its short name breaks
 * the length rule; nodes that break the rule (a missing short name, one recorded before the rule
 * or under a looser one, a duplicate) are listed by the naming report.
 */
import { RuleViolation } from '../shared/domain-error';

export interface NamingRule {
  readonly maxShortNameLength: number;
}

export const DEFAULT_NAMING_RULE: NamingRule = { maxShortNameLength: 12 };

export type NamingProblem = 'SHORT_NAME_MISSING' | 'SHORT_NAME_TOO_LONG' | 'SHORT_NAME_DUPLICATE';

export function assertShortNameFollows(shortName: string | null, rule: NamingRule | undefined): void {
  if (shortName === null || !rule) return;
  const length = [...shortName].length;
  if (length > rule.maxShortNameLength)
    throw new RuleViolation(
      'SHORT_NAME_TOO_LONG',
      'unprocessable',
      `规范化简称“${shortName}”有 ${length} 个字符，本辖区规定最多 ${rule.maxShortNameLength} 个（000:7）`,
      { shortName, length, max: rule.maxShortNameLength },
    );
}

export interface NamedNode {
  readonly orgNodeId: string;
  readonly parentId: string | null;
  readonly shortName: string | null;
  readonly kind: string;
  readonly status: string;
}

/** The problems of each ACTIVE node (the root and categories included) against the rule. */
export function namingProblems(nodes: readonly NamedNode[], rule: NamingRule): Map<string, NamingProblem[]> {
  const active = nodes.filter((n) => n.status === 'ACTIVE');
  const bySibling = new Map<string, number>();
  const siblingKey = (n: NamedNode) => `${n.parentId ?? ''}\u0000${n.shortName}`;
  for (const node of active)
    if (node.shortName !== null) bySibling.set(siblingKey(node), (bySibling.get(siblingKey(node)) ?? 0) + 1);
  const problems = new Map<string, NamingProblem[]>();
  for (const node of active) {
    const found: NamingProblem[] = [];
    if (node.shortName === null) found.push('SHORT_NAME_MISSING');
    else {
      if ([...node.shortName].length > rule.maxShortNameLength) found.push('SHORT_NAME_TOO_LONG');
      if ((bySibling.get(siblingKey(node)) ?? 0) > 1) found.push('SHORT_NAME_DUPLICATE');
    }
    if (found.length > 0) problems.set(node.orgNodeId, found);
  }
  return problems;
}
