import { applyDecorators, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse } from '@nestjs/swagger';

const COMMAND_HEADERS = [
  ApiBearerAuth(),
  ApiResponse({ status: 401, description: 'No or an invalid bearer token (UNAUTHENTICATED)' }),
  ApiResponse({
    status: 403,
    description: 'The acting account may not do this; the body names the reason. Nothing is written.',
  }),
  ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'The ETag (stream revision) the client last saw; a stale one is refused with 409',
  }),
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'A retried request with the same key is applied once and answered as the first time',
  }),
];

/** The headers every command route reads, in the OpenAPI document. */
export function CommandHeaders(): MethodDecorator {
  return (target, key, descriptor) => {
    for (const decorate of COMMAND_HEADERS) decorate(target, key, descriptor);
  };
}

/** A command route: POST, the command headers and its summary (the command's name, the article behind it). */
export function CommandRoute(path: string | undefined, summary: string): MethodDecorator {
  return applyDecorators(Post(path), CommandHeaders(), ApiOperation({ summary }));
}
