/**
 * The HTTP edge: every route (thin adapters that translate a request into a bus command or query
 * and its answer back), authentication (the guard and the tokens), the error mapping, and the live
 * stream over SSE and WebSocket.
 */
import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AuthGuard } from '../auth/auth.guard';
import { TokenService } from '../auth/token-service';
import { CommandsModule } from '../buses/commands.module';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { EventSocket } from '../live-stream/event-socket';
import { EventStreamAccess } from '../live-stream/event-stream-access';
import { ReadStoreModule } from '../read-store/read-store.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { AccountsController } from './accounts.controller';
import { AppsController } from './apps.controller';
import { AssessmentController } from './assessment.queries.controller';
import { AuditController } from './audit.queries.controller';
import { CommandHttp } from './command-http';
import { DirectorySearchController } from './directory-search.queries.controller';
import { DirectoryController } from './directory.controller';
import { EffectiveDates } from './effective-dates';
import { ErrorResponseFilter } from './error-response.filter';
import { EventStreamController } from './event-stream.queries.controller';
import { HealthController } from './health.controller';
import { ImportController } from './import.controller';
import { IngestController } from './ingest.controller';
import { IntegrityController } from './integrity.queries.controller';
import { OrgNodesController } from './org-nodes.controller';
import { OrgTreeController } from './org-tree.queries.controller';
import { PersonsController } from './persons.controller';
import { SubscriptionsController } from './subscriptions.controller';
import { WorkGroupsController } from './work-groups.controller';

@Module({
  imports: [CommandsModule, ReadStoreModule, WebhooksModule],
  providers: [
    { provide: TokenService, useFactory: (config: AppConfig) => new TokenService(config), inject: [APP_CONFIG] },
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_FILTER, useClass: ErrorResponseFilter },
    CommandHttp,
    EffectiveDates,
    EventStreamAccess,
    EventSocket,
  ],
  controllers: [
    HealthController,
    OrgNodesController,
    OrgTreeController,
    PersonsController,
    DirectoryController,
    DirectorySearchController,
    ImportController,
    AccountsController,
    WorkGroupsController,
    AppsController,
    IngestController,
    AuditController,
    IntegrityController,
    AssessmentController,
    SubscriptionsController,
    EventStreamController,
  ],
  exports: [TokenService],
})
export class HttpModule {}
