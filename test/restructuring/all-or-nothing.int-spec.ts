/**
 * Restructurings that are all-or-nothing (issue 18): every refusal of a merge or an abolition
 * leaves the store's head where it was; an accepted one is recorded as one plan (the commit point
 * on the tree's stream) and carried out by the restructuring process, which a crash half-way does
 * not derail: resumed, it converges to exactly the events of an uninterrupted run.
 *
 * Tree: root › gov(1) › agencies(2) › edu(3) › edu-office(4), edu › edu-zh(4) 综合科 and
 * agencies › health(3) › health-office(4) 综合科 (the namesake of edu-zh), health › health-it(4).
 */
import { join } from 'node:path';
import { type CommandMetadata, DeciderCommandRunner } from '../../src/application/commands/decider-command-runner';
import { RestructuringProcess } from '../../src/application/org-node/restructuring.process';
import type { EventStore } from '../../src/application/ports/event-store.port';
import { ExecutePersonCommand } from '../../src/application/person/person.commands';
import { idNumberCheckCharacter } from '../../src/domain/person/identity';
import { ChineseWorkingDayCalendar } from '../../src/infrastructure/calendar/chinese-working-day-calendar';
import { SqliteEventStore } from '../../src/infrastructure/event-store/sqlite/sqlite-event-store';
import { SYSTEM_ADMIN } from '../support/decider-specification';
import { InMemoryCommandBus, servicesOnStore } from '../support/services';
import { makeTempDir } from '../support/temp-dir';

const ADMIN: CommandMetadata = { actor: SYSTEM_ADMIN, jurisdiction: 'qingpu', sourceRef: '青编〔2025〕7号' };
const PEOPLE = 40;

const idNumber = (n: number) => {
  const id17 = `31011819800101${String(2 * n + 1).padStart(3, '0')}`;
  return id17 + idNumberCheckCharacter(id17);
};

const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/** A bus that gives out after `budget` person commands: the process dies half-way, as under SIGKILL. */
class FailingBus extends InMemoryCommandBus {
  private budget = Number.POSITIVE_INFINITY;

  /** From now on, `budget` more person commands go through. */
  arm(budget: number): void {
    this.budget = budget;
  }

  override execute<Answer>(command: { answer?: Answer }): Promise<Answer> {
    if (command instanceof ExecutePersonCommand && this.budget-- <= 0) return Promise.reject(new Error('killed'));
    return super.execute(command);
  }
}

async function platformOn(dir: string, name: string, bus?: InMemoryCommandBus) {
  const store = new SqliteEventStore({ file: join(dir, `${name}.sqlite`) });
  let tick = 0;
  // One clock and id sequence per store, so that two runs of the same history are comparable.
  const clock = { now: () => new Date(Date.UTC(2025, 2, 5, 2, 0, 0, tick++)) };
  let n = 0;
  const ids = { next: () => uuid(n++) };
  const runner = new DeciderCommandRunner(store, clock, ids);
  const platform = servicesOnStore(runner, store, clock, ids, new ChineseWorkingDayCalendar(), 'qingpu', bus);
  return { store, platform };
}

async function seed(platform: Awaited<ReturnType<typeof platformOn>>['platform']) {
  const { tree, people } = platform;
  await tree.execute(
    { type: 'CreateOrgNode', data: { orgNodeId: 'root', name: '青浦区', kind: 'ROOT', parentId: null } },
    ADMIN,
  );
  for (const [orgNodeId, name, kind, parentId] of [
    ['gov', '区政府', 'CATEGORY', 'root'],
    ['agencies', '政府部门', 'CATEGORY', 'gov'],
    ['edu', '区教育局', 'UNIT', 'agencies'],
    ['edu-office', '办公室', 'INTERNAL_BODY', 'edu'],
    ['edu-zh', '综合科', 'INTERNAL_BODY', 'edu'],
    ['health', '区卫健委', 'UNIT', 'agencies'],
    ['health-office', '综合科', 'INTERNAL_BODY', 'health'],
    ['health-it', '信息科', 'INTERNAL_BODY', 'health'],
  ] as const)
    await tree.execute({ type: 'CreateOrgNode', data: { orgNodeId, name, kind, parentId } }, ADMIN);
  for (let i = 0; i < PEOPLE; i++) {
    const orgNodeId = i % 2 === 0 ? 'health' : 'health-office';
    await people.register(
      {
        personId: `p${i}`,
        name: `人员${'甲乙丙丁戊己庚辛壬癸'[i % 10]}${'子丑寅卯辰巳午未'[Math.floor(i / 10)]}`,
        idNumber: idNumber(i),
        gender: '1',
        mobile: `1391000${String(i).padStart(4, '0')}`,
        officePhone: null,
        rank: null,
        politicalStatus: null,
        leadershipDuties: null,
        employment: { type: 'ON_ESTABLISHMENT', establishmentType: 'ADMINISTRATIVE' },
        primaryPost: { orgNodeId, title: '科员' },
      },
      ADMIN,
    );
  }
  await people.assignConcurrentPost({ personId: 'p1', post: { orgNodeId: 'edu-zh', title: '兼职' } }, ADMIN);
}

/** The events of a store as comparable lines: stream, type, data (ids and instants are the runs' own). */
async function history(store: EventStore): Promise<string[]> {
  const events = await store.readAll({ maxCount: 1_000_000 });
  return events.map((e) => `${e.streamId} ${e.type} ${JSON.stringify(e.data)}`);
}

describe('restructurings are all-or-nothing (issue 18)', () => {
  const dir = makeTempDir();
  afterAll(() => dir.remove());

  describe('a refused merge or abolition writes nothing', () => {
    let store: EventStore;
    let platform: Awaited<ReturnType<typeof platformOn>>['platform'];
    beforeAll(async () => {
      ({ store, platform } = await platformOn(dir.path, 'refusals'));
      await seed(platform);
    });
    afterAll(() => store.close());

    it.each([
      ['a namesake left unresolved', 'NAMESAKES_UNRESOLVED', { absorbedIds: ['health'], survivorId: 'edu' }],
      ['an unknown survivor', 'ORG_NODE_NOT_FOUND', { absorbedIds: ['health'], survivorId: 'nowhere' }],
      ['an unknown absorbed node', 'ORG_NODE_NOT_FOUND', { absorbedIds: ['nowhere'], survivorId: 'edu' }],
    ] as const)('merge with %s: %s, and the head does not move', async (_label, code, request) => {
      const before = await store.headPosition();
      await expect(platform.restructuring.merge(request, ADMIN)).rejects.toMatchObject({ code });
      expect(await store.headPosition()).toBe(before);
    });

    it.each([
      ['children left without a destination', 'NODE_STILL_HAS_CHILDREN', { departureReason: 'OTHER' as const }],
      ['people left without a disposition', 'DISPOSITION_REQUIRED', { childrenTo: 'agencies' }],
      ['a destination inside the abolished unit', 'INVALID_ABOLITION', { childrenTo: 'health-it', peopleTo: 'edu' }],
      ['an unknown destination', 'ORG_NODE_NOT_FOUND', { childrenTo: 'agencies', peopleTo: 'nowhere' }],
      ['a child clashing with the destination’s', 'DUPLICATE_SIBLING_NAME', { childrenTo: 'edu', peopleTo: 'edu' }],
    ] as const)('abolition with %s: %s, and the head does not move', async (_label, code, request) => {
      const before = await store.headPosition();
      await expect(platform.restructuring.abolish({ orgNodeId: 'health', ...request }, ADMIN)).rejects.toMatchObject({
        code,
      });
      expect(await store.headPosition()).toBe(before);
    });

    it('an inactive survivor is refused and writes nothing', async () => {
      await platform.tree.execute(
        { type: 'CreateOrgNode', data: { orgNodeId: 'old', name: '旧局', kind: 'UNIT', parentId: 'agencies' } },
        ADMIN,
      );
      await platform.restructuring.abolish({ orgNodeId: 'old' }, ADMIN);
      const before = await store.headPosition();
      await expect(
        platform.restructuring.merge({ absorbedIds: ['health'], survivorId: 'old', namesakes: {} }, ADMIN),
      ).rejects.toMatchObject({ code: 'ORG_NODE_NOT_ACTIVE' });
      expect(await store.headPosition()).toBe(before);
    });
  });

  describe('an accepted merge, carried out whole, crash or no crash', () => {
    const merge = {
      mergeId: 'merge-1',
      absorbedIds: ['health'],
      survivorId: 'edu',
      namesakes: { 'health-office': { resolution: 'MERGE' as const } },
    };

    it('moves everyone, merges the namesake, records the plan first and the completion last, under one correlation', async () => {
      const { store, platform } = await platformOn(dir.path, 'whole');
      await seed(platform);
      const head = await store.headPosition();
      await platform.restructuring.merge(merge, ADMIN);
      const { state } = await platform.tree.load();
      expect(state.nodes.get('health')).toMatchObject({ status: 'MERGED', mergedInto: 'edu' });
      expect(state.nodes.get('health-office')).toMatchObject({ status: 'MERGED', mergedInto: 'edu-zh' });
      expect(state.nodes.get('health-it')).toMatchObject({ parentId: 'edu', status: 'ACTIVE' });
      expect(state.pendingOperations).toEqual([]);
      for (let i = 0; i < PEOPLE; i++) {
        const person = (await platform.people.load(`p${i}`)).state;
        const primary = person.status === 'ACTIVE' ? person.posts.find((p) => p.kind === 'PRIMARY')?.orgNodeId : null;
        expect([`p${i}`, primary]).toEqual([`p${i}`, i % 2 === 0 ? 'edu' : 'edu-zh']);
      }
      const written = (await store.readAll({ from: head!, maxCount: 100_000 })).filter((e) => e.position !== head);
      expect(written[0].type).toBe('RestructuringPlanned');
      expect(written[written.length - 1].type).toBe('RestructuringCompleted');
      expect(new Set(written.map((e) => e.metadata.correlationId))).toEqual(new Set(['merge-1']));
      const planId = written[0].eventId;
      const steps = written.filter((e) => e.streamId.startsWith('Person-'));
      expect(steps.length).toBeGreaterThanOrEqual(PEOPLE);
      expect(steps.every((e) => e.metadata.causationId === planId)).toBe(true);
      await store.close();
    });

    it('asked again with the same mergeId after a failure half-way, carries out the rest instead of refusing', async () => {
      const reference = await platformOn(dir.path, 'retry-reference');
      await seed(reference.platform);
      await reference.platform.restructuring.merge(merge, ADMIN);
      const expected = await history(reference.store);
      await reference.store.close();
      const bus = new FailingBus();
      const retried = await platformOn(dir.path, 'retry', bus);
      await seed(retried.platform);
      bus.arm(12);
      await expect(retried.platform.restructuring.merge(merge, ADMIN)).rejects.toThrow('killed');
      bus.arm(Number.POSITIVE_INFINITY);
      await retried.platform.restructuring.merge(merge, ADMIN);
      expect((await retried.platform.tree.load()).state.pendingOperations).toEqual([]);
      expect(await history(retried.store)).toEqual(expected);
      await retried.store.close();
    });

    it.each([0, 1, 7, 20, 39])(
      'killed after %i person commands, then resumed: exactly the events of an uninterrupted run',
      async (budget) => {
        const reference = await platformOn(dir.path, `reference-${budget}`);
        await seed(reference.platform);
        await reference.platform.restructuring.merge(merge, ADMIN);
        const expected = await history(reference.store);
        await reference.store.close();

        // Same names for the ids, so the two histories compare line for line.
        const bus = new FailingBus();
        const crashed = await platformOn(dir.path, `reference-${budget}-crash`, bus);
        await seed(crashed.platform);
        bus.arm(budget);
        await expect(crashed.platform.restructuring.merge(merge, ADMIN)).rejects.toThrow('killed');
        let k = 0;
        const resumedIds = { next: () => uuid(1_000_000 + k++) };
        const later = { now: () => new Date('2025-03-05T03:00:00Z') };
        expect((await crashed.platform.tree.load()).state.pendingOperations).toEqual([
          { operationId: 'merge-1', kind: 'MERGE' },
        ]);
        const restarted = servicesOnStore(
          new DeciderCommandRunner(crashed.store, later, resumedIds),
          crashed.store,
          later,
          resumedIds,
          new ChineseWorkingDayCalendar(),
          'qingpu',
        );
        expect(await new RestructuringProcess(restarted.bus, crashed.store, restarted.orgTree).resumePending()).toEqual(
          ['merge-1'],
        );
        expect(await history(crashed.store)).toEqual(expected);
        await crashed.store.close();
      },
      60_000,
    );
  });
});
