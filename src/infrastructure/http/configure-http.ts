import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { CONSOLE_PATH, consoleHeaders, serveConsole } from './console-assets';
import { BodyDepthPipe, requestValidationPipe } from './validation';

const INGEST_BODY_LIMIT = '1mb';
const BODY_LIMIT = '100kb';

/** What the HTTP edge needs beyond the module graph; main.ts and the HTTP tests both call it. */
/**
 * The API's answers are data, never pages to run: nothing may be loaded or framed. The assessment
 * report (HTML) needs its inline styles and SVG images only. The OpenAPI viewer keeps helmet's
 * default policy, which lets its own scripts run.
 */
const API_POLICY = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    styleSrc: ["'unsafe-inline'"],
    imgSrc: ['data:'],
    baseUri: ["'none'"],
    formAction: ["'none'"],
    frameAncestors: ["'none'"],
  },
};

export function configureHttp(app: INestApplication): void {
  const api = helmet({ contentSecurityPolicy: API_POLICY });
  const docs = helmet();
  const policyOf = (path: string) =>
    path.startsWith('/docs')
      ? docs
      : path === CONSOLE_PATH || path.startsWith(`${CONSOLE_PATH}/`)
        ? consoleHeaders
        : api;
  app.use((request: Request, response: Response, next: NextFunction) =>
    policyOf(request.path)(request, response, next),
  );
  serveConsole(app, app.get<AppConfig>(APP_CONFIG).consoleDir);
  // The gateway's documented batch (1,000 signals) is larger than the default body limit (100 kB).
  // Both JSON parsers are registered here, the ingestion's first: Nest then adds no JSON parser of its own
  // (it looks for one by name), only its URL-encoded one.
  app.use('/ingest', json({ limit: INGEST_BODY_LIMIT }));
  app.use(json({ limit: BODY_LIMIT }));
  app.useGlobalPipes(new BodyDepthPipe(), requestValidationPipe());
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('政务协同办公平台 — command API')
      .setDescription(
        'Commands on the org tree, people, accounts, work groups, app registrations, tags and the directory policy; usage-signal ingestion for the gateway. Every route but /health needs a bearer token. Each route is one command of ../shared/DOMAIN.md.',
      )
      .setVersion('0.2.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/json' });
}
