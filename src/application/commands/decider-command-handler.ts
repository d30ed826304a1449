/**
 * The generic @nestjs/cqrs command handler for deciders. A concrete handler names its decider and
 * the stream a command addresses:
 *
 *   @CommandHandler(TransferPersonCommand)
 *   export class TransferPersonHandler extends DeciderCommandHandler<TransferPersonCommand, PersonCommand, PersonEvent, PersonState> {
 *     protected readonly decider = personDecider;
 *     protected streamOf(command: TransferPersonCommand) { return `Person-${command.command.data.personId}`; }
 *   }
 */
import { Injectable } from '@nestjs/common';
import { Command } from '@nestjs/cqrs';
import type { Decider, DomainCommand, DomainEvent } from '../../domain/shared/decider';
import { type CommandMetadata, type CommandOutcome, DeciderCommandRunner } from './decider-command-runner';

/** What travels on the command bus: the domain command and its metadata; the bus returns the outcome. */
export abstract class DeciderBusCommand<
  C extends DomainCommand,
  Event extends DomainEvent = DomainEvent,
> extends Command<CommandOutcome<Event>> {
  constructor(
    readonly command: C,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

/** Satisfies @nestjs/cqrs's ICommandHandler for every concrete subclass. */
@Injectable()
export abstract class DeciderCommandHandler<
  BusCommand extends DeciderBusCommand<C, Event>,
  C extends DomainCommand,
  Event extends DomainEvent,
  State,
> {
  protected abstract readonly decider: Decider<C, Event, State>;
  protected abstract streamOf(command: BusCommand): string;

  constructor(private readonly runner: DeciderCommandRunner) {}

  execute(command: BusCommand): Promise<CommandOutcome<Event>> {
    return this.runner.run(this.decider, this.streamOf(command), command.command, command.metadata);
  }
}
