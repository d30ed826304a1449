/**
 * What every command route does the same way: who is acting, the envelope fields of the request
 * (effective date, reason, source reference), `If-Match` → the revision the client saw, `ETag` ←
 * the stream's revision after the command, and `Idempotency-Key` → at most one application.
 *
 * Until authentication arrives (issue 4), the actor is read from X-Actor-Account-Id, X-Actor-Role
 * and X-Actor-Person-Id; a request without them is refused with 401.
 */
import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { CommandMetadata, CommandOutcome } from '../../application/decider/decider-command-runner';
import type { JsonObject } from '../../application/event-store/json';
import { IdempotentRequests } from '../../application/idempotency/idempotent-requests';
import { ACTOR_ROLES, type Actor, type ActorRole } from '../../domain/shared/actor';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { CommandMetaDto } from './dto/command-meta.dto';
import { toHttpError } from './error-response.filter';

export interface HttpRequestLike {
  readonly method: string;
  readonly originalUrl?: string;
  readonly url: string;
  readonly headers: Record<string, string | string[] | undefined>;
}
export interface HttpResponseLike {
  status(code: number): unknown;
  setHeader(name: string, value: string): unknown;
}

function header(request: HttpRequestLike, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function unauthenticated(message: string): HttpException {
  return new HttpException({ code: 'UNAUTHENTICATED', message }, HttpStatus.UNAUTHORIZED);
}

export function actorOf(request: HttpRequestLike): Actor {
  const accountId = header(request, 'x-actor-account-id')?.trim();
  const role = header(request, 'x-actor-role')?.trim() as ActorRole | undefined;
  const personId = header(request, 'x-actor-person-id')?.trim();
  if (!accountId || accountId.length > 64) throw unauthenticated('请求未标明操作账号（X-Actor-Account-Id）');
  if (!role || !ACTOR_ROLES.includes(role) || role === 'SYSTEM') throw unauthenticated(`操作角色（X-Actor-Role）应为 ${ACTOR_ROLES.filter((r) => r !== 'SYSTEM').join('、')} 之一`);
  return personId ? { accountId, personId, role } : { accountId, role };
}

/** `If-Match: "12"` (or W/"12", or 12) → 12n; absent → undefined. */
export function expectedRevisionOf(request: HttpRequestLike): bigint | undefined {
  const value = header(request, 'if-match')?.trim();
  if (value === undefined || value === '') return undefined;
  const match = /^(?:W\/)?"?(\d{1,18})"?$/.exec(value);
  if (!match) throw new HttpException({ code: 'INVALID_IF_MATCH', message: `If-Match 值 ${value.slice(0, 40)} 无效：应为响应 ETag 中的版本号，如 "12"` }, HttpStatus.BAD_REQUEST);
  return BigInt(match[1]);
}

export function etagOf(revision: bigint | null): string | null {
  return revision === null ? null : `"${revision}"`;
}

export function outcomeBody(outcome: CommandOutcome): JsonObject {
  return {
    streamId: outcome.streamId,
    revision: outcome.revision === null ? null : outcome.revision.toString(),
    position: outcome.position,
    events: outcome.events.map((event) => ({ eventId: event.eventId, type: event.type, revision: event.revision.toString() })),
  };
}

@Injectable()
export class CommandHttp {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly idempotency: IdempotentRequests,
  ) {}

  async handle(
    request: HttpRequestLike,
    response: HttpResponseLike,
    meta: CommandMetaDto,
    run: (metadata: CommandMetadata) => Promise<CommandOutcome>,
  ): Promise<JsonObject> {
    const actor = actorOf(request);
    const expectedRevision = expectedRevisionOf(request);
    const metadata: CommandMetadata = {
      actor,
      jurisdiction: this.config.jurisdiction,
      effectiveAt: meta.effectiveAt,
      reason: meta.reason ?? null,
      sourceRef: meta.sourceRef ?? null,
      ...(expectedRevision !== undefined ? { expectedRevision } : {}),
    };
    const execute = async () => {
      const outcome = await run(metadata);
      return { status: HttpStatus.OK, body: outcomeBody(outcome), etag: etagOf(outcome.revision) };
    };
    const key = header(request, 'idempotency-key')?.trim();
    let answer;
    if (key) {
      if (key.length > 200) throw new HttpException({ code: 'INVALID_IDEMPOTENCY_KEY', message: 'Idempotency-Key 最长 200 个字符' }, HttpStatus.BAD_REQUEST);
      const fingerprint = IdempotentRequests.fingerprint(request.method, request.originalUrl ?? request.url, meta);
      const result = await this.idempotency.run({ jurisdiction: this.config.jurisdiction, accountId: actor.accountId, key, fingerprint }, execute, (error) => {
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
