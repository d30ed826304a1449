/**
 * Work lists (待办): the requests waiting for the asking account (the step under review is one it
 * may decide), with their due dates and how many working days late; and a unit's open requests,
 * for its administrators.
 */
import { type AccessControl } from '../../application/access/access-control';
import { localDate } from '../../application/calendar/working-days';
import type { Clock } from '../../application/ports/clock.port';
import type { WorkingDayCalendar } from '../../application/ports/working-day-calendar.port';
import type { ReadModels } from '../../application/projections/read-models';
import type { BusQueryHandler } from '../../application/queries/query-bus';
import { reviewerPermission } from '../../application/request/request-reviewers';
import { type Principal, withinScope } from '../../domain/access/access-policy';
import { ReadModelQuery } from '../consistent-query';
import type { DirectoryQueries } from '../directory/directory.queries';
import { viewerOf } from '../viewers';
import { REQUEST_DOCS, type RequestDoc, REQUESTS, STEP_DECISIONS, type StepDecisionDoc } from './requests.projection';
import { parsePeriod } from '../assessment/period';
import { NODES, ORG_TREE, type OrgNodeDoc } from '../org-tree/org-tree.projection';

export interface WorkItem extends RequestDoc {
  /** Working days past the step's due date (0: not late). */
  readonly lateWorkingDays: number;
}

const OPEN = ['UNDER_REVIEW', 'RETURNED', 'APPROVED'];

export class GetRequestWorklist extends ReadModelQuery<{ requests: WorkItem[] }> {
  constructor(principal: Principal, consistentWith?: string) {
    super(principal, consistentWith);
  }
}

export class GetUnitRequests extends ReadModelQuery<{ requests: WorkItem[] }> {
  constructor(
    principal: Principal,
    readonly orgNodeId: string,
    consistentWith?: string,
  ) {
    super(principal, consistentWith);
  }
}

/** How late each request is today, in working days past its due date. */
function withLateness(docs: RequestDoc[], calendar: WorkingDayCalendar, today: string): WorkItem[] {
  return docs.map((doc) => ({
    ...doc,
    lateWorkingDays: today > doc.dueOn ? calendar.workingDaysBetween(doc.dueOn, today) : 0,
  }));
}

export class GetRequestWorklistHandler implements BusQueryHandler<GetRequestWorklist> {
  constructor(
    private readonly models: ReadModels,
    private readonly access: AccessControl,
    private readonly calendar: WorkingDayCalendar,
    private readonly clock: Clock,
    private readonly timeZone: string,
  ) {}

  async execute({ principal, consistentWith }: GetRequestWorklist) {
    this.access.authorize(principal, { kind: 'AUTHENTICATED' });
    await this.models.consistentWith(consistentWith);
    const open = (await this.models.find(
      REQUESTS,
      REQUEST_DOCS,
      { status: 'UNDER_REVIEW' },
      {
        sort: [['dueOn', 1]],
      },
    )) as RequestDoc[];
    const mine: RequestDoc[] = [];
    for (const doc of open) {
      const permission = await reviewerPermission(
        this.access,
        { name: doc.stepName, adminOf: doc.reviewerAdminOf },
        doc.orgNodeId,
      );
      // The applicant never reviews their own request (the decider refuses it): not theirs to do.
      if (principal.kind === 'ACCOUNT' && principal.account.accountId === doc.applicantAccountId) continue;
      if (this.access.allows(principal, permission)) mine.push(doc);
    }
    return { requests: withLateness(mine, this.calendar, localDate(this.clock.now(), this.timeZone)) };
  }
}

export class GetUnitRequestsHandler implements BusQueryHandler<GetUnitRequests> {
  constructor(
    private readonly models: ReadModels,
    private readonly directory: DirectoryQueries,
    private readonly access: AccessControl,
    private readonly calendar: WorkingDayCalendar,
    private readonly clock: Clock,
    private readonly timeZone: string,
  ) {}

  async execute({ principal, orgNodeId, consistentWith }: GetUnitRequests) {
    await this.models.consistentWith(consistentWith);
    // A hidden node the principal may not see does not exist for them (404), before the 403 of others.
    await this.directory.nodeFor(viewerOf(principal), orgNodeId);
    this.access.authorize(principal, await this.access.unit('查看本单位申请', [orgNodeId]));
    const docs = (await this.models.find(
      REQUESTS,
      REQUEST_DOCS,
      { orgNodeId, status: { $in: OPEN } },
      {
        sort: [['dueOn', 1]],
      },
    )) as RequestDoc[];
    return { requests: withLateness(docs, this.calendar, localDate(this.clock.now(), this.timeZone)) };
  }
}

/** How one reviewing unit decided its steps in a period: decided within the due date or late. */
export interface ReviewTimeliness {
  /** The node whose admins reviewed (null: the system admins). */
  readonly reviewerNodeId: string | null;
  readonly reviewer: string;
  readonly decided: number;
  readonly onTime: number;
  readonly late: number;
  /** onTime / decided, 0–1 (null when nothing was decided). */
  readonly onTimeRate: number | null;
}

/**
 * The timeliness of reviews (issue 21): per reviewing unit, the request steps decided in a period
 * and how many within their due date, for the assessment's readers (system admins; assessors and
 * tiered admins for the reviewing units in their subtrees).
 */
export class GetReviewTimeliness extends ReadModelQuery<{ period: string; reviewers: ReviewTimeliness[] }> {
  constructor(
    principal: Principal,
    readonly period: string,
    consistentWith?: string,
  ) {
    super(principal, consistentWith);
  }
}

export class GetReviewTimelinessHandler implements BusQueryHandler<GetReviewTimeliness> {
  constructor(
    private readonly models: ReadModels,
    private readonly access: AccessControl,
    private readonly timeZone: string,
  ) {}

  async execute({ principal, period: text, consistentWith }: GetReviewTimeliness) {
    const within = this.access.readScope(principal, 'ASSESSOR', '查看审核时效');
    const period = parsePeriod(text, this.timeZone);
    await this.models.consistentWith(consistentWith);
    const decided = (await this.models.find(REQUESTS, STEP_DECISIONS, {
      decidedAt: { $gte: period.start, $lt: period.end },
    })) as StepDecisionDoc[];
    const byReviewer = new Map<string | null, { decided: number; late: number }>();
    for (const doc of decided) {
      const figures = byReviewer.get(doc.reviewerNodeId) ?? { decided: 0, late: 0 };
      figures.decided++;
      if (doc.late) figures.late++;
      byReviewer.set(doc.reviewerNodeId, figures);
    }
    const ids = [...byReviewer.keys()].filter((id): id is string => id !== null);
    const nodes = new Map(
      ((await this.models.getMany(ORG_TREE, NODES, ids)) as OrgNodeDoc[]).map((node) => [node.id, node]),
    );
    const reviewers: ReviewTimeliness[] = [];
    for (const [reviewerNodeId, { decided: count, late }] of byReviewer) {
      const node = reviewerNodeId === null ? null : nodes.get(reviewerNodeId);
      // A scoped reader sees the reviewing units in their subtrees; the system admins' reviews are for the jurisdiction's readers.
      if (within !== null && (!node || !withinScope(within, node.path.split('/').filter(Boolean)))) continue;
      reviewers.push({
        reviewerNodeId,
        reviewer: reviewerNodeId === null ? '系统管理员' : (node?.name ?? reviewerNodeId),
        decided: count,
        onTime: count - late,
        late,
        onTimeRate: count === 0 ? null : (count - late) / count,
      });
    }
    reviewers.sort((a, b) => b.decided - a.decided || String(a.reviewerNodeId).localeCompare(String(b.reviewerNodeId)));
    return { period: period.id, reviewers };
  }
}
