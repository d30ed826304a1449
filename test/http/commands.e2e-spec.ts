import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { EventStore } from '../../src/application/ports/event-store.port';
import { idNumberCheckCharacter } from '../../src/domain/person/identity';
import { startTestApp, type TestApp } from '../support/test-app';
import { withHrNotice } from '../support/hr-notice';

const id17 = '31011819800101001';
const ID_NUMBER = id17 + idNumberCheckCharacter(id17);

function person(overrides: Record<string, unknown> = {}) {
  return {
    personId: 'p1',
    name: '张三',
    idNumber: ID_NUMBER,
    gender: '1',
    mobile: '13812345678',
    employment: { type: 'ON_ESTABLISHMENT', establishmentType: 'ADMINISTRATIVE' },
    politicalStatus: '13',
    primaryPost: { orgNodeId: 'edu', title: '科员' },
    effectiveAt: '2025-03-03',
    ...overrides,
  };
}

describe('command API over HTTP', () => {
  let app: INestApplication;
  let store: EventStore;
  let testApp: TestApp;
  let ADMIN: Record<string, string>;
  const post = (path: string, body: object, headers: Record<string, string> = ADMIN) =>
    request(app.getHttpServer()).post(path).set(headers).send(withHrNotice(path, body));
  const get = (path: string) => request(app.getHttpServer()).get(path).set(ADMIN);

  beforeAll(async () => {
    testApp = await startTestApp();
    ({ app, store, admin: ADMIN } = testApp);
    await post('/org-nodes', { orgNodeId: 'gov', name: '区政府', kind: 'CATEGORY', parentId: 'root' }).expect(200);
    await post('/org-nodes', { orgNodeId: 'edu', name: '区教育局', kind: 'UNIT', parentId: 'gov' }).expect(200);
    await post('/org-nodes', { orgNodeId: 'fin', name: '区财政局', kind: 'UNIT', parentId: 'gov' }).expect(200);
    await post('/org-nodes', {
      orgNodeId: 'edu-office',
      name: '办公室',
      kind: 'INTERNAL_BODY',
      parentId: 'edu',
    }).expect(200);
    await post('/persons', person()).expect(200);
  });
  afterAll(async () => {
    await testApp.close();
  });

  /** Sends a request that must be refused, and checks that `$all` did not move. */
  async function refused(send: () => request.Test, status: number, code: string) {
    const before = await store.headPosition();
    const response = await send().expect(status);
    expect(response.body.code).toBe(code);
    expect(typeof response.body.message).toBe('string');
    expect(await store.headPosition()).toBe(before);
    return response;
  }

  it('answers a command with the stream revision as ETag and the events it recorded', async () => {
    const response = await post('/persons/p1/directory-class', { directoryClass: 'Q3' }).expect(200);
    expect(response.headers.etag).toBe('"1"');
    expect(response.body).toMatchObject({
      streamId: 'Person-p1',
      revision: '1',
      events: [{ type: 'PersonDirectoryClassChanged', revision: '1' }],
    });
    const read = await get('/persons/p1').expect(200);
    expect(read.headers.etag).toBe('"1"');
    expect(read.body).toMatchObject({
      status: 'ACTIVE',
      directoryClass: 'Q3',
      idNumber: '310118********' + ID_NUMBER.slice(-2),
    });
  });

  it('honours If-Match: a stale revision is a 409 that writes nothing; the current one goes through', async () => {
    const { headers } = await get('/persons/p1').expect(200);
    await refused(
      () => post('/persons/p1/transfer', { to: { orgNodeId: 'fin' } }, { ...ADMIN, 'If-Match': '"0"' }),
      409,
      'CONCURRENCY_CONFLICT',
    );
    await refused(
      () => post('/persons/p1/transfer', { to: { orgNodeId: 'fin' } }, { ...ADMIN, 'If-Match': 'yesterday' }),
      400,
      'INVALID_IF_MATCH',
    );
    const moved = await post(
      '/persons/p1/transfer',
      { to: { orgNodeId: 'fin' }, effectiveAt: '2025-03-03' },
      { ...ADMIN, 'If-Match': headers.etag },
    ).expect(200);
    expect(moved.body.events[0].type).toBe('PersonTransferred');
    await post(
      '/persons/p1/transfer',
      { to: { orgNodeId: 'edu' } },
      { ...ADMIN, 'If-Match': moved.headers.etag },
    ).expect(200);
  });

  it('lets a future-dated change take effect on its date; a back-dated one is in effect at once', async () => {
    const p7 = '31011819850505007';
    await post(
      '/persons',
      person({
        personId: 'p7',
        idNumber: p7 + idNumberCheckCharacter(p7),
        mobile: '13900000007',
        effectiveAt: '2025-01-02',
      }),
    ).expect(200);
    await post('/persons/p7/transfer', {
      to: { orgNodeId: 'fin' },
      effectiveAt: '2099-01-01',
      sourceRef: '青人社〔2098〕1号',
    }).expect(200);
    const primary = (body: { posts: Array<{ kind: string; orgNodeId: string }> }) =>
      body.posts.find((p) => p.kind === 'PRIMARY')?.orgNodeId;
    const today = await get('/persons/p7').expect(200);
    expect(primary(today.body)).toBe('edu');
    expect(today.headers.etag).toBe('"1"'); // the recorded revision: the transfer is recorded
    expect(primary((await get('/persons/p7?effectiveOn=2098-12-31').expect(200)).body)).toBe('edu');
    expect(primary((await get('/persons/p7?effectiveOn=2099-01-01').expect(200)).body)).toBe('fin');
    await get('/persons/p7?effectiveOn=2025-01-01').expect(404); // registered on 01-02
    await get('/persons/p7?effectiveOn=soon').expect(400);

    await post('/org-nodes', {
      orgNodeId: 'future',
      name: '区数据局',
      kind: 'UNIT',
      parentId: 'gov',
      effectiveAt: '2099-01-01',
    }).expect(200);
    const tree = await get('/org-tree').expect(200);
    expect(tree.body.nodes.map((n: { id: string }) => n.id)).not.toContain('future');
    const later = await get('/org-tree?effectiveOn=2099-06-01').expect(200);
    expect(later.body.nodes.map((n: { id: string }) => n.id)).toContain('future');
  });

  it('applies a request retried with the same Idempotency-Key once, and answers it the same', async () => {
    const key = { ...ADMIN, 'Idempotency-Key': 'tag-create-1' };
    const first = await post('/tags', { tagId: 't1', name: '应急值班', ownerOrgNodeId: 'gov' }, key).expect(200);
    const before = await store.headPosition();
    const again = await post('/tags', { tagId: 't1', name: '应急值班', ownerOrgNodeId: 'gov' }, key).expect(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await store.headPosition()).toBe(before);
    await refused(
      () => post('/tags', { tagId: 't2', name: '另一个', ownerOrgNodeId: 'gov' }, key),
      422,
      'IDEMPOTENCY_KEY_REUSED',
    );
    // A refused request is answered the same way on retry, too.
    const refusal = { ...ADMIN, 'Idempotency-Key': 'dup-tag' };
    await post('/tags', { tagId: 't1', name: '重复', ownerOrgNodeId: 'gov' }, refusal).expect(409);
    const retried = await post('/tags', { tagId: 't1', name: '重复', ownerOrgNodeId: 'gov' }, refusal).expect(409);
    expect(retried.body.code).toBe('TAG_ALREADY_EXISTS');
  });

  describe('bad input: a clear error and an unchanged store', () => {
    it('missing fields and wrong types: 400 naming each field', async () => {
      const response = await refused(() => post('/persons', { personId: 'p9', name: 42 }), 400, 'VALIDATION_FAILED');
      const fields = response.body.details.errors.map((e: { field: string }) => e.field);
      expect(fields).toEqual(
        expect.arrayContaining(['name', 'idNumber', 'gender', 'mobile', 'employment', 'primaryPost']),
      );
      await refused(() => post('/org-nodes/edu/reorder', { order: 'first' }), 400, 'VALIDATION_FAILED');
      await refused(
        () => post('/org-nodes', { orgNodeId: 'x', name: 'x', kind: 'PALACE', parentId: 'gov' }),
        400,
        'VALIDATION_FAILED',
      );
      await refused(
        () => post('/persons/p1/directory-class', { directoryClass: 'Q3', isAdmin: true }),
        400,
        'VALIDATION_FAILED',
      );
      await refused(
        () => post('/persons/p1/secondments', { post: { orgNodeId: 'fin' }, from: '2025-13-01', until: '2025-12-31' }),
        400,
        'VALIDATION_FAILED',
      );
      await refused(
        () => post('/persons/bad%20id/departure', { departureReason: 'RETIRED' }),
        400,
        'VALIDATION_FAILED',
      );
    });

    it('invalid ID numbers and mobiles: 422 with the rule', async () => {
      await refused(
        () => post('/persons', person({ personId: 'p2', idNumber: `${id17}0`, mobile: '13900000002' })),
        422,
        'INVALID_ID_NUMBER',
      );
      await refused(
        () => post('/persons', person({ personId: 'p2', idNumber: '31011819800230001X', mobile: '13900000002' })),
        422,
        'INVALID_ID_NUMBER',
      );
      await refused(() => post('/persons', person({ personId: 'p2', mobile: '1234567890' })), 422, 'INVALID_MOBILE');
    });

    it('a mobile or ID number already used: 409', async () => {
      const other17 = '31011819900101002';
      await refused(
        () =>
          post(
            '/persons',
            person({ personId: 'p2', idNumber: other17 + idNumberCheckCharacter(other17), gender: '2' }),
          ),
        409,
        'MOBILE_ALREADY_IN_USE',
      );
      await refused(
        () => post('/persons', person({ personId: 'p2', mobile: '13900000002' })),
        409,
        'ID_NUMBER_ALREADY_REGISTERED',
      );
    });

    it('unknown node ids', async () => {
      const other17 = '31011819900101003';
      await refused(
        () =>
          post(
            '/persons',
            person({
              personId: 'p3',
              idNumber: other17 + idNumberCheckCharacter(other17),
              mobile: '13900000003',
              primaryPost: { orgNodeId: 'nowhere' },
            }),
          ),
        409,
        'TARGET_NODE_NOT_ACTIVE',
      );
      await refused(() => post('/org-nodes/nowhere/rename', { name: '新名称' }), 422, 'ORG_NODE_NOT_FOUND');
      await refused(
        () => post('/org-nodes', { orgNodeId: 'x1', name: '新单位', kind: 'UNIT', parentId: 'nowhere' }),
        422,
        'ORG_NODE_NOT_FOUND',
      );
    });

    it('cycles and duplicate sibling names', async () => {
      await refused(() => post('/org-nodes/gov/move', { toParentId: 'edu-office' }), 422, 'MOVE_WOULD_CREATE_CYCLE');
      await refused(
        () => post('/org-nodes', { orgNodeId: 'edu2', name: ' 区教育局 ', kind: 'UNIT', parentId: 'gov' }),
        409,
        'DUPLICATE_SIBLING_NAME',
      );
      await refused(() => post('/org-nodes/fin/rename', { name: '区教育局' }), 409, 'DUPLICATE_SIBLING_NAME');
    });

    it('no or a bad bearer token: 401', async () => {
      await refused(() => post('/persons/p1/directory-class', { directoryClass: 'Q2' }, {}), 401, 'UNAUTHENTICATED');
      await refused(
        () => post('/persons/p1/directory-class', { directoryClass: 'Q2' }, { Authorization: 'Bearer not.a.token' }),
        401,
        'UNAUTHENTICATED',
      );
      await refused(
        () =>
          post('/persons/p1/directory-class', { directoryClass: 'Q2' }, { Authorization: 'Basic YWRtaW46YWRtaW4=' }),
        401,
        'UNAUTHENTICATED',
      );
      await request(app.getHttpServer()).get('/persons/p1').expect(401);
    });
  });

  it('serves the OpenAPI document at /docs with one route per command', async () => {
    const response = await request(app.getHttpServer()).get('/docs/json').expect(200);
    const paths = Object.keys(response.body.paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/org-nodes',
        '/org-nodes/{id}/rename',
        '/org-nodes/{id}/move',
        '/org-nodes/merge',
        '/org-nodes/{id}/dissolve',
        '/persons',
        '/persons/{id}/transfer',
        '/persons/{id}/secondments',
        '/persons/{id}/concurrent-posts',
        '/persons/{id}/departure',
        '/persons/{id}/reinstatement',
        '/tags',
        '/directory-policy/matrix',
        '/contact-requests',
        '/contact-requests/{id}/accept',
      ]),
    );
    expect(response.body.components.schemas.RegisterPersonDto.required).toEqual(
      expect.arrayContaining(['personId', 'name', 'idNumber', 'mobile']),
    );
  });
});
