/**
 * Downstream subscribers: the subscription registry and its commands and queries on the buses,
 * and webhook delivery (started when WEBHOOKS_ENABLED, stopped before the store closes).
 */
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type OnModuleInit,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { AccessControl } from '../../application/access/access-control';
import {
  ExecuteSubscriptionCommand,
  SubscriptionCommandHandler,
  SubscriptionQuery,
  SubscriptionQueryHandler,
} from '../../application/webhooks/subscription.commands';
import { answer, bindCommands, bindQueries, on } from '../buses/bus-bindings';
import { DeciderCommandRunner } from '../../application/commands/decider-command-runner';
import { EVENT_STORE, type EventStore } from '../../application/ports/event-store.port';
import { CLOCK, type Clock } from '../../application/ports/clock.port';
import { ID_GENERATOR, type IdGenerator } from '../../application/ports/id-generator.port';
import { SubscriptionService } from '../../application/webhooks/subscription.service';
import { WebhookDispatcher } from '../../application/webhooks/webhook-dispatcher';
import {
  SUBSCRIPTION_SECRETS,
  type SubscriptionSecrets,
  WEBHOOK_SENDER,
  type WebhookSender,
} from '../../application/ports/webhook-delivery.port';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { CommandsModule } from '../buses/commands.module';
import { DerivedSubscriptionSecrets } from './derived-secrets';
import { HttpWebhookSender } from './http-webhook-sender';
import { PublicWebhookReceivers } from './receiver-addresses';
import { WEBHOOK_RECEIVERS, type WebhookReceivers } from '../../application/ports/webhook-delivery.port';
import { nestOperationLog } from '../system/nest-operation-log';
import { LiveFeeds } from '../live-stream/open-feeds';
import { OpenEventStream, OpenEventStreamHandler } from '../../application/published-events/open-event-stream';
import { PlatformMetrics } from '../observability/platform-metrics';
import { TRACING, type Tracing } from '../../application/ports/tracing.port';
import { LeaseHolder, type LeasedWorker } from '../../application/leases/lease-holder';
import { INSTANCE_NAME } from '../system/instance-name';

@Injectable()
export class WebhookDelivery implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(WebhookDispatcher) private readonly dispatcher: WebhookDispatcher,
    @Inject(WEBHOOK_SENDER) private readonly sender: WebhookSender,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.webhooks.enabled) await this.dispatcher.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.dispatcher.stop();
    if (this.sender instanceof HttpWebhookSender) this.sender.close();
  }
}

/** Binds the subscription commands and queries to the buses before any worker starts. */
@Injectable()
export class SubscriptionBindings implements OnModuleInit {
  constructor(
    @Inject(CommandBus) private readonly commandBus: CommandBus,
    @Inject(QueryBus) private readonly queryBus: QueryBus,
    @Inject(SubscriptionService) private readonly subscriptions: SubscriptionService,
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(WEBHOOK_RECEIVERS) private readonly receivers: WebhookReceivers,
    @Inject(LiveFeeds) private readonly feeds: LiveFeeds,
  ) {}

  onModuleInit(): void {
    const commands = new SubscriptionCommandHandler(this.subscriptions, this.access, this.receivers);
    bindCommands(this.commandBus, [on(ExecuteSubscriptionCommand, commands)]);
    const queries = new SubscriptionQueryHandler(this.subscriptions, this.access);
    const stream = new OpenEventStreamHandler(this.subscriptions, this.access, this.feeds);
    bindQueries(this.queryBus, [answer(SubscriptionQuery, queries), answer(OpenEventStream, stream)]);
  }
}

@Module({
  imports: [CommandsModule],
  providers: [
    LiveFeeds,
    {
      provide: WEBHOOK_RECEIVERS,
      useFactory: (config: AppConfig) => new PublicWebhookReceivers(config.webhooks.allowedHosts),
      inject: [APP_CONFIG],
    },
    {
      provide: WEBHOOK_SENDER,
      useFactory: (receivers: PublicWebhookReceivers) => new HttpWebhookSender(receivers),
      inject: [WEBHOOK_RECEIVERS],
    },
    {
      provide: SUBSCRIPTION_SECRETS,
      useFactory: (config: AppConfig) => new DerivedSubscriptionSecrets(config),
      inject: [APP_CONFIG],
    },
    {
      provide: WebhookDispatcher,
      useFactory: (
        store: EventStore,
        sender: WebhookSender,
        secrets: SubscriptionSecrets,
        clock: Clock,
        ids: IdGenerator,
        config: AppConfig,
        metrics: PlatformMetrics,
        tracing: Tracing,
        runner: DeciderCommandRunner,
      ) => {
        const w = config.webhooks;
        // Each subscription's delivery runs in the one instance holding its lease.
        const leasing = (subscriptionId: string, worker: LeasedWorker) => {
          const lease = `webhooks-${subscriptionId}`;
          const settings = {
            jurisdiction: config.jurisdiction,
            lease,
            holder: INSTANCE_NAME,
            ttlMs: config.leaseTtlMs,
            onChange: (term: number | null) => metrics.leaseChanged(lease, term),
          };
          return new LeaseHolder(runner, worker, settings, clock, nestOperationLog('Leases'));
        };
        return new WebhookDispatcher(
          store,
          sender,
          secrets,
          clock,
          ids,
          {
            jurisdiction: config.jurisdiction,
            concurrency: w.concurrency,
            timeoutMs: w.timeoutMs,
            backoffBaseMs: w.backoffBaseMs,
            backoffMaxMs: w.backoffMaxMs,
            checkpointIntervalMs: w.checkpointIntervalMs,
            lookahead: Math.max(1000, w.concurrency * 64),
            onAttempt: (subscriptionId, outcome) => metrics.delivery(subscriptionId, outcome),
            tracing,
          },
          nestOperationLog('Webhooks'),
          leasing,
        );
      },
      inject: [
        EVENT_STORE,
        WEBHOOK_SENDER,
        SUBSCRIPTION_SECRETS,
        CLOCK,
        ID_GENERATOR,
        APP_CONFIG,
        PlatformMetrics,
        TRACING,
        DeciderCommandRunner,
      ],
    },
    {
      provide: SubscriptionService,
      useFactory: (
        runner: DeciderCommandRunner,
        store: EventStore,
        secrets: SubscriptionSecrets,
        dispatcher: WebhookDispatcher,
        clock: Clock,
        ids: IdGenerator,
        config: AppConfig,
      ) => new SubscriptionService(runner, store, secrets, config.webhooks.enabled ? dispatcher : null, clock, ids),
      inject: [
        DeciderCommandRunner,
        EVENT_STORE,
        SUBSCRIPTION_SECRETS,
        WebhookDispatcher,
        CLOCK,
        ID_GENERATOR,
        APP_CONFIG,
      ],
    },
    WebhookDelivery,
    SubscriptionBindings,
  ],
  exports: [SubscriptionService, WebhookDispatcher, LiveFeeds],
})
export class WebhooksModule {}
