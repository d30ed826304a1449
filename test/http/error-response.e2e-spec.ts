import { Controller, Get, type INestApplication, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { ConcurrencyConflictError } from '../../src/application/commands/decider-command-runner';
import {
  EventStoreUnavailableError,
  EventTooLargeError,
  InvalidStreamNameError,
  WrongExpectedVersionError,
} from '../../src/application/event-store/event-store.errors';
import { AppModule } from '../../src/infrastructure/app.module';
import { Public } from '../../src/infrastructure/auth/auth.guard';
import { loadConfig } from '../../src/infrastructure/config/app-config';
import { SessionFull, SessionNotOpen } from '../support/training-session.decider';
import { makeTempDir } from '../support/temp-dir';

@Public()
@Controller('raise')
class RaisingController {
  @Get('domain-conflict') domainConflict() {
    throw new SessionFull('s1', 30);
  }
  @Get('domain-unprocessable') domainUnprocessable() {
    throw new SessionNotOpen('s1');
  }
  @Get('concurrency') concurrency() {
    throw new ConcurrencyConflictError('Person-1', 5, '3', '4');
  }
  @Get('wrong-version') wrongVersion() {
    throw new WrongExpectedVersionError('Person-1', '3', 4n);
  }
  @Get('bad-stream') badStream() {
    throw new InvalidStreamNameError('x y', 'whitespace');
  }
  @Get('too-large') tooLarge() {
    throw new EventTooLargeError(0, 2_000_000, 1_048_576);
  }
  @Get('store-down') storeDown() {
    throw new EventStoreUnavailableError('disk full');
  }
  @Get('bug') bug() {
    throw new TypeError('secret internal detail at /srv/app.js:42');
  }
}

@Module({ controllers: [RaisingController] })
class RaisingModule {}

describe('error responses', () => {
  let app: INestApplication;
  let dir: ReturnType<typeof makeTempDir>;
  beforeAll(async () => {
    dir = makeTempDir();
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule.forConfig(loadConfig({ DATA_DIR: dir.path, LOG_LEVEL: 'silent' })), RaisingModule],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });
  afterAll(async () => {
    await app.close();
    dir.remove();
  });

  it.each([
    ['domain-conflict', 409, 'TRAINING_SESSION_FULL', { sessionId: 's1', places: 30 }],
    ['domain-unprocessable', 422, 'TRAINING_SESSION_NOT_OPEN', { sessionId: 's1' }],
    ['concurrency', 409, 'CONCURRENCY_CONFLICT', { streamId: 'Person-1', expected: '3', actual: '4' }],
    ['wrong-version', 409, 'WRONG_EXPECTED_VERSION', undefined],
    ['bad-stream', 400, 'INVALID_STREAM_NAME', undefined],
    ['too-large', 413, 'EVENT_TOO_LARGE', undefined],
    ['store-down', 503, 'EVENT_STORE_UNAVAILABLE', undefined],
  ])('/raise/%s answers %i with code %s', async (path, status, code, details) => {
    const response = await request(app.getHttpServer()).get(`/raise/${path}`).expect(status);
    expect(response.body.code).toBe(code);
    expect(typeof response.body.message).toBe('string');
    expect(response.body.message.length).toBeGreaterThan(0);
    if (details) expect(response.body.details).toEqual(details);
  });

  it('answers an unexpected error with 500 and no internals', async () => {
    const response = await request(app.getHttpServer()).get('/raise/bug').expect(500);
    expect(response.body.code).toBe('INTERNAL_ERROR');
    expect(JSON.stringify(response.body)).not.toContain('secret');
  });

  it('answers an unknown route with 404 in the same shape', async () => {
    const response = await request(app.getHttpServer()).get('/no/such/route').expect(404);
    expect(response.body).toEqual({ code: 'HTTP_404', message: expect.any(String) });
  });
});
