import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json } from 'express';
import { BodyDepthPipe, requestValidationPipe } from './validation';

const INGEST_BODY_LIMIT = '1mb';
const BODY_LIMIT = '100kb';

/** What the HTTP edge needs beyond the module graph; main.ts and the HTTP tests both call it. */
export function configureHttp(app: INestApplication): void {
  // The gateway's documented batch (1,000 signals) is larger than the default body limit (100 kB).
  // Both parsers are registered here, the ingestion's first; Nest then adds none of its own.
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
