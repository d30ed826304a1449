/**
 * The assessment committee's questions: a period's report and the listing behind a figure. System
 * admins and assessors of the whole jurisdiction read all of it; a scoped assessor, and a tiered
 * admin for their own scope, the report of their subtrees and the listings of nodes inside them.
 */
import { type AccessControl } from '../../application/access/access-control';
import type { ReadModels } from '../../application/projections/read-models';
import type { BusQueryHandler } from '../../application/queries/query-bus';
import type { Principal } from '../../domain/access/access-policy';
import { ReadModelQuery } from '../consistent-query';
import { type AssessmentQueries, AssessmentQueryError } from './assessment.queries';

export const REPORT_FORMATS = ['json', 'csv', 'xlsx', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

function formatOf(value: unknown, allowed: readonly ReportFormat[]): ReportFormat {
  const format = value === undefined ? 'json' : value;
  if (typeof format !== 'string' || !(allowed as readonly string[]).includes(format))
    throw new AssessmentQueryError('INVALID_REPORT_FORMAT', `format 应为 ${allowed.join('、')} 之一`);
  return format as ReportFormat;
}

type Report = Awaited<ReturnType<AssessmentQueries['report']>>;
type Listing = Awaited<ReturnType<AssessmentQueries['listing']>>;

export class GetAssessmentReport extends ReadModelQuery<{ report: Report; format: ReportFormat }> {
  constructor(
    principal: Principal,
    readonly period: string,
    readonly format: unknown,
    consistentWith?: string,
  ) {
    super(principal, consistentWith);
  }
}

export class GetAssessmentReportHandler implements BusQueryHandler<GetAssessmentReport> {
  constructor(
    private readonly assessment: AssessmentQueries,
    private readonly models: ReadModels,
    private readonly access: AccessControl,
  ) {}

  async execute({ principal, period, format, consistentWith }: GetAssessmentReport) {
    const within = this.access.readScope(principal, 'ASSESSOR', '查看考核报告');
    const as = formatOf(format, REPORT_FORMATS);
    await this.models.consistentWith(consistentWith);
    return { report: await this.assessment.report(period, within), format: as };
  }
}

/** What one figure of the report counts: the records behind a measure of a node and its subtree. */
export class GetAssessmentListing extends ReadModelQuery<{ listing: Listing; format: ReportFormat }> {
  constructor(
    principal: Principal,
    readonly period: string,
    readonly nodeId: string,
    readonly measure: string,
    readonly format: unknown,
    consistentWith?: string,
  ) {
    super(principal, consistentWith);
  }
}

export class GetAssessmentListingHandler implements BusQueryHandler<GetAssessmentListing> {
  constructor(
    private readonly assessment: AssessmentQueries,
    private readonly models: ReadModels,
    private readonly access: AccessControl,
  ) {}

  async execute({ principal, period, nodeId, measure, format, consistentWith }: GetAssessmentListing) {
    const within = this.access.readScope(principal, 'ASSESSOR', '查看考核明细');
    const as = formatOf(format, ['json', 'csv']);
    await this.models.consistentWith(consistentWith);

    return { listing: await this.assessment.listing(period, nodeId, measure, within), format: as };
  }
}
