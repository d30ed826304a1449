import type { WorkGroupCommand, WorkGroupEvent } from '../../domain/work-group/work-group.decider';
import { AggregateCommand } from '../commands/command-bus';
import type { CommandOutcome } from '../commands/decider-command-runner';

type WithoutFacts<C> = C extends { type: infer T; data: infer D }
  ? { type: T; data: Omit<D, 'persons' | 'nodeStatus' | 'unitHeadId'> }
  : never;

/** A work-group command as an issuer sends it: the handler adds the facts (persons named, owning node). */
export type WorkGroupRequest = WithoutFacts<WorkGroupCommand>;
export type WorkGroupRequestData<T extends WorkGroupRequest['type']> = Extract<WorkGroupRequest, { type: T }>['data'];

/** Any command on one work group's stream (CreateWorkGroup … DissolveWorkGroup). */
export class ExecuteWorkGroupCommand extends AggregateCommand<WorkGroupRequest, CommandOutcome<WorkGroupEvent>> {}
