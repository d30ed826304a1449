import { ApiHeader } from '@nestjs/swagger';

const COMMAND_HEADERS = [
  ApiHeader({ name: 'X-Actor-Account-Id', required: true, description: 'Acting account (until bearer tokens, issue 4)' }),
  ApiHeader({ name: 'X-Actor-Role', required: true, description: 'SYSTEM_ADMIN, TIERED_ADMIN, USER or TEMPORARY' }),
  ApiHeader({ name: 'X-Actor-Person-Id', required: false }),
  ApiHeader({ name: 'If-Match', required: false, description: 'The ETag (stream revision) the client last saw; a stale one is refused with 409' }),
  ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retried request with the same key is applied once and answered as the first time' }),
];

/** The headers every command route reads, in the OpenAPI document. */
export function CommandHeaders(): MethodDecorator {
  return (target, key, descriptor) => {
    for (const decorate of COMMAND_HEADERS) decorate(target, key, descriptor);
  };
}
