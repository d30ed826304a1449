/** The service's metrics registry and its tracing, for every module that counts or traces (global: one per service). */
import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { TRACING } from '../../application/ports/tracing.port';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { OtelTracing } from './otel-tracing';
import { PlatformMetrics } from './platform-metrics';

@Global()
@Module({
  providers: [
    { provide: PlatformMetrics, useFactory: () => new PlatformMetrics() },
    {
      provide: TRACING,
      useFactory: (config: AppConfig) => new OtelTracing(config.tracesExporter, config.otlpTracesUrl),
      inject: [APP_CONFIG],
    },
  ],
  exports: [PlatformMetrics, TRACING],
})
export class ObservabilityModule implements OnApplicationShutdown {
  constructor(@Inject(TRACING) private readonly tracing: OtelTracing) {}

  /** Spans still batched are exported before the process ends. */
  async onApplicationShutdown(): Promise<void> {
    await this.tracing.shutdown();
  }
}
