/**
 * An approval is the commit point of a request; carrying out its change follows it. If the process
 * stops in between (here: the approval recorded without the handler that carries it out), the
 * scheduler's request-execution policy carries it out once the approval is older than its grace,
 * with the approval as cause and the approver as actor; nothing is done twice.
 */
import { DeciderCommandRunner } from '../../src/application/commands/decider-command-runner';
import { PolicyEngine } from '../../src/application/policies/policy-engine';
import { requestDecider, requestStream } from '../../src/domain/request/request.decider';
import { servicesOfApp } from '../support/services';
import { startTestApp, type TestApp } from '../support/test-app';

describe('an approved request whose change was not carried out is resumed by the scheduler', () => {
  let t: TestApp;
  let now = new Date('2025-10-09T02:00:00Z');
  const applicant = { actor: { accountId: 'acc-unit', role: 'TIERED_ADMIN' as const }, jurisdiction: 'qingpu' };
  const approver = { actor: { accountId: 'acc-admin', role: 'SYSTEM_ADMIN' as const }, jurisdiction: 'qingpu' };

  beforeAll(async () => {
    t = await startTestApp({ POLICIES_ENABLED: 'true', SCHEDULER_INTERVAL_MS: '1000' }, { clock: { now: () => now } });
    await t.app.get(PolicyEngine).caughtUp;
  });
  afterAll(() => t.close());

  it('carries out the change after the grace, once', async () => {
    const runner = t.app.get(DeciderCommandRunner);
    const stream = requestStream('r-stopped');
    const change = {
      type: 'CreateOrgNode',
      data: { orgNodeId: 'edu', name: '区教育局', kind: 'UNIT', parentId: 'root' },
    };
    const route = [{ name: '系统管理员审核', reviewer: { adminOf: null }, workingDays: 7 }];
    // The decider's events alone, as if the process had stopped right after the approval was recorded.
    await runner.run(
      requestDecider,
      stream,
      {
        type: 'FileRequest',
        data: {
          requestId: 'r-stopped',
          kind: 'UNIT_REGISTRATION',
          orgNodeId: 'root',
          change,
          documents: [],
          route,
          dueOn: '2025-10-20',
          requiredDocuments: [],
        },
      },
      applicant,
    );
    await runner.run(
      requestDecider,
      stream,
      { type: 'DecideRequestStep', data: { requestId: 'r-stopped', step: 0, decision: 'APPROVED', nextDueOn: null } },
      approver,
    );
    const approval = (await t.store.readStream(stream)).find((e) => e.type === 'RequestApproved')!;
    const types = async () => (await t.store.readStream(stream)).map((e) => e.type);
    // Within the grace the scheduler leaves it to the approving call.
    await new Promise((resolve) => setTimeout(resolve, 1300));
    expect(await types()).not.toContain('RequestExecuted');
    now = new Date(now.getTime() + 31_000);
    for (let i = 0; i < 40 && !(await types()).includes('RequestExecuted'); i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    const created = (await t.store.readStream('OrgTree-qingpu')).filter(
      (e) => e.type === 'OrgNodeCreated' && e.data.orgNodeId === 'edu',
    );
    expect(created).toHaveLength(1);
    expect(created[0].metadata).toMatchObject({ causationId: approval.eventId, actor: { accountId: 'acc-admin' } });
    // Later turns of the scheduler do nothing more.
    await new Promise((resolve) => setTimeout(resolve, 1300));
    expect((await types()).filter((type) => type === 'RequestExecuted')).toHaveLength(1);
  });

  it('a change the stopped process had already made is found by its cause and recorded, not made again', async () => {
    const runner = t.app.get(DeciderCommandRunner);
    const stream = requestStream('r-half-done');
    const change = { type: 'RenameOrgNode', data: { orgNodeId: 'edu', name: '区教育体育局' } };
    const route = [{ name: '系统管理员审核', reviewer: { adminOf: null }, workingDays: 7 }];
    const filing = { requestId: 'r-half-done', kind: 'ORG_CHANGE', orgNodeId: 'root', change, documents: [], route };
    await runner.run(
      requestDecider,
      stream,
      { type: 'FileRequest', data: { ...filing, kind: 'ORG_CHANGE', dueOn: '2025-10-30', requiredDocuments: [] } },
      applicant,
    );
    await runner.run(
      requestDecider,
      stream,
      { type: 'DecideRequestStep', data: { requestId: 'r-half-done', step: 0, decision: 'APPROVED', nextDueOn: null } },
      approver,
    );
    const approval = (await t.store.readStream(stream)).find((e) => e.type === 'RequestApproved')!;
    // The rename made with the approval as its cause, and the process stopped before recording it.
    const renamed = await servicesOfApp(t.app).tree.execute(
      { type: 'RenameOrgNode', data: { orgNodeId: 'edu', name: '区教育体育局' } },
      { ...approver, causationId: approval.eventId },
    );
    now = new Date(now.getTime() + 31_000);
    const types = async () => (await t.store.readStream(stream)).map((e) => e.type);
    for (let i = 0; i < 40 && !(await types()).includes('RequestExecuted'); i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    const executed = (await t.store.readStream(stream)).find((e) => e.type === 'RequestExecuted')!;
    expect(executed.data).toMatchObject({ streamId: 'OrgTree-qingpu', eventIds: [renamed.events[0].eventId] });
    const renames = (await t.store.readStream('OrgTree-qingpu')).filter((e) => e.type === 'OrgNodeRenamed');
    expect(renames).toHaveLength(1);
  });
});
