/** The service's metrics registry, for every module that counts something (global: one per service). */
import { Global, Module } from '@nestjs/common';
import { PlatformMetrics } from './platform-metrics';

@Global()
@Module({
  providers: [{ provide: PlatformMetrics, useFactory: () => new PlatformMetrics() }],
  exports: [PlatformMetrics],
})
export class ObservabilityModule {}
