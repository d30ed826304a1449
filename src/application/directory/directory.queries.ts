import { AccessDenied } from '../../domain/access/access-policy';
import type { Matrix } from '../../domain/directory-policy/directory-policy.decider';
import type { AccessControl } from '../access/access-control';
import type { EventStore } from '../ports/event-store.port';
import { type BusQueryHandler, PrincipalQuery } from '../queries/query-bus';
import { loadMatrix } from './directory.command-handlers';

/** The jurisdiction's 4×4 directory matrix (001b:10): which class sees which, and how. */
export class GetDirectoryMatrix extends PrincipalQuery<Matrix> {}

/** The matrix is the directory's rule: for those the directory is for (not temporary accounts or services). */
export class GetDirectoryMatrixHandler implements BusQueryHandler<GetDirectoryMatrix> {
  constructor(
    private readonly store: EventStore,
    private readonly jurisdiction: string,
    private readonly access: AccessControl,
  ) {}

  async execute({ principal }: GetDirectoryMatrix): Promise<Matrix> {
    if ((await this.access.standingOf(principal)) === null)
      throw new AccessDenied('TEMPORARY_ACCOUNT_LIMITED', '临时账号和接口凭证不能查看通讯录规则', {}, true);
    return loadMatrix(this.store, this.jurisdiction);
  }
}
