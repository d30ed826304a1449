import { Card, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../api';
import { formatInstant } from '../format';
import { useSession } from '../session';
import { Failure, ScrollRegion, TAG_WARN } from '../widgets';

interface WorkItem {
  readonly id: string;
  readonly kindLabel: string;
  readonly status: string;
  readonly orgNodeId: string;
  readonly stepName: string;
  readonly applicantAccountId: string;
  readonly dueOn: string;
  readonly filedAt: string;
  readonly lateWorkingDays: number;
  readonly escalated: boolean;
}

/** 待办事项: the requests waiting for the signed-in account, most overdue first. */
export default function WorkList() {
  const { timeZone } = useSession();
  const [items, setItems] = useState<WorkItem[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    api
      .get<{ requests: WorkItem[] }>('/requests/worklist')
      .then(({ requests }) => setItems([...requests].sort((a, b) => b.lateWorkingDays - a.lateWorkingDays)), setError);
  }, []);

  return (
    <Card
      size="small"
      title={
        <Typography.Title level={2} style={{ fontSize: 20, margin: 0 }}>
          待办事项
        </Typography.Title>
      }
    >
      {error !== null ? (
        <Failure error={error} />
      ) : (
        <ScrollRegion label="待办申请" minWidth={900}>
          <Table
            rowKey="id"
            size="small"
            loading={items === null}
            dataSource={items ?? []}
            locale={{ emptyText: '没有等待您办理的申请' }}
            columns={[
              { title: '申请', dataIndex: 'id' },
              { title: '事项', dataIndex: 'kindLabel' },
              { title: '环节', dataIndex: 'stepName' },
              { title: '节点', dataIndex: 'orgNodeId' },
              { title: '申请账号', dataIndex: 'applicantAccountId' },
              { title: '提交时间', dataIndex: 'filedAt', render: (v: string) => formatInstant(v, timeZone) },
              {
                title: '办理期限',
                key: 'due',
                render: (_, item) => (
                  <span>
                    {item.dueOn}{' '}
                    {item.lateWorkingDays > 0 && <Tag color="red">超期 {item.lateWorkingDays} 个工作日</Tag>}
                    {item.escalated && <Tag color={TAG_WARN}>已上报</Tag>}
                  </span>
                ),
              },
            ]}
          />
        </ScrollRegion>
      )}
    </Card>
  );
}
