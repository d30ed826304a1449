import {
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Radio,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Tree,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api } from '../api';
import { formatValue, instantOf } from '../format';
import { ENTITY_TYPES } from '../labels';
import { useSession } from '../session';
import { Failure, Loading, TAG_OK } from '../widgets';

type Basis = 'recordedAt' | 'effectiveOn';

interface SnapshotNode {
  readonly id: string;
  readonly name: string;
  readonly parentId: string | null;
  readonly order: number;
  readonly status: string;
}

interface SnapshotPerson {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly primaryNodeId: string | null;
  readonly postNodeIds: string[];
}

interface Snapshot {
  readonly nodes: SnapshotNode[];
  readonly persons: SnapshotPerson[];
}

const BASES = [
  { value: 'recordedAt', label: '按记录时点（当时系统中记载的）' },
  { value: 'effectiveOn', label: '按生效日期（当时实际有效的）' },
];

/** The time-travel query parameter of a picked moment: a recorded instant in the jurisdiction's zone, or an effective date. */
function asOf(basis: Basis, moment: Dayjs, zone: string): Record<string, string> {
  return basis === 'recordedAt'
    ? { recordedAt: instantOf(moment.format('YYYY-MM-DD HH:mm:ss'), zone) }
    : { effectiveOn: moment.format('YYYY-MM-DD') };
}

/** 时点回溯: an entity and the org tree as they stood at a moment, and what changed in a subtree between two. */
export default function TimeTravel() {
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ fontSize: 20, margin: 0 }}>
        时点回溯
      </Typography.Title>
      <EntityAsOf />
      <BasesCompared />
      <TreeAsOf />
      <SubtreeDiff />
    </Space>
  );
}

function BasisPicker({ name = 'basis' }: { name?: string }) {
  return (
    <Form.Item name={name} label="口径">
      <Radio.Group options={BASES} aria-label="口径" />
    </Form.Item>
  );
}

function MomentPicker({ name, label, form }: { name: string; label: string; form: 'recordedAt' | 'effectiveOn' }) {
  return (
    <Form.Item name={name} label={label} rules={[{ required: true, message: `请选择${label}` }]}>
      {form === 'recordedAt' ? <DatePicker showTime aria-label={label} /> : <DatePicker aria-label={label} />}
    </Form.Item>
  );
}

/** Where an entity's past state is read. */
const asOfPath = (kind: string, id: string) =>
  `/audit/${encodeURIComponent(kind)}/${encodeURIComponent(id.trim())}/as-of`;

/** Which entity: its kind and its id (the fields `asOfPath` reads). */
function EntityFields() {
  return (
    <>
      <Form.Item name="kind" label="对象类型">
        <Select options={[...ENTITY_TYPES]} style={{ width: 120 }} aria-label="对象类型" />
      </Form.Item>
      <Form.Item name="id" label="编号" rules={[{ required: true, message: '请输入编号' }]}>
        <Input style={{ width: 160 }} aria-label="编号" />
      </Form.Item>
    </>
  );
}

function EntityAsOf() {
  const { timeZone } = useSession();
  const [formRef] = Form.useForm();
  const basis = (Form.useWatch('basis', formRef) as Basis | undefined) ?? 'recordedAt';
  const [result, setResult] = useState<{ state: Record<string, unknown> } | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function run(values: { kind: string; id: string; basis: Basis; moment: Dayjs }) {
    setError(null);
    setResult(null);
    try {
      const path = asOfPath(values.kind, values.id);
      setResult(await api.get(path, asOf(values.basis, values.moment, timeZone)));
    } catch (e) {
      setError(e);
    }
  }

  return (
    <Card size="small" title="对象当时的状态">
      <Form
        form={formRef}
        layout="inline"
        initialValues={{ kind: 'Person', basis: 'recordedAt' }}
        onFinish={(v) => void run(v)}
      >
        <EntityFields />
        <BasisPicker />
        <MomentPicker name="moment" label="时点" form={basis} />
        <Form.Item>
          <Button type="primary" htmlType="submit">
            回溯
          </Button>
        </Form.Item>
      </Form>
      {error !== null && <Failure error={error} />}
      {result && (
        <Descriptions
          size="small"
          bordered
          column={{ xs: 1, md: 2 }}
          style={{ marginTop: 16 }}
          data-testid="entity-as-of"
          items={Object.entries(result.state).map(([field, value]) => ({
            key: field,
            label: field,
            children: formatValue(value),
          }))}
        />
      )}
    </Card>
  );
}

/**
 * One moment, both ways: what the system had recorded by then, and what was in effect that day
 * (changes recorded later, corrections included). Where they differ, a late or corrected record.
 */
function BasesCompared() {
  const { timeZone } = useSession();
  const [rows, setRows] = useState<Array<{ field: string; recorded: string; effective: string }> | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function run(values: { kind: string; id: string; moment: Dayjs }) {
    setError(null);
    setRows(null);
    try {
      const path = asOfPath(values.kind, values.id);
      const [recorded, effective] = await Promise.all(
        (['recordedAt', 'effectiveOn'] as const).map((basis) =>
          api.get<{ state: Record<string, unknown> }>(path, asOf(basis, values.moment, timeZone)),
        ),
      );
      const fields = [...new Set([...Object.keys(recorded.state), ...Object.keys(effective.state)])];
      setRows(
        fields.map((field) => ({
          field,
          recorded: formatValue(recorded.state[field]),
          effective: formatValue(effective.state[field]),
        })),
      );
    } catch (e) {
      setError(e);
    }
  }

  return (
    <Card size="small" title="按记录与按生效对比">
      <Form layout="inline" initialValues={{ kind: 'Person' }} onFinish={(v) => void run(v)}>
        <EntityFields />
        <MomentPicker name="moment" label="时点" form="recordedAt" />
        <Form.Item>
          <Button type="primary" htmlType="submit">
            对比
          </Button>
        </Form.Item>
      </Form>
      {error !== null && <Failure error={error} />}
      {rows && (
        <Table
          rowKey="field"
          size="small"
          style={{ marginTop: 16 }}
          data-testid="bases-compared"
          dataSource={rows}
          pagination={false}
          columns={[
            { title: '字段', dataIndex: 'field' },
            { title: '按记录（当时系统中记载的）', dataIndex: 'recorded' },
            { title: '按生效（当时实际有效的）', dataIndex: 'effective' },
            {
              title: '',
              key: 'differs',
              render: (_, r) => (r.recorded === r.effective ? null : <Tag color="red">不同</Tag>),
            },
          ]}
        />
      )}
    </Card>
  );
}

function TreeAsOf() {
  const { timeZone } = useSession();
  const [formRef] = Form.useForm();
  const basis = (Form.useWatch('basis', formRef) as Basis | undefined) ?? 'recordedAt';
  const [snapshot, setSnapshot] = useState<Snapshot | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function run(values: { basis: Basis; moment: Dayjs; root?: string }) {
    setError(null);
    setLoading(true);
    try {
      setSnapshot(
        await api.get('/audit/snapshot', { ...asOf(values.basis, values.moment, timeZone), root: values.root?.trim() }),
      );
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }

  return (
    <Card size="small" title="组织架构当时的样子">
      <Form form={formRef} layout="inline" initialValues={{ basis: 'effectiveOn' }} onFinish={(v) => void run(v)}>
        <BasisPicker />
        <MomentPicker name="moment" label="时点" form={basis} />
        <Form.Item name="root" label="自节点">
          <Input placeholder="留空为整棵树" style={{ width: 140 }} aria-label="自节点" />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit">
            查看
          </Button>
        </Form.Item>
      </Form>
      {error !== null && <Failure error={error} />}
      {loading && <Loading />}
      {snapshot && !loading && <SnapshotTree snapshot={snapshot} />}
    </Card>
  );
}

interface TreeItem {
  key: string;
  title: string;
  children: TreeItem[];
}

function SnapshotTree({ snapshot }: { snapshot: Snapshot }) {
  const people = new Map<string, number>();
  for (const p of snapshot.persons)
    if (p.primaryNodeId) people.set(p.primaryNodeId, (people.get(p.primaryNodeId) ?? 0) + 1);
  const items = new Map<string, TreeItem>();
  for (const n of [...snapshot.nodes].sort((a, b) => a.order - b.order))
    items.set(n.id, {
      key: n.id,
      title: `${n.name}（${n.id}）${n.status === 'ACTIVE' ? '' : ' · 已撤销'} · ${people.get(n.id) ?? 0} 人`,
      children: [],
    });
  const roots: TreeItem[] = [];
  for (const n of snapshot.nodes) {
    const parent = n.parentId ? items.get(n.parentId) : undefined;
    (parent ? parent.children : roots).push(items.get(n.id)!);
  }
  return (
    <div style={{ marginTop: 16 }} data-testid="tree-as-of">
      <Typography.Paragraph>
        共 {snapshot.nodes.length} 个节点、{snapshot.persons.length} 人
      </Typography.Paragraph>
      <Tree treeData={roots} defaultExpandAll={snapshot.nodes.length <= 200} selectable={false} />
    </div>
  );
}

interface Movement {
  readonly id: string;
  readonly name: string;
  readonly change: 'joined' | 'left' | 'moved';
  readonly from: string | null;
  readonly to: string | null;
}

const MOVEMENT = { joined: ['新进', TAG_OK], left: ['离开', 'red'], moved: ['调整', 'blue'] } as const;

/** Who joined, left or moved within a subtree between two moments (people by their primary post). */
export function movements(before: Snapshot, after: Snapshot): Movement[] {
  const was = new Map(before.persons.filter(onPost).map((p) => [p.id, p]));
  const is = new Map(after.persons.filter(onPost).map((p) => [p.id, p]));
  const out: Movement[] = [];
  for (const [id, p] of is) {
    const old = was.get(id);
    if (!old) out.push({ id, name: p.name, change: 'joined', from: null, to: p.primaryNodeId });
    else if (old.primaryNodeId !== p.primaryNodeId)
      out.push({ id, name: p.name, change: 'moved', from: old.primaryNodeId, to: p.primaryNodeId });
  }
  for (const [id, p] of was)
    if (!is.has(id)) out.push({ id, name: p.name, change: 'left', from: p.primaryNodeId, to: null });
  return out;
}

const onPost = (p: SnapshotPerson) => p.status !== 'LEFT' && p.status !== 'RETRACTED';

function SubtreeDiff() {
  const { timeZone } = useSession();
  const [formRef] = Form.useForm();
  const basis = (Form.useWatch('basis', formRef) as Basis | undefined) ?? 'effectiveOn';
  const [result, setResult] = useState<{ changes: Movement[]; names: Map<string, string> } | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function run(values: { basis: Basis; from: Dayjs; to: Dayjs; root: string }) {
    setError(null);
    setResult(null);
    try {
      const root = values.root.trim();
      const [before, after] = await Promise.all(
        [values.from, values.to].map((m) =>
          api.get<Snapshot>('/audit/snapshot', { ...asOf(values.basis, m, timeZone), root }),
        ),
      );
      const names = new Map([...before.nodes, ...after.nodes].map((n) => [n.id, n.name]));
      setResult({ changes: movements(before, after), names });
    } catch (e) {
      setError(e);
    }
  }

  const nodeName = (names: Map<string, string>, id: string | null) => (id ? (names.get(id) ?? id) : '—');
  return (
    <Card size="small" title="两个时点之间的变化（节点及其下级）">
      <Form form={formRef} layout="inline" initialValues={{ basis: 'effectiveOn' }} onFinish={(v) => void run(v)}>
        <BasisPicker />
        <MomentPicker name="from" label="起" form={basis} />
        <MomentPicker name="to" label="止" form={basis} />
        <Form.Item name="root" label="节点" rules={[{ required: true, message: '请输入节点编号' }]}>
          <Input style={{ width: 140 }} aria-label="节点" />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit">
            对比
          </Button>
        </Form.Item>
      </Form>
      {error !== null && <Failure error={error} />}
      {result && (
        <Row gutter={16} style={{ marginTop: 16 }}>
          <Col span={24}>
            <Table
              rowKey="id"
              size="small"
              data-testid="subtree-diff"
              dataSource={result.changes}
              locale={{ emptyText: '两个时点之间没有人员进出或调整' }}
              pagination={{ pageSize: 50, hideOnSinglePage: true }}
              columns={[
                { title: '人员', key: 'p', render: (_, m) => `${m.name}（${m.id}）` },
                {
                  title: '变化',
                  dataIndex: 'change',
                  render: (c: Movement['change']) => <Tag color={MOVEMENT[c][1]}>{MOVEMENT[c][0]}</Tag>,
                },
                { title: '原单位', key: 'f', render: (_, m) => nodeName(result.names, m.from) },
                { title: '现单位', key: 't', render: (_, m) => nodeName(result.names, m.to) },
              ]}
            />
          </Col>
        </Row>
      )}
    </Card>
  );
}
