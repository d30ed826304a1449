import {
  Button,
  Card,
  DatePicker,
  Drawer,
  Form,
  Input,
  List,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api, urlOf } from '../api';
import { formatInstant, formatValue, instantOf } from '../format';
import { ENTITY_TYPES, eventLabel } from '../labels';
import { useSession } from '../session';
import { Failure, Loading, ScrollRegion, TAG_OK } from '../widgets';

interface FieldChange {
  readonly field: string;
  readonly from: unknown;
  readonly to: unknown;
}

export interface AuditEntry {
  readonly id: string;
  readonly eventId: string;
  readonly position: string;
  readonly type: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly changes: FieldChange[];
  readonly corrects: string | null;
  readonly actorAccountId: string;
  readonly actorPersonId: string | null;
  readonly actorRole: string;
  readonly reason: string | null;
  readonly sourceRef: string | null;
  readonly effectiveAt: string;
  readonly recordedAt: string;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly timeliness: { lagWorkingDays: number; deadlineWorkingDays: number; onTime: boolean } | null;
}

interface FoundPerson {
  readonly personId: string;
  readonly name: string;
  readonly posts: ReadonlyArray<{ nodeName: string | null; title: string | null }>;
}

interface Filters {
  readonly actor?: string;
  readonly range?: [Dayjs, Dayjs] | null;
  readonly types?: string[];
}

const ID_LIKE = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;

/** 审计回溯: find an entity, read its history change by change, narrow it, export what is shown. */
export default function AuditExplorer() {
  const session = useSession();
  const [params, setParams] = useSearchParams();
  const entityType = params.get('entityType') ?? 'Person';
  const entityId = params.get('entityId');
  const [found, setFound] = useState<FoundPerson[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function find({ kind, text }: { kind: string; text: string }) {
    setError(null);
    setFound(null);
    const query = text.trim();
    if (query === '') return;
    // People are found by name or whole mobile number through the directory, as the account may search it.
    if (kind === 'Person' && !(ID_LIKE.test(query) && /\d/.test(query) && query.length < 11)) {
      try {
        const { persons } = await api.get<{ persons: FoundPerson[] }>('/directory/search', { q: query, limit: 20 });
        if (persons.length === 1) return select(kind, persons[0].personId);
        setFound(persons);
      } catch (e) {
        setError(e);
      }
      return;
    }
    select(kind, query);
  }

  function select(kind: string, id: string) {
    setFound(null);
    setParams({ entityType: kind, entityId: id });
  }

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ fontSize: 20, margin: 0 }}>
        审计回溯
      </Typography.Title>
      <Card size="small">
        <Form
          layout="inline"
          initialValues={{ kind: entityType, text: entityId ?? '' }}
          onFinish={(values: { kind: string; text: string }) => void find(values)}
        >
          <Form.Item name="kind" label="对象类型">
            <Select options={[...ENTITY_TYPES]} style={{ width: 120 }} aria-label="对象类型" />
          </Form.Item>
          <Form.Item name="text" label="查找">
            <Input placeholder="姓名、编号或手机号" allowClear style={{ width: 240 }} aria-label="查找" />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit">
              查找
            </Button>
          </Form.Item>
        </Form>
      </Card>
      {error !== null && <Failure error={error} />}
      {found && (
        <Card size="small" title={`找到 ${found.length} 人`}>
          <List
            dataSource={found}
            locale={{ emptyText: '没有找到可查看的人员' }}
            renderItem={(person) => (
              <List.Item>
                <Button type="link" onClick={() => select('Person', person.personId)}>
                  {person.name}（{person.personId}）
                  {person.posts.map((post) => ` · ${post.nodeName ?? ''}${post.title ?? ''}`).join('')}
                </Button>
              </List.Item>
            )}
          />
        </Card>
      )}
      {entityId && (
        <Timeline
          key={`${entityType}:${entityId}`}
          entityType={entityType}
          entityId={entityId}
          zone={session.timeZone}
        />
      )}
    </Space>
  );
}

function Timeline({ entityType, entityId, zone }: { entityType: string; entityId: string; zone: string }) {
  const [filters, setFilters] = useState<Filters>({});
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [related, setRelated] = useState<{ title: string; by: Record<string, string> } | null>(null);

  const query = useMemo(() => {
    const [from, to] = filters.range ?? [];
    return {
      entityType,
      entityId,
      actor: filters.actor?.trim() || undefined,
      type: filters.types?.length ? filters.types.join(',') : undefined,
      recordedFrom: from ? instantOf(from.startOf('day').format('YYYY-MM-DD HH:mm:ss'), zone) : undefined,
      recordedTo: to ? instantOf(to.add(1, 'day').startOf('day').format('YYYY-MM-DD HH:mm:ss'), zone) : undefined,
    };
  }, [entityType, entityId, filters, zone]);
  const key = JSON.stringify(query);

  useEffect(() => {
    let current = true;
    setError(null);
    setEntries(null);
    api.get<{ entries: AuditEntry[] }>('/audit/entries', query).then(
      ({ entries }) => current && setEntries(entries),
      (e: unknown) => current && setError(e),
    );
    return () => {
      current = false;
    };
    // The query object is rebuilt on every render; its text is what changes.
  }, [key]);

  const correctedBy = new Map((entries ?? []).filter((e) => e.corrects).map((e) => [e.corrects!, e]));
  const types = [...new Set((entries ?? []).map((e) => e.type))];

  const columns: ColumnsType<AuditEntry> = [
    {
      title: '记录时间',
      dataIndex: 'recordedAt',
      width: 170,
      render: (value: string) => formatInstant(value, zone),
    },
    {
      title: '生效时间',
      dataIndex: 'effectiveAt',
      width: 170,
      render: (value: string) => formatInstant(value, zone),
    },
    {
      title: '变更',
      key: 'change',
      render: (_, entry) => (
        <Space orientation="vertical" size={2}>
          <Space wrap size={4}>
            <Typography.Text strong>{eventLabel(entry.type)}</Typography.Text>
            <Timeliness entry={entry} />
            {entry.corrects && <Tag color="purple">更正 {entry.corrects.slice(0, 8)}</Tag>}
            {correctedBy.has(entry.eventId) && (
              <Tooltip title={`被 ${correctedBy.get(entry.eventId)!.eventId} 更正`}>
                <Tag color="magenta">已被更正</Tag>
              </Tooltip>
            )}
          </Space>
          {entry.changes.map((c) => (
            <Typography.Text key={c.field} style={{ fontSize: 13 }}>
              {c.field}：<del>{formatValue(c.from)}</del> → <ins>{formatValue(c.to)}</ins>
            </Typography.Text>
          ))}
        </Space>
      ),
    },
    {
      title: '操作人',
      key: 'actor',
      width: 150,
      render: (_, e) => (
        <span>
          {e.actorAccountId}
          <br />
          <Typography.Text type="secondary">{e.actorRole}</Typography.Text>
        </span>
      ),
    },
    { title: '原因', dataIndex: 'reason', width: 140 },
    { title: '依据文号', dataIndex: 'sourceRef', width: 140 },
    {
      title: '关联 / 起因',
      key: 'trace',
      width: 160,
      render: (_, e) => (
        <Space orientation="vertical" size={0}>
          <Button
            type="link"
            size="small"
            style={{ padding: 0 }}
            onClick={() => setRelated({ title: '同一操作的全部变更', by: { correlationId: e.correlationId } })}
          >
            同一操作 {e.correlationId.slice(0, 8)}
          </Button>
          {e.causationId ? (
            <Button
              type="link"
              size="small"
              style={{ padding: 0 }}
              onClick={() => setRelated({ title: '引起本变更的记录', by: { eventId: e.causationId! } })}
            >
              起因 {e.causationId.slice(0, 8)}
            </Button>
          ) : (
            <Typography.Text type="secondary">直接操作</Typography.Text>
          )}
        </Space>
      ),
    },
  ];

  return (
    <Card size="small" title={`${entityType} ${entityId} 的变更记录`}>
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Form layout="inline" onFinish={(values: Filters) => setFilters(values)}>
          <Form.Item name="actor" label="操作账号">
            <Input allowClear style={{ width: 160 }} aria-label="操作账号" />
          </Form.Item>
          <Form.Item name="range" label="记录日期">
            <DatePicker.RangePicker aria-label="记录日期" />
          </Form.Item>
          <Form.Item name="types" label="变更类型">
            <Select
              mode="multiple"
              allowClear
              style={{ minWidth: 180 }}
              aria-label="变更类型"
              options={types.map((t) => ({ value: t, label: eventLabel(t) }))}
            />
          </Form.Item>
          <Form.Item>
            <Button htmlType="submit">筛选</Button>
          </Form.Item>
        </Form>
        <Space>
          <Button href={urlOf('/audit/entries', { ...query, format: 'xlsx' })} download data-testid="export-xlsx">
            导出 XLSX
          </Button>
          <Button href={urlOf('/audit/entries', { ...query, format: 'csv' })} download>
            导出 CSV
          </Button>
        </Space>
        <Drawer open={related !== null} onClose={() => setRelated(null)} title={related?.title} size="large">
          {related && <RelatedEntries by={related.by} zone={zone} />}
        </Drawer>
        {error !== null && <Failure error={error} />}
        {error === null && (
          <ScrollRegion label="变更记录" minWidth={1100}>
            <Table
              rowKey="id"
              size="small"
              columns={columns}
              dataSource={entries ?? []}
              loading={entries === null}
              pagination={{ pageSize: 50, hideOnSinglePage: true }}
              data-testid="timeline"
            />
          </ScrollRegion>
        )}
      </Space>
    </Card>
  );
}

function Timeliness({ entry }: { entry: AuditEntry }) {
  const t = entry.timeliness;
  if (!t) return null;
  return t.onTime ? (
    <Tag color={TAG_OK}>按时（{t.lagWorkingDays} 个工作日）</Tag>
  ) : (
    <Tag color="red">
      超期：滞后 {t.lagWorkingDays} 个工作日（时限 {t.deadlineWorkingDays}）
    </Tag>
  );
}

/** The entries of one operation, or the one that caused a change: across entities, each linked to its timeline. */
function RelatedEntries({ by, zone }: { by: Record<string, string>; zone: string }) {
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.get<{ entries: AuditEntry[] }>('/audit/entries', by).then(({ entries }) => setEntries(entries), setError);
  }, [by]);
  if (error !== null) return <Failure error={error} />;
  if (entries === null) return <Loading />;
  if (entries.length === 0)
    return (
      <Typography.Paragraph data-testid="related">
        审计记录中没有 {Object.values(by)[0]}：起因可能是一项申请或平台流程（见“原因”“依据文号”）。
      </Typography.Paragraph>
    );
  return (
    <List
      data-testid="related"
      dataSource={entries}
      renderItem={(e) => (
        <List.Item>
          <Space orientation="vertical" size={0}>
            <Link
              to={`/audit?entityType=${encodeURIComponent(e.entityType)}&entityId=${encodeURIComponent(e.entityId)}`}
            >
              {e.entityType} {e.entityId} · {eventLabel(e.type)}
            </Link>
            <Typography.Text type="secondary">
              {formatInstant(e.recordedAt, zone)} · {e.actorAccountId}
              {e.changes.length > 0 ? ` · ${e.changes.map((c) => c.field).join('、')}` : ''}
            </Typography.Text>
          </Space>
        </List.Item>
      )}
    />
  );
}
