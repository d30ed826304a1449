import { type DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, type AppConfig } from './config/app-config';
import { REDACTED, REDACTED_PATHS, requestSerializer } from './system/log-redaction';
import { EventStoreModule } from './event-store/event-store.module';
import { HttpModule } from './http/http.module';
import { CommandsModule } from './buses/commands.module';
import { ReadStoreModule } from './read-store/read-store.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { IntegrityModule } from './integrity/integrity.module';
import { ObservabilityModule } from './observability/observability.module';

@Module({})
export class AppModule {
  /** The configuration is loaded and validated before the module graph is built (fail fast). */
  static forConfig(config: AppConfig): DynamicModule {
    // pino-http writes a request's line at info; above info it would only build a child logger per
    // request for nothing (~5 % of a command's time, issue 20). Errors are logged by the error filter.
    const accessLog = ['info', 'debug', 'trace'].includes(config.logLevel);
    return {
      module: AppModule,
      global: true,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            // Health probes every few seconds would drown the access log.
            autoLogging: { ignore: (request) => request.url?.startsWith('/health') ?? false },
            // No token, cookie or personal datum sent in a query reaches the log.
            redact: { paths: REDACTED_PATHS, censor: REDACTED },
            serializers: { req: requestSerializer },
          },
          ...(accessLog ? {} : { exclude: [{ method: RequestMethod.ALL, path: '{*path}' }] }),
        }),
        CqrsModule.forRoot(),
        ObservabilityModule,
        EventStoreModule,
        CommandsModule,
        ReadStoreModule,
        WebhooksModule,
        IntegrityModule,
        HttpModule,
      ],
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
