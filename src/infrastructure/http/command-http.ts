/**
 * What every command route does the same way around its one dispatch on the command bus: the
 * envelope fields of the request (effective date, reason, source reference), `If-Match` → the
 * revision the client saw, `ETag` ← the stream's revision after the command, and
 * `Idempotency-Key` → at most one application. Authorization is the command's handler's.
 */
import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { AccessControl } from '../../application/access/access-control';
import {
  type BusCommand,
  byPrincipal,
  COMMAND_BUS,
  type CommandBus,
  type Issuer,
} from '../../application/commands/command-bus';
import type { CommandMetadata, CommandOutcome } from '../../application/commands/decider-command-runner';
import type { JsonObject } from '../../application/event-store/json';
import { IdempotentRequests } from '../../application/idempotency/idempotent-requests';
import { AccessDenied } from '../../domain/access/access-policy';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { CommandMetaDto } from './dto/command-meta.dto';
import { toHttpError } from './error-response.filter';
import { etagOf, header, type HttpRequestLike, type HttpResponseLike, principalOf } from './http-exchange';
import { TRACING, type Tracing } from '../../application/ports/tracing.port';
import { validTraceparent } from '../observability/otel-tracing';

/** `If-Match: "12"` (or W/"12", or 12) → 12n; absent → undefined. */
export function expectedRevisionOf(request: HttpRequestLike): bigint | undefined {
  const value = header(request, 'if-match')?.trim();
  if (value === undefined || value === '') return undefined;
  const match = /^(?:W\/)?"?(\d{1,18})"?$/.exec(value);
  if (!match)
    throw new HttpException(
      {
        code: 'INVALID_IF_MATCH',
        message: `If-Match 值 ${value.slice(0, 40)} 无效：应为响应 ETag 中的版本号，如 "12"`,
      },
      HttpStatus.BAD_REQUEST,
    );
  return BigInt(match[1]);
}

export function outcomeBody(outcome: CommandOutcome): JsonObject {
  return {
    streamId: outcome.streamId,
    revision: outcome.revision === null ? null : outcome.revision.toString(),
    position: outcome.position,
    events: outcome.events.map((event) => ({
      eventId: event.eventId,
      type: event.type,
      revision: event.revision.toString(),
    })),
  };
}

/** Builds the bus command of a route from the request's envelope fields and its issuer. */
export type BusCommandOf = (metadata: CommandMetadata, issuer: Issuer) => BusCommand<CommandOutcome>;

/**
 * What every command route does the same way, around the one dispatch on the command bus: the
 * envelope fields, If-Match, ETag and Idempotency-Key. Authorization is the handler's.
 */
@Injectable()
export class CommandHttp {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(IdempotentRequests) private readonly idempotency: IdempotentRequests,
    @Inject(COMMAND_BUS) private readonly commands: CommandBus,
    @Inject(TRACING) private readonly tracing: Tracing,
  ) {}

  async dispatch(
    request: HttpRequestLike,
    response: HttpResponseLike,
    meta: CommandMetaDto,
    command: BusCommandOf,
  ): Promise<JsonObject> {
    const principal = principalOf(request);
    const actor = AccessControl.actorOf(principal);
    const expectedRevision = expectedRevisionOf(request);
    const metadata: CommandMetadata = {
      actor,
      jurisdiction: this.config.jurisdiction,
      effectiveAt: meta.effectiveAt,
      reason: meta.reason ?? null,
      sourceRef: meta.sourceRef ?? null,
      ...(expectedRevision !== undefined ? { expectedRevision } : {}),
    };
    // The command is a span of the caller's trace (W3C traceparent), or of a new one; its events carry it.
    const route = `${request.method} ${(request.originalUrl ?? request.url).split('?')[0]}`;
    const incoming = validTraceparent(header(request, 'traceparent'));
    const execute = () =>
      this.tracing.span(`HTTP ${route}`, 'server', incoming, { 'http.route': route }, async (traceparent) => {
        if (traceparent) response.setHeader('traceparent', traceparent);
        const traced = traceparent ? { ...metadata, traceparent } : metadata;
        const outcome = await this.commands.execute(command(traced, byPrincipal(principal)));
        return { status: HttpStatus.OK, body: outcomeBody(outcome), etag: etagOf(outcome.revision) };
      });
    const key = header(request, 'idempotency-key')?.trim();
    let answer;
    if (key) {
      if (key.length > 200)
        throw new HttpException(
          { code: 'INVALID_IDEMPOTENCY_KEY', message: 'Idempotency-Key 最长 200 个字符' },
          HttpStatus.BAD_REQUEST,
        );
      const fingerprint = IdempotentRequests.fingerprint(request.method, request.originalUrl ?? request.url, meta);
      const scope = { jurisdiction: this.config.jurisdiction, accountId: actor.accountId, key, fingerprint };
      const result = await this.idempotency.run(scope, execute, (error) => {
        // A refusal of the principal is not the request's answer: granted the right later, it may be sent again.
        if (error instanceof AccessDenied) return null;
        const { status, body } = toHttpError(error);
        return status < 500 ? { status, body: body as unknown as JsonObject, etag: null } : null;
      });
      answer = result.answer;
      if (result.replayed) response.setHeader('Idempotent-Replayed', 'true');
      if (answer.status >= 400) throw new HttpException(answer.body, answer.status);
    } else {
      answer = await execute();
    }
    response.status(answer.status);
    if (answer.etag) response.setHeader('ETag', answer.etag);
    return answer.body;
  }
}
