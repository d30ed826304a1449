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
import type { Principal } from '../../domain/access/access-policy';
import { ReadModelQuery } from '../consistent-query';
import type { DirectoryQueries } from '../directory/directory.queries';
import { viewerOf } from '../viewers';
import { REQUEST_DOCS, type RequestDoc, REQUESTS } from './requests.projection';

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
