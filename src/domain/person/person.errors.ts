import { DomainError } from '../shared/domain-error';

export class PersonNotFound extends DomainError {
  readonly code = 'PERSON_NOT_FOUND';
  readonly kind = 'unprocessable';
  constructor(personId: string) {
    super(`人员 ${personId} 不存在`, { personId });
  }
}

export class PersonAlreadyRegistered extends DomainError {
  readonly code = 'PERSON_ALREADY_REGISTERED';
  readonly kind = 'conflict';
  constructor(personId: string) {
    super(`人员编号 ${personId} 已登记`, { personId });
  }
}

export class PersonNotActive extends DomainError {
  readonly code = 'PERSON_NOT_ACTIVE';
  readonly kind = 'conflict';
  constructor(personId: string) {
    super(`人员 ${personId} 已离职，不能办理此项变更`, { personId });
  }
}

export class PersonNotLeft extends DomainError {
  readonly code = 'PERSON_NOT_LEFT';
  readonly kind = 'conflict';
  constructor(personId: string) {
    super(`人员 ${personId} 在职，无需重新入职`, { personId });
  }
}

export class RealNameRequired extends DomainError {
  readonly code = 'REAL_NAME_REQUIRED';
  readonly kind = 'unprocessable';
  constructor(name: string) {
    super(`姓名“${name.slice(0, 40)}”无效：实名制要求填写 1–50 个字符的真实姓名`, { name: name.slice(0, 40) });
  }
}

export class TargetNodeNotActive extends DomainError {
  readonly code = 'TARGET_NODE_NOT_ACTIVE';
  readonly kind = 'conflict';
  constructor(orgNodeId: string, status: string) {
    super(`组织节点 ${orgNodeId} ${status === 'MISSING' ? '不存在' : '已撤销或合并'}，不能在此任职`, {
      orgNodeId,
      status,
    });
  }
}

export class SameAsPrimaryNode extends DomainError {
  readonly code = 'SAME_AS_PRIMARY_NODE';
  readonly kind = 'unprocessable';
  constructor(orgNodeId: string) {
    super(`目标组织 ${orgNodeId} 就是该人员的主职所在组织`, { orgNodeId });
  }
}

export class PostAlreadyHeld extends DomainError {
  readonly code = 'POST_ALREADY_HELD';
  readonly kind = 'conflict';
  constructor(orgNodeId: string, kind: string) {
    super(`该人员已在组织 ${orgNodeId} 任职（${kind}），同一组织只能有一个职务`, { orgNodeId, kind });
  }
}

export class NoSuchPost extends DomainError {
  readonly code = 'NO_SUCH_POST';
  readonly kind = 'unprocessable';
  constructor(orgNodeId: string, kind: string) {
    super(`该人员在组织 ${orgNodeId} 没有${kind === 'SECONDMENT' ? '借调' : kind === 'CONCURRENT' ? '兼任' : ''}职务`, {
      orgNodeId,
      kind,
    });
  }
}

export class InvalidSecondmentPeriod extends DomainError {
  readonly code = 'INVALID_SECONDMENT_PERIOD';
  readonly kind = 'unprocessable';
  constructor(from: string, until: string) {
    super(`借调期限无效：结束日期 ${until} 早于开始日期 ${from}`, { from, until });
  }
}

export class InvalidPersonField extends DomainError {
  readonly code = 'INVALID_PERSON_FIELD';
  readonly kind = 'unprocessable';
  constructor(field: string, value: unknown, expected: string) {
    super(`字段 ${field} 的值 ${JSON.stringify(value)?.slice(0, 60)} 无效：${expected}`, { field, expected });
  }
}

/** 001a:22: the successor takes over the groups and responsibilities; they must be on post. */
export class SuccessorNotActive extends DomainError {
  readonly code = 'SUCCESSOR_NOT_ACTIVE';
  readonly kind = 'conflict';
  constructor(personId: string) {
    super(`交接人 ${personId} 不存在或已离职，不能接手工作交接`, { personId });
  }
}
