/**
 * A question to the read models, asked by a principal: the handler decides who may read it (and
 * what they see), then waits, when the client names the position of its own last write
 * (X-Consistent-With), until the projections have read that far.
 */
import { PrincipalQuery } from '../application/queries/query-bus';
import type { Principal } from '../domain/access/access-policy';

export abstract class ReadModelQuery<Answer> extends PrincipalQuery<Answer> {
  constructor(
    principal: Principal,
    /** The position of the client's last write, if it wants to read it. */
    readonly consistentWith?: string,
  ) {
    super(principal);
  }
}
