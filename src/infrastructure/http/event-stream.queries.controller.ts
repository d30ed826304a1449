/**
 * The published events over HTTP: the AsyncAPI 3 contract (`GET /asyncapi`, public) and the live
 * stream as Server-Sent Events (`GET /events/stream`), resumable from any position with
 * `Last-Event-ID` (each SSE `id` is the event's global position).
 */
import { Controller, Get, Headers, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { asyncApiDocument } from '../../application/published-events/asyncapi';
import { toPublicEvent } from '../../application/published-events/public-event';
import { ForSubscribers, Public } from '../auth/auth.guard';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { OpenEventStream, type StreamQuery } from '../../application/published-events/open-event-stream';
import { QUERY_BUS, type QueryBus } from '../../application/queries/query-bus';
import { type HttpRequestLike, principalOf } from './http-exchange';

interface SseResponse {
  status(code: number): unknown;
  setHeader(name: string, value: string): unknown;
  flushHeaders(): void;
  write(chunk: string): boolean;
  end(): void;
  once(event: 'drain' | 'close', listener: () => void): unknown;
  off(event: 'drain' | 'close', listener: () => void): unknown;
  writableEnded: boolean;
}
interface SseRequest extends HttpRequestLike {
  once(event: 'close', listener: () => void): unknown;
}

export const CONTRACT_VERSION = '1.0.0';

@ApiTags('published events (对外发布的事件)')
@Controller()
export class EventStreamController {
  constructor(
    @Inject(QUERY_BUS) private readonly queries: QueryBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('asyncapi')
  @Public()
  @ApiOperation({
    summary:
      'The published event contract as an AsyncAPI 3 document: every public event type, its version history and JSON Schema, the SSE, WebSocket and webhook channels',
  })
  contract() {
    // The configured public address, never the request's Host (a document naming any host a client sends is a phishing aid).
    const { publicBaseUrl, host, port } = this.config;
    return asyncApiDocument({
      host: publicBaseUrl ? new URL(publicBaseUrl).host : `${host}:${port}`,
      version: CONTRACT_VERSION,
    });
  }

  @Get('events/stream')
  @ForSubscribers()
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'The published events as Server-Sent Events, catch-up then live (system admins, or a subscription’s service credential with subscription=<id>)',
  })
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'Resume after this position (the id of the last event received)',
  })
  @ApiQuery({ name: 'types', required: false, description: 'Event types, comma-separated' })
  @ApiQuery({
    name: 'streamPrefixes',
    required: false,
    description: 'Stream-name prefixes, comma-separated (e.g. Person-,OrgTree-)',
  })
  @ApiQuery({
    name: 'orgSubtrees',
    required: false,
    description: 'Org node ids: events concerning these nodes or anything under them',
  })
  @ApiQuery({
    name: 'subscription',
    required: false,
    description: 'Read as this subscription: its filter and personal-data grants apply',
  })
  @ApiQuery({ name: 'from', required: false, description: 'start, end (default) or a position' })
  async stream(
    @Query() query: StreamQuery,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() req: SseRequest,
    @Res() res: SseResponse,
  ): Promise<void> {
    const { feed, grants } = await this.queries.execute(
      new OpenEventStream(principalOf(req), query, lastEventId?.trim() || undefined),
    );
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    res.write('retry: 2000\n\n');
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), this.config.webhooks.sseHeartbeatMs);
    req.once('close', () => void feed.close());
    try {
      for await (const { envelope, scope } of feed) {
        const event = toPublicEvent(envelope, scope, grants);
        if (!res.write(`id: ${event.position}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`)) {
          await new Promise<void>((resolve) => {
            const done = () => {
              res.off('drain', done);
              res.off('close', done);
              resolve();
            };
            res.once('drain', done);
            res.once('close', done);
          });
        }
        if (res.writableEnded) break;
      }
    } finally {
      clearInterval(heartbeat);
      await feed.close();
      if (!res.writableEnded) res.end();
    }
  }
}
