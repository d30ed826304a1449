import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { requestValidationPipe } from './validation';

/** What the HTTP edge needs beyond the module graph; main.ts and the HTTP tests both call it. */
export function configureHttp(app: INestApplication): void {
  app.useGlobalPipes(requestValidationPipe());
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('政务协同办公平台 — command API')
      .setDescription('Commands on the org tree, people, tags and the directory policy. Each route is one command of ../shared/DOMAIN.md.')
      .setVersion('0.1.0')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/json' });
}
