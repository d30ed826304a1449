import { Logger } from '@nestjs/common';
import type { OperationLog } from '../../application/ports/operation-log.port';

/** A background worker's log through Nest's logger (pino in the service), under its own context. */
export function nestOperationLog(context: string): OperationLog {
  const logger = new Logger(context);
  return { info: (m) => logger.log(m), warn: (m) => logger.warn(m), error: (m) => logger.error(m) };
}
