import { LiveFeeds } from './infrastructure/live-stream/open-feeds';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { AppModule } from './infrastructure/app.module';
import { ConfigurationError, loadConfig } from './infrastructure/config/app-config';
import { configureHttp } from './infrastructure/http/configure-http';
import { prepareDataDirectory } from './infrastructure/system/data-directory';

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
    prepareDataDirectory(config);
  } catch (error) {
    if (error instanceof ConfigurationError) {
      process.stderr.write(`${error.message}\nSee README.md, section "Configuration".\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const app = await NestFactory.create(AppModule.forConfig(config), { bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  configureHttp(app);
  // SIGTERM/SIGINT: stop taking requests, let appends in flight finish, close the store
  // (EventStoreModule.onApplicationShutdown), then exit 0; a hung shutdown is cut off.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.log(`${signal} received: shutting down`);
      setTimeout(() => {
        logger.error(`Shutdown took longer than ${config.shutdownTimeoutMs} ms; exiting`);
        process.exit(1);
      }, config.shutdownTimeoutMs).unref();
      app.close().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'Shutdown failed');
          process.exit(1);
        },
      );
    });
  }
  await app.listen(config.port, config.host);
  // The published history's fold for the live streams, begun now (resumed from its snapshot): a stream opened at `end` is live at once.
  app.get(LiveFeeds).warmUp();
  // A cap on open connections: a flood of idle ones must not exhaust the process's descriptors.
  (app.getHttpServer() as { maxConnections: number }).maxConnections = config.maxConnections;
  logger.log(
    `Listening on http://${config.host}:${config.port} with the ${config.esdbConnectionString ? 'EventStoreDB' : `embedded SQLite store in ${config.dataDir}`}`,
  );
}

void bootstrap();
