/**
 * The HTTP edge: every route (thin adapters that translate a request into a bus command or query
 * and its answer back), authentication (the guard and the tokens), the error mapping, and the live
 * stream over SSE and WebSocket.
 */
import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { WindowCounterStorage } from '../auth/window-counter-storage';
import { AuthGuard, UploadGuard } from '../auth/auth.guard';
import { CredentialThrottlerGuard } from '../auth/rate-limit';
import { TokenService } from '../auth/token-service';
import { CommandsModule } from '../buses/commands.module';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { EventSocket } from '../live-stream/event-socket';
import { TagQueriesController } from './tag.queries.controller';
import { ReadStoreModule } from '../read-store/read-store.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { AccountController } from './account.controller';
import { AppRegistrationController } from './app-registration.controller';
import { AssessmentController } from './assessment.queries.controller';
import { AuditController } from './audit.queries.controller';
import { CommandHttp } from './command-http';
import { DirectorySearchController } from './directory-search.queries.controller';
import { DirectoryController } from './directory.controller';
import { EffectiveDates } from './effective-dates';
import { ErrorResponseFilter } from './error-response.filter';
import { EventStreamController } from './event-stream.queries.controller';
import { HealthController } from './health.controller';
import { RequestController } from './request.controller';
import { ImportController } from './import.controller';
import { SessionController } from './session.controller';
import { SsoController } from './sso.controller';
import { MetricsController } from './metrics.controller';
import { UsageSignalsController } from './usage-signals.controller';
import { IntegrityController } from './integrity.queries.controller';
import { InventoryController } from './inventory.queries.controller';
import { BatchController } from './batch.controller';
import { DirectoryTemplateController } from './directory-template.queries.controller';
import { IntegrityLogController } from './integrity-log.controller';
import { OrgNodeController } from './org-node.controller';
import { OrgTreeController } from './org-tree.queries.controller';
import { PersonController } from './person.controller';
import { SubscriptionController } from './subscription.controller';
import { WorkGroupController } from './work-group.controller';

@Module({
  imports: [
    CommandsModule,
    ReadStoreModule,
    WebhooksModule,
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        throttlers: [{ name: 'default', ttl: 60_000, limit: config.rateLimitPerMinute }],
        storage: new WindowCounterStorage(),
      }),
    }),
  ],
  providers: [
    { provide: TokenService, useFactory: (config: AppConfig) => new TokenService(config), inject: [APP_CONFIG] },
    { provide: APP_GUARD, useClass: AuthGuard },
    // After authentication, so that the limit counts per credential.
    { provide: APP_GUARD, useClass: CredentialThrottlerGuard },
    UploadGuard,
    { provide: APP_FILTER, useClass: ErrorResponseFilter },
    CommandHttp,
    EffectiveDates,
    EventSocket,
  ],
  controllers: [
    HealthController,
    OrgNodeController,
    OrgTreeController,
    PersonController,
    DirectoryController,
    DirectorySearchController,
    TagQueriesController,
    ImportController,
    AccountController,
    WorkGroupController,
    AppRegistrationController,
    UsageSignalsController,
    AuditController,
    IntegrityController,
    InventoryController,
    BatchController,
    DirectoryTemplateController,
    IntegrityLogController,
    AssessmentController,
    SubscriptionController,
    EventStreamController,
    RequestController,
    SessionController,
    SsoController,
    MetricsController,
  ],
  exports: [TokenService],
})
export class HttpModule {}
