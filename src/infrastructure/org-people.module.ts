import { Module } from '@nestjs/common';
import { DeciderCommandRunner } from '../application/decider/decider-command-runner';
import { DirectoryService } from '../application/directory/directory.service';
import { EVENT_STORE, type EventStore } from '../application/event-store/event-store.port';
import { IdempotentRequests } from '../application/idempotency/idempotent-requests';
import { OrgTreeService } from '../application/org-structure/org-tree.service';
import { RestructuringService } from '../application/org-structure/restructuring.service';
import { PersonService } from '../application/people/person.service';
import { CLOCK, type Clock } from '../application/ports/clock';
import { ID_GENERATOR, type IdGenerator } from '../application/ports/id-generator';
import { APP_CONFIG, type AppConfig } from './config/app-config';
import { CommandHttp } from './http/command-http';
import { EffectiveDates } from './http/effective-dates';
import { DirectoryController } from './http/directory.controller';
import { ImportController } from './http/import.controller';
import { OrgNodesController } from './http/org-nodes.controller';
import { PersonsController } from './http/persons.controller';

/** The org tree, people, tags and directory: services built from the ports, and their routes. */
@Module({
  providers: [
    {
      provide: OrgTreeService,
      useFactory: (runner: DeciderCommandRunner, store: EventStore, config: AppConfig) => new OrgTreeService(runner, store, config.jurisdiction),
      inject: [DeciderCommandRunner, EVENT_STORE, APP_CONFIG],
    },
    {
      provide: PersonService,
      useFactory: (runner: DeciderCommandRunner, store: EventStore, tree: OrgTreeService, clock: Clock, ids: IdGenerator) => new PersonService(runner, store, tree, clock, ids),
      inject: [DeciderCommandRunner, EVENT_STORE, OrgTreeService, CLOCK, ID_GENERATOR],
    },
    {
      provide: RestructuringService,
      useFactory: (store: EventStore, tree: OrgTreeService, people: PersonService, ids: IdGenerator) => new RestructuringService(store, tree, people, ids),
      inject: [EVENT_STORE, OrgTreeService, PersonService, ID_GENERATOR],
    },
    {
      provide: DirectoryService,
      useFactory: (runner: DeciderCommandRunner, store: EventStore, people: PersonService, config: AppConfig) => new DirectoryService(runner, store, people, config.jurisdiction),
      inject: [DeciderCommandRunner, EVENT_STORE, PersonService, APP_CONFIG],
    },
    {
      provide: IdempotentRequests,
      useFactory: (store: EventStore, clock: Clock, ids: IdGenerator) => new IdempotentRequests(store, clock, ids),
      inject: [EVENT_STORE, CLOCK, ID_GENERATOR],
    },
    CommandHttp,
    EffectiveDates,
  ],
  controllers: [OrgNodesController, PersonsController, DirectoryController, ImportController],
  exports: [OrgTreeService, PersonService, RestructuringService, DirectoryService],
})
export class OrgPeopleModule {}
