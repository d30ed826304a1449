/**
 * The directory as viewers see it, through HTTP and the real projections: every viewer class ×
 * target class under each of the three modes, person overrides, hidden nodes, accepted contact
 * requests, and the mobile-number search that must not find a person the viewer may not find.
 */
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { idNumberCheckCharacter } from '../../src/domain/person/identity';
import { startTestApp, type TestApp } from '../support/test-app';
import { withHrNotice } from '../support/hr-notice';

const CLASSES = ['Q1', 'Q2', 'Q3', 'Q4'] as const;
const CN: Record<string, string> = { Q1: '一', Q2: '二', Q3: '三', Q4: '四' };
const MODES = ['DIRECT', 'SEARCH_ADD', 'NONE'] as const;

function idNumber(n: number): string {
  const id17 = `31011819800101${String(n).padStart(3, '0')}`;
  return id17 + idNumberCheckCharacter(id17);
}

const uniform = (mode: string) =>
  Object.fromEntries(CLASSES.map((v) => [v, Object.fromEntries(CLASSES.map((t) => [t, mode]))]));

describe('directory visibility over HTTP', () => {
  let testApp: TestApp;
  let app: INestApplication;
  let admin: Record<string, string>;
  let last = '';
  const viewerToken = new Map<string, Record<string, string>>();
  const send = async (path: string, body: object, headers = admin) => {
    const response = await request(app.getHttpServer()).post(path).set(headers).send(withHrNotice(path, body));
    if (response.status !== 200) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
    if (typeof response.body.position === 'string') last = response.body.position;
    return response;
  };
  const get = (path: string, headers = admin) =>
    request(app.getHttpServer())
      .get(path)
      .set({ ...headers, 'X-Consistent-With': last });

  let n = 0;
  async function person(
    personId: string,
    name: string,
    mobile: string,
    directoryClass: string,
    orgNodeId: string,
    withAccount = false,
  ) {
    n += 1;
    await send('/persons', {
      personId,
      name,
      idNumber: idNumber(n),
      gender: n % 2 === 1 ? '1' : '2',
      mobile,
      employment: { type: 'CONTRACTED' },
      primaryPost: { orgNodeId },
      directoryClass,
      effectiveAt: '2025-03-03',
    });
    if (withAccount) {
      await send('/accounts', { accountId: `acc-${personId}`, type: 'USER', personId, loginName: `login-${personId}` });
      await send(`/accounts/acc-${personId}/activate`, {});
      viewerToken.set(personId, await testApp.bearer(`acc-${personId}`));
    }
  }

  beforeAll(async () => {
    testApp = await startTestApp();
    ({ app, admin } = testApp);
    await send('/org-nodes', { orgNodeId: 'gov', name: '区政府', kind: 'CATEGORY', parentId: 'root' });
    await send('/org-nodes', { orgNodeId: 'edu', name: '区教育局', kind: 'UNIT', parentId: 'gov' });
    await send('/org-nodes', { orgNodeId: 'sec', name: '区保密局', kind: 'UNIT', parentId: 'gov' });
    await send('/org-nodes', { orgNodeId: 'sec-1', name: '一科', kind: 'INTERNAL_BODY', parentId: 'sec' });
    for (const c of CLASSES) {
      await person(`v${c}`, `看${CN[c]}`, `1390000000${c[1]}`, c, 'edu', true);
      await person(`t${c}`, `目标${CN[c]}`, `1370000000${c[1]}`, c, 'edu');
    }
  });
  afterAll(() => testApp.close());

  for (const mode of MODES) {
    it(`every class pair under ${mode}: resolve, search by name and by mobile, listing and PII agree`, async () => {
      await send('/directory-policy/matrix', { matrix: uniform(mode) });
      for (const viewer of CLASSES) {
        for (const target of CLASSES) {
          const resolved = await get(`/directory/visibility?viewer=v${viewer}&target=t${target}`).expect(200);
          expect(resolved.body).toMatchObject({
            listed: mode === 'DIRECT',
            searchable: mode !== 'NONE',
            addable: mode !== 'NONE',
            chattable: mode === 'DIRECT',
            mode,
            rule: 'CLASS_MATRIX',
          });
          const token = viewerToken.get(`v${viewer}`)!;
          const byMobile = await get(`/directory/search?q=1370000000${target[1]}`, token).expect(200);
          const byName = await get(`/directory/search?q=${encodeURIComponent(`标${CN[target]}`)}`, token).expect(200);
          for (const found of [byMobile.body.persons, byName.body.persons]) {
            if (mode === 'NONE') expect(found).toEqual([]);
            else {
              expect(found.map((p: { personId: string }) => p.personId)).toEqual([`t${target}`]);
              // The mobile number only where they may chat; the ID number never.
              expect('mobile' in found[0]).toBe(mode === 'DIRECT');
              expect(JSON.stringify(found)).not.toContain(idNumber(1).slice(0, 10));
            }
          }
        }
        const listing = await get('/org-tree/edu/members', viewerToken.get(`v${viewer}`)!).expect(200);
        const targets = listing.body.persons
          .map((p: { personId: string }) => p.personId)
          .filter((id: string) => id.startsWith('t'))
          .sort();
        expect(targets).toEqual(mode === 'DIRECT' ? ['tQ1', 'tQ2', 'tQ3', 'tQ4'] : []);
      }
    });
  }

  it('a person override narrows the matrix, and an accepted contact request opens the chat', async () => {
    await send('/directory-policy/matrix', { matrix: uniform('SEARCH_ADD') });
    await send('/persons/tQ2/contact-mode', { contactMode: { searchable: false, addable: false } });
    const overridden = await get('/directory/visibility?viewer=vQ1&target=tQ2').expect(200);
    expect(overridden.body).toMatchObject({
      listed: false,
      searchable: false,
      addable: false,
      chattable: false,
      rule: 'PERSON_OVERRIDE',
    });
    expect((await get('/directory/search?q=13700000002', viewerToken.get('vQ1')!).expect(200)).body.persons).toEqual(
      [],
    );
    await send('/persons/tQ2/contact-mode', { contactMode: null });

    await send('/contact-requests', { requestId: 'cr-1', toPersonId: 'vQ3' }, viewerToken.get('vQ1')!);
    await send('/contact-requests/cr-1/accept', {}, viewerToken.get('vQ3')!);
    const accepted = await get('/directory/visibility?viewer=vQ1&target=vQ3').expect(200);
    expect(accepted.body).toMatchObject({
      chattable: true,
      showMobile: true,
      mode: 'SEARCH_ADD',
      rule: 'CONTACT_ACCEPTED',
    });
    const found = await get('/directory/search?q=13900000003', viewerToken.get('vQ1')!).expect(200);
    expect(found.body.persons[0]).toMatchObject({ personId: 'vQ3', mobile: '13900000003' });
  });

  it('a hidden node hides its people and itself from everyone outside it but those allowed', async () => {
    await send('/directory-policy/matrix', { matrix: uniform('DIRECT') });
    await person('secret', '保密员', '13600000001', 'Q3', 'sec-1', true);
    await send('/org-nodes/sec/hidden', { hidden: true, visibleTo: ['vQ2'] });

    const outsider = await get('/directory/visibility?viewer=vQ1&target=secret').expect(200);
    expect(outsider.body).toMatchObject({ listed: false, searchable: false, chattable: false, rule: 'HIDDEN_NODE' });
    expect((await get('/directory/search?q=13600000001', viewerToken.get('vQ1')!).expect(200)).body.persons).toEqual(
      [],
    );
    expect(
      (await get(`/directory/search?q=${encodeURIComponent('保密')}`, viewerToken.get('vQ1')!).expect(200)).body
        .persons,
    ).toEqual([]);
    const tree = await get('/org-tree/root/subtree', viewerToken.get('vQ1')!).expect(200);
    expect(tree.body.nodes.map((n: { orgNodeId: string }) => n.orgNodeId)).not.toContain('sec');
    expect(tree.body.nodes.map((n: { orgNodeId: string }) => n.orgNodeId)).not.toContain('sec-1');

    // On the allow-list, and inside the node itself: visible.
    expect((await get('/directory/visibility?viewer=vQ2&target=secret').expect(200)).body).toMatchObject({
      listed: true,
      rule: 'CLASS_MATRIX',
    });
    expect(
      (await get('/directory/search?q=13600000001', viewerToken.get('vQ2')!).expect(200)).body.persons,
    ).toHaveLength(1);
    const insider = await get('/org-tree/root/subtree', viewerToken.get('secret')!).expect(200);
    expect(insider.body.nodes.map((n: { orgNodeId: string }) => n.orgNodeId)).toEqual(
      expect.arrayContaining(['sec', 'sec-1']),
    );
    // Administrators see the whole tree, hidden nodes flagged.
    const full = await get('/org-tree/root/subtree').expect(200);
    expect(full.body.nodes.find((n: { orgNodeId: string }) => n.orgNodeId === 'sec')).toMatchObject({
      hidden: true,
      level: 2,
      path: ['root', 'gov', 'sec'],
    });
    expect(full.body.nodes.find((n: { orgNodeId: string }) => n.orgNodeId === 'edu')).toMatchObject({ members: 8 });
  });

  it('the matrix reports how many people each cell covers, for the jurisdiction and for a unit', async () => {
    const response = await get('/directory/matrix?unitId=edu').expect(200);
    expect(response.body.classes).toEqual({ Q1: 2, Q2: 2, Q3: 2, Q4: 2 });
    expect(response.body.cells).toHaveLength(16);
    expect(response.body.cells[0]).toMatchObject({
      viewer: 'Q1',
      target: 'Q1',
      mode: 'DIRECT',
      viewers: 2,
      targets: 2,
      pairs: 2,
    });
    const all = await get('/directory/matrix').expect(200);
    expect(all.body.classes.Q3).toBe(3);
  });

  it('refuses temporary accounts and gateway credentials, and a user asking what someone else sees', async () => {
    const gateway = await testApp.service('gateway');
    expect((await get('/directory/search?q=x', gateway)).status).toBe(403);
    expect((await get('/directory/visibility?viewer=vQ2&target=tQ1', viewerToken.get('vQ1')!)).status).toBe(403);
    expect((await get('/directory/visibility?viewer=vQ1&target=tQ1', viewerToken.get('vQ1')!)).status).toBe(200);
    expect((await get('/directory/search?q=', viewerToken.get('vQ1')!)).body.code).toBe('INVALID_SEARCH');
  });
});
