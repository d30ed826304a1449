import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, type AppConfig } from './config/app-config';
import { EventStoreModule } from './event-store/event-store.module';
import { ErrorResponseFilter } from './http/error-response.filter';
import { HealthController } from './http/health.controller';
import { CommandsModule } from './commands.module';
import { ReadModelsModule } from './read-store/read-models.module';
import { WebhooksModule } from './webhooks/webhooks.module';

@Module({})
export class AppModule {
  /** The configuration is loaded and validated before the module graph is built (fail fast). */
  static forConfig(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            // Health probes every few seconds would drown the access log.
            autoLogging: { ignore: (request) => request.url?.startsWith('/health') ?? false },
          },
        }),
        CqrsModule.forRoot(),
        EventStoreModule,
        CommandsModule,
        ReadModelsModule,
        WebhooksModule,
      ],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: APP_FILTER, useClass: ErrorResponseFilter },
      ],
      exports: [APP_CONFIG],
      controllers: [HealthController],
    };
  }
}
