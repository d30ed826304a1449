/**
 * The query bus as the application sees it: every read a route, the CLI or a report makes is a
 * BusQuery answered by its one handler, which decides who may read it. The infrastructure binds
 * @nestjs/cqrs's QueryBus to this port.
 */
import type { Principal } from '../../domain/access/access-policy';

/** A query on the bus; `Answer` is what its handler returns. */
export abstract class BusQuery<Answer> {
  /** Carries the answer's type only (never set). */
  declare readonly answer?: Answer;
}

export interface QueryBus {
  execute<Answer>(query: BusQuery<Answer>): Promise<Answer>;
}
export const QUERY_BUS = Symbol('QueryBus');

export interface BusQueryHandler<Q extends BusQuery<unknown>> {
  execute(query: Q): Promise<NonNullable<Q['answer']>>;
}

/** A query asked by a principal (every read is authorized). */
export abstract class PrincipalQuery<Answer> extends BusQuery<Answer> {
  constructor(readonly principal: Principal) {
    super();
  }
}
