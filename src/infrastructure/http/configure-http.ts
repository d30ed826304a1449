import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { BodyDepthPipe, requestValidationPipe } from './validation';

/** What the HTTP edge needs beyond the module graph; main.ts and the HTTP tests both call it. */
export function configureHttp(app: INestApplication): void {
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
