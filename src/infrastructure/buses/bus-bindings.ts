/**
 * Binds the application's plain handler classes to @nestjs/cqrs's buses, explicitly and before any
 * worker starts (onModuleInit), so that every dispatch has its handler: the application never sees
 * a decorator, and a reader finds every binding in one list per module.
 */
import type { Type } from '@nestjs/common';
import { type CommandBus, CommandHandler, type QueryBus, QueryHandler } from '@nestjs/cqrs';
import { COMMAND_METADATA, QUERY_METADATA } from '@nestjs/cqrs/dist/decorators/constants';
import type { BusCommand, BusCommandHandler } from '../../application/commands/command-bus';
import type { BusQuery, BusQueryHandler } from '../../application/queries/query-bus';

type AnyHandler = { execute(message: never): Promise<unknown> };
export type CommandBinding = readonly [Type<BusCommand<unknown>>, AnyHandler];
export type QueryBinding = readonly [Type<BusQuery<unknown>>, AnyHandler];

/** A command class and its handler, checked to belong together. */
export function on<C extends BusCommand<unknown>>(command: Type<C>, handler: BusCommandHandler<C>): CommandBinding {
  return [command, handler];
}

/** A query class and its handler, checked to belong together. */
export function answer<Q extends BusQuery<unknown>>(query: Type<Q>, handler: BusQueryHandler<Q>): QueryBinding {
  return [query, handler];
}

/** The wrapper @nestjs/cqrs keeps for a handler; ours are built once by their module (static). */
function staticWrapper(instance: object) {
  return { instance, isDependencyTreeStatic: () => true, metatype: instance.constructor } as never;
}

export function bindCommands(bus: CommandBus, bindings: readonly CommandBinding[]): void {
  for (const [command, handler] of bindings) {
    CommandHandler(command)(handler.constructor);
    const { id } = Reflect.getMetadata(COMMAND_METADATA, command) as { id: string };
    bus.bind(staticWrapper(handler), id);
  }
}

export function bindQueries(bus: QueryBus, bindings: readonly QueryBinding[]): void {
  for (const [query, handler] of bindings) {
    QueryHandler(query)(handler.constructor);
    const { id } = Reflect.getMetadata(QUERY_METADATA, query) as { id: string };
    bus.bind(staticWrapper(handler), id);
  }
}
