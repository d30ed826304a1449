/**
 * Correcting the record without false history (issue 18), through HTTP: a departure recorded for
 * the wrong person is retracted, a transfer's effective date corrected. Every reader applies the
 * correction: the person's record, the directory, the audit trail (the original, the correction,
 * who and why), as-of queries (as believed at a recorded time, or as corrected by effective date),
 * the published events; a correction later records depend on is refused, writing nothing.
 */
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { CommandMetadata } from '../../src/application/commands/decider-command-runner';
import { isPublished } from '../../src/application/published-events/catalog';
import { idNumberCheckCharacter } from '../../src/domain/person/identity';
import { servicesOfApp } from '../support/services';
import { startTestApp, type TestApp } from '../support/test-app';
import { withHrNotice } from '../support/hr-notice';

const ADMIN_META: CommandMetadata = {
  actor: { accountId: 'acc-admin', personId: 'p-admin', role: 'SYSTEM_ADMIN' },
  jurisdiction: 'qingpu',
};
const AUTHORITY = { reason: '误将他人办理离职', sourceRef: '青人更〔2025〕3号' };
const idNumber = (n: number) => {
  const id17 = `31011819800101${String(2 * n + 1).padStart(3, '0')}`;
  return id17 + idNumberCheckCharacter(id17);
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('corrections of the record (issue 18)', () => {
  let t: TestApp;
  let app: INestApplication;
  const post = (path: string, body: object) =>
    request(app.getHttpServer()).post(path).set(t.admin).send(withHrNotice(path, body));
  const get = async (path: string) =>
    request(app.getHttpServer())
      .get(path)
      .set({ ...t.admin, 'X-Consistent-With': String(await t.store.headPosition()) });
  const eventIdOf = async (personId: string, type: string) =>
    (await t.store.readStream(`Person-${personId}`)).filter((e) => e.type === type).at(-1)!.eventId;

  beforeAll(async () => {
    t = await startTestApp();
    app = t.app;
    const { tree, people } = servicesOfApp(app);
    for (const [orgNodeId, name] of [
      ['edu', '区教育局'],
      ['health', '区卫健委'],
      ['fin', '区财政局'],
    ] as const)
      await tree.execute(
        { type: 'CreateOrgNode', data: { orgNodeId, name, kind: 'UNIT', parentId: 'root' } },
        ADMIN_META,
      );
    for (const [n, personId] of [
      [1, 'p-wrong'],
      [2, 'p-moved'],
      [3, 'p-twice'],
    ] as const)
      await people.register(
        {
          personId,
          name: `人员${'甲乙丙'[n - 1]}`,
          idNumber: idNumber(n),
          gender: '1',
          mobile: `1391000000${n}`,
          officePhone: null,
          rank: null,
          politicalStatus: null,
          leadershipDuties: null,
          employment: { type: 'ON_ESTABLISHMENT', establishmentType: 'ADMINISTRATIVE' },
          primaryPost: { orgNodeId: 'edu', title: '科员' },
        },
        // On post since 2024, so that the dates below find them there.
        { ...ADMIN_META, effectiveAt: '2024-01-01' },
      );
  }, 60_000);
  afterAll(() => t.close());

  it('retracts a departure recorded for the wrong person; every reader applies it', async () => {
    await post('/persons/p-wrong/departure', { departureReason: 'OTHER' }).expect(200);
    const leftId = await eventIdOf('p-wrong', 'PersonLeft');
    await sleep(5);
    const believedLeft = new Date().toISOString();
    await sleep(5);

    const before = await t.store.headPosition();
    const unauthorised = await post('/persons/p-wrong/corrections', { eventId: leftId, correction: 'RETRACT' });
    expect(unauthorised.body.code).toBe('CORRECTION_NEEDS_AUTHORITY');
    expect(await t.store.headPosition()).toBe(before);

    await post('/persons/p-wrong/corrections', { eventId: leftId, correction: 'RETRACT', ...AUTHORITY }).expect(200);
    const person = await get('/persons/p-wrong');
    expect(person.body).toMatchObject({ status: 'ACTIVE', posts: [{ orgNodeId: 'edu', kind: 'PRIMARY' }] });
    const members = await get('/org-tree/edu/members');
    expect(JSON.stringify(members.body)).toContain('p-wrong');

    const entries = (await get('/audit/entries?entityType=Person&entityId=p-wrong')).body.entries as Array<{
      type: string;
      eventId: string;
      corrects: string | null;
      reason: string | null;
      sourceRef: string | null;
    }>;
    const original = entries.find((e) => e.type === 'PersonLeft');
    const correction = entries.find((e) => e.type === 'PersonRecordRetracted');
    expect(original?.eventId).toBe(leftId);
    expect(correction).toMatchObject({ corrects: leftId, ...AUTHORITY });

    const asBelieved = await get(`/audit/Person/p-wrong/as-of?recordedAt=${believedLeft}`);
    expect(asBelieved.body.state.status).toBe('LEFT');
    const now = await get(`/audit/Person/p-wrong/as-of?recordedAt=${new Date().toISOString()}`);
    expect(now.body.state.status).toBe('ACTIVE');
    const asCorrected = await get(`/audit/Person/p-wrong/as-of?effectiveOn=${new Date().toISOString().slice(0, 10)}`);
    expect(asCorrected.body.state.status).toBe('ACTIVE');

    // The assessment: the change stays counted where it was recorded, marked as retracted.
    const year = new Date().getFullYear();
    const listing = await get(`/assessment/${year}/units/edu/changes`);
    const departure = (listing.body.items as Array<{ id: string; correction?: { kind: string } }>).find(
      (item) => item.id === leftId,
    );
    expect(departure?.correction?.kind).toBe('RETRACTED');

    const published = (await t.store.readStream('Person-p-wrong'))
      .filter((e) => isPublished(e.type))
      .map((e) => e.type);
    expect(published).toContain('PersonRecordRetracted');
  });

  it('corrects a transfer’s effective date: by effective date the person is where the corrected record says', async () => {
    await post('/persons/p-moved/transfer', { to: { orgNodeId: 'health' }, effectiveAt: '2025-06-01' }).expect(200);
    const transferId = await eventIdOf('p-moved', 'PersonTransferred');
    const unitOn = async (day: string) =>
      (
        (await get(`/audit/Person/p-moved/as-of?effectiveOn=${day}`)).body.state.posts as Array<{ orgNodeId: string }>
      )[0].orgNodeId;
    expect(await unitOn('2025-03-01')).toBe('edu');
    await post('/persons/p-moved/corrections', {
      eventId: transferId,
      correction: 'EFFECTIVE_DATE',
      correctEffectiveAt: '2025-01-15',
      reason: '调令生效日期录错',
      sourceRef: '青人更〔2025〕4号',
    }).expect(200);
    expect(await unitOn('2025-03-01')).toBe('health');
    expect(await unitOn('2025-01-10')).toBe('edu');
  });

  it('refuses to retract a transfer a later transfer depends on, writing nothing', async () => {
    await post('/persons/p-twice/transfer', { to: { orgNodeId: 'health' } }).expect(200);
    const first = await eventIdOf('p-twice', 'PersonTransferred');
    await post('/persons/p-twice/transfer', { to: { orgNodeId: 'fin' } }).expect(200);
    const before = await t.store.headPosition();
    const refused = await post('/persons/p-twice/corrections', { eventId: first, correction: 'RETRACT', ...AUTHORITY });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('LATER_RECORDS_DEPEND_ON_IT');
    expect(await t.store.headPosition()).toBe(before);
  });
});
