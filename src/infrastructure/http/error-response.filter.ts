/**
 * One mapping from errors to HTTP answers, so every route answers alike: a JSON body with a
 * stable `code`, a `message` an administrator can act on, and the offending values in `details`.
 * Unexpected errors are logged and answered 500 without internals.
 */
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { ConcurrencyConflictError } from '../../application/decider/decider-command-runner';
import {
  EventIdConflictError,
  EventStoreClosedError,
  EventStoreError,
  EventStoreUnavailableError,
  EventTooLargeError,
  WrongExpectedVersionError,
} from '../../application/event-store/event-store.errors';
import { ReadModelBehind, ReadModelNotReady } from '../../application/projections/read-models';
import { InvalidFilterError } from '../../application/read-store/read-store.port';
import { DomainError } from '../../domain/shared/domain-error';
import { AssessmentQueryError } from '../../read-models/assessment/assessment.queries';
import { InvalidPeriodError } from '../../read-models/assessment/period';
import { AuditQueryError } from '../../read-models/audit-trail/audit-trail.queries';
import { DirectoryQueryError } from '../../read-models/directory/directory.queries';

export interface ErrorBody {
  readonly code: string;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export function toHttpError(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof DomainError) {
    const status = error.kind === 'conflict' ? HttpStatus.CONFLICT : error.kind === 'forbidden' ? HttpStatus.FORBIDDEN : HttpStatus.UNPROCESSABLE_ENTITY;
    return { status, body: { code: error.code, message: error.message, details: error.details } };
  }
  if (error instanceof ConcurrencyConflictError) {
    return { status: HttpStatus.CONFLICT, body: { code: error.code, message: error.message, details: { streamId: error.streamId, expected: error.expected, actual: error.actual } } };
  }
  if (error instanceof EventStoreError) {
    return { status: storeErrorStatus(error), body: { code: error.code, message: error.message } };
  }
  if (error instanceof DirectoryQueryError || error instanceof AuditQueryError) {
    const status = error.code.endsWith('NOT_FOUND') ? HttpStatus.NOT_FOUND : error.code === 'VIEWER_NOT_A_PERSON' ? HttpStatus.FORBIDDEN : HttpStatus.UNPROCESSABLE_ENTITY;
    return { status, body: { code: error.code, message: error.message } };
  }
  if (error instanceof AssessmentQueryError) return { status: error.code === 'UNKNOWN_UNIT' ? HttpStatus.NOT_FOUND : HttpStatus.BAD_REQUEST, body: { code: error.code, message: error.message } };
  if (error instanceof InvalidPeriodError) return { status: HttpStatus.BAD_REQUEST, body: { code: error.code, message: error.message } };
  if (error instanceof InvalidFilterError) return { status: HttpStatus.UNPROCESSABLE_ENTITY, body: { code: error.code, message: error.message } };
  // A read model still being built, or behind the position the client asked for: try again shortly.
  if (error instanceof ReadModelNotReady || error instanceof ReadModelBehind) return { status: HttpStatus.SERVICE_UNAVAILABLE, body: { code: error.code, message: error.message } };
  if (error instanceof HttpException) {
    const response = error.getResponse();
    const status = error.getStatus();
    if (typeof response === 'object' && response !== null && 'code' in response) return { status, body: response as ErrorBody };
    const message = typeof response === 'string' ? response : ((response as { message?: unknown }).message ?? error.message);
    return { status, body: { code: `HTTP_${status}`, message: Array.isArray(message) ? message.join('; ') : String(message) } };
  }
  return { status: HttpStatus.INTERNAL_SERVER_ERROR, body: { code: 'INTERNAL_ERROR', message: '服务内部错误，请稍后重试；如持续出现请联系系统管理员' } };
}

function storeErrorStatus(error: EventStoreError): number {
  if (error instanceof WrongExpectedVersionError || error instanceof EventIdConflictError) return HttpStatus.CONFLICT;
  if (error instanceof EventTooLargeError) return HttpStatus.PAYLOAD_TOO_LARGE;
  if (error instanceof EventStoreUnavailableError || error instanceof EventStoreClosedError) return HttpStatus.SERVICE_UNAVAILABLE;
  return HttpStatus.BAD_REQUEST;
}

@Catch()
export class ErrorResponseFilter implements ExceptionFilter {
  private readonly logger = new Logger(ErrorResponseFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const { status, body } = toHttpError(exception);
    if (status >= 500 && status !== HttpStatus.SERVICE_UNAVAILABLE) {
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    }
    host.switchToHttp().getResponse<{ status(code: number): { json(body: unknown): void } }>().status(status).json(body);
  }
}
