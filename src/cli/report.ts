/**
 * `report assessment`: the assessment report (年度综合考核) of a period as JSON, CSV, XLSX or HTML,
 * read through the query bus as the account the operator names (`--as`), under the read policy:
 * a system admin or an assessor of the jurisdiction gets all of it, a scoped assessor or a tiered
 * admin their subtrees.
 */
import { writeFile } from 'node:fs/promises';
import { ProjectionEngine } from '../application/projections/projection-engine';
import { activeGeneration, READ_STORE, type ReadStore } from '../application/ports/read-store.port';
import { AccessControl } from '../application/access/access-control';
import { QUERY_BUS, type QueryBus } from '../application/queries/query-bus';
import { GetAssessmentReport } from '../read-models/assessment/assessment.query-handlers';
import { ASSESSMENT } from '../read-models/assessment/assessment.projection';
import { reportCsv, reportHtml, reportWorkbook } from '../infrastructure/reports/assessment-report.render';
import type { Command } from 'commander';
import { withApp } from './app-context';

const REPORT_FORMATS = ['json', 'csv', 'xlsx', 'html'] as const;

async function assessmentReportCommand(options: {
  period: string;
  format: string;
  out?: string;
  rebuild?: boolean;
  as: string;
}): Promise<number> {
  if (!(REPORT_FORMATS as readonly string[]).includes(options.format)) {
    process.stderr.write(`--format 应为 ${REPORT_FORMATS.join('、')} 之一\n`);
    return 2;
  }
  return withApp(async (app) => {
    const readStore = app.get<ReadStore>(READ_STORE);
    // The service keeps the read model current; without one (or when asked) build it here first.
    if (options.rebuild || !activeGeneration(await readStore.generations(ASSESSMENT))) {
      process.stderr.write('正在构建考核读模型…\n');
      const { processed } = await app.get(ProjectionEngine).rebuild([ASSESSMENT]);
      process.stderr.write(`考核读模型已构建：${processed} 个事件\n`);
    }
    const principal = await app.get(AccessControl).principalOf({ kind: 'ACCOUNT', accountId: options.as });
    const { report } = await app
      .get<QueryBus>(QUERY_BUS)
      .execute(new GetAssessmentReport(principal, options.period, options.format));
    const body =
      options.format === 'json'
        ? Buffer.from(`${JSON.stringify(report, null, 2)}\n`)
        : options.format === 'csv'
          ? Buffer.from(reportCsv(report), 'utf8')
          : options.format === 'xlsx'
            ? await reportWorkbook(report)
            : Buffer.from(reportHtml(report), 'utf8');
    if (options.out) {
      await writeFile(options.out, body);
      process.stderr.write(
        `已生成 ${report.period.label}考核报告：${options.out}（${report.units.length} 个节点，${report.ranking.length} 个单位参与排名）\n`,
      );
    } else process.stdout.write(body);
    return 0;
  });
}

export function registerReport(program: Command): void {
  const report = program.command('report').description('Reports from the read models');
  report
    .command('assessment')
    .description('The assessment report (年度综合考核) of a period: 2025, 2025-Q3 or 2025-06')
    .requiredOption('--period <period>', 'a year (2025), quarter (2025-Q3) or month (2025-06)')
    .option('--format <format>', `one of ${REPORT_FORMATS.join(', ')}`, 'json')
    .option('--out <file>', 'write to this file instead of standard output')
    .requiredOption(
      '--as <accountId>',
      'the account whose read scope applies (a system admin, an assessor, a tiered admin)',
    )
    .option('--rebuild', 'rebuild the assessment read model from the events first')
    .action(async (options: { period: string; format: string; out?: string; rebuild?: boolean; as: string }) => {
      process.exitCode = await assessmentReportCommand(options);
    });
}
