/**
 * The annual (or quarterly, monthly) assessment report: every node's figures rolled up the tree,
 * the score of each ranked unit under the configured weights, the ranking, the late changes and
 * the month-by-month trend. Deterministic: the same evaluation gives the same report, byte for
 * byte once serialized (nothing in it depends on when it was generated).
 */
import type { ChangeDoc, NodeState } from './assessment.projection';
import {
  addCounters,
  type Counters,
  emptyCounters,
  type Evaluation,
  type AssessmentSettings,
  MEASURES,
  type Measure,
  SCORE_COMPONENTS,
  type ScoreComponent,
} from './assessment.evaluation';
import type { Period } from './period';

export interface UnitFigures extends Counters {
  readonly activationRate: number | null;
  readonly registrationRate: number | null;
  readonly onTimeRate: number | null;
  readonly medianLag: number | null;
  readonly maxLag: number | null;
  readonly averageDailyActive: number;
  readonly averageMonthlyActive: number;
  readonly dailyActiveRate: number | null;
  readonly monthlyActiveRate: number | null;
}

export interface UnitRow {
  readonly nodeId: string;
  readonly name: string;
  readonly kind: string;
  readonly status: string;
  readonly parentId: string | null;
  readonly depth: number;
  /** Names from the root down, joined by " / ". */
  readonly path: string;
  readonly figures: UnitFigures;
  /** Measure → the query listing the persons, accounts, groups, apps or days behind it. */
  readonly sources: Readonly<Record<Measure, string>>;
}

export interface RankingRow {
  readonly rank: number;
  readonly nodeId: string;
  readonly name: string;
  readonly score: number;
  readonly components: Readonly<Record<ScoreComponent, number | null>>;
}

export interface AssessmentReport {
  readonly jurisdiction: string;
  readonly period: {
    readonly id: string;
    readonly label: string;
    readonly firstDay: string;
    readonly lastDay: string;
    readonly timeZone: string;
    readonly closesAt: string;
  };
  readonly settings: {
    readonly deadlineWorkingDays: number;
    readonly groupStaleDays: number;
    readonly passwordRotationDays: number;
    readonly weights: Readonly<Record<ScoreComponent, number>>;
    readonly rankedKinds: readonly string[];
    readonly workingDays: number;
  };
  readonly rootId: string | null;
  readonly units: readonly UnitRow[];
  readonly ranking: readonly RankingRow[];
  readonly timeliness: { readonly histogram: ReadonlyArray<{ readonly lag: number; readonly changes: number }> };
  readonly lateChanges: readonly ChangeDoc[];
  readonly trend: ReadonlyArray<{
    readonly month: string;
    readonly onPost: number;
    readonly registered: number;
    readonly activated: number;
    readonly activationRate: number | null;
    readonly monthlyActive: number;
    readonly monthlyActiveRate: number | null;
    readonly changes: number;
    readonly onTimeRate: number | null;
  }>;
  readonly definitions: Readonly<Record<Measure, string>>;
}

const round = (value: number, digits = 4) => Math.round(value * 10 ** digits) / 10 ** digits;
const ratio = (part: number, whole: number) => (whole > 0 ? round(part / whole) : null);

function medianOf(histogram: Record<string, number>, total: number): number | null {
  if (total === 0) return null;
  const lags = Object.keys(histogram)
    .map(Number)
    .sort((a, b) => a - b);
  // Lower median for an even count: the lag at position ceil(n/2).
  let seen = 0;
  for (const lag of lags) {
    seen += histogram[lag];
    if (seen * 2 >= total) return lag;
  }
  return lags[lags.length - 1];
}

function figuresOf(counters: Counters, evaluation: Evaluation, monthCount: number): UnitFigures {
  const lags = Object.keys(counters.lagHistogram).map(Number);
  const averageDailyActive = evaluation.workingDays > 0 ? counters.dailyActiveSum / evaluation.workingDays : 0;
  const averageMonthlyActive = monthCount > 0 ? counters.monthlyActiveSum / monthCount : 0;
  return {
    ...counters,
    // 000:9 "在岗在编人员全部注册并激活": the rates are over on-establishment staff.
    activationRate: ratio(counters.establishmentActivated, counters.onEstablishment),
    registrationRate: ratio(counters.establishmentRegistered, counters.onEstablishment),
    onTimeRate: ratio(counters.onTime, counters.changes),
    medianLag: medianOf(counters.lagHistogram, counters.changes),
    maxLag: lags.length ? Math.max(...lags) : null,
    averageDailyActive: round(averageDailyActive, 2),
    averageMonthlyActive: round(averageMonthlyActive, 2),
    dailyActiveRate: counters.onPost > 0 ? round(averageDailyActive / counters.onPost) : null,
    monthlyActiveRate: counters.onPost > 0 ? round(averageMonthlyActive / counters.onPost) : null,
  };
}

/** Each component in [0, 1], null when the unit has nothing it measures (its weight then goes to the others). */
export function scoreComponents(f: UnitFigures): Record<ScoreComponent, number | null> {
  const clamp = (x: number | null) => (x === null ? null : round(Math.min(1, Math.max(0, x))));
  return {
    activation: clamp(f.activationRate),
    timeliness: clamp(f.onTimeRate),
    monthlyActive: clamp(f.monthlyActiveRate),
    dailyActive: clamp(f.dailyActiveRate),
    groups: f.groups > 0 ? clamp(1 - f.problemGroups / f.groups) : null,
    accounts:
      f.onPost > 0
        ? clamp(1 - (f.departedOpenAccounts + f.expiredTemporaryAccounts + f.staleAdminPasswords) / f.onPost)
        : null,
    apps: f.apps > 0 ? clamp(1 - (f.lateReviews + f.offlineApps) / f.apps) : null,
  };
}

export function scoreOf(
  components: Record<ScoreComponent, number | null>,
  weights: Readonly<Record<ScoreComponent, number>>,
): number {
  let weighted = 0;
  let total = 0;
  for (const key of SCORE_COMPONENTS) {
    const value = components[key];
    if (value === null || weights[key] <= 0) continue;
    weighted += value * weights[key];
    total += weights[key];
  }
  return total > 0 ? round((weighted / total) * 100, 2) : 0;
}

export function sourceOf(period: string, nodeId: string, measure: Measure): string {
  return `/assessment/${encodeURIComponent(period)}/units/${encodeURIComponent(nodeId)}/${measure}`;
}

/** The node ids of the subtree under `rootId` at the close, the root first, depth-first. */
export function subtreeOf(nodes: ReadonlyMap<string, NodeState>, rootId: string): string[] {
  const children = childrenOf(nodes);
  const out: string[] = [];
  const walk = (id: string) => {
    out.push(id);
    for (const child of children.get(id) ?? []) walk(child);
  };
  if (nodes.has(rootId)) walk(rootId);
  return out;
}

function childrenOf(nodes: ReadonlyMap<string, NodeState>): Map<string, string[]> {
  const children = new Map<string, string[]>();
  for (const id of [...nodes.keys()].sort()) {
    const parent = nodes.get(id)!.parentId;
    if (parent === null || !nodes.has(parent)) continue;
    let list = children.get(parent);
    if (!list) children.set(parent, (list = []));
    list.push(id);
  }
  return children;
}

export function buildReport(
  jurisdiction: string,
  period: Period,
  settings: AssessmentSettings,
  evaluation: Evaluation,
): AssessmentReport {
  const { nodes } = evaluation;
  const children = childrenOf(nodes);
  const roots = [...nodes.keys()]
    .filter((id) => {
      const parent = nodes.get(id)!.parentId;
      return parent === null || !nodes.has(parent);
    })
    .sort();
  const rolled = new Map<string, Counters>();
  const order: Array<{ id: string; depth: number; path: string }> = [];
  const walk = (id: string, depth: number, path: string): Counters => {
    const node = nodes.get(id)!;
    const here = path ? `${path} / ${node.name}` : node.name;
    order.push({ id, depth, path: here });
    const sum = emptyCounters();
    addCounters(sum, evaluation.own.get(id) ?? emptyCounters());
    for (const child of children.get(id) ?? []) addCounters(sum, walk(child, depth + 1, here));
    rolled.set(id, sum);
    return sum;
  };
  for (const root of roots) walk(root, 0, '');

  const monthCount = period.months.length;
  const units: UnitRow[] = order.map(({ id, depth, path }) => {
    const node = nodes.get(id)!;
    const sources = Object.fromEntries(
      (Object.keys(MEASURES) as Measure[]).map((m) => [m, sourceOf(period.id, id, m)]),
    ) as Record<Measure, string>;
    return {
      nodeId: id,
      name: node.name,
      kind: node.kind,
      status: node.status,
      parentId: node.parentId,
      depth,
      path,
      figures: figuresOf(rolled.get(id)!, evaluation, monthCount),
      sources,
    };
  });

  const scored = units
    .filter((u) => u.status === 'ACTIVE' && settings.rankedKinds.includes(u.kind))
    .map((u) => {
      const components = scoreComponents(u.figures);
      return {
        nodeId: u.nodeId,
        name: u.name,
        score: scoreOf(components, settings.weights),
        components,
        activationRate: u.figures.activationRate ?? -1,
      };
    })
    .sort((a, b) => b.score - a.score || b.activationRate - a.activationRate || (a.nodeId < b.nodeId ? -1 : 1));
  // Equal scores share a rank (1, 2, 2, 4).
  const ranking: RankingRow[] = [];
  scored.forEach((row, i) => {
    const rank = i > 0 && row.score === scored[i - 1].score ? ranking[i - 1].rank : i + 1;
    ranking.push({ rank, nodeId: row.nodeId, name: row.name, score: row.score, components: row.components });
  });

  const all = emptyCounters();
  for (const root of roots) addCounters(all, rolled.get(root)!);
  const histogram = Object.entries(all.lagHistogram)
    .map(([lag, changes]) => ({ lag: Number(lag), changes }))
    .sort((a, b) => a.lag - b.lag);

  return {
    jurisdiction,
    period: {
      id: period.id,
      label: period.label,
      firstDay: period.firstDay,
      lastDay: period.lastDay,
      timeZone: settings.timeZone,
      closesAt: period.end,
    },
    settings: {
      deadlineWorkingDays: settings.deadlineWorkingDays,
      groupStaleDays: settings.groupStaleDays,
      passwordRotationDays: settings.passwordRotationDays,
      weights: settings.weights,
      rankedKinds: settings.rankedKinds,
      workingDays: evaluation.workingDays,
    },
    rootId: roots[0] ?? null,
    units,
    ranking,
    timeliness: { histogram },
    lateChanges: evaluation.lateChanges,
    trend: evaluation.months.map((m) => ({
      month: m.month,
      onPost: m.onPost,
      registered: m.registered,
      activated: m.activated,
      activationRate: ratio(m.establishmentActivated, m.onEstablishment),
      monthlyActive: m.monthlyActive,
      monthlyActiveRate: ratio(m.monthlyActive, m.onPost),
      changes: m.changes,
      onTimeRate: ratio(m.onTime, m.changes),
    })),
    definitions: Object.fromEntries(
      (Object.keys(MEASURES) as Measure[]).map((m) => [m, MEASURES[m].definition]),
    ) as Record<Measure, string>,
  };
}
