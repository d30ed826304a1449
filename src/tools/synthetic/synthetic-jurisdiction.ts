/**
 * A seeded, deterministic synthetic jurisdiction, written as the event history the service itself
 * would have written: every event comes out of the domain's own deciders (decide, then evolve),
 * with the application's envelope, schema versions, uniqueness reservations and timeliness. Used
 * to load-test a deployment (`npm run cli -- generate --size province`) and by the benchmarks.
 *
 * The tree has six levels: 省 → 市 → 区县 → 街镇 → 居村, and 局 → 处 → 科 beside them (a city
 * starts at 市, a district at 区县). People hold posts, some concurrent posts and secondments,
 * each a USER account (activated by the first sign-in); work groups and apps hang off the units.
 * The history runs from 2023 to 2025: hires, transfers, departures (closing the account), profile
 * corrections, and changes recorded late, mostly around the Spring Festival and National Day.
 *
 * Same seed and size, same events with the same ids: a run interrupted half-way is simply run
 * again (every append is replayed idempotently up to where it stopped).
 */
import { createHash } from 'node:crypto';
import {
  type AccountCommand,
  type AccountEvent,
  type AccountState,
  accountDecider,
} from '../../domain/account/account.decider';
import {
  type AppCommand,
  type AppEvent,
  type AppState,
  appRegistrationDecider as appDecider,
} from '../../domain/app-registration/app-registration.decider';
import {
  type OrgNodeCommand,
  type OrgNodeEvent,
  type OrgTreeState,
  orgNodeDecider,
} from '../../domain/org-node/org-node.decider';
import { idNumberCheckCharacter } from '../../domain/person/identity';
import {
  type DepartureReason,
  type Employment,
  type PersonCommand,
  type PersonEvent,
  type PersonState,
  personDecider,
} from '../../domain/person/person.decider';
import type { Actor } from '../../domain/shared/actor';
import type { Decider, DomainCommand, DomainEvent } from '../../domain/shared/decider';
import {
  type WorkGroupCommand,
  type WorkGroupEvent,
  type WorkGroupState,
  workGroupDecider,
} from '../../domain/work-group/work-group.decider';
import { type CommandMetadata, envelopeOf } from '../../application/commands/decider-command-runner';
import { toEventToAppend } from '../../application/event-store/event-envelope';
import {
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  NO_STREAM,
} from '../../application/ports/event-store.port';
import { UniqueValueReservations, type UniqueKind } from '../../application/uniqueness/unique-value-reservations';
import type { Timeliness } from '../../application/calendar/working-days';
import type { JsonObject } from '../../application/event-store/json';

export const JURISDICTION_SIZES = {
  district: { people: 30_000, groups: 10_000, apps: 30, cities: 0, counties: 1 },
  city: { people: 300_000, groups: 100_000, apps: 200, cities: 1, counties: 10 },
  province: { people: 1_500_000, groups: 500_000, apps: 1_248, cities: 11, counties: 90 },
} as const;
export type JurisdictionSize = keyof typeof JURISDICTION_SIZES;

export interface SyntheticOptions {
  readonly size: JurisdictionSize;
  readonly seed: number;
  readonly jurisdiction: string;
  /** Overrides the size's head count (tests use a few hundred). */
  readonly people?: number;
  readonly groups?: number;
  /** The lag of a change recorded late, in working days (the application's calendar). */
  readonly timeliness: (effectiveAt: string, recordedAt: Date) => Timeliness;
  readonly isWorkingDay: (date: string) => boolean;
}

/** One stream's events, appended with the revision it had when they were decided. */
export interface SyntheticAppend {
  readonly streamId: string;
  readonly events: EventToAppend[];
  readonly expected: ExpectedRevision;
}

export interface SyntheticTotals {
  nodes: number;
  people: number;
  accounts: number;
  groups: number;
  apps: number;
  events: number;
}

export const SYNTHETIC_ADMIN = { personId: 'p-admin', accountId: 'acc-admin', loginName: 'admin' } as const;

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史黎贺顾毛郝龚邵万钱覃武戴孔汤庞樊兰殷施陶洪翟安颜倪严牛温芦季俞章鲁葛伍申尤毕聂柴焦向柳邢岳齐梅莫庄辛管祝左涂谷祁时舒耿牟卜路詹关苗凌费纪靳盛童欧甄项曲成游阳裴席卫查屈鲍位霍翁隋植甘景薄单包司柏宁柯阮桂闵';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉梅建国志海燕雪丹琳晓东';
const CITY_NAMES = ['杭州', '宁波', '温州', '嘉兴', '湖州', '绍兴', '金华', '衢州', '舟山', '台州', '丽水'];
const BUREAUS = [
  '发展改革',
  '教育',
  '科技',
  '经济信息',
  '公安',
  '民政',
  '司法',
  '财政',
  '人力社保',
  '自然资源',
  '生态环境',
  '住房建设',
  '交通运输',
  '水利',
  '农业农村',
  '商务',
  '文化旅游',
  '卫生健康',
  '退役军人',
  '应急管理',
  '审计',
  '市场监管',
  '统计',
  '医疗保障',
  '信访',
  '大数据',
  '机关事务',
  '档案',
  '城管',
  '体育',
];
const TITLES = ['科员', '科员', '科员', '副科长', '科长', '副主任', '主任', null];
const EMPLOYMENTS: Employment[] = [
  { type: 'ON_ESTABLISHMENT', establishmentType: 'ADMINISTRATIVE' },
  { type: 'ON_ESTABLISHMENT', establishmentType: 'ADMINISTRATIVE' },
  { type: 'ON_ESTABLISHMENT', establishmentType: 'PUBLIC_INSTITUTION' },
  { type: 'CONTRACTED', establishmentType: null },
  { type: 'EXTERNAL_TEMPORARY', establishmentType: null },
];
const DEPARTURES: DepartureReason[] = ['RETIRED', 'RETIRED', 'RESIGNED', 'CONTRACT_ENDED', 'TRANSFERRED_OUT'];
const SYSTEM: Actor = {
  accountId: SYNTHETIC_ADMIN.accountId,
  personId: SYNTHETIC_ADMIN.personId,
  role: 'SYSTEM_ADMIN',
};

const DAY = 86_400_000;
const HISTORY_START = Date.parse('2023-01-03T09:00:00+08:00');
const HISTORY_END = Date.parse('2025-12-31T17:00:00+08:00');

/** A node people hold posts in, with the unit it belongs to (whose staff form its work groups). */
interface PostNode {
  readonly id: string;
  /** Index into the unit list (for groups and apps owned by the unit). */
  readonly unit: number;
}

/**
 * Yields the jurisdiction's history in chunks of appends; a chunk's appends are to distinct
 * streams and can be written together (one transaction on the embedded store).
 */
export function* syntheticHistory(options: SyntheticOptions, totals: SyntheticTotals): Generator<SyntheticAppend[]> {
  const shape = JURISDICTION_SIZES[options.size];
  const random = mulberry32(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const chance = (p: number) => random() < p;
  let counter = 0;
  const seedHex = createHash('sha256').update(`${options.jurisdiction}:${options.seed}`).digest('hex').slice(0, 8);
  const nextId = () => syntheticEventId(seedHex, counter++);

  const metadataAt = (effectiveAt: string): CommandMetadata => ({
    actor: SYSTEM,
    jurisdiction: options.jurisdiction,
    effectiveAt,
    reason: null,
    sourceRef: 'synthetic',
  });

  /** Decides `command` on `state`, returns the new state and appends the events to `out`. */
  function run<C extends DomainCommand, E extends DomainEvent, S>(
    decider: Decider<C, E, S>,
    state: S,
    command: C,
    at: number,
    out: EventToAppend[],
    effectiveAt?: string,
    late = false,
  ): S {
    const now = new Date(at);
    const effective = effectiveAt ?? now.toISOString();
    const events = decider.decide(command, state, { now, effectiveAt: effective, actor: SYSTEM });
    const correlationId = nextId();
    const envelope = envelopeOf(
      metadataAt(effective),
      now,
      correlationId,
      1,
      late ? options.timeliness(effective, now) : undefined,
    );
    for (const event of events) {
      out.push(toEventToAppend(nextId(), event, envelope));
      state = decider.evolve(state, event);
    }
    return state;
  }

  function reservation(kind: UniqueKind, value: string, holderId: string, at: number): SyntheticAppend {
    const envelope = envelopeOf(metadataAt(new Date(at).toISOString()), new Date(at), nextId());
    return {
      streamId: UniqueValueReservations.streamOf(options.jurisdiction, kind, value),
      events: [
        {
          eventId: nextId(),
          type: 'UniqueValueReserved',
          data: { kind, holderId },
          metadata: envelope as unknown as JsonObject,
        },
      ],
      expected: NO_STREAM,
    };
  }

  // ---- the org tree: one stream, written in chunks with their exact expected revisions ----
  let tree: OrgTreeState = orgNodeDecider.initialState();
  const treeStream = `OrgTree-${options.jurisdiction}`;
  const treeEvents: EventToAppend[] = [];
  const postNodes: PostNode[] = [];
  const units: string[] = [];
  const createdAt = HISTORY_START - 2 * DAY;
  const create = (
    orgNodeId: string,
    name: string,
    kind: 'ROOT' | 'CATEGORY' | 'UNIT' | 'INTERNAL_BODY' | 'VILLAGE',
    parentId: string | null,
    order?: number,
  ) => {
    // Without an order the decider gives the next free one: siblings' orders are distinct (000:7).
    const data = { orgNodeId, name, kind, parentId, ...(order === undefined ? {} : { order }) };
    tree = run<OrgNodeCommand, OrgNodeEvent, OrgTreeState>(
      orgNodeDecider,
      tree,
      { type: 'CreateOrgNode', data },
      createdAt,
      treeEvents,
    );
    totals.nodes++;
  };
  const unit = (id: string, name: string, parentId: string, bodies: number, sections: number) => {
    create(id, name, 'UNIT', parentId);
    const u = units.push(id) - 1;
    postNodes.push({ id, unit: u });
    for (let b = 0; b < bodies; b++) {
      create(`${id}-${b}`, `第${b + 1}处`, 'INTERNAL_BODY', id, b);
      postNodes.push({ id: `${id}-${b}`, unit: u });
      for (let s = 0; s < sections; s++) {
        create(`${id}-${b}-${s}`, `第${s + 1}科`, 'INTERNAL_BODY', `${id}-${b}`, s);
        postNodes.push({ id: `${id}-${b}-${s}`, unit: u });
      }
    }
  };
  const county = (id: string, name: string, parentId: string | null) => {
    if (parentId === null) create(id, name, 'ROOT', null);
    else create(id, name, 'CATEGORY', parentId);
    for (let b = 0; b < 24; b++) unit(`${id}-b${b}`, `${name}${BUREAUS[b]}局`, id, 5, 2);
    create(`${id}-t`, '镇街道', 'CATEGORY', id, 99);
    for (let t = 0; t < 12; t++) {
      const town = `${id}-t${t}`;
      unit(town, `第${t + 1}${t % 3 ? '镇' : '街道'}`, `${id}-t`, 4, 0);
      for (let v = 0; v < 15; v++) {
        create(`${town}-v${v}`, `第${v + 1}${t % 3 ? '村' : '社区'}`, 'VILLAGE', town, 10 + v);
        postNodes.push({ id: `${town}-v${v}`, unit: units.length - 1 });
      }
    }
  };
  const city = (id: string, name: string, parentId: string | null, counties: number) => {
    if (parentId === null) create(id, name, 'ROOT', null);
    else create(id, name, 'CATEGORY', parentId);
    for (let b = 0; b < BUREAUS.length; b++) unit(`${id}-b${b}`, `${name}${BUREAUS[b]}局`, id, 8, 3);
    for (let c = 0; c < counties; c++) county(`${id}-c${c}`, `${name}第${c + 1}区`, id);
  };
  if (options.size === 'province') {
    create('root', '浙江省', 'ROOT', null);
    for (let b = 0; b < BUREAUS.length; b++) unit(`root-b${b}`, `省${BUREAUS[b]}厅`, 'root', 10, 3);
    const perCity = Math.ceil(shape.counties / shape.cities);
    for (let c = 0; c < shape.cities; c++)
      city(`m${c}`, `${CITY_NAMES[c % CITY_NAMES.length]}市`, 'root', Math.min(perCity, shape.counties - c * perCity));
  } else if (options.size === 'city') city('root', '杭州市', null, shape.counties);
  else county('root', '青浦区', null);

  // The admin who "made" the history: a person in the root with an activated SYSTEM_ADMIN account.
  const adminOut: EventToAppend[] = [];
  run<PersonCommand, PersonEvent, PersonState>(
    personDecider,
    personDecider.initialState(),
    {
      type: 'RegisterPerson',
      data: {
        personId: SYNTHETIC_ADMIN.personId,
        name: '系统管理员',
        idNumber: withCheck('33010619800101001'),
        gender: '1',
        mobile: '13900000000',
        officePhone: null,
        employment: EMPLOYMENTS[0],
        rank: null,
        politicalStatus: null,
        leadershipDuties: null,
        primaryPost: { orgNodeId: 'root', title: '系统管理员' },
        nodes: { root: 'ACTIVE' },
      },
    },
    createdAt,
    adminOut,
  );
  const adminAccount: EventToAppend[] = [];
  const opened = run<AccountCommand, AccountEvent, AccountState>(
    accountDecider,
    accountDecider.initialState(),
    {
      type: 'OpenAccount',
      data: {
        accountId: SYNTHETIC_ADMIN.accountId,
        type: 'SYSTEM_ADMIN',
        loginName: SYNTHETIC_ADMIN.loginName,
        personId: SYNTHETIC_ADMIN.personId,
        facts: { personStatus: 'ACTIVE', maxTemporaryDays: 90 },
      },
    },
    createdAt,
    adminAccount,
  );
  run(
    accountDecider,
    opened,
    { type: 'ActivateAccount', data: { accountId: SYNTHETIC_ADMIN.accountId } },
    createdAt,
    adminAccount,
  );
  totals.people++;
  totals.accounts++;

  for (let i = 0; i < treeEvents.length; i += 1000) {
    yield [
      { streamId: treeStream, events: treeEvents.slice(i, i + 1000), expected: i === 0 ? NO_STREAM : BigInt(i - 1) },
    ];
  }
  yield [
    { streamId: `Person-${SYNTHETIC_ADMIN.personId}`, events: adminOut, expected: NO_STREAM },
    { streamId: `Account-${SYNTHETIC_ADMIN.accountId}`, events: adminAccount, expected: NO_STREAM },
    reservation('IdNumber', withCheck('33010619800101001'), SYNTHETIC_ADMIN.personId, createdAt),
    reservation('Mobile', '13900000000', SYNTHETIC_ADMIN.personId, createdAt),
    reservation('LoginName', SYNTHETIC_ADMIN.loginName, SYNTHETIC_ADMIN.accountId, createdAt),
  ];

  // ---- people, their accounts and their history ----
  const people = options.people ?? shape.people;
  /** People who stay to the end, by post node: the members of work groups. */
  const stayers: number[][] = units.map(() => []);
  const primaryOf = new Map<number, string>();
  const chunk: SyntheticAppend[] = [];
  const workingDayNear = (t: number) => {
    let day = t;
    while (!options.isWorkingDay(new Date(day + 8 * 3600_000).toISOString().slice(0, 10))) day += DAY;
    return day;
  };
  /** A change recorded late: effective before a long holiday, entered after it. */
  const lateAround = (year: number): [effective: number, recorded: number] => {
    const holiday = chance(0.5)
      ? Date.parse(`${year}-09-28T10:00:00+08:00`)
      : Date.parse(`${year}-0${year === 2023 ? '1-19' : year === 2024 ? '2-08' : '1-27'}T10:00:00+08:00`);
    return [holiday, workingDayNear(holiday + (9 + Math.floor(random() * 8)) * DAY)];
  };

  for (let n = 0; n < people; n++) {
    const personId = `p${n}`;
    const accountId = `acc-${n}`;
    const home = pick(postNodes);
    const hired = chance(0.8)
      ? HISTORY_START
      : workingDayNear(HISTORY_START + Math.floor(random() * (HISTORY_END - HISTORY_START - 60 * DAY)));
    const year = 1962 + (n % 40);
    // Injective in n: region changes every 336,000 people, birth date and sequence below it.
    const idNumber = withCheck(
      `3301${String(Math.floor(n / 336_000) % 100).padStart(2, '0')}${year}${String(1 + (Math.floor(n / 40) % 12)).padStart(2, '0')}${String(1 + (Math.floor(n / 480) % 28)).padStart(2, '0')}${String(Math.floor(n / 13_440) % 25).padStart(2, '0')}${n % 2 ? 1 : 2}`,
    );
    const mobile = syntheticMobile(n);
    const events: EventToAppend[] = [];
    let person = run<PersonCommand, PersonEvent, PersonState>(
      personDecider,
      personDecider.initialState(),
      {
        type: 'RegisterPerson',
        data: {
          personId,
          name: pick([...SURNAMES]) + pick([...GIVEN]) + (chance(0.6) ? pick([...GIVEN]) : ''),
          idNumber,
          gender: n % 2 ? '1' : '2',
          mobile,
          officePhone: chance(0.5) ? `0571-8${String(n % 10_000_000).padStart(7, '0')}` : null,
          employment: pick(EMPLOYMENTS),
          rank: pick(['一级科员', '四级主任科员', '二级主任科员', null]),
          politicalStatus: pick(['13', '01', '03', '12']),
          leadershipDuties: null,
          primaryPost: { orgNodeId: home.id, title: pick(TITLES), order: n % 100 },
          directoryClass: pick(['Q1', 'Q2', 'Q3', 'Q3', 'Q4', 'Q4'] as const),
          nodes: { [home.id]: 'ACTIVE' },
        },
      },
      hired,
      events,
      new Date(hired).toISOString().slice(0, 10),
    );

    let at = hired;
    let primary = home;
    let left = false;
    // Yearly chances of each kind of change; some are recorded late around the holidays.
    for (let y = new Date(hired).getUTCFullYear(); y <= 2025 && !left; y++) {
      const yearStart = Math.max(at + DAY, Date.parse(`${y}-01-02T09:00:00+08:00`));
      const inYear = () => workingDayNear(yearStart + Math.floor(random() * 330 * DAY));
      if (chance(0.06)) {
        const to = pick(postNodes);
        if (to.id !== primary.id && !(person.status === 'ACTIVE' && person.posts.some((p) => p.orgNodeId === to.id))) {
          const [effective, recorded] = chance(0.3) ? lateAround(y) : [inYear(), 0];
          at = Math.max(at + DAY, recorded || effective);
          person = run(
            personDecider,
            person,
            {
              type: 'TransferPerson',
              data: { personId, to: { orgNodeId: to.id, title: pick(TITLES) }, nodes: { [to.id]: 'ACTIVE' } },
            },
            at,
            events,
            new Date(Math.min(effective, at)).toISOString().slice(0, 10),
            recorded > 0,
          );
          primary = to;
        }
      }
      if (chance(0.03) && person.status === 'ACTIVE') {
        const extra = pick(postNodes);
        if (!person.posts.some((p) => p.orgNodeId === extra.id)) {
          at = Math.max(at + DAY, inYear());
          person = run(
            personDecider,
            person,
            {
              type: 'AssignConcurrentPost',
              data: { personId, post: { orgNodeId: extra.id, title: '兼职' }, nodes: { [extra.id]: 'ACTIVE' } },
            },
            at,
            events,
          );
        }
      }
      if (chance(0.015) && person.status === 'ACTIVE') {
        const host = pick(postNodes);
        if (!person.posts.some((p) => p.orgNodeId === host.id)) {
          at = Math.max(at + DAY, inYear());
          const from = new Date(at).toISOString().slice(0, 10);
          const until = new Date(at + 180 * DAY).toISOString().slice(0, 10);
          person = run(
            personDecider,
            person,
            {
              type: 'StartSecondment',
              data: {
                personId,
                post: { orgNodeId: host.id, title: '借调' },
                from,
                until,
                nodes: { [host.id]: 'ACTIVE' },
              },
            },
            at,
            events,
            from,
          );
        }
      }
      if (chance(0.04)) {
        at = Math.max(at + DAY, inYear());
        person = run(
          personDecider,
          person,
          {
            type: 'UpdatePersonProfile',
            data: { personId, changes: { rank: pick(['一级主任科员', '三级调研员', '二级主任科员']) } },
          },
          at,
          events,
        );
      }
      if (chance(0.012)) {
        const [effective, recorded] = chance(0.4) ? lateAround(y) : [inYear(), 0];
        at = Math.max(at + DAY, recorded || effective);
        person = run(
          personDecider,
          person,
          { type: 'RecordDeparture', data: { personId, reason: pick(DEPARTURES) } },
          at,
          events,
          new Date(Math.min(effective, at)).toISOString().slice(0, 10),
          recorded > 0,
        );
        left = true;
      }
    }

    const accountEvents: EventToAppend[] = [];
    const openedAt = hired + 3600_000;
    let acct = run<AccountCommand, AccountEvent, AccountState>(
      accountDecider,
      accountDecider.initialState(),
      {
        type: 'OpenAccount',
        data: {
          accountId,
          type: 'USER',
          loginName: `user${n}`,
          personId,
          facts: { personStatus: 'ACTIVE', maxTemporaryDays: 90 },
        },
      },
      openedAt,
      accountEvents,
    );
    if (chance(0.92)) {
      // 激活: the first sign-in, then roughly one sign-in a quarter that counts for the assessment.
      let signIn = openedAt + Math.floor(random() * 20 * DAY);
      for (let s = 0; signIn < Math.min(HISTORY_END, left ? at : HISTORY_END) && s < 12; s++) {
        acct = run(
          accountDecider,
          acct,
          {
            type: 'RecordSignIn',
            data: {
              accountId,
              signalId: `s-${n}-${s}`,
              at: new Date(signIn).toISOString(),
              client: pick(['pc', 'mobile', 'mobile']),
            },
          },
          signIn,
          accountEvents,
        );
        signIn += (60 + Math.floor(random() * 120)) * DAY;
        if (chance(0.5)) break;
      }
    }
    if (left)
      acct = run(
        accountDecider,
        acct,
        { type: 'CloseAccount', data: { accountId, reason: 'PERSON_LEFT' } },
        at + 3600_000,
        accountEvents,
      );
    else stayers[primary.unit].push(n);
    primaryOf.set(n, primary.id);

    chunk.push(
      { streamId: `Person-${personId}`, events, expected: NO_STREAM },
      reservation('IdNumber', idNumber, personId, hired),
      reservation('Mobile', mobile, personId, hired),
      { streamId: `Account-${accountId}`, events: accountEvents, expected: NO_STREAM },
      reservation('LoginName', `user${n}`, accountId, openedAt),
      reservation('UserAccount', personId, accountId, openedAt),
    );
    totals.people++;
    totals.accounts++;
    if (chunk.length >= 1200) yield chunk.splice(0);
  }
  if (chunk.length > 0) yield chunk.splice(0);

  // ---- work groups of the units' staying people ----
  const groups = options.groups ?? Math.round((shape.groups * people) / shape.people);
  const staffed = stayers.map((s, u) => [u, s] as const).filter(([, s]) => s.length >= 3);
  for (let g = 0; g < groups && staffed.length > 0; g++) {
    const [u, staff] = pick(staffed);
    const crossUnit = chance(0.15);
    const pool = crossUnit ? [...staff, ...pick(staffed)[1]] : staff;
    const members = new Set<number>();
    const size = 3 + Math.floor(random() * 6);
    for (let k = 0; k < size * 2 && members.size < size; k++) members.add(pick(pool));
    const ids = [...members].map((m) => `p${m}`);
    const persons = Object.fromEntries(
      [...members].map((m) => [`p${m}`, { status: 'ACTIVE' as const, orgNodeIds: [primaryOf.get(m)!] }]),
    );
    const groupId = `g${g}`;
    const createdOn = workingDayNear(HISTORY_START + Math.floor(random() * (HISTORY_END - HISTORY_START - 30 * DAY)));
    const events: EventToAppend[] = [];
    const group = run<WorkGroupCommand, WorkGroupEvent, WorkGroupState>(
      workGroupDecider,
      workGroupDecider.initialState(),
      {
        type: 'CreateWorkGroup',
        data: {
          groupId,
          name: `${pick(['专班', '工作群', '项目组', '值班群'])}${g}`,
          kind: crossUnit ? 'CROSS_UNIT' : 'UNIT',
          owningOrgNodeId: crossUnit ? units[u] : primaryOf.get([...members][0])!,
          ownerId: ids[0],
          // A unit group has an admin besides its owner (002:五.7).
          adminIds: ids.slice(1, 2),
          memberIds: ids.slice(1),
          persons,
          nodeStatus: 'ACTIVE',
          unitHeadId: null,
        },
      },
      createdOn,
      events,
    );
    if (chance(0.5))
      run(
        workGroupDecider,
        group,
        {
          type: 'RecordGroupActivity',
          data: {
            groupId,
            signalId: `ga-${g}`,
            at: new Date(createdOn + 2 * DAY).toISOString(),
            messages: 1 + Math.floor(random() * 40),
          },
        },
        createdOn + 2 * DAY,
        events,
      );
    chunk.push({ streamId: `WorkGroup-${groupId}`, events, expected: NO_STREAM });
    totals.groups++;
    if (chunk.length >= 1200) yield chunk.splice(0);
  }
  if (chunk.length > 0) yield chunk.splice(0);

  // ---- apps registered by units and approved ----
  for (let a = 0; a < shape.apps; a++) {
    const appId = `app-${a}`;
    const owner = pick(units);
    const requested = workingDayNear(HISTORY_START + Math.floor(random() * 600 * DAY));
    const events: EventToAppend[] = [];
    const app = run<AppCommand, AppEvent, AppState>(
      appDecider,
      appDecider.initialState(),
      {
        type: 'RequestAppAccess',
        data: {
          appId,
          name: `${pick(BUREAUS)}业务系统${a}`,
          owningOrgNodeId: owner,
          description: null,
          scenario: '业务协同',
          vendor: '开发商',
          contactEmail: `app-${a}@example.gov.cn`,
          contact: { name: '联系人', phone: '0571-87000000' },
          techLead: { name: '技术负责人', phone: '0571-87000001' },
          accessModes: ['SSO', 'UNIFIED_TODO'],
          userIntegration: true,
          expectedDate: new Date(requested + 30 * DAY).toISOString().slice(0, 10),
          securityAuditReportRef: `sec-${a}`,
          cryptoAssessmentReportRef: `crypto-${a}`,
          reviewDueOn: new Date(requested + 10 * DAY).toISOString().slice(0, 10),
          nodeStatus: 'ACTIVE',
        } as AppCommand['data'] & { appId: string },
      } as AppCommand,
      requested,
      events,
    );
    run(appDecider, app, { type: 'ApproveAppAccess', data: { appId } }, requested + 5 * DAY, events);
    chunk.push({ streamId: `App-${appId}`, events, expected: NO_STREAM });
    totals.apps++;
  }
  if (chunk.length > 0) yield chunk.splice(0);
}

/**
 * The `n`th id a generation draws: deterministic and UUID-shaped (EventStoreDB takes only UUIDs), so a
 * re-run writes the same ids; ascending as text, so that the store's event-id index grows at its end
 * instead of rewriting a random page of it for every event (issue 20: the generate's disk writes).
 */
export function syntheticEventId(seedHex: string, n: number): string {
  return `${seedHex}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/** The mobile number of synthetic person `p<n>` (distinct for every n below 600 million). */
export function syntheticMobile(n: number): string {
  return `1${3 + (Math.floor(n / 100_000_000) % 6)}${String(n % 100_000_000).padStart(9, '0')}`;
}

function withCheck(first17: string): string {
  return first17 + idNumberCheckCharacter(first17);
}

/**
 * Writes the history: every append of a chunk at once (one group commit on the embedded store),
 * chunk after chunk. Returns the totals; `onChunk` sees them grow.
 */
export async function writeSyntheticHistory(
  store: EventStore,
  options: SyntheticOptions,
  onChunk?: (totals: SyntheticTotals) => void,
): Promise<SyntheticTotals> {
  const totals: SyntheticTotals = { nodes: 0, people: 0, accounts: 0, groups: 0, apps: 0, events: 0 };
  for (const chunk of syntheticHistory(options, totals)) {
    await Promise.all(chunk.map((append) => store.append(append.streamId, append.events, append.expected)));
    for (const append of chunk) totals.events += append.events.length;
    onChunk?.(totals);
  }
  return totals;
}
