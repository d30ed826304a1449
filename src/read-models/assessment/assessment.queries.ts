/**
 * Assessment queries over the read model: the report of a period, and for any figure in it the
 * list of persons, accounts, groups, apps, changes or days behind it (the report's `sources`).
 */
import type { ReadModels } from '../../application/projections/read-models';
import type { WorkingDayCalendar } from '../../application/ports/working-day-calendar.port';
import type { Filter } from '../../application/ports/read-store.port';
import {
  AssessmentEvaluator,
  type AssessmentSettings,
  type Measure,
  MEASURES,
  type MeasureItem,
} from './assessment.evaluation';
import {
  A_ACCOUNTS,
  A_ACTIVITY,
  A_APPS,
  A_CHANGES,
  A_GROUPS,
  A_NODES,
  A_PERSONS,
  ASSESSMENT,
  type ActivityDoc,
  type AssessedAccountDoc,
  type AssessedAppDoc,
  type AssessedGroupDoc,
  type AssessedPersonDoc,
  type ChangeDoc,
  type NodeDoc,
} from './assessment.projection';
import { type AssessmentReport, buildReport, subtreeOf } from './assessment.report';
import { parsePeriod, type Period } from './period';

export class AssessmentQueryError extends Error {
  constructor(
    readonly code: 'UNKNOWN_MEASURE' | 'UNKNOWN_UNIT' | 'INVALID_REPORT_FORMAT',
    message: string,
  ) {
    super(message);
  }
}

const PAGE = 20_000;
/** Above this many nodes a listing reads whole collections instead of asking by node. */
const MAX_NODES_BY_QUERY = 400;

export interface AssessmentListing {
  readonly period: string;
  readonly nodeId: string;
  readonly measure: Measure;
  readonly label: string;
  readonly definition: string;
  readonly lists: string;
  readonly count: number;
  readonly items: readonly MeasureItem[];
}

export class AssessmentQueries {
  constructor(
    private readonly models: ReadModels,
    private readonly calendar: WorkingDayCalendar,
    private readonly settings: AssessmentSettings,
    private readonly jurisdiction: string,
  ) {}

  /** Every document matching `filter`, page by page in id order (a province does not fit one answer). */
  private async *pages<D>(collection: string, filter: Filter = {}): AsyncGenerator<D[]> {
    for (let after: string | undefined; ;) {
      const options = after === undefined ? { limit: PAGE } : { limit: PAGE, after };
      const page = await this.models.find(ASSESSMENT, collection, filter, options);
      if (page.length > 0) yield page as unknown as D[];
      if (page.length < PAGE) return;
      after = page[page.length - 1].id;
    }
  }

  private async feed<D>(
    collection: string,
    filter: Filter | null,
    into: (docs: D[]) => void,
    keep: ((doc: D) => boolean) | null = null,
  ): Promise<void> {
    for await (const page of this.pages<D>(collection, filter ?? {})) into(keep === null ? page : page.filter(keep));
  }

  private async nodesAt(evaluator: AssessmentEvaluator): Promise<void> {
    await this.feed<NodeDoc>(A_NODES, null, (docs) => evaluator.addNodes(docs));
  }

  /**
   * A period's report: of the whole jurisdiction, or (`within`, a scoped reader's subtrees) of
   * those subtrees alone: their units, ranked among themselves, every figure counted over them.
   */
  async report(periodText: string, within: readonly string[] | null = null): Promise<AssessmentReport> {
    const period = parsePeriod(periodText, this.settings.timeZone);
    const evaluator = new AssessmentEvaluator(period, this.settings, this.calendar);
    await this.nodesAt(evaluator);
    const subtree =
      within === null ? null : [...new Set(within.flatMap((id) => subtreeOf(evaluator.nodesAtClose(), id)))];
    await this.evaluate(evaluator, period, subtree);
    const report = buildReport(this.jurisdiction, period, this.settings, evaluator.finish());
    if (subtree === null) return report;
    const kept = new Set(subtree);
    return {
      ...report,
      rootId: report.rootId !== null && kept.has(report.rootId) ? report.rootId : null,
      units: report.units.filter((unit) => kept.has(unit.nodeId)),
      ranking: report.ranking.filter((row) => kept.has(row.nodeId)).map((row, i) => ({ ...row, rank: i + 1 })),
      lateChanges: report.lateChanges.filter((change) => kept.has(change.unitId)),
    };
  }

  /** The items behind one measure of one node (its whole subtree, as the rolled-up figure counts them). */
  async listing(
    periodText: string,
    nodeId: string,
    measure: string,
    within: readonly string[] | null = null,
  ): Promise<AssessmentListing> {
    const period = parsePeriod(periodText, this.settings.timeZone);
    if (!Object.prototype.hasOwnProperty.call(MEASURES, measure)) {
      throw new AssessmentQueryError(
        'UNKNOWN_MEASURE',
        `没有名为 ${measure} 的考核指标，可选：${Object.keys(MEASURES).join('、')}`,
      );
    }
    const evaluator = new AssessmentEvaluator(period, this.settings, this.calendar, measure as Measure);
    await this.nodesAt(evaluator);
    const subtree = subtreeOf(evaluator.nodesAtClose(), nodeId);
    // A node outside a scoped reader's subtrees does not exist for them.
    const readable =
      within === null || within.some((root) => subtreeOf(evaluator.nodesAtClose(), root).includes(nodeId));
    if (subtree.length === 0 || !readable)
      throw new AssessmentQueryError('UNKNOWN_UNIT', `考核期末（${period.lastDay}）不存在组织节点 ${nodeId}`);
    await this.evaluate(evaluator, period, subtree);
    const inScope = new Set(subtree);
    const items = evaluator.finish().items.filter((item) => inScope.has(item.unitId));
    const info = MEASURES[measure as Measure];
    return {
      period: period.id,
      nodeId,
      measure: measure as Measure,
      label: info.label,
      definition: info.definition,
      lists: info.lists,
      count: items.length,
      items,
    };
  }

  /** Everything after the nodes (already in the evaluator), for the whole tree or one subtree. */
  private async evaluate(evaluator: AssessmentEvaluator, period: Period, subtree: string[] | null): Promise<void> {
    const byNode = subtree !== null && subtree.length <= MAX_NODES_BY_QUERY;
    const units: Filter | null = byNode ? { units: { $in: subtree } } : null;
    // A large subtree is read whole and kept in memory: nothing outside it counts.
    const inSubtree = subtree === null || byNode ? null : new Set(subtree);
    const placed = <D>(unitsOf: (doc: D) => readonly (string | null)[]) =>
      inSubtree === null ? null : (doc: D) => unitsOf(doc).some((unit) => unit !== null && inSubtree.has(unit));
    const personIds: string[] = [];
    const kept = new Set<string>();
    const person = placed<AssessedPersonDoc>((doc) => doc.units);
    await this.feed<AssessedPersonDoc>(
      A_PERSONS,
      units,
      (docs) => {
        evaluator.addPersons(docs);
        if (byNode) for (const doc of docs) personIds.push(doc.id);
        if (inSubtree) for (const doc of docs) kept.add(doc.id);
      },
      person,
    );
    if (byNode) {
      for (let i = 0; i < personIds.length; i += 500)
        await this.feed<AssessedAccountDoc>(A_ACCOUNTS, { personId: { $in: personIds.slice(i, i + 500) } }, (docs) =>
          evaluator.addAccounts(docs),
        );
      await this.feed<AssessedAccountDoc>(A_ACCOUNTS, { sponsorOrgNodeId: { $in: subtree } }, (docs) =>
        evaluator.addAccounts(docs),
      );
    } else {
      const account =
        inSubtree === null
          ? null
          : (doc: AssessedAccountDoc) =>
              (doc.personId !== null && kept.has(doc.personId)) ||
              (doc.sponsorOrgNodeId !== null && inSubtree.has(doc.sponsorOrgNodeId));
      await this.feed<AssessedAccountDoc>(A_ACCOUNTS, null, (docs) => evaluator.addAccounts(docs), account);
    }
    const owned = placed<{ units: string[] }>((doc) => doc.units);
    await this.feed<AssessedGroupDoc>(A_GROUPS, units, (docs) => evaluator.addGroups(docs), owned);
    await this.feed<AssessedAppDoc>(A_APPS, units, (docs) => evaluator.addApps(docs), owned);
    const unitOf = placed<{ unitId: string }>((doc) => [doc.unitId]);
    const recorded = { $gte: period.start, $lt: period.end };
    await this.feed<ChangeDoc>(
      A_CHANGES,
      byNode ? { unitId: { $in: subtree }, recordedAt: recorded } : { recordedAt: recorded },
      (docs) => evaluator.addChanges(docs),
      unitOf,
    );
    const days = { $gte: period.firstDay, $lte: period.lastDay };
    const months = { $gte: period.months[0], $lte: period.months[period.months.length - 1] };
    for (const [kind, range] of [
      ['DAY', days],
      ['MONTH', months],
    ] as const) {
      const filter: Filter = byNode ? { unitId: { $in: subtree }, kind, period: range } : { kind, period: range };
      await this.feed<ActivityDoc>(A_ACTIVITY, filter, (docs) => evaluator.addActivity(docs), unitOf);
    }
  }
}
