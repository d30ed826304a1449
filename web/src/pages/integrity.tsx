import { Alert, Button, Card, Descriptions, Form, Input, Space, Typography } from 'antd';
import { useState } from 'react';
import { api, urlOf } from '../api';
import { Failure, Loading } from '../widgets';

interface Place {
  readonly position: string;
  readonly eventId?: string;
}

interface Verification {
  readonly ok: boolean;
  readonly checked: number;
  readonly headHash: string;
  readonly firstBreak: Place | null;
  readonly log: {
    readonly ok: boolean;
    readonly events: number;
    readonly integrated: number;
    readonly rootHash: string;
    readonly firstMismatch: Place | null;
    readonly checkpoints: { checked: number; consistent: boolean; firstInconsistent: unknown };
  };
}

/** 数据完整性: run verify over the whole history and read its answer; download an event's inclusion proof. */
export default function Integrity() {
  const [result, setResult] = useState<Verification | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [eventId, setEventId] = useState('');

  async function verify() {
    setRunning(true);
    setError(null);
    setResult(null);
    try {
      setResult(await api.get<Verification>('/integrity/verify'));
    } catch (e) {
      setError(e);
    } finally {
      setRunning(false);
    }
  }

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ fontSize: 20, margin: 0 }}>
        数据完整性
      </Typography.Title>
      <Card size="small" title="校验全部历史">
        <Typography.Paragraph>
          重新计算每个事件的哈希链与默克尔树叶子，并核对树与历次签名检查点是否一致。
        </Typography.Paragraph>
        <Button type="primary" onClick={() => void verify()} loading={running}>
          开始校验
        </Button>
        {running && <Loading />}
        {error !== null && <Failure error={error} />}
        {result && (
          <div style={{ marginTop: 16 }} data-testid="verification">
            <Alert
              type={result.ok ? 'success' : 'error'}
              showIcon
              title={result.ok ? '校验通过：历史未被篡改' : '校验未通过：发现不一致'}
            />
            <Descriptions
              size="small"
              bordered
              column={1}
              style={{ marginTop: 12 }}
              items={[
                { key: 'checked', label: '已校验事件', children: result.checked },
                { key: 'head', label: '链尾哈希（请另行存档）', children: <code>{result.headHash}</code> },
                {
                  key: 'break',
                  label: '首个断链',
                  children: result.firstBreak ? `位置 ${result.firstBreak.position}` : '无',
                },
                { key: 'root', label: '默克尔树根', children: <code>{result.log.rootHash}</code> },
                {
                  key: 'leaf',
                  label: '首个叶子不符',
                  children: result.log.firstMismatch ? `位置 ${result.log.firstMismatch.position}` : '无',
                },
                {
                  key: 'cp',
                  label: '签名检查点',
                  children: `已核对 ${result.log.checkpoints.checked} 个，${result.log.checkpoints.consistent ? '全部一致' : '存在不一致'}`,
                },
              ]}
            />
          </div>
        )}
      </Card>
      <Card size="small" title="下载事件的包含证明">
        <Form layout="inline">
          <Form.Item label="事件编号">
            <Input
              value={eventId}
              onChange={(e) => setEventId(e.target.value)}
              style={{ width: 320 }}
              aria-label="事件编号"
            />
          </Form.Item>
          <Form.Item>
            <Button
              disabled={eventId.trim() === ''}
              href={urlOf('/integrity/proofs/inclusion', { eventId: eventId.trim() })}
              download={`proof-${eventId.trim()}.json`}
            >
              下载证明文件
            </Button>
          </Form.Item>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          证明文件可离线核验：node examples/verify-proof.js proof.json
        </Typography.Paragraph>
      </Card>
    </Space>
  );
}
