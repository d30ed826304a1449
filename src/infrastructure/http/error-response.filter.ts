/**
 * One mapping from errors to HTTP answers, so every route answers alike: a JSON body with a
 * stable `code`, a `message` an administrator can act on, and the offending values in `details`.
 * Unexpected errors are logged and answered 500 without internals.
 */
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { ConcurrencyConflictError } from '../../application/commands/decider-command-runner';
import {
  EventIdConflictError,
  EventStoreClosedError,
  EventStoreError,
  EventStoreUnavailableError,
  EventTooLargeError,
  WrongExpectedVersionError,
} from '../../application/event-store/event-store.errors';
import { IntegrityProofError } from '../../application/integrity/proofs.queries';
import { InventoryQueryError } from '../../read-models/inventory/inventory.queries';
import { ReadModelBehind, ReadModelNotReady } from '../../application/projections/read-models';
import { InvalidFilterError } from '../../application/ports/read-store.port';
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
    const status =
      error.kind === 'conflict'
        ? HttpStatus.CONFLICT
        : error.kind === 'forbidden'
          ? HttpStatus.FORBIDDEN
          : HttpStatus.UNPROCESSABLE_ENTITY;
    return { status, body: { code: error.code, message: error.message, details: error.details } };
  }
  if (error instanceof ConcurrencyConflictError) {
    return {
      status: HttpStatus.CONFLICT,
      body: {
        code: error.code,
        message: error.message,
        details: { streamId: error.streamId, expected: error.expected, actual: error.actual },
      },
    };
  }
  if (error instanceof EventStoreError) {
    return { status: storeErrorStatus(error), body: { code: error.code, message: error.message } };
  }
  if (error instanceof DirectoryQueryError || error instanceof AuditQueryError) {
    const status = error.code.endsWith('NOT_FOUND')
      ? HttpStatus.NOT_FOUND
      : error.code === 'VIEWER_NOT_A_PERSON'
        ? HttpStatus.FORBIDDEN
        : HttpStatus.UNPROCESSABLE_ENTITY;
    return { status, body: { code: error.code, message: error.message } };
  }
  if (error instanceof IntegrityProofError) {
    const status = error.code.endsWith('NOT_FOUND')
      ? HttpStatus.NOT_FOUND
      : error.code === 'EVENT_NOT_YET_CHECKPOINTED'
        ? HttpStatus.CONFLICT
        : error.code === 'INVALID_PROOF_REQUEST'
          ? HttpStatus.BAD_REQUEST
          : HttpStatus.UNPROCESSABLE_ENTITY;
    return { status, body: { code: error.code, message: error.message } };
  }
  if (error instanceof InventoryQueryError) {
    const status =
      error.code === 'UNIT_NOT_FOUND'
        ? HttpStatus.NOT_FOUND
        : error.code === 'EXPORT_TOO_LARGE'
          ? HttpStatus.UNPROCESSABLE_ENTITY
          : HttpStatus.BAD_REQUEST;
    return { status, body: { code: error.code, message: error.message } };
  }
  if (error instanceof AssessmentQueryError)
    return {
      status: error.code === 'UNKNOWN_UNIT' ? HttpStatus.NOT_FOUND : HttpStatus.BAD_REQUEST,
      body: { code: error.code, message: error.message },
    };
  if (error instanceof InvalidPeriodError)
    return { status: HttpStatus.BAD_REQUEST, body: { code: error.code, message: error.message } };
  if (error instanceof InvalidFilterError)
    return { status: HttpStatus.UNPROCESSABLE_ENTITY, body: { code: error.code, message: error.message } };
  // A read model still being built, or behind the position the client asked for: try again shortly.
  if (error instanceof ReadModelNotReady || error instanceof ReadModelBehind)
    return { status: HttpStatus.SERVICE_UNAVAILABLE, body: { code: error.code, message: error.message } };
  if (error instanceof HttpException) {
    const response = error.getResponse();
    const status = error.getStatus();
    if (typeof response === 'object' && response !== null && 'code' in response)
      return { status, body: response as ErrorBody };
    const message =
      typeof response === 'string' ? response : ((response as { message?: unknown }).message ?? error.message);
    return {
      status,
      body: { code: `HTTP_${status}`, message: Array.isArray(message) ? message.join('; ') : String(message) },
    };
  }
  const requestError = bodyParserError(error);
  if (requestError) return requestError;
  return {
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    body: { code: 'INTERNAL_ERROR', message: '服务内部错误，请稍后重试；如持续出现请联系系统管理员' },
  };
}

const BODY_ERRORS: Record<string, { code: string; message: string }> = {
  'entity.too.large': { code: 'REQUEST_BODY_TOO_LARGE', message: '请求体过大，超出允许的上限' },
  'entity.parse.failed': { code: 'MALFORMED_JSON', message: '请求体不是有效的 JSON' },
  'entity.verify.failed': { code: 'MALFORMED_BODY', message: '请求体无法校验' },
  'charset.unsupported': { code: 'UNSUPPORTED_CHARSET', message: '请求体的字符集不受支持，请用 UTF-8' },
  'encoding.unsupported': { code: 'UNSUPPORTED_ENCODING', message: '请求体的内容编码不受支持' },
  'request.aborted': { code: 'REQUEST_ABORTED', message: '请求在传输中被中断' },
  'request.size.invalid': { code: 'REQUEST_SIZE_MISMATCH', message: '请求体长度与 Content-Length 不符' },
  'stream.encoding.set': { code: 'MALFORMED_BODY', message: '请求体无法读取' },
  'parameters.too.many': { code: 'TOO_MANY_PARAMETERS', message: '请求参数过多' },
};

/** A refusal from the body parser (http-errors: a 4xx `status` meant to be shown): the client's mistake, not ours. */
function bodyParserError(error: unknown): { status: number; body: ErrorBody } | null {
  if (typeof error !== 'object' || error === null) return null;
  const { status, type, expose } = error as { status?: unknown; type?: unknown; expose?: unknown };
  if (typeof status !== 'number' || status < 400 || status >= 500 || expose !== true) return null;
  const known = typeof type === 'string' ? BODY_ERRORS[type] : undefined;
  return { status, body: known ?? { code: `HTTP_${status}`, message: '请求无法处理' } };
}

function storeErrorStatus(error: EventStoreError): number {
  if (error instanceof WrongExpectedVersionError || error instanceof EventIdConflictError) return HttpStatus.CONFLICT;
  if (error instanceof EventTooLargeError) return HttpStatus.PAYLOAD_TOO_LARGE;
  if (error instanceof EventStoreUnavailableError || error instanceof EventStoreClosedError)
    return HttpStatus.SERVICE_UNAVAILABLE;
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
    host
      .switchToHttp()
      .getResponse<{ status(code: number): { json(body: unknown): void } }>()
      .status(status)
      .json(body);
  }
}
