/**
 * The assessment report in the formats the assessment committee uses: CSV (one row per node),
 * an XLSX workbook (ranking, one sheet per group of measures, the late changes, the trend, the
 * definitions) and a self-contained HTML page with its charts rendered here as SVG by ECharts.
 * Chinese labels throughout; every figure's source query is given (links in the HTML).
 */
import * as echarts from 'echarts';
import ExcelJS from 'exceljs';
import {
  MEASURES,
  type Measure,
  SCORE_COMPONENTS,
  SCORE_LABELS,
} from '../../read-models/assessment/assessment.evaluation';
import type { AssessmentReport, UnitRow } from '../../read-models/assessment/assessment.report';
import { toCsv } from '../http/read-model-responses';
import { localDateTime } from '../../application/calendar/working-days';

const KIND_LABELS: Record<string, string> = {
  ROOT: '辖区',
  CATEGORY: '类别',
  UNIT: '单位',
  INTERNAL_BODY: '内设机构',
  VILLAGE: '居村',
};
const STATUS_LABELS: Record<string, string> = { ACTIVE: '正常', DISSOLVED: '已撤销', MERGED: '已合并' };
const CHANGE_LABELS: Record<string, string> = {
  PersonRegistered: '新进人员',
  PersonPostChanged: '职务变更',
  PersonTransferred: '调动',
  SecondmentStarted: '借调开始',
  SecondmentEnded: '借调结束',
  ConcurrentPostAssigned: '兼任',
  ConcurrentPostRelieved: '免去兼任',
  PersonLeft: '离职',
  PersonReinstated: '恢复在岗',
};

const percent = (value: number | null) => (value === null ? '—' : `${(value * 100).toFixed(1)}%`);

type Column = readonly [header: string, value: (row: UnitRow, rank: RankInfo | undefined) => string | number | null];
interface RankInfo {
  readonly rank: number;
  readonly score: number;
}

const IDENTITY: Column[] = [
  ['节点编号', (u) => u.nodeId],
  ['名称', (u) => u.name],
  ['层级路径', (u) => u.path],
  ['类型', (u) => KIND_LABELS[u.kind] ?? u.kind],
  ['状态', (u) => STATUS_LABELS[u.status] ?? u.status],
];

/** Measure groups: one XLSX sheet each, and together the CSV's columns. */
const GROUPS: ReadonlyArray<readonly [sheet: string, columns: Column[]]> = [
  [
    '在岗与激活',
    [
      ['在岗人数', (u) => u.figures.onPost],
      ['其中在编', (u) => u.figures.byEmployment.ON_ESTABLISHMENT ?? 0],
      ['其中非编聘用', (u) => u.figures.byEmployment.CONTRACTED ?? 0],
      ['其中外部临时', (u) => u.figures.byEmployment.EXTERNAL_TEMPORARY ?? 0],
      ['已开户', (u) => u.figures.registered],
      ['已激活', (u) => u.figures.activated],
      ['激活率', (u) => u.figures.activationRate],
    ],
  ],
  [
    '更新及时性',
    [
      ['人员变更数', (u) => u.figures.changes],
      ['按时', (u) => u.figures.onTime],
      ['及时率', (u) => u.figures.onTimeRate],
      ['滞后中位数（工作日）', (u) => u.figures.medianLag],
      ['最大滞后（工作日）', (u) => u.figures.maxLag],
    ],
  ],
  [
    '账号',
    [
      ['离职未注销账号', (u) => u.figures.departedOpenAccounts],
      ['过期临时账号', (u) => u.figures.expiredTemporaryAccounts],
      ['管理员密码超期', (u) => u.figures.staleAdminPasswords],
    ],
  ],
  [
    '工作群',
    [
      ['工作群数', (u) => u.figures.groups],
      ['无管理员群', (u) => u.figures.groupsWithoutAdmin],
      ['长期不活跃群', (u) => u.figures.staleGroups],
      ['含离职人员群', (u) => u.figures.groupsWithDepartedMembers],
      ['无群主群', (u) => u.figures.groupsWithoutOwner],
    ],
  ],
  [
    '单位职责',
    [
      ['未设分管领导单位', (u) => u.figures.unitsWithoutLeaderInCharge],
      ['未设系统管理员单位', (u) => u.figures.unitsWithoutAdmin],
      ['未交接职责', (u) => u.figures.openHandovers],
    ],
  ],
  [
    '应用',
    [
      ['接入应用', (u) => u.figures.apps],
      ['超期审核', (u) => u.figures.lateReviews],
      ['下线应用', (u) => u.figures.offlineApps],
      ['期内注销', (u) => u.figures.deregisteredApps],
    ],
  ],
  [
    '登录活跃',
    [
      ['工作日日均活跃账号', (u) => u.figures.averageDailyActive],
      ['日活跃率', (u) => u.figures.dailyActiveRate],
      ['月均活跃账号', (u) => u.figures.averageMonthlyActive],
      ['月活跃率', (u) => u.figures.monthlyActiveRate],
    ],
  ],
];

const RANK_COLUMNS: Column[] = [
  ['排名', (_u, r) => r?.rank ?? null],
  ['得分', (_u, r) => r?.score ?? null],
];

function ranks(report: AssessmentReport): Map<string, RankInfo> {
  return new Map(report.ranking.map((r) => [r.nodeId, { rank: r.rank, score: r.score }]));
}

export function reportCsv(report: AssessmentReport): string {
  const columns = [...IDENTITY, ...RANK_COLUMNS, ...GROUPS.flatMap(([, c]) => c)];
  const byNode = ranks(report);
  return toCsv(
    columns.map(([h]) => h),
    report.units.map((u) => columns.map(([, value]) => value(u, byNode.get(u.nodeId)))),
  );
}

function title(report: AssessmentReport): string {
  return `政务协同办公平台使用情况考核报告（${report.period.label}）`;
}

export async function reportWorkbook(report: AssessmentReport): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = report.jurisdiction;
  const sheet = (name: string, header: string[]) => {
    const ws = workbook.addWorksheet(name);
    ws.addRow(header);
    ws.getRow(1).font = { bold: true };
    ws.views = [{ state: 'frozen', ySplit: 1 }];
    return ws;
  };
  const ranking = sheet('排名', [
    '排名',
    '单位',
    '节点编号',
    '得分',
    ...SCORE_COMPONENTS.map((c) => `${SCORE_LABELS[c]}（权重 ${report.settings.weights[c]}）`),
  ]);
  for (const r of report.ranking)
    ranking.addRow([r.rank, r.name, r.nodeId, r.score, ...SCORE_COMPONENTS.map((c) => r.components[c])]);
  const byNode = ranks(report);
  for (const [name, columns] of GROUPS) {
    const ws = sheet(
      name,
      [...IDENTITY, ...columns].map(([h]) => h),
    );
    for (const u of report.units)
      ws.addRow([...IDENTITY, ...columns].map(([, value]) => value(u, byNode.get(u.nodeId))));
  }
  const late = sheet('超期变更', [
    '记录时间',
    '记录日期',
    '生效日期',
    '滞后（工作日）',
    '变更',
    '人员编号',
    '姓名',
    '所在节点',
    '记录人账号',
    '记录人人员编号',
    '记录人角色',
    '依据文号',
    '事件编号',
  ]);
  for (const c of report.lateChanges)
    late.addRow([
      // As a person in the jurisdiction reads it, not as an ISO instant in UTC.
      localDateTime(new Date(c.recordedAt), report.period.timeZone),
      c.recordedOn,
      c.effectiveOn,
      c.lagWorkingDays,
      CHANGE_LABELS[c.type] ?? c.type,
      c.personId,
      c.personName,
      c.unitId,
      c.actorAccountId,
      c.actorPersonId,
      c.actorRole,
      c.sourceRef,
      c.id,
    ]);
  const trend = sheet('月度趋势', [
    '月份',
    '在岗人数',
    '已开户',
    '已激活',
    '激活率',
    '月活跃账号',
    '月活跃率',
    '人员变更数',
    '及时率',
  ]);
  for (const m of report.trend)
    trend.addRow([
      m.month,
      m.onPost,
      m.registered,
      m.activated,
      m.activationRate,
      m.monthlyActive,
      m.monthlyActiveRate,
      m.changes,
      m.onTimeRate,
    ]);
  const definitions = sheet('指标说明', ['指标', '名称', '口径', '明细查询（以辖区根节点为例）']);
  for (const m of Object.keys(MEASURES) as Measure[])
    definitions.addRow([m, MEASURES[m].label, MEASURES[m].definition, report.units[0]?.sources[m] ?? '']);
  definitions.addRow([]);
  definitions.addRow([
    '考核期间',
    report.period.label,
    `${report.period.firstDay} 至 ${report.period.lastDay}（${report.period.timeZone}）`,
    `期内工作日 ${report.settings.workingDays} 天`,
  ]);
  definitions.addRow([
    '更新时限',
    `${report.settings.deadlineWorkingDays} 个工作日`,
    '不活跃群',
    `${report.settings.groupStaleDays} 天无活动`,
  ]);
  definitions.addRow([
    '密码轮换周期',
    `${report.settings.passwordRotationDays} 天`,
    '参与排名的节点类型',
    report.settings.rankedKinds.map((k) => KIND_LABELS[k] ?? k).join('、'),
  ]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const escape = (text: unknown) => String(text ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function svgChart(id: string, option: echarts.EChartsCoreOption, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  chart.setOption({ animation: false, textStyle: { fontFamily: 'sans-serif' }, ...option });
  const svg = chart.renderToSVGString();
  chart.dispose();
  // zrender names CSS classes and clip paths after process-wide counters ("zr7-cls-3", "zr7-c0"):
  // renumber them per chart so that the same report renders to the same bytes whatever came before.
  const names = new Map<string, string>();
  return svg.replace(/zr\d+-(?:cls-)?[a-z]*\d+/g, (name) => {
    if (!names.has(name)) names.set(name, `${id}-c${names.size}`);
    return names.get(name)!;
  });
}

/** Red (0 %) through amber to green (100 %). */
function rateColour(rate: number | null): string {
  if (rate === null) return '#bdbdbd';
  const r = rate < 0.5 ? 220 : Math.round(220 - (rate - 0.5) * 2 * 180);
  const g = rate < 0.5 ? Math.round(60 + rate * 2 * 140) : 200;
  return `rgb(${r},${g},70)`;
}

export const CHART_IDS = ['ranking', 'activation-map', 'timeliness', 'trend'] as const;

export function reportCharts(report: AssessmentReport): Record<(typeof CHART_IDS)[number], string> {
  const top = report.ranking.slice(0, 40);
  const ranking = svgChart(
    'ranking',
    {
      title: {
        text: top.length < report.ranking.length ? `综合得分排名（前 ${top.length} 名）` : '综合得分排名',
        left: 'center',
      },
      grid: { left: 180, right: 40, top: 40, bottom: 30 },
      xAxis: { type: 'value', max: 100 },
      yAxis: { type: 'category', inverse: true, data: top.map((r) => `${r.rank}. ${r.name}`) },
      series: [
        {
          type: 'bar',
          data: top.map((r) => r.score),
          label: { show: true, position: 'right' },
          itemStyle: { color: '#3b6fb6' },
        },
      ],
    },
    900,
    Math.max(200, 60 + top.length * 22),
  );

  const children = new Map<string | null, UnitRow[]>();
  for (const u of report.units) {
    const list = children.get(u.parentId) ?? [];
    list.push(u);
    children.set(u.parentId, list);
  }
  type TreeItem = { name: string; value: number; itemStyle: { color: string }; children?: TreeItem[] };
  const treeOf = (u: UnitRow, depth: number): TreeItem => {
    const kids =
      depth < 3
        ? (children.get(u.nodeId) ?? []).filter((c) => c.figures.onPost > 0).map((c) => treeOf(c, depth + 1))
        : [];
    return {
      name: `${u.name} ${percent(u.figures.activationRate)}`,
      value: u.figures.onPost,
      itemStyle: { color: rateColour(u.figures.activationRate) },
      ...(kids.length ? { children: kids } : {}),
    };
  };
  const root = report.units[0];
  const activationMap = svgChart(
    'activation-map',
    {
      title: { text: '激活率分布（面积为在岗人数，颜色为激活率）', left: 'center' },
      series: [
        {
          type: 'treemap',
          top: 40,
          roam: false,
          nodeClick: false,
          breadcrumb: { show: false },
          leafDepth: 3,
          label: { show: true, fontSize: 11 },
          upperLabel: { show: true, height: 18 },
          levels: [
            { itemStyle: { borderWidth: 2, gapWidth: 2, borderColor: '#fff' } },
            { itemStyle: { borderWidth: 1, gapWidth: 1, borderColor: '#fff' } },
          ],
          data: root
            ? (children.get(root.nodeId) ?? []).filter((c) => c.figures.onPost > 0).map((c) => treeOf(c, 1))
            : [],
        },
      ],
    },
    900,
    520,
  );

  const hist = report.timeliness.histogram;
  const maxLag = hist.length ? hist[hist.length - 1].lag : 0;
  const lags = Array.from({ length: maxLag + 1 }, (_, lag) => lag);
  const counts = new Map(hist.map((h) => [h.lag, h.changes]));
  const timeliness = svgChart(
    'timeliness',
    {
      title: { text: `人员变更滞后分布（时限 ${report.settings.deadlineWorkingDays} 个工作日）`, left: 'center' },
      grid: { left: 60, right: 30, top: 50, bottom: 50 },
      xAxis: { type: 'category', name: '滞后工作日', nameLocation: 'middle', nameGap: 30, data: lags.map(String) },
      yAxis: { type: 'value', name: '变更数' },
      series: [
        {
          type: 'bar',
          data: lags.map((lag) => ({
            value: counts.get(lag) ?? 0,
            itemStyle: { color: lag <= report.settings.deadlineWorkingDays ? '#4caf50' : '#e53935' },
          })),
        },
      ],
    },
    900,
    320,
  );

  const asPercent = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);
  const trend = svgChart(
    'trend',
    {
      title: { text: '月度趋势', left: 'center' },
      legend: { top: 28 },
      grid: { left: 60, right: 30, top: 70, bottom: 40 },
      xAxis: { type: 'category', data: report.trend.map((m) => m.month) },
      yAxis: { type: 'value', name: '%', max: 100 },
      series: [
        { name: '激活率', type: 'line', data: report.trend.map((m) => asPercent(m.activationRate)) },
        { name: '月活跃率', type: 'line', data: report.trend.map((m) => asPercent(m.monthlyActiveRate)) },
        { name: '更新及时率', type: 'line', data: report.trend.map((m) => asPercent(m.onTimeRate)) },
      ],
    },
    900,
    340,
  );
  return { ranking, 'activation-map': activationMap, timeliness, trend };
}

function table(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string>>): string {
  return `<table><thead><tr>${header.map((h) => `<th>${escape(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.join('')}</tr>`).join('\n')}</tbody></table>`;
}
const td = (value: unknown) => `<td>${escape(value)}</td>`;
const link = (value: unknown, href: string) => `<td><a href="${escape(href)}">${escape(value)}</a></td>`;

export function reportHtml(report: AssessmentReport): string {
  const charts = reportCharts(report);
  const byNode = new Map(report.units.map((u) => [u.nodeId, u]));
  const rankingRows = report.ranking.map((r) => {
    const u = byNode.get(r.nodeId)!;
    const f = u.figures;
    return [
      td(r.rank),
      td(r.name),
      td(r.score.toFixed(2)),
      link(f.onPost, u.sources.onPost),
      link(f.activated, u.sources.activated),
      td(percent(f.activationRate)),
      link(f.changes, u.sources.changes),
      link(f.changes - f.onTime, u.sources.lateChanges),
      td(percent(f.onTimeRate)),
      link(f.averageDailyActive, u.sources.dailyActivity),
      td(percent(f.monthlyActiveRate)),
      link(f.departedOpenAccounts, u.sources.departedOpenAccounts),
      link(f.groupsWithoutAdmin, u.sources.groupsWithoutAdmin),
      link(f.staleGroups, u.sources.staleGroups),
      link(f.groupsWithDepartedMembers, u.sources.groupsWithDepartedMembers),
      link(f.lateReviews, u.sources.lateReviews),
      link(f.offlineApps, u.sources.offlineApps),
      link(f.expiredTemporaryAccounts, u.sources.expiredTemporaryAccounts),
      link(f.staleAdminPasswords, u.sources.staleAdminPasswords),
    ];
  });
  const root = report.units[0];
  const lateRows = report.lateChanges.map((c) => [
    td(c.recordedOn),
    td(c.effectiveOn),
    td(c.lagWorkingDays),
    td(CHANGE_LABELS[c.type] ?? c.type),
    td(c.personName),
    td(byNode.get(c.unitId)?.name ?? c.unitId),
    td(c.actorAccountId),
    td(c.sourceRef ?? ''),
  ]);
  const trendRows = report.trend.map((m) => [
    td(m.month),
    td(m.onPost),
    td(m.activated),
    td(percent(m.activationRate)),
    td(m.monthlyActive),
    td(percent(m.monthlyActiveRate)),
    td(m.changes),
    td(percent(m.onTimeRate)),
  ]);
  const definitionRows = (Object.keys(MEASURES) as Measure[]).map((m) => [
    td(MEASURES[m].label),
    td(MEASURES[m].definition),
    root ? link(root.sources[m], root.sources[m]) : td(''),
  ]);
  const s = report.settings;
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>${escape(title(report))}</title>
<style>
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 24px; color: #222; }
h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 32px; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; font-size: 12px; margin: 8px 0; } th, td { border: 1px solid #ccc; padding: 3px 6px; text-align: right; }
th { background: #f0f3f8; } td:nth-child(2) { text-align: left; } .chart { margin: 12px 0; } .meta { color: #555; font-size: 13px; }
</style>
</head>
<body>
<h1>${escape(root?.name ?? report.jurisdiction)} ${escape(title(report))}</h1>
<p class="meta">考核期间：${escape(report.period.firstDay)} 至 ${escape(report.period.lastDay)}（${escape(report.period.timeZone)}，期内工作日 ${s.workingDays} 天）；数据截至 ${escape(report.period.lastDay)} 24:00 平台已记录的全部事件。
更新时限 ${s.deadlineWorkingDays} 个工作日；工作群 ${s.groupStaleDays} 天无活动视为不活跃；管理员密码轮换周期 ${s.passwordRotationDays} 天。
权重：${SCORE_COMPONENTS.map((c) => `${SCORE_LABELS[c]} ${s.weights[c]}`).join('，')}。</p>
<h2>综合排名</h2>
<div class="chart" id="chart-ranking">${charts.ranking}</div>
${table(['排名', '单位', '得分', '在岗', '已激活', '激活率', '变更', '超期', '及时率', '日均活跃', '月活跃率', '离职未注销', '无管理员群', '不活跃群', '含离职人员群', '超期审核', '下线应用', '过期临时账号', '密码超期'], rankingRows)}
<h2>激活率分布</h2>
<div class="chart" id="chart-activation-map">${charts['activation-map']}</div>
<h2>人员信息更新及时性</h2>
<div class="chart" id="chart-timeliness">${charts.timeliness}</div>
<p class="meta">超期变更 ${report.lateChanges.length} 条（明细：<a href="${escape(root?.sources.lateChanges ?? '')}">${escape(root?.sources.lateChanges ?? '')}</a>）</p>
${table(['记录日期', '生效日期', '滞后（工作日）', '变更', '姓名', '所在节点', '记录人账号', '依据文号'], lateRows)}
<h2>月度趋势</h2>
<div class="chart" id="chart-trend">${charts.trend}</div>
${table(['月份', '在岗', '已激活', '激活率', '月活跃账号', '月活跃率', '人员变更', '及时率'], trendRows)}
<h2>指标口径与明细查询</h2>
${table(['指标', '口径', '明细查询（辖区）'], definitionRows)}
</body>
</html>
`;
}
