/** Each read model's version, generation, checkpoint and lag (system admins). */
import type { Principal } from '../../domain/access/access-policy';
import { AccessControl } from '../access/access-control';
import { type BusQueryHandler, PrincipalQuery } from '../queries/query-bus';
import type { ProjectionEngine } from './projection-engine';

type Status = Awaited<ReturnType<ProjectionEngine['status']>>;

export class GetReadModelStatus extends PrincipalQuery<{ readModels: Status }> {
  constructor(principal: Principal) {
    super(principal);
  }
}

export class GetReadModelStatusHandler implements BusQueryHandler<GetReadModelStatus> {
  constructor(
    private readonly engine: ProjectionEngine,
    private readonly access: AccessControl,
  ) {}

  async execute({ principal }: GetReadModelStatus) {
    this.access.authorize(principal, AccessControl.systemAdmin('查看读模型状态'));
    return { readModels: await this.engine.status() };
  }
}
