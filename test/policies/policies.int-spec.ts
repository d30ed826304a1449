/**
 * Each policy handles its triggering event twice: the second time changes nothing, and what the
 * first time caused carries causationId = the triggering event. The scheduler catches up after
 * downtime with the true effective dates.
 */
import { ExecuteRequestCommand } from '../../src/application/request/request.commands';
import { ExecuteAccountCommand } from '../../src/application/account/account.commands';
import { ExecuteAppCommand } from '../../src/application/app-registration/app-registration.commands';
import { byPlatform, COMMAND_BUS, type CommandBus } from '../../src/application/commands/command-bus';
import { OrgTree } from '../../src/application/org-node/org-tree';
import { ExecutePersonCommand } from '../../src/application/person/person.commands';
import { ExecuteOrgNodeCommand } from '../../src/application/org-node/org-node.commands';
import { ExecuteTagCommand } from '../../src/application/directory/directory.commands';
import { responsibleFor } from '../../src/domain/org-node/org-node.decider';
import { ExecuteWorkGroupCommand } from '../../src/application/work-group/work-group.commands';
import type { CommandMetadata } from '../../src/application/commands/decider-command-runner';
import { type EventEnvelope, fromRecordedEvent } from '../../src/application/event-store/event-envelope';
import type { EventStore } from '../../src/application/ports/event-store.port';
import {
  EVENT_POLICIES,
  type Policy,
  type PolicyServices,
  appDeregistrationPolicy,
  departurePolicy,
  restructuringPolicy,
  transferPolicy,
} from '../../src/application/policies/policies';
import { PolicyEngine } from '../../src/application/policies/policy-engine';
import { idNumberCheckCharacter } from '../../src/domain/person/identity';
import { InMemoryPolicyLookups } from '../../src/read-models/policy-lookups/policy-lookups.projection';
import { startTestApp, type TestApp } from '../support/test-app';
import {
  type AccountService,
  type AppRegistrationService,
  type OrgTreeService,
  type PersonService,
  type WorkGroupService,
  servicesOfApp,
} from '../support/services';
import { APP_FORM, APP_REQUEST_EXTRAS } from '../support/app-forms';

const ADMIN_META: CommandMetadata = {
  actor: { accountId: 'acc-admin', personId: 'p-admin', role: 'SYSTEM_ADMIN' },
  jurisdiction: 'qingpu',
};
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
let seq = 0;
const ids = { next: () => `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}` };

describe('policies (process managers)', () => {
  let t: TestApp;
  let store: EventStore;
  let people: PersonService;
  let accounts: AccountService;
  let groups: WorkGroupService;
  let apps: AppRegistrationService;
  let tree: OrgTreeService;
  let n = 0;

  async function register(personId: string, orgNodeId: string): Promise<void> {
    n++;
    const id17 = `3101181985${String(n).padStart(2, '0')}0100${(n % 5) * 2 + 1}`;
    await people.register(
      {
        personId,
        name: `人员${'甲乙丙丁戊己庚辛壬癸'[n % 10]}`,
        idNumber: id17 + idNumberCheckCharacter(id17),
        gender: '1',
        mobile: `139${String(n).padStart(8, '0')}`,
        officePhone: null,
        employment: { type: 'ON_ESTABLISHMENT', establishmentType: 'ADMINISTRATIVE' },
        rank: null,
        politicalStatus: null,
        leadershipDuties: null,
        primaryPost: { orgNodeId },
      },
      { ...ADMIN_META, effectiveAt: '2025-01-02' },
    );
  }

  async function lookupsNow(): Promise<InMemoryPolicyLookups> {
    const lookups = new InMemoryPolicyLookups();
    for (const recorded of await store.readAll())
      if (lookups.eventTypes.includes(recorded.type)) lookups.apply(fromRecordedEvent(recorded));
    return lookups;
  }

  /** Handles `event` with `policy` as the engine would; returns the events it appended. */
  async function handle(policy: Policy, event: EventEnvelope): Promise<EventEnvelope[]> {
    const before = await store.headPosition();
    const bus = t.app.get<CommandBus>(COMMAND_BUS);
    const issuer = byPlatform(`policy:${policy.name}`);
    const services: PolicyServices = {
      store,
      tree: t.app.get(OrgTree),
      lookups: await lookupsNow(),
      account: (request, m) => new ExecuteAccountCommand(request, m, issuer),
      person: (request, m) => new ExecutePersonCommand(request, m, issuer),
      workGroup: (request, m) => new ExecuteWorkGroupCommand(request, m, issuer),
      orgNode: (request, m) => new ExecuteOrgNodeCommand(request, m, issuer),
      tag: (request, m) => new ExecuteTagCommand(request, m, issuer),
      app: (request, m) => new ExecuteAppCommand(request, m, issuer),
      request: (request, m) => new ExecuteRequestCommand(request, m, issuer),
      attempt: async (_what, command) =>
        void (await bus.execute(command).catch((e) => {
          if (!(e as { code?: string }).code) throw e;
        })),
    };
    await policy.handle(event, services, {
      actor: { accountId: `policy:${policy.name}`, role: 'SYSTEM' },
      jurisdiction: 'qingpu',
      causationId: event.eventId,
      correlationId: event.correlationId,
      effectiveAt: event.effectiveAt,
    });
    return (await store.readAll(before ? { from: before } : {})).map((r) => fromRecordedEvent(r));
  }

  async function lastOfType(type: string): Promise<EventEnvelope> {
    const [recorded] = await store.readAll({ direction: 'backwards', maxCount: 1, filter: { eventTypes: [type] } });
    return fromRecordedEvent(recorded);
  }

  const types = (events: EventEnvelope[]) => events.map((e) => e.type).sort();

  beforeAll(async () => {
    t = await startTestApp();
    store = t.store;
    people = servicesOfApp(t.app).people;
    accounts = servicesOfApp(t.app).accounts;
    groups = servicesOfApp(t.app).groups;
    apps = servicesOfApp(t.app).apps;
    tree = servicesOfApp(t.app).tree;
    const node = (orgNodeId: string, name: string, kind: string, parentId: string) =>
      tree.execute({ type: 'CreateOrgNode', data: { orgNodeId, name, kind: kind as never, parentId } }, ADMIN_META);
    await node('gov', '区政府', 'CATEGORY', 'root');
    await node('agencies', '政府部门', 'CATEGORY', 'gov');
    await node('edu', '区教育局', 'UNIT', 'agencies');
    await node('edu-office', '办公室', 'INTERNAL_BODY', 'edu');
    await node('fin', '区财政局', 'UNIT', 'agencies');
    await node('health', '区卫健委', 'UNIT', 'agencies');
    await register('p1', 'edu-office');
    await register('p2', 'fin');
    await register('p3', 'edu');
    await register('p4', 'health');
  });
  afterAll(() => t.close());

  it('PersonLeft: closes accounts and their scopes, ends other posts, leaves groups; once', async () => {
    await people.assignConcurrentPost({ personId: 'p1', post: { orgNodeId: 'fin' } }, ADMIN_META);
    await people.startSecondment(
      { personId: 'p1', post: { orgNodeId: 'health' }, from: '2025-01-01', until: '2099-12-31' },
      ADMIN_META,
    );
    await accounts.open({ accountId: 'a-p1', type: 'USER', loginName: 'p1.user', personId: 'p1' }, ADMIN_META);
    await accounts.open(
      { accountId: 'a-p1-admin', type: 'TIERED_ADMIN', loginName: 'p1.admin', personId: 'p1' },
      ADMIN_META,
    );
    await accounts.grantAdminScope({ accountId: 'a-p1-admin', orgNodeId: 'edu' }, ADMIN_META);
    await groups.create(
      {
        groupId: 'g-edu',
        name: '教育局工作群',
        kind: 'UNIT',
        owningOrgNodeId: 'edu-office',
        ownerId: 'p1',
        adminIds: ['p1', 'p3'],
        memberIds: ['p3'],
      },
      ADMIN_META,
    );
    await groups.create(
      {
        groupId: 'g-cross',
        name: '跨部门协调群',
        kind: 'CROSS_UNIT',
        owningOrgNodeId: 'fin',
        ownerId: 'p2',
        memberIds: ['p1'],
      },
      ADMIN_META,
    );

    await people.recordDeparture({ personId: 'p1', reason: 'RESIGNED' }, ADMIN_META);
    const left = await lastOfType('PersonLeft');
    const caused = await handle(departurePolicy, left);
    // The closed user and admin accounts free the person's 一人一号 reservations (UniqueValueReleased).
    expect(types(caused)).toEqual(
      [
        'AccountClosed',
        'AccountClosed',
        'AdminScopeRevoked',
        'ConcurrentPostRelieved',
        'GroupMembersRemoved',
        'GroupMembersRemoved',
        'SecondmentEnded',
        'UniqueValueReleased',
        'UniqueValueReleased',
      ].sort(),
    );
    const domainEvents = caused.filter((e) => !e.streamId.startsWith('UniqueValue-'));
    for (const event of domainEvents)
      expect(event).toMatchObject({
        causationId: left.eventId,
        correlationId: left.correlationId,
        actor: { accountId: 'policy:departure', role: 'SYSTEM' },
      });
    // The group p1 owned waits for a new owner; p3, its admin besides the owner (002:五.7), stays.
    expect((await groups.load('g-edu')).state).toMatchObject({ ownerId: null, admins: ['p3'], members: ['p3'] });
    expect(await handle(departurePolicy, left)).toEqual([]);
  });

  it('PersonLeft with a successor (001a:22): the head’s role and the unit group they own pass to the successor, the tags drop them; once', async () => {
    await register('p-head', 'fin');
    await register('p-deputy', 'fin');
    const assign = (role: 'HEAD' | 'SYSTEM_ADMIN', personId: string) =>
      tree.execute({ type: 'AssignUnitResponsibility', data: { orgNodeId: 'fin', role, personId } }, ADMIN_META);
    await assign('HEAD', 'p-head');
    await assign('SYSTEM_ADMIN', 'p-head');
    await groups.create(
      {
        groupId: 'g-fin',
        name: '财政局工作群',
        kind: 'UNIT',
        owningOrgNodeId: 'fin',
        ownerId: 'p-head',
        adminIds: ['p-head', 'p-deputy'],
      },
      ADMIN_META,
    );
    const tag = servicesOfApp(t.app).directory.tag;
    await tag({ type: 'CreateTag', data: { tagId: 'tag-fin', name: '财政联络员', ownerOrgNodeId: 'fin' } }, ADMIN_META);
    await tag({ type: 'AddTagMembers', data: { tagId: 'tag-fin', personIds: ['p-head', 'p-deputy'] } }, ADMIN_META);
    await people.recordDeparture({ personId: 'p-head', reason: 'RETIRED', successorId: 'p-deputy' }, ADMIN_META);
    const left = await lastOfType('PersonLeft');
    expect(left.data).toMatchObject({ successorId: 'p-deputy' });
    const caused = await handle(departurePolicy, left);
    expect(types(caused)).toEqual(
      [
        'GroupMembersRemoved',
        'GroupOwnershipTransferred',
        'TagMembersRemoved',
        'UnitResponsibilityAssigned',
        'UnitResponsibilityAssigned',
        'UnitResponsibilityReleased',
      ].sort(),
    );
    const { state } = await tree.load();
    expect(responsibleFor(state, 'fin', 'HEAD')).toEqual(['p-deputy']);
    expect(responsibleFor(state, 'fin', 'SYSTEM_ADMIN')).toEqual(['p-deputy']);
    expect((await groups.load('g-fin')).state).toMatchObject({ ownerId: 'p-deputy', members: ['p-deputy'] });
    // The departed person leaves the tags that named them (001b:11).
    expect(caused.find((e) => e.type === 'TagMembersRemoved')?.data).toEqual({
      tagId: 'tag-fin',
      personIds: ['p-head'],
      orgNodeIds: [],
    });
    expect(await handle(departurePolicy, left)).toEqual([]);
  });

  it('PersonTransferred: leaves the old unit’s UNIT groups and admin scopes unless a post there remains; once', async () => {
    await accounts.open(
      { accountId: 'a-p3-admin', type: 'TIERED_ADMIN', loginName: 'p3.admin', personId: 'p3' },
      ADMIN_META,
    );
    await accounts.grantAdminScope({ accountId: 'a-p3-admin', orgNodeId: 'edu-office' }, ADMIN_META);
    await accounts.grantAdminScope({ accountId: 'a-p3-admin', orgNodeId: 'health' }, ADMIN_META);
    await groups.create(
      {
        groupId: 'g-cross2',
        name: '专班',
        kind: 'CROSS_UNIT',
        owningOrgNodeId: 'edu',
        ownerId: 'p3',
        memberIds: ['p2'],
      },
      ADMIN_META,
    );
    await people.transfer({ personId: 'p3', to: { orgNodeId: 'fin' } }, ADMIN_META);
    const transferred = await lastOfType('PersonTransferred');
    const caused = await handle(transferPolicy, transferred);
    expect(
      caused.map((e) => [
        e.type,
        (e.data as { groupId?: string; orgNodeId?: string }).groupId ?? (e.data as { orgNodeId?: string }).orgNodeId,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['GroupMembersRemoved', 'g-edu'],
        ['AdminScopeRevoked', 'edu-office'],
      ]),
    );
    expect(caused).toHaveLength(2); // the cross-unit group and the scope on another unit stay
    expect(await handle(transferPolicy, transferred)).toEqual([]);
  });

  it('OrgNodeMergedInto / OrgNodeDissolved: re-homes groups and revokes scopes on the gone node; once', async () => {
    await accounts.open(
      { accountId: 'a-p4-admin', type: 'TIERED_ADMIN', loginName: 'p4.admin', personId: 'p4' },
      ADMIN_META,
    );
    await accounts.grantAdminScope({ accountId: 'a-p4-admin', orgNodeId: 'health' }, ADMIN_META);
    await groups.create(
      {
        groupId: 'g-health',
        name: '卫健委工作群',
        kind: 'UNIT',
        owningOrgNodeId: 'health',
        ownerId: 'p4',
        adminIds: ['p4', 'p2'],
      },
      ADMIN_META,
    );
    await servicesOfApp(t.app).restructuring.merge(
      { mergeId: 'm1', absorbedIds: ['health'], survivorId: 'fin', newSurvivor: null },
      ADMIN_META,
    );
    const merged = await lastOfType('OrgNodeMergedInto');
    const caused = await handle(restructuringPolicy, merged);
    expect(caused.map((e) => e.type).sort()).toEqual(['AdminScopeRevoked', 'AdminScopeRevoked', 'WorkGroupRehomed']);
    expect((await groups.load('g-health')).state).toMatchObject({ owningOrgNodeId: 'fin' });
    expect(await handle(restructuringPolicy, merged)).toEqual([]);
  });

  it('AppDeregistered: revokes its authorizations and closes its temporary accounts; once', async () => {
    await apps.request(
      {
        appId: 'app1',
        name: '公文交换',
        owningOrgNodeId: 'fin',
        contact: { name: '王五', phone: '1' },
        techLead: { name: '赵六', phone: '2' },
        accessModes: ['SSO'],
        userIntegration: true,
        expectedDate: '2025-06-01',
        securityAuditReportRef: 'S-1',
        cryptoAssessmentReportRef: 'C-1',
        description: null,
        ...APP_REQUEST_EXTRAS,
      },
      ADMIN_META,
    );
    await apps.execute({ type: 'ApproveAppAccess', data: { appId: 'app1' } }, ADMIN_META);
    await apps.execute(
      { type: 'AuthorizeApp', data: { appId: 'app1', orgNodeIds: ['fin'], personIds: ['p2'] } },
      ADMIN_META,
    );
    const expiresAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
    await accounts.open(
      { accountId: 'tmp1', type: 'TEMPORARY', loginName: 'vendor.dev', appId: 'app1', expiresAt },
      ADMIN_META,
    );
    await apps.execute(
      { type: 'DeregisterApp', data: { appId: 'app1', backup: { kind: 'BACKED_UP', ref: 'B-1' }, form: APP_FORM } },
      ADMIN_META,
    );
    const deregistered = await lastOfType('AppDeregistered');
    const caused = await handle(appDeregistrationPolicy, deregistered);
    expect(caused.map((e) => e.type).sort()).toEqual(['AccountClosed', 'AppAuthorizationRevoked']);
    expect((await apps.load('app1')).state).toMatchObject({
      authorizations: { orgNodeIds: [], tagIds: [], personIds: [] },
    });
    expect(await handle(appDeregistrationPolicy, deregistered)).toEqual([]);
  });

  it('the scheduler ends a secondment and closes an expired temporary account at their true dates, after downtime, once', async () => {
    await register('p5', 'fin');
    await people.startSecondment(
      { personId: 'p5', post: { orgNodeId: 'edu' }, from: '2025-01-06', until: '2025-02-28' },
      ADMIN_META,
    );
    await apps.request(
      {
        appId: 'app2',
        name: '会议系统',
        owningOrgNodeId: 'fin',
        contact: { name: '王五', phone: '1' },
        techLead: { name: '赵六', phone: '2' },
        accessModes: ['SSO'],
        userIntegration: false,
        expectedDate: '2025-06-01',
        securityAuditReportRef: 'S-2',
        cryptoAssessmentReportRef: 'C-2',
        description: null,
        ...APP_REQUEST_EXTRAS,
      },
      ADMIN_META,
    );
    await apps.execute({ type: 'ApproveAppAccess', data: { appId: 'app2' } }, ADMIN_META);
    const expiresAt = new Date(Date.now() + 2 * 86_400_000).toISOString();
    await accounts.open(
      { accountId: 'tmp2', type: 'TEMPORARY', loginName: 'vendor.two', appId: 'app2', expiresAt },
      ADMIN_META,
    );

    // The service "comes back" ten days later: both fell due while it was down.
    const later = { now: () => new Date(Date.now() + 10 * 86_400_000) };
    const engine = () =>
      new PolicyEngine(
        store,
        t.app.get<CommandBus>(COMMAND_BUS),
        { store, tree: t.app.get(OrgTree), lookups: new InMemoryPolicyLookups() },
        EVENT_POLICIES,
        new InMemoryPolicyLookups(),
        later,
        ids,
        silent,
        { jurisdiction: 'qingpu', timeZone: 'Asia/Shanghai', schedulerIntervalMs: 3_600_000 },
      );
    const first = engine();
    await first.start();
    await first.caughtUp;
    await first.settled();
    await first.stop();
    const ended = await lastOfType('SecondmentEnded');
    expect(ended).toMatchObject({
      data: { personId: 'p5', orgNodeId: 'edu', until: '2025-02-28' },
      effectiveAt: '2025-02-28',
      actor: { accountId: 'policy:secondment-schedule' },
    });
    expect(ended.causationId).toBe((await lastOfType('SecondmentStarted')).eventId);
    const closed = await lastOfType('AccountClosed');
    expect(closed).toMatchObject({ data: { accountId: 'tmp2', reason: 'EXPIRED' }, effectiveAt: expiresAt });

    const head = await store.headPosition();
    const second = engine();
    await second.start();
    await second.caughtUp;
    await second.settled();
    await second.stop();
    const after = (await store.readAll({ from: head! })).filter((r) => !r.streamId.startsWith('PolicyCheckpoint-'));
    expect(after).toEqual([]);
  });
});
