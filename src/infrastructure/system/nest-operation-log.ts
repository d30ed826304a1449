import { Logger } from '@nestjs/common';
import { storage } from 'nestjs-pino/storage';
import type { OperationLog } from '../../application/ports/operation-log.port';

/**
 * A background worker's log through Nest's logger (pino in the service), under its own context and
 * outside any request's: a worker (re)started while a request was served must not log as that
 * request (its id, its headers).
 */
export function nestOperationLog(context: string): OperationLog {
  const logger = new Logger(context);
  const outsideRequests = (write: () => void) => storage.exit(write);
  return {
    info: (m) => outsideRequests(() => logger.log(m)),
    warn: (m) => outsideRequests(() => logger.warn(m)),
    error: (m) => outsideRequests(() => logger.error(m)),
  };
}
