import { DomainError } from '../shared/domain-error';

export class OrgNodeNotFound extends DomainError {
  readonly code = 'ORG_NODE_NOT_FOUND';
  readonly kind = 'unprocessable';
  constructor(orgNodeId: string) {
    super(`组织节点 ${orgNodeId} 不存在`, { orgNodeId });
  }
}

export class OrgNodeAlreadyExists extends DomainError {
  readonly code = 'ORG_NODE_ALREADY_EXISTS';
  readonly kind = 'conflict';
  constructor(orgNodeId: string) {
    super(`组织节点编号 ${orgNodeId} 已被使用`, { orgNodeId });
  }
}

export class OrgNodeNotActive extends DomainError {
  readonly code = 'ORG_NODE_NOT_ACTIVE';
  readonly kind = 'conflict';
  constructor(orgNodeId: string, name: string, status: string) {
    super(`组织节点“${name}”（${orgNodeId}）已${status === 'MERGED' ? '被合并' : '撤销'}，不能再变更`, {
      orgNodeId,
      status,
    });
  }
}

export class RootAlreadyExists extends DomainError {
  readonly code = 'ROOT_ALREADY_EXISTS';
  readonly kind = 'conflict';
  constructor(rootId: string) {
    super(`本辖区已有根节点 ${rootId}，每个辖区只能有一个根节点`, { rootId });
  }
}

export class RootMisplaced extends DomainError {
  readonly code = 'ROOT_MISPLACED';
  readonly kind = 'unprocessable';
  constructor(reason: string) {
    super(`根节点设置有误：${reason}`, { reason });
  }
}

export class InvalidNodeName extends DomainError {
  readonly code = 'INVALID_NODE_NAME';
  readonly kind = 'unprocessable';
  constructor(name: string, reason: string) {
    super(`组织名称“${name.slice(0, 80)}”无效：${reason}`, { name: name.slice(0, 80), reason });
  }
}

/** 000:7 "规范化简称及顺序": siblings have distinct short names and distinct orders. */
export class DuplicateSiblingShortName extends DomainError {
  readonly code = 'DUPLICATE_SIBLING_SHORT_NAME';
  readonly kind = 'conflict';
  constructor(shortName: string, parentId: string, existingId: string) {
    super(`同一上级节点（${parentId}）下已有简称为“${shortName}”的组织（${existingId}）`, {
      shortName,
      parentId,
      existingId,
    });
  }
}

export class DuplicateSiblingOrder extends DomainError {
  readonly code = 'DUPLICATE_SIBLING_ORDER';
  readonly kind = 'conflict';
  constructor(order: number, parentId: string, existingId: string) {
    super(`同一上级节点（${parentId}）下已有排序号为 ${order} 的组织（${existingId}），同级排序号不能重复`, {
      order,
      parentId,
      existingId,
    });
  }
}

export class DuplicateSiblingName extends DomainError {
  readonly code = 'DUPLICATE_SIBLING_NAME';
  readonly kind = 'conflict';
  constructor(name: string, parentId: string, existingId: string) {
    super(`同一上级节点（${parentId}）下已有名为“${name}”的组织（${existingId}）`, { name, parentId, existingId });
  }
}

export class MoveWouldCreateCycle extends DomainError {
  readonly code = 'MOVE_WOULD_CREATE_CYCLE';
  readonly kind = 'unprocessable';
  constructor(orgNodeId: string, toParentId: string) {
    super(`不能把组织节点 ${orgNodeId} 移到其自身或其下级节点 ${toParentId} 之下`, { orgNodeId, toParentId });
  }
}

export class InvalidOrder extends DomainError {
  readonly code = 'INVALID_ORDER';
  readonly kind = 'unprocessable';
  constructor(order: number) {
    super(`排序号 ${order} 无效：应为 0 至 999999 之间的整数`, { order });
  }
}

export class NodeStillHasChildren extends DomainError {
  readonly code = 'NODE_STILL_HAS_CHILDREN';
  readonly kind = 'conflict';
  constructor(orgNodeId: string, children: readonly string[]) {
    super(`组织节点 ${orgNodeId} 下仍有 ${children.length} 个在用下级节点，须先调整后才能撤销`, {
      orgNodeId,
      children,
    });
  }
}

export class NamesakesUnresolved extends DomainError {
  readonly code = 'NAMESAKES_UNRESOLVED';
  readonly kind = 'conflict';
  constructor(readonly collisions: ReadonlyArray<{ orgNodeId: string; name: string; existingId: string }>) {
    super(
      `合并后存续组织下将出现同名组织：${collisions.map((c) => `“${c.name}”（${c.orgNodeId} 与 ${c.existingId}）`).join('、')}；须在方案中写明与同名组织合并或改名（namesakes）`,
      { collisions },
    );
  }
}

export class DispositionRequired extends DomainError {
  readonly code = 'DISPOSITION_REQUIRED';
  readonly kind = 'unprocessable';
  constructor(orgNodeId: string, people: number) {
    super(
      `撤销组织节点 ${orgNodeId} 须写明其 ${people} 名人员的去向：调往哪个组织（peopleTo），或按何种原因办理离职（departureReason）（003:11）`,
      { orgNodeId, people },
    );
  }
}

export class InvalidAbolition extends DomainError {
  readonly code = 'INVALID_ABOLITION';
  readonly kind = 'unprocessable';
  constructor(reason: string, details: Record<string, unknown> = {}) {
    super(`撤销方案无效：${reason}`, details);
  }
}

export class InvalidMerge extends DomainError {
  readonly code = 'INVALID_MERGE';
  readonly kind = 'unprocessable';
  constructor(reason: string, details: Record<string, unknown> = {}) {
    super(`合并方案无效：${reason}`, details);
  }
}
