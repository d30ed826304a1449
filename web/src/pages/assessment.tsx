import { Button, Card, Drawer, Form, Input, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { lazy, Suspense, useEffect, useState } from 'react';
import { api, urlOf } from '../api';
import { percent } from '../format';
import { Failure, Loading, ScrollRegion, TAG_OK } from '../widgets';
import type { Report, UnitRow } from './assessment-report';

const Charts = lazy(() => import('./assessment-charts'));

interface Listing {
  readonly label: string;
  readonly definition: string;
  readonly count: number;
  readonly items: Array<Record<string, unknown>>;
}

type Figures = UnitRow['figures'];
const n = (value: number | null | undefined) => value ?? 0;

/** The figures shown per unit, each a link to the records it counts (the report's `sources`). */
const FIGURES: Array<[measure: string, title: string, value: (f: Figures) => number]> = [
  ['onPost', '在岗', (f) => n(f.onPost)],
  ['registered', '已开户', (f) => n(f.registered)],
  ['activated', '已激活', (f) => n(f.activated)],
  // As the measure's listing counts them: on post without an activated account (or without any).
  ['notActivated', '未激活', (f) => n(f.onPost) - n(f.activated)],
  ['changes', '人员变更', (f) => n(f.changes)],
  ['lateChanges', '超期变更', (f) => n(f.changes) - n(f.onTime)],
  ['departedOpenAccounts', '离职未注销', (f) => n(f.departedOpenAccounts)],
  ['groupsWithoutAdmin', '无管理员群', (f) => n(f.groupsWithoutAdmin)],
];

/** The listings' fields, as the committee reads them. */
const FIELD_LABELS: Readonly<Record<string, string>> = {
  unitId: '单位',
  id: '编号',
  personId: '人员',
  name: '姓名',
  personName: '姓名',
  employment: '用工类型',
  accountId: '账号',
  registered: '已开户',
  activated: '已激活',
  type: '类型',
  effectiveOn: '生效日期',
  recordedAt: '记录时间',
  lagWorkingDays: '滞后工作日',
  sourceRef: '依据文号',
  status: '状态',
};

function cellOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? '是' : '否';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function previousPeriod(period: string): string | null {
  const match = /^(\d{4})(.*)$/.exec(period);
  return match ? `${Number(match[1]) - 1}${match[2]}` : null;
}

/** 考核报告: a period's report with its charts and ranking; every figure opens the list behind it; this period beside the last. */
export default function Assessment() {
  const [period, setPeriod] = useState(String(new Date().getFullYear()));
  const [report, setReport] = useState<Report | null>(null);
  const [previous, setPrevious] = useState<Report | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [drill, setDrill] = useState<{ unit: UnitRow; measure: string } | null>(null);

  useEffect(() => {
    let current = true;
    setReport(null);
    setPrevious(null);
    setError(null);
    api.get<Report>(`/assessment/reports/${encodeURIComponent(period)}`).then(
      (r) => current && setReport(r),
      (e: unknown) => current && setError(e),
    );
    const before = previousPeriod(period);
    // The comparison is a second report; a period before the history began simply has nothing to compare.
    if (before)
      api.get<Report>(`/assessment/reports/${encodeURIComponent(before)}`).then(
        (r) => current && setPrevious(r),
        () => undefined,
      );
    return () => {
      current = false;
    };
  }, [period]);

  const last = new Map((previous?.units ?? []).map((u) => [u.nodeId, u]));
  const columns: ColumnsType<UnitRow> = [
    {
      title: '单位',
      key: 'unit',
      fixed: 'left',
      width: 200,
      render: (_, u) => <span style={{ paddingLeft: u.depth * 12 }}>{u.name}</span>,
    },
    ...FIGURES.map(([measure, title, value]) => ({
      title,
      key: measure,
      render: (_: unknown, u: UnitRow) => (
        <Button
          type="link"
          size="small"
          onClick={() => setDrill({ unit: u, measure })}
          aria-label={`${u.name} ${title} ${value(u.figures)}`}
          data-testid={`${measure}-${u.nodeId}`}
        >
          {value(u.figures)}
        </Button>
      ),
    })),
    {
      title: '激活率',
      key: 'activationRate',
      render: (_, u) => (
        <Button
          type="link"
          size="small"
          onClick={() => setDrill({ unit: u, measure: 'notActivated' })}
          aria-label={`${u.name} 激活率 ${percent(u.figures.activationRate)}，查看未激活人员`}
          data-testid={`activation-${u.nodeId}`}
        >
          {percent(u.figures.activationRate)}
        </Button>
      ),
    },
    {
      title: '上期激活率',
      key: 'lastActivationRate',
      render: (_, u) => {
        const before = last.get(u.nodeId)?.figures.activationRate;
        const now = u.figures.activationRate;
        if (before === undefined || before === null) return '—';
        const delta = now === null ? null : now - before;
        return (
          <span>
            {percent(before)}{' '}
            {delta !== null && delta !== 0 && (
              <Tag color={delta > 0 ? TAG_OK : 'red'}>
                {delta > 0 ? '+' : ''}
                {(delta * 100).toFixed(1)}
              </Tag>
            )}
          </span>
        );
      },
    },
    { title: '更新及时率', key: 'onTimeRate', render: (_, u) => percent(u.figures.onTimeRate) },
  ];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ fontSize: 20, margin: 0 }}>
        考核报告
      </Typography.Title>
      <Card size="small">
        <Form
          layout="inline"
          initialValues={{ period }}
          onFinish={(v: { period: string }) => setPeriod(v.period.trim())}
        >
          <Form.Item name="period" label="考核期" extra="如 2026、2026-Q3、2026-06">
            <Input style={{ width: 140 }} aria-label="考核期" />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit">
              查看
            </Button>
          </Form.Item>
          <Form.Item>
            <Button href={urlOf(`/assessment/reports/${encodeURIComponent(period)}`, { format: 'xlsx' })} download>
              导出 XLSX
            </Button>
          </Form.Item>
        </Form>
      </Card>
      {error !== null && <Failure error={error} />}
      {!report && error === null && <Loading />}
      {report && (
        <>
          <Suspense fallback={<Loading />}>
            <Charts report={report} />
          </Suspense>
          <Card
            size="small"
            title={`${report.period.label}（${report.period.firstDay} 至 ${report.period.lastDay}）各单位`}
          >
            <ScrollRegion label="各单位考核数据" minWidth={1300}>
              <Table
                rowKey="nodeId"
                size="small"
                columns={columns}
                dataSource={report.units}
                pagination={{ pageSize: 50, hideOnSinglePage: true }}
                data-testid="units"
              />
            </ScrollRegion>
          </Card>
          <Card size="small" title="排名">
            <Table
              rowKey="nodeId"
              size="small"
              dataSource={report.ranking}
              pagination={false}
              columns={[
                { title: '名次', dataIndex: 'rank', width: 80 },
                { title: '单位', dataIndex: 'name' },
                { title: '得分', dataIndex: 'score', render: (s: number) => s.toFixed(1) },
              ]}
            />
          </Card>
        </>
      )}
      <Drawer
        open={drill !== null}
        onClose={() => setDrill(null)}
        size="large"
        title={drill ? `${drill.unit.name} · ${FIGURES.find(([m]) => m === drill.measure)?.[1] ?? drill.measure}` : ''}
      >
        {drill && <Drill source={drill.unit.sources[drill.measure]} />}
      </Drawer>
    </Space>
  );
}

function Drill({ source }: { source: string }) {
  const [listing, setListing] = useState<Listing | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.get<Listing>(source).then(setListing, setError);
  }, [source]);
  if (error) return <Failure error={error} />;
  if (!listing) return <Loading />;
  const fields = [...new Set(listing.items.flatMap((item) => Object.keys(item)))];
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="drill">
      <Typography.Paragraph>
        {listing.definition}：共 {listing.count} 条
      </Typography.Paragraph>
      <Button href={urlOf(source, { format: 'csv' })} download size="small">
        导出 CSV
      </Button>
      <ScrollRegion label="明细" minWidth={600}>
        <Table
          rowKey={(item) => String(item.id ?? item.personId ?? JSON.stringify(item))}
          size="small"
          dataSource={listing.items}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          columns={fields.map((f) => ({ title: FIELD_LABELS[f] ?? f, dataIndex: f, render: cellOf }))}
        />
      </ScrollRegion>
    </Space>
  );
}
