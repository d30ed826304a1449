/**
 * The command bus as the application sees it, counted: every command's type (the domain request's
 * type for aggregate commands, else the bus command's class), its outcome (ACCEPTED, or the code of
 * its refusal) and how long it took.
 */
import { AggregateCommand, type BusCommand, type CommandBus } from '../../application/commands/command-bus';
import type { PlatformMetrics } from './platform-metrics';

function commandTypeOf(command: BusCommand<unknown>): string {
  if (command instanceof AggregateCommand) {
    const request = command.request as { type?: unknown };
    if (typeof request.type === 'string') return request.type;
  }
  return command.constructor.name;
}

function outcomeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,63}$/.test(code) ? code : 'ERROR';
}

export function measuredCommandBus(bus: CommandBus, metrics: PlatformMetrics): CommandBus {
  return {
    async execute<Answer>(command: BusCommand<Answer>): Promise<Answer> {
      const started = process.hrtime.bigint();
      const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
      try {
        const answer = await bus.execute(command);
        metrics.commandHandled(commandTypeOf(command), 'ACCEPTED', seconds());
        return answer;
      } catch (error) {
        metrics.commandHandled(commandTypeOf(command), outcomeOf(error), seconds());
        throw error;
      }
    },
  };
}
