/**
 * The verifiable history over HTTP (issue 22): checkpoints signed on demand and by the
 * checkpointer, inclusion and consistency proofs checked by the offline verifier (the very
 * examples/verify-proof.js), who may have which proof, and witnesses' cosignatures.
 */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { addSignature, checkpointKey, verifierKey } from '../../src/application/integrity/checkpoint';
import { ProjectionEngine } from '../../src/application/projections/projection-engine';
import { makeTempDir } from '../support/temp-dir';
import { startTestApp, type TestApp } from '../support/test-app';

const VERIFIER = join(__dirname, '../../examples/verify-proof.js');
const witness = checkpointKey('city-platform', generateKeyPairSync('ed25519').privateKey);
const WITNESS_KEY = verifierKey(witness);

function verifyOffline(dir: string, proof: object, key: string, ...extra: string[]) {
  const file = join(dir, `proof-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(proof, null, 2));
  return spawnSync(process.execPath, [VERIFIER, file, '--key', key, ...extra], { encoding: 'utf8' });
}

describe('verifiable history over HTTP (issue 22)', () => {
  let app: TestApp;
  let http: ReturnType<typeof request>;

  const caughtUp = async () => {
    const head = (await app.store.headPosition())!;
    expect(await app.app.get(ProjectionEngine).waitFor(head, 10_000)).toBe(true);
  };
  const sign = async () => {
    await caughtUp();
    return (await http.post('/integrity/checkpoints').set(app.admin).expect(200)).body;
  };
  const createNode = (orgNodeId: string) =>
    http
      .post('/org-nodes')
      .set(app.admin)
      .send({ orgNodeId, parentId: 'root', name: `${orgNodeId}局`, kind: 'UNIT', shortName: orgNodeId })
      .expect(200);

  beforeAll(async () => {
    app = await startTestApp({ INTEGRITY_WITNESS_KEYS: WITNESS_KEY });
    http = request(app.app.getHttpServer()) as unknown as ReturnType<typeof request>;
  });
  afterAll(() => app.close());

  it('signs a checkpoint on demand, only when something is new, and shows it as a signed note', async () => {
    await createNode('edu');
    const first = await sign();
    expect(first).toMatchObject({ signed: true, origin: 'gov-collab/qingpu' });
    // Every event but the checkpoint's own.
    expect(first.size).toBe((await app.store.readAll({ maxCount: 10_000 })).length - 1);
    // Nothing but the checkpoint itself since: nothing to sign.
    expect(await sign()).toMatchObject({ signed: false, size: first.size, rootHash: first.rootHash });
    const latest = (await http.get('/integrity/checkpoints/latest').set(app.admin).expect(200)).body;
    expect(latest).toMatchObject({ size: first.size, rootHash: first.rootHash, note: first.note });
    expect(latest.verifierKey).toMatch(/^gov-collab\/qingpu\+[0-9a-f]{8}\+/);
    const note = await http.get('/integrity/checkpoint').set(app.admin).expect(200);
    expect(note.headers['content-type']).toMatch(/^text\/plain/);
    expect(note.text).toBe(first.note);
    expect(note.text.split('\n').slice(0, 2)).toEqual(['gov-collab/qingpu', String(first.size)]);
  });

  it('proves an event is in a checkpoint, checked offline; a forged event or wrong key fails', async () => {
    const created = (await createNode('health')).body;
    const eventId = created.events[0].eventId as string;
    const checkpoint = await sign();
    const { verifierKey: key } = (await http.get('/integrity/checkpoints/latest').set(app.admin).expect(200)).body;
    const proof = (await http.get(`/integrity/proofs/inclusion?eventId=${eventId}`).set(app.admin).expect(200)).body;
    expect(proof).toMatchObject({ kind: 'inclusion', treeSize: checkpoint.size, rootHash: checkpoint.rootHash });
    expect(proof.event).toMatchObject({ eventId, type: 'OrgNodeCreated', streamId: 'OrgTree-qingpu', withheld: [] });
    const dir = app.dataDir;
    const ok = verifyOffline(dir, proof, key);
    expect(ok.stdout).not.toContain('FAIL');
    expect(ok.status).toBe(0);
    const forged = { ...proof, event: { ...proof.event, data: { ...proof.event.data, name: '伪造局' } } };
    expect(verifyOffline(dir, forged, key).status).toBe(1);
    expect(
      verifyOffline(dir, { ...forged, event: { ...forged.event, withheld: ['x'] }, leafHash: undefined }, '').status,
    ).toBe(2);
    expect(verifyOffline(dir, proof, WITNESS_KEY).status).toBe(1);
    // In an earlier checkpoint that did not have it yet: refused.
    const earlier = await http
      .get(`/integrity/proofs/inclusion?eventId=${eventId}&checkpoint=${checkpoint.size - 2}`)
      .set(app.admin)
      .expect(422);
    expect(earlier.body.code).toBe('EVENT_NOT_IN_CHECKPOINT');
    await http.get(`/integrity/proofs/inclusion?eventId=${eventId}&checkpoint=5`).set(app.admin).expect(404);
    await http.get('/integrity/proofs/inclusion?eventId=no-such-event').set(app.admin).expect(404);
  });

  it('proves the latest checkpoint extends an earlier one, against a checkpoint the auditor kept', async () => {
    const earlier = (await http.get('/integrity/checkpoints/latest').set(app.admin).expect(200)).body;
    await createNode('finance');
    const later = await sign();
    const proof = (
      await http.get(`/integrity/proofs/consistency?from=${earlier.size}&to=${later.size}`).set(app.admin).expect(200)
    ).body;
    const kept = join(app.dataDir, 'kept-checkpoint.txt');
    writeFileSync(kept, earlier.note);
    const result = verifyOffline(app.dataDir, proof, earlier.verifierKey, '--kept', kept);
    expect(result.stdout).not.toContain('FAIL');
    expect(result.status).toBe(0);
    await http.get('/integrity/proofs/consistency?from=2&to=3').set(app.admin).expect(404);
    await http.get('/integrity/proofs/consistency?from=abc').set(app.admin).expect(400);
  });

  it('accepts a configured witness’s cosignature once, and refuses an unknown witness', async () => {
    const latest = await sign();
    const checkpoint = (await http.get('/integrity/checkpoints/latest').set(app.admin).expect(200)).body;
    const cosigned = addSignature(checkpoint.note, witness);
    const service = await app.service('city-platform');
    const answer = (await http.post('/integrity/cosignatures').set(service).send({ note: cosigned }).expect(200)).body;
    expect(answer).toEqual({ size: latest.size, rootHash: latest.rootHash, witness: 'city-platform', recorded: true });
    const again = (await http.post('/integrity/cosignatures').set(service).send({ note: cosigned }).expect(200)).body;
    expect(again.recorded).toBe(false);
    await caughtUp();
    const shown = (await http.get(`/integrity/checkpoints/${latest.size}`).set(service).expect(200)).body;
    expect(shown).toMatchObject({ witnesses: ['city-platform'], note: cosigned });
    const stranger = addSignature(
      checkpoint.note,
      checkpointKey('city-platform', generateKeyPairSync('ed25519').privateKey),
    );
    const refused = await http.post('/integrity/cosignatures').set(service).send({ note: stranger }).expect(403);
    expect(refused.body.code).toBe('WITNESS_UNKNOWN');
    expect(latest.size).toBeGreaterThan(0);
  });

  it('gives inclusion proofs to jurisdiction-wide auditors and system admins only; checkpoints to any principal', async () => {
    const service = await app.service('oa');
    const latest = (await http.get('/integrity/checkpoints/latest').set(service).expect(200)).body;
    const refused = await http.get(`/integrity/proofs/inclusion?eventId=${latest.eventId}`).set(service).expect(403);
    expect(refused.body.code).toBeDefined();
    await http.post('/integrity/checkpoints').set(service).expect(403);
    await http.get('/integrity/checkpoints/latest').expect(401);
  });

  it('verify checks every leaf and the tree against every checkpoint', async () => {
    await sign();
    const answer = (await http.get('/integrity/verify').set(app.admin).expect(200)).body;
    expect(answer.ok).toBe(true);
    expect(answer.log).toMatchObject({ ok: true, firstMismatch: null, checkpoints: { consistent: true } });
    // One per test that added an event: a cosignature or nothing new signs nothing.
    expect(answer.log.checkpoints.checked).toBe(3);
    expect(answer.log.events).toBe(answer.log.integrated);
  });
});

describe('checkpoints signed with SM2 (国密, INTEGRITY_SIGNATURE_ALGORITHM=sm2)', () => {
  const dir = makeTempDir();
  afterAll(() => dir.remove());

  it('generates an SM2 key, signs with it, and the offline verifier checks the proof; a key of another algorithm is refused', async () => {
    const app = await startTestApp({ INTEGRITY_SIGNATURE_ALGORITHM: 'sm2' }, { keepDir: dir.path });
    try {
      const http = request(app.app.getHttpServer());
      const created = await http
        .post('/org-nodes')
        .set(app.admin)
        .send({ orgNodeId: 'edu', parentId: 'root', name: 'edu局', kind: 'UNIT', shortName: 'edu' })
        .expect(200);
      const head = (await app.store.headPosition())!;
      expect(await app.app.get(ProjectionEngine).waitFor(head, 10_000)).toBe(true);
      await http.post('/integrity/checkpoints').set(app.admin).expect(200);
      const { verifierKey: key } = (await http.get('/integrity/checkpoints/latest').set(app.admin).expect(200)).body;
      // 0xff then "SM2-with-SM3": the signed-note type of a signature the spec does not number.
      expect(
        Buffer.from(key.replace(/^[^+]+\+[0-9a-f]{8}\+/, ''), 'base64')
          .subarray(0, 4)
          .toString('latin1'),
      ).toBe('\xffSM2');
      const eventId = created.body.events[0].eventId as string;
      const proof = (await http.get(`/integrity/proofs/inclusion?eventId=${eventId}`).set(app.admin).expect(200)).body;
      const ok = verifyOffline(dir.path, proof, key);
      expect(ok.stdout).toContain('OK: gov-collab/qingpu signed a checkpoint of that tree');
      expect(ok.status).toBe(0);
      expect(verifyOffline(dir.path, proof, WITNESS_KEY).status).toBe(1);
    } finally {
      await app.close();
    }
    const mismatch = startTestApp({ INTEGRITY_SIGNATURE_ALGORITHM: 'ed25519' }, { keepDir: dir.path });
    await expect(mismatch).rejects.toThrow(/holds an sm2 key but INTEGRITY_SIGNATURE_ALGORITHM is ed25519/);
  });
});
