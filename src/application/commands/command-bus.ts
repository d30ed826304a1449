/**
 * The command bus as the application sees it. Every command — from HTTP, the CLI, the bulk import,
 * the policies and the scheduler — is a BusCommand dispatched here to its one handler; the
 * infrastructure binds @nestjs/cqrs's CommandBus to this port, so no application code imports NestJS.
 */
import type { Principal } from '../../domain/access/access-policy';
import type { CommandMetadata } from './decider-command-runner';

/** A command on the bus; `Answer` is what its handler returns. */
export abstract class BusCommand<Answer> {
  /** Carries the answer's type only (never set): the bus returns `Promise<Answer>`. */
  declare readonly answer?: Answer;
}

export interface CommandBus {
  execute<Answer>(command: BusCommand<Answer>): Promise<Answer>;
}
export const COMMAND_BUS = Symbol('CommandBus');

/** A handler of one kind of bus command (a plain class; an infrastructure module registers it). */
export interface BusCommandHandler<C extends BusCommand<unknown>> {
  execute(command: C): Promise<NonNullable<C['answer']>>;
}

/**
 * Who issues a command. A signed-in principal is authorized by the handler, against the state the
 * handler loaded; the platform's own processes (policies, the scheduler, bootstrap, a restructuring's
 * steps) act on the authority of what caused them and are not authorized again.
 */
export type Issuer =
  | { readonly kind: 'PRINCIPAL'; readonly principal: Principal }
  | { readonly kind: 'PLATFORM'; readonly process: string };

export function byPrincipal(principal: Principal): Issuer {
  return { kind: 'PRINCIPAL', principal };
}

export function byPlatform(process: string): Issuer {
  return { kind: 'PLATFORM', process };
}

/** What every aggregate's bus command carries: the typed domain request, its envelope fields, and who issues it. */
export abstract class AggregateCommand<Request, Answer> extends BusCommand<Answer> {
  constructor(
    readonly request: Request,
    readonly metadata: CommandMetadata,
    readonly issuer: Issuer,
  ) {
    super();
  }
}
