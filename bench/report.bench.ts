/**
 * Assessment report generation time (`npm run bench:report`): a synthetic jurisdiction's 2025,
 * seeded and deterministic, is fed as events to the assessment projection on the embedded read
 * store; then the 2025 report is generated (figures, ranking, JSON) and rendered (CSV, XLSX, HTML
 * with its SVG charts), timed from the read model to the last byte.
 *
 * Sizes: district 30,000 people, province 1,500,000 people with 500,000 work groups. Each person
 * has a USER account, activated by a first sign-in; sign-ins fall on random days (2.5 per person and year in the
 * district, 1.2 in the province), 10 %
 * change post during the year with a lag of 0–9 days from the effective date, 2 % leave; groups
 * of 3–8 members, half of them active; an admin account per unit; an app per 1,000 people.
 *
 * Options: `--sizes district,province` (default both). The last line is JSON with
 * `district_report_s` and `province_report_s`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import type { RecordedEvent } from '../src/application/ports/event-store.port';
import type { JsonObject } from '../src/application/event-store/json';
import { positionOfSequence } from '../src/application/event-store/position';
import { projectInto } from '../src/application/projections/projection-engine';
import { ReadModels } from '../src/application/projections/read-models';
import { addWorkingDays, localDate, timelinessOf } from '../src/application/calendar/working-days';
import { ChineseWorkingDayCalendar } from '../src/infrastructure/calendar/chinese-working-day-calendar';
import { SqliteReadStore } from '../src/infrastructure/read-store/sqlite/sqlite-read-store';
import { reportCsv, reportHtml, reportWorkbook } from '../src/infrastructure/reports/assessment-report.render';
import { DEFAULT_WEIGHTS } from '../src/read-models/assessment/assessment.evaluation';
import { assessmentProjection } from '../src/read-models/assessment/assessment.projection';
import { AssessmentQueries } from '../src/read-models/assessment/assessment.queries';
import { mulberry32 } from '../src/tools/district-workbook';

const TZ = 'Asia/Shanghai';
const calendar = new ChineseWorkingDayCalendar();
// Sign-ins per person and year: fewer in the province so that its projection builds in minutes (the report reads per-day
// counts, whose number does not grow with sign-ins).
const SIZES = {
  district: { people: 30_000, groups: 10_000, signIns: 2.5 },
  province: { people: 1_500_000, groups: 500_000, signIns: 1.2 },
} as const;

let peakRss = 0;
const sampleRss = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};

/** The synthetic history as pages of recorded events, in recorded order. */
async function* history(
  people: number,
  groupCount: number,
  signInsPerPerson: number,
  seed: number,
): AsyncGenerator<RecordedEvent[]> {
  const random = mulberry32(seed);
  const pick = (n: number) => Math.floor(random() * n);
  let sequence = 0;
  let page: RecordedEvent[] = [];
  const emit = (
    streamId: string,
    type: string,
    data: JsonObject,
    recordedAt: string,
    effectiveAt: string,
    lag: number | null = null,
    actor = 'acc-admin',
  ) => {
    sequence++;
    page.push({
      streamId,
      revision: 0n,
      position: positionOfSequence(sequence),
      eventId: `e${sequence}`,
      type,
      data,
      metadata: {
        schemaVersion: 1,
        recordedAt,
        effectiveAt,
        actor: { accountId: actor, role: actor === 'system' ? 'SYSTEM' : 'SYSTEM_ADMIN' },
        reason: null,
        sourceRef: null,
        correlationId: `c${sequence}`,
        causationId: null,
        jurisdiction: 'bench',
        ...(lag === null ? {} : { timeliness: { lagWorkingDays: lag, deadlineWorkingDays: 3, onTime: lag <= 3 } }),
      },
      created: new Date(recordedAt),
    });
  };
  const flush = function* () {
    if (page.length >= 10_000) {
      const out = page;
      page = [];
      sampleRss();
      yield out;
    }
  };

  // The tree: root, 10 categories, a unit per 250 people, four internal bodies per unit.
  const t0 = '2024-12-01T01:00:00.000Z';
  const units = Math.max(10, Math.round(people / 250));
  emit(
    'OrgTree-bench',
    'OrgNodeCreated',
    { orgNodeId: 'root', name: '某省', kind: 'ROOT', parentId: null, level: 0, order: 0 },
    t0,
    t0,
  );
  for (let c = 0; c < 10; c++)
    emit(
      'OrgTree-bench',
      'OrgNodeCreated',
      { orgNodeId: `c${c}`, name: `类别${c}`, kind: 'CATEGORY', parentId: 'root', level: 1, order: c },
      t0,
      t0,
    );
  for (let u = 0; u < units; u++) {
    emit(
      'OrgTree-bench',
      'OrgNodeCreated',
      { orgNodeId: `u${u}`, name: `单位${u}`, kind: 'UNIT', parentId: `c${u % 10}`, level: 2, order: u },
      t0,
      t0,
    );
    for (let b = 0; b < 4; b++)
      emit(
        'OrgTree-bench',
        'OrgNodeCreated',
        {
          orgNodeId: `u${u}b${b}`,
          name: `单位${u}内设${b}`,
          kind: 'INTERNAL_BODY',
          parentId: `u${u}`,
          level: 3,
          order: b,
        },
        t0,
        t0,
      );
  }
  yield* flush();
  const unitOf = new Int32Array(people);
  const nodeOf = (p: number) => (p % 5 === 0 ? `u${unitOf[p]}` : `u${unitOf[p]}b${p % 4}`);
  const EMPLOYMENTS = ['ON_ESTABLISHMENT', 'ON_ESTABLISHMENT', 'ON_ESTABLISHMENT', 'CONTRACTED', 'EXTERNAL_TEMPORARY'];
  for (let p = 0; p < people; p++) {
    unitOf[p] = pick(units);
    emit(
      `Person-p${p}`,
      'PersonRegistered',
      {
        personId: `p${p}`,
        name: `人员${p}`,
        employment: { type: EMPLOYMENTS[p % 5] },
        primaryPost: { orgNodeId: nodeOf(p), kind: 'PRIMARY' },
      },
      t0,
      '2024-12-01',
      0,
    );
    emit(
      `Account-a${p}`,
      'AccountOpened',
      {
        accountId: `a${p}`,
        type: 'USER',
        loginName: `user${p}`,
        personId: `p${p}`,
        appId: null,
        sponsorOrgNodeId: null,
        expiresAt: null,
      },
      t0,
      t0,
    );
    yield* flush();
  }
  for (let u = 0; u < units; u++)
    emit(
      `Account-adm${u}`,
      'AccountOpened',
      {
        accountId: `adm${u}`,
        type: 'TIERED_ADMIN',
        loginName: `admin${u}`,
        personId: `p${u}`,
        appId: null,
        sponsorOrgNodeId: null,
        expiresAt: null,
      },
      t0,
      t0,
    );
  for (let g = 0; g < groupCount; g++) {
    const owner = pick(people);
    const members = Array.from({ length: 2 + pick(6) }, () => `p${pick(people)}`);
    emit(
      `WorkGroup-g${g}`,
      'WorkGroupCreated',
      {
        groupId: `g${g}`,
        name: `工作群${g}`,
        kind: 'UNIT',
        owningOrgNodeId: `u${unitOf[owner]}`,
        ownerId: `p${owner}`,
        adminIds: [`p${owner}`],
        memberIds: [...new Set([`p${owner}`, ...members])],
      },
      t0,
      t0,
    );
    yield* flush();
  }

  // 2025, day by day.
  const activated = new Uint8Array(people);
  const left = new Uint8Array(people);
  const apps = Math.max(5, Math.round(people / 1000));
  let appSeq = 0;
  const decided = new Uint8Array(apps);
  for (
    let day = '2025-01-01';
    day <= '2025-12-31';
    day = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
  ) {
    const working = calendar.isWorkingDay(day);
    const at = (hour: number) =>
      new Date(Date.parse(`${day}T${String(hour).padStart(2, '0')}:00:00+08:00`) + pick(3_600_000)).toISOString();
    const signIns = working ? Math.round((people * signInsPerPerson) / 248) : Math.round(people / 2000);
    for (let i = 0; i < signIns; i++) {
      const p = pick(people);
      if (left[p] || random() < 0.1) continue;
      const when = at(8 + pick(10));
      emit(
        `Account-a${p}`,
        'AccountSignedIn',
        { accountId: `a${p}`, signalId: `s${sequence}`, at: when, client: null, personId: `p${p}` },
        when,
        when,
        null,
        'service:gateway',
      );
      if (!activated[p]) {
        activated[p] = 1;
        emit(
          `Account-a${p}`,
          'AccountActivated',
          { accountId: `a${p}`, at: when },
          when,
          when,
          null,
          'service:gateway',
        );
      }
      yield* flush();
    }
    if (working) {
      for (let i = 0; i < Math.round((people * 0.1) / 248); i++) {
        const p = pick(people);
        if (left[p]) continue;
        const when = at(10);
        const effective = new Date(Date.parse(`${day}T00:00:00Z`) - pick(10) * 86_400_000).toISOString().slice(0, 10);
        const lag = timelinessOf(calendar, effective, new Date(when), TZ, 3).lagWorkingDays;
        emit(
          `Person-p${p}`,
          'PersonPostChanged',
          { personId: `p${p}`, orgNodeId: nodeOf(p), changes: { title: { from: null, to: '科员' } } },
          when,
          effective,
          lag,
        );
      }
      for (let i = 0; i < Math.round((people * 0.02) / 248); i++) {
        const p = pick(people);
        if (left[p]) continue;
        left[p] = 1;
        const when = at(11);
        const effective = new Date(Date.parse(`${day}T00:00:00Z`) - pick(6) * 86_400_000).toISOString().slice(0, 10);
        emit(
          `Person-p${p}`,
          'PersonLeft',
          { personId: `p${p}`, reason: 'RESIGNED', primaryOrgNodeId: nodeOf(p), posts: [] },
          when,
          effective,
          timelinessOf(calendar, effective, new Date(when), TZ, 3).lagWorkingDays,
        );
        // Most departures close the account at once (the policy); some are missed.
        if (random() < 0.9)
          emit(
            `Account-a${p}`,
            'AccountClosed',
            { accountId: `a${p}`, reason: 'PERSON_LEFT', personId: `p${p}` },
            when,
            when,
            null,
            'system',
          );
      }
      for (let i = 0; i < Math.round(groupCount / 2 / 248) * 2; i++) {
        const g = pick(groupCount);
        const when = at(15);
        emit(
          `WorkGroup-g${g}`,
          'GroupActivityRecorded',
          { groupId: `g${g}`, signalId: `ga${sequence}`, at: when, messages: 1 + pick(50) },
          when,
          when,
          null,
          'service:gateway',
        );
      }
      if (appSeq < apps && random() < apps / 248) {
        const id = `app${appSeq++}`;
        const when = at(9);
        emit(
          `App-${id}`,
          'AppAccessRequested',
          {
            appId: id,
            name: `应用${id}`,
            owningOrgNodeId: `u${pick(units)}`,
            reviewDueOn: addWorkingDays(calendar, localDate(new Date(when), TZ), 7),
          },
          when,
          when,
        );
      }
    }
    // Reviews: a requested app is decided after 2–12 days.
    for (let a = 0; a < appSeq; a++)
      if (!decided[a] && random() < 0.12 && (decided[a] = 1))
        emit(`App-app${a}`, 'AppAccessApproved', { appId: `app${a}`, reviewDueOn: '' }, at(16), at(16));
    yield* flush();
  }
  sampleRss();
  if (page.length) yield page;
}

async function runSize(
  name: keyof typeof SIZES,
): Promise<{ report: number; build: number; events: number; rss: number }> {
  const { people, groups, signIns } = SIZES[name];
  const dir = mkdtempSync(join(tmpdir(), `report-bench-${name}-`));
  const store = new SqliteReadStore(join(dir, 'read-models.sqlite'));
  try {
    let events = 0;
    const counted = async function* () {
      for await (const page of history(people, groups, signIns, 20251231)) {
        events += page.length;
        if (events % 500_000 < page.length)
          process.stderr.write(`  ${name}: ${events.toLocaleString('en')} events projected…\n`);
        yield page;
      }
    };
    const buildStart = performance.now();
    await projectInto(store, [assessmentProjection({ timeZone: TZ })], counted(), () => true);
    const build = (performance.now() - buildStart) / 1000;
    peakRss = 0;
    const timer = setInterval(sampleRss, 100);
    const start = performance.now();
    const queries = new AssessmentQueries(
      new ReadModels(store, null, () => Date.now()),
      calendar,
      {
        timeZone: TZ,
        deadlineWorkingDays: 3,
        groupStaleDays: 90,
        passwordRotationDays: 90,
        weights: DEFAULT_WEIGHTS,
        rankedKinds: ['UNIT'],
      },
      'bench',
    );
    const report = await queries.report('2025');
    const figures = (performance.now() - start) / 1000;
    const json = JSON.stringify(report);
    const csv = reportCsv(report);
    const xlsx = await reportWorkbook(report);
    const html = reportHtml(report);
    const total = (performance.now() - start) / 1000;
    clearInterval(timer);
    sampleRss();
    const root = report.units[0].figures;
    process.stderr.write(
      `${name}: ${people.toLocaleString('en')} people, ${groups.toLocaleString('en')} groups, ${events.toLocaleString('en')} events; projection built in ${build.toFixed(1)} s (${Math.round(events / build)} events/s)\n` +
        `  report: figures ${figures.toFixed(2)} s, all formats ${total.toFixed(2)} s (JSON ${(json.length / 1e6).toFixed(1)} MB, CSV ${(csv.length / 1e6).toFixed(1)} MB, XLSX ${(xlsx.length / 1e6).toFixed(1)} MB, HTML ${(html.length / 1e6).toFixed(1)} MB); peak RSS while reporting ${Math.round(peakRss / 2 ** 20)} MiB\n` +
        `  root: on post ${root.onPost}, activated ${root.activated} (${root.activationRate}), changes ${root.changes} on time ${root.onTimeRate}, groups ${root.groups} stale ${root.staleGroups}, ranked units ${report.ranking.length}\n`,
    );
    return { report: total, build, events, rss: peakRss };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const arg = process.argv.indexOf('--sizes');
  const sizes = (arg > 0 ? process.argv[arg + 1] : 'district,province').split(',') as Array<keyof typeof SIZES>;
  process.stderr.write(
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}\n`,
  );
  const result: Record<string, number | null> = { district_report_s: null, province_report_s: null };
  for (const size of sizes) {
    const r = await runSize(size);
    result[`${size}_report_s`] = Math.round(r.report * 100) / 100;
    result[`${size}_projection_build_s`] = Math.round(r.build * 10) / 10;
    result[`${size}_report_peak_rss_mib`] = Math.round(r.rss / 2 ** 20);
  }
  console.log(JSON.stringify(result));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
