/**
 * The 青浦区 scenario (001b:4): build the tree, move people through registration, transfer,
 * secondment, a concurrent post, departure and reinstatement, then merge two bureaus into a new one
 * and abolish a town; read the final state back from the events, node by node and person by person.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  type CommandMetadata,
  DeciderCommandRunner,
  envelopeOf,
} from '../../src/application/commands/decider-command-runner';
import { CLAIM_GRACE_MS } from '../../src/application/uniqueness/unique-value-reservations';
import type { EventStore } from '../../src/application/ports/event-store.port';
import { timelinessOf } from '../../src/application/calendar/working-days';
import { idNumberCheckCharacter } from '../../src/domain/person/identity';
import type { Profile } from '../../src/domain/person/person.decider';
import { ChineseWorkingDayCalendar } from '../../src/infrastructure/calendar/chinese-working-day-calendar';
import { SqliteEventStore } from '../../src/infrastructure/event-store/sqlite/sqlite-event-store';
import { SYSTEM_ADMIN } from '../support/decider-specification';
import { makeTempDir } from '../support/temp-dir';
import {
  type OrgTreeService,
  type PersonService,
  type RestructuringService,
  servicesOnStore,
} from '../support/services';
import type { UniqueValueReservations } from '../../src/application/uniqueness/unique-value-reservations';

const LEVEL_ONE = ['区委', '区人大', '区政府', '区政协', '纪委监委', '群团', '两院', '人武部', '镇街道', '区属企业'];

/** A valid, distinct ID number for each n below 1,344,000 (birth date and sequence vary with n). */
function idNumber(n: number): string {
  const year = 1960 + (n % 40);
  const month = String(1 + (Math.floor(n / 40) % 12)).padStart(2, '0');
  const day = String(1 + (Math.floor(n / 480) % 28)).padStart(2, '0');
  const sequence = String(Math.floor(n / 13440) % 100).padStart(2, '0');
  const first17 = `310118${year}${month}${day}${sequence}1`; // 17th digit odd: male
  return first17 + idNumberCheckCharacter(first17);
}

function profile(n: number, name: string): Profile {
  return {
    name,
    idNumber: idNumber(n),
    gender: '1',
    mobile: `139${String(n).padStart(8, '0')}`,
    officePhone: null,
    employment: { type: 'ON_ESTABLISHMENT', establishmentType: 'ADMINISTRATIVE' },
    rank: null,
    politicalStatus: '13',
    leadershipDuties: null,
  };
}

describe('青浦区 scenario', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let store: EventStore;
  let now: Date;
  let tree: OrgTreeService;
  let people: PersonService & { reservations: UniqueValueReservations };
  let restructuring: RestructuringService;
  const ids = { next: () => randomUUID() };
  const metadata = (effectiveAt: string, extra: Partial<CommandMetadata> = {}): CommandMetadata => ({
    actor: SYSTEM_ADMIN,
    jurisdiction: 'qingpu',
    effectiveAt,
    ...extra,
  });

  beforeEach(() => {
    dir = makeTempDir();
    store = new SqliteEventStore({ file: join(dir.path, 'events.sqlite') });
    now = new Date('2025-03-03T02:00:00Z');
    const clock = { now: () => now };
    const calendar = new ChineseWorkingDayCalendar();
    const runner = new DeciderCommandRunner(store, clock, ids, undefined, undefined, (effectiveAt, recordedAt) =>
      timelinessOf(calendar, effectiveAt, recordedAt, 'Asia/Shanghai', 3),
    );
    const platform = servicesOnStore(runner, store, clock, ids, calendar, 'qingpu');
    tree = platform.tree;
    people = { ...platform.people, reservations: platform.reservations };
    restructuring = platform.restructuring;
  });
  afterEach(async () => {
    await store.close();
    dir.remove();
  });

  async function buildTree() {
    const m = metadata('2025-01-01');
    await tree.execute(
      { type: 'CreateOrgNode', data: { orgNodeId: 'root', name: '青浦区', kind: 'ROOT', parentId: null } },
      m,
    );
    for (const [i, name] of LEVEL_ONE.entries()) {
      await tree.execute(
        { type: 'CreateOrgNode', data: { orgNodeId: `l1-${i}`, name, kind: 'CATEGORY', parentId: 'root' } },
        m,
      );
    }
    const gov = 'l1-2';
    const towns = 'l1-8';
    const create = (
      orgNodeId: string,
      name: string,
      parentId: string,
      kind: 'UNIT' | 'INTERNAL_BODY' | 'VILLAGE' = 'UNIT',
    ) => tree.execute({ type: 'CreateOrgNode', data: { orgNodeId, name, kind, parentId } }, m);
    await create('edu', '区教育局', gov);
    await create('health', '区卫健委', gov);
    await create('fin', '区财政局', gov);
    await create('zhaoxiang', '赵巷镇', towns);
    await create('xujing', '徐泾镇', towns);
    await create('edu-office', '办公室', 'edu', 'INTERNAL_BODY');
    await create('health-general', '综合科', 'health', 'INTERNAL_BODY');
    await create('songze', '崧泽村', 'zhaoxiang', 'VILLAGE');
    await create('edu-office-docs', '文书组', 'edu-office', 'INTERNAL_BODY'); // level 4
  }

  it('builds the tree, moves people, merges and abolishes, and reads back the expected state', async () => {
    await buildTree();
    const register = (n: number, personId: string, name: string, orgNodeId: string, effectiveAt = '2025-02-27') =>
      people.register(
        { personId, ...profile(n, name), primaryPost: { orgNodeId, title: '科员' } },
        metadata(effectiveAt),
      );

    // Effective Thursday 02-27, recorded Monday 03-03: 02-28 and 03-03 are working days.
    const first = await register(1, 'p1', '张一', 'edu-office');
    expect(first.events[0].timeliness).toEqual({ lagWorkingDays: 2, deadlineWorkingDays: 3, onTime: true });
    await register(2, 'p2', '李二', 'health');
    await register(3, 'p3', '王三', 'fin');
    await register(4, 'p4', '赵四', 'zhaoxiang');
    await register(6, 'p6', '孙六', 'zhaoxiang');

    // Mobile unique among ACTIVE persons, ID numbers among all.
    await expect(
      people.register(
        { personId: 'p5', ...profile(5, '周五'), mobile: profile(3, '').mobile, primaryPost: { orgNodeId: 'fin' } },
        metadata('2025-03-03'),
      ),
    ).rejects.toMatchObject({ code: 'MOBILE_ALREADY_IN_USE' });
    await expect(
      people.register(
        { personId: 'p5', ...profile(5, '周五'), idNumber: idNumber(3), primaryPost: { orgNodeId: 'fin' } },
        metadata('2025-03-03'),
      ),
    ).rejects.toMatchObject({ code: 'ID_NUMBER_ALREADY_REGISTERED' });
    expect((await people.load('p5')).state.status).toBe('NONE');
    // The refused registration gave its claim on p5's own mobile back.
    await register(5, 'p5', '周五', 'fin');

    now = new Date('2025-10-13T02:00:00Z');
    // Effective 09-26 (a Friday before National Day), recorded 10-13: late (09-28, 09-29, 09-30, 10-09, 10-10, 10-11, 10-13).
    const transfer = await people.transfer(
      { personId: 'p1', to: { orgNodeId: 'fin', title: '副科长' } },
      metadata('2025-09-26'),
    );
    expect(transfer.events[0].timeliness).toEqual({ lagWorkingDays: 7, deadlineWorkingDays: 3, onTime: false });
    await people.startSecondment(
      { personId: 'p2', post: { orgNodeId: 'edu', title: '借调' }, from: '2025-10-13', until: '2025-12-31' },
      metadata('2025-10-13'),
    );
    await people.assignConcurrentPost(
      { personId: 'p3', post: { orgNodeId: 'health-general', title: '副组长' } },
      metadata('2025-10-13'),
    );
    await people.endSecondment({ personId: 'p2', orgNodeId: 'edu' }, metadata('2025-10-13'));
    await people.startSecondment(
      { personId: 'p2', post: { orgNodeId: 'edu' }, from: '2025-10-14', until: '2026-01-31' },
      metadata('2025-10-13'),
    );
    await people.recordDeparture({ personId: 'p4', reason: 'RETIRED' }, metadata('2025-10-10'));
    await people.reinstate({ personId: 'p4', primaryPost: { orgNodeId: 'xujing' } }, metadata('2025-10-13'));

    // Merge 区教育局 and 区卫健委 into a new 区社会事业局 (003:11(3)).
    const before = await store.headPosition();
    await restructuring.merge(
      {
        mergeId: 'merge-1',
        absorbedIds: ['edu', 'health'],
        survivorId: 'social',
        newSurvivor: { name: '区社会事业局', kind: 'UNIT', parentId: 'l1-2' },
      },
      metadata('2025-11-01', { sourceRef: '青编〔2025〕8号' }),
    );
    const caused = await store.readAll({ from: before!, maxCount: 1000 });
    expect(caused.length).toBeGreaterThan(5);
    expect(new Set(caused.map((e) => e.metadata.correlationId))).toEqual(new Set(['merge-1']));
    expect(new Set(caused.map((e) => e.metadata.sourceRef))).toEqual(new Set(['青编〔2025〕8号']));

    // Abolish 赵巷镇 (003:11(2)): its village goes to 徐泾镇, its people are recorded as departed.
    await restructuring.abolish(
      { orgNodeId: 'zhaoxiang', childrenTo: 'xujing', departureReason: 'OTHER' },
      metadata('2025-12-01', { sourceRef: '青府〔2025〕99号' }),
    );

    const { state } = await tree.load();
    const node = (id: string) => {
      const n = state.nodes.get(id)!;
      return { name: n.name, parentId: n.parentId, level: n.level, status: n.status };
    };
    expect([...state.nodes.values()].filter((n) => n.level === 1 && n.status === 'ACTIVE').map((n) => n.name)).toEqual(
      LEVEL_ONE,
    );
    expect(node('social')).toEqual({ name: '区社会事业局', parentId: 'l1-2', level: 2, status: 'ACTIVE' });
    expect(node('edu')).toMatchObject({ status: 'MERGED' });
    expect(node('health')).toMatchObject({ status: 'MERGED' });
    expect(node('edu-office')).toEqual({ name: '办公室', parentId: 'social', level: 3, status: 'ACTIVE' });
    expect(node('health-general')).toEqual({ name: '综合科', parentId: 'social', level: 3, status: 'ACTIVE' });
    expect(node('edu-office-docs')).toEqual({ name: '文书组', parentId: 'edu-office', level: 4, status: 'ACTIVE' });
    expect(node('zhaoxiang')).toMatchObject({ status: 'DISSOLVED' });
    expect(node('songze')).toEqual({ name: '崧泽村', parentId: 'xujing', level: 3, status: 'ACTIVE' });

    const person = async (personId: string) => {
      const { state: p } = await people.load(personId);
      if (p.status === 'NONE') return null;
      return { status: p.status, posts: p.posts.map((post) => `${post.kind}:${post.orgNodeId}`).sort() };
    };
    expect(await person('p1')).toEqual({ status: 'ACTIVE', posts: ['PRIMARY:fin'] });
    expect(await person('p2')).toEqual({ status: 'ACTIVE', posts: ['PRIMARY:social'] }); // secondment in edu gave way to the primary post
    expect(await person('p3')).toEqual({ status: 'ACTIVE', posts: ['CONCURRENT:health-general', 'PRIMARY:fin'] });
    expect(await person('p4')).toEqual({ status: 'ACTIVE', posts: ['PRIMARY:xujing'] });
    expect(await person('p5')).toEqual({ status: 'ACTIVE', posts: ['PRIMARY:fin'] });
    expect(await person('p6')).toEqual({ status: 'LEFT', posts: [] });
  });

  it('keeps mobiles and ID numbers unique under concurrent registrations', async () => {
    await buildTree();
    const shared = profile(900, '');
    const racing = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        people.register(
          { personId: `r${i}`, ...profile(1000 + i, '并发'), mobile: shared.mobile, primaryPost: { orgNodeId: 'edu' } },
          metadata('2025-03-03'),
        ),
      ),
    );
    expect(racing.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of racing.filter((r): r is PromiseRejectedResult => r.status === 'rejected'))
      expect(r.reason).toMatchObject({ code: 'MOBILE_ALREADY_IN_USE' });
    const sameId = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        people.register(
          {
            personId: `s${i}`,
            ...profile(2000 + i, '并发'),
            idNumber: shared.idNumber,
            primaryPost: { orgNodeId: 'edu' },
          },
          metadata('2025-03-03'),
        ),
      ),
    );
    expect(sameId.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of sameId.filter((r): r is PromiseRejectedResult => r.status === 'rejected'))
      expect(r.reason).toMatchObject({ code: 'ID_NUMBER_ALREADY_REGISTERED' });
    // Exactly one active holder of the mobile among the registered people.
    const holders = [];
    for (let i = 0; i < 20; i++) {
      const { state } = await people.load(`r${i}`);
      if (state.status === 'ACTIVE') holders.push(state.mobile);
    }
    expect(holders).toEqual([shared.mobile]);

    // A claim left by a command that died before registering blocks the value only for the grace period.
    const ghost = profile(3000, '');
    await people.reservations.reserve('Mobile', ghost.mobile, 'ghost', {
      ...envelopeOf(metadata('2025-03-03'), now, 'crashed'),
    });
    const attempt = () =>
      people.register(
        { personId: 'late', ...profile(3001, '后来'), mobile: ghost.mobile, primaryPost: { orgNodeId: 'edu' } },
        metadata('2025-03-03'),
      );
    await expect(attempt()).rejects.toMatchObject({ code: 'MOBILE_ALREADY_IN_USE' });
    now = new Date(now.getTime() + CLAIM_GRACE_MS + 1000);
    await expect(attempt()).resolves.toMatchObject({ streamId: 'Person-late' });
  });

  it('merges a unit of 2,000 people as one traceable operation', async () => {
    await buildTree();
    const total = 2000;
    for (let start = 0; start < total; start += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, k) => {
          const n = 100 + start + k;
          return people.register(
            { personId: `h${n}`, ...profile(n, '员工'), primaryPost: { orgNodeId: 'health' } },
            metadata('2025-03-01'),
          );
        }),
      );
    }
    const before = await store.headPosition();
    const started = Date.now();
    await restructuring.merge(
      { mergeId: 'big-merge', absorbedIds: ['health'], survivorId: 'edu' },
      metadata('2025-04-01', { sourceRef: '青编〔2025〕9号' }),
    );
    const seconds = (Date.now() - started) / 1000;
    const caused = [];
    for (
      let page = await store.readAll({ from: before!, maxCount: 4096 });
      page.length > 0;
      page = await store.readAll({ from: page[page.length - 1].position, maxCount: 4096 })
    )
      caused.push(...page);
    expect(caused.filter((e) => e.type === 'PersonTransferred')).toHaveLength(total);
    expect(new Set(caused.map((e) => e.metadata.correlationId))).toEqual(new Set(['big-merge']));
    expect(new Set(caused.map((e) => e.metadata.sourceRef))).toEqual(new Set(['青编〔2025〕9号']));
    expect((await tree.load()).state.nodes.get('health')?.status).toBe('MERGED');
    process.stdout.write(`2,000-person merge: ${caused.length} events in ${seconds.toFixed(1)} s\n`);
  });
});
