/**
 * The published events over WebSocket (`/events/ws`), for clients that prefer it to SSE: the same
 * query (types, streamPrefixes, orgSubtrees, subscription, from) and the same JSON per event, one
 * text message each. Browsers cannot set headers on a WebSocket, so the token may also come as
 * `access_token` in the query. A refused upgrade is answered with the HTTP error before upgrading.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Inject, Injectable, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { WebSocketServer, type WebSocket } from 'ws';
import { AccessControl } from '../../application/access/access-control';
import { OpenEventStream } from '../../application/published-events/open-event-stream';
import { toPublicEvent } from '../../application/published-events/public-event';
import { QUERY_BUS, type QueryBus } from '../../application/queries/query-bus';
import { InvalidToken, TokenService } from '../auth/token-service';
import { toHttpError } from '../http/error-response.filter';

export const EVENT_SOCKET_PATH = '/events/ws';
const MAX_BUFFERED = 4 * 1024 * 1024;

@Injectable()
export class EventSocket implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly server = new WebSocketServer({ noServer: true });
  private listener: ((request: IncomingMessage, socket: Duplex, head: Buffer) => void) | null = null;

  constructor(
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
    @Inject(TokenService) private readonly tokens: TokenService,
    @Inject(AccessControl) private readonly accessControl: AccessControl,
    @Inject(QUERY_BUS) private readonly queries: QueryBus,
  ) {}

  onApplicationBootstrap(): void {
    const http = this.adapterHost.httpAdapter?.getHttpServer() as
      { on(event: 'upgrade', listener: EventSocket['listener']): void } | undefined;
    if (!http) return;
    this.listener = (request, socket, head) => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      if (url.pathname !== EVENT_SOCKET_PATH) return; // another upgrade handler's, if any
      this.accept(request, url, socket, head).catch((error: unknown) => refuse(socket, error));
    };
    http.on('upgrade', this.listener);
  }

  private async accept(request: IncomingMessage, url: URL, socket: Duplex, head: Buffer): Promise<void> {
    const header = request.headers.authorization;
    const token = /^Bearer\s+(\S+)$/i.exec(header?.trim() ?? '')?.[1] ?? url.searchParams.get('access_token');
    if (!token) throw new InvalidToken('请求须携带登录凭证（Authorization: Bearer <token>，或 access_token 参数）');
    const principal = await this.accessControl.principalOf(await this.tokens.verify(token));
    const query = Object.fromEntries(url.searchParams.entries());
    const { feed, grants } = await this.queries.execute(new OpenEventStream(principal, query, undefined));
    this.server.handleUpgrade(request, socket, head, (ws: WebSocket) => {
      ws.on('close', () => void feed.close());
      ws.on('error', () => void feed.close());
      void (async () => {
        for await (const { envelope, scope } of feed) {
          if (ws.readyState !== ws.OPEN) break;
          ws.send(JSON.stringify(toPublicEvent(envelope, scope, grants)));
          while (ws.bufferedAmount > MAX_BUFFERED && ws.readyState === ws.OPEN)
            await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await feed.close();
        if (ws.readyState === ws.OPEN) ws.close(1001, 'service shutting down');
      })().catch(() => ws.terminate());
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    for (const client of this.server.clients) client.close(1001, 'service shutting down');
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function refuse(socket: Duplex, error: unknown): void {
  const { status, body } =
    error instanceof InvalidToken
      ? { status: 401, body: { code: 'UNAUTHENTICATED', message: error.message } }
      : toHttpError(error);
  const payload = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} Refused\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(payload)}\r\nConnection: close\r\n\r\n${payload}`,
  );
}
