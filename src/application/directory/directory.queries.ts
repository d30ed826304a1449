import type { Matrix } from '../../domain/directory-policy/directory-policy.decider';
import type { EventStore } from '../ports/event-store.port';
import { type BusQueryHandler, PrincipalQuery } from '../queries/query-bus';
import { loadMatrix } from './directory.command-handlers';

/** The jurisdiction's 4×4 directory matrix (001b:10): which class sees which, and how. */
export class GetDirectoryMatrix extends PrincipalQuery<Matrix> {}

export class GetDirectoryMatrixHandler implements BusQueryHandler<GetDirectoryMatrix> {
  constructor(
    private readonly store: EventStore,
    private readonly jurisdiction: string,
  ) {}

  execute(): Promise<Matrix> {
    return loadMatrix(this.store, this.jurisdiction);
  }
}
