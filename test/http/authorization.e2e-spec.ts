/**
 * The authorization matrix: every command route × every kind of account × where its target lies
 * relative to a tiered admin's scope (inside, outside, or inside but at or above the managed-level
 * boundary of 001b:5). "Allowed" means the request got past authorization (any answer but 401/403:
 * the rules may still refuse it); "refused" means 403 with a reason and nothing written.
 *
 * Tree: root(0) › gov(1) › agencies(2) › edu(3) › edu-office(4)
 *       root(0) › party(1) › party-org(2) › party-unit(3) › party-office(4)
 * The tiered admin's scope is `agencies`: edu-office is inside, edu is inside but at the boundary
 * (level 3), party-office is outside.
 */
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { CommandMetadata } from '../../src/application/commands/decider-command-runner';
import type { EventStore } from '../../src/application/ports/event-store.port';
import { idNumberCheckCharacter } from '../../src/domain/person/identity';
import { startTestApp, type TestApp } from '../support/test-app';
import {
  type AccountService,
  type AppRegistrationService,
  type DirectoryService,
  type OrgTreeService,
  type PersonService,
  type WorkGroupService,
  servicesOfApp,
} from '../support/services';
import { APP_FORM, APP_REQUEST_EXTRAS, passedReports } from '../support/app-forms';
import { byPlatform, COMMAND_BUS, type CommandBus } from '../../src/application/commands/command-bus';
import { ExecuteRequestCommand } from '../../src/application/request/request.commands';

type Position = 'inside' | 'above' | 'outside';
type Principal = 'SYSTEM_ADMIN' | 'TIERED_ADMIN' | 'USER' | 'TEMPORARY' | 'FROZEN';
type Rule = 'STRUCTURE' | 'UNIT' | 'SYSTEM' | 'PERSON_SELF' | 'ADDRESSEE' | 'GATEWAY' | 'WITNESS' | 'ADMINISTRATOR';
const POSITIONS: Position[] = ['inside', 'above', 'outside'];
const PRINCIPALS: Principal[] = ['SYSTEM_ADMIN', 'TIERED_ADMIN', 'USER', 'TEMPORARY', 'FROZEN'];
/** The node a target sits at, per position. */
const AT: Record<Position, string> = { inside: 'edu-office', above: 'edu', outside: 'party-office' };
/** The parent a fresh node is created under, so that it lands inside (level 4), at the boundary (level 3) or outside (level 4). */
const PARENT: Record<Position, string> = { inside: 'edu', above: 'agencies', outside: 'party-unit' };
const ADMIN_META: CommandMetadata = {
  actor: { accountId: 'acc-admin', personId: 'p-admin', role: 'SYSTEM_ADMIN' },
  jurisdiction: 'qingpu',
};

function expected(rule: Rule, principal: Principal, position: Position): 'allowed' | 'refused' {
  // WITNESS: a cosignature is authorized by the witness's signature; any active principal may bring one.
  if (rule === 'WITNESS') return principal === 'FROZEN' ? 'refused' : 'allowed';
  // ADMINISTRATOR: a batch is sent by administrators; each row is then authorized as if sent alone.
  if (rule === 'ADMINISTRATOR')
    return principal === 'SYSTEM_ADMIN' || principal === 'TIERED_ADMIN' ? 'allowed' : 'refused';
  // ADDRESSEE: only the person a contact request is addressed to answers it; in the matrix that is none of the principals.
  if (principal === 'FROZEN' || principal === 'TEMPORARY' || rule === 'GATEWAY' || rule === 'ADDRESSEE')
    return 'refused';
  if (principal === 'SYSTEM_ADMIN') return 'allowed';
  if (rule === 'PERSON_SELF') return 'allowed';
  if (principal === 'USER' || rule === 'SYSTEM') return 'refused';
  if (position === 'outside') return 'refused';
  return rule === 'STRUCTURE' && position === 'above' ? 'refused' : 'allowed';
}

interface Case {
  readonly name: string;
  readonly rule: Rule;
  /** Creates what the command needs (as the system admin) and returns the request. */
  readonly prepare: (position: Position) => Promise<{ path: string; body?: object }>;
}

describe('authorization matrix: every command × account type × scope position', () => {
  let t: TestApp;
  let app: INestApplication;
  let store: EventStore;
  let tree: OrgTreeService;
  let people: PersonService;
  let accounts: AccountService;
  let groups: WorkGroupService;
  let apps: AppRegistrationService;
  let directory: DirectoryService;
  const headers = {} as Record<Principal, Record<string, string>>;
  let seq = 0;
  const fresh = (prefix: string) => `${prefix}-${++seq}`;
  /** A subscription registered by the system admin (downstream subscribers, issue 7). */
  const subscription = async (): Promise<string> => {
    const response = await request(app.getHttpServer())
      .post('/subscriptions')
      .set(headers.SYSTEM_ADMIN)
      .send({ name: fresh('下游系统') });
    if (response.status !== 201) throw new Error(`subscription: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body.subscription.subscriptionId as string;
  };

  async function node(parentId: string, orgNodeId = fresh('n')): Promise<string> {
    await tree.execute(
      { type: 'CreateOrgNode', data: { orgNodeId, name: `节点${orgNodeId}`, kind: 'INTERNAL_BODY', parentId } },
      ADMIN_META,
    );
    return orgNodeId;
  }
  async function person(orgNodeId: string, personId = fresh('p')): Promise<string> {
    const n = ++seq;
    const id17 =
      `${310101 + (n % 90)}19${String(50 + (n % 40))}0${1 + (n % 9)}1${String(n % 9)}${String(n).padStart(3, '0').slice(-3)}`.slice(
        0,
        17,
      );
    await people.register(
      {
        personId,
        name: '测试人员',
        idNumber: id17 + idNumberCheckCharacter(id17),
        gender: Number(id17[16]) % 2 === 1 ? '1' : '2',
        mobile: `15${String(n).padStart(9, '0')}`,
        officePhone: null,
        employment: { type: 'CONTRACTED', establishmentType: null },
        rank: null,
        politicalStatus: null,
        leadershipDuties: null,
        primaryPost: { orgNodeId },
      },
      ADMIN_META,
    );
    return personId;
  }
  async function userAccount(personId: string): Promise<string> {
    const accountId = fresh('acct');
    await accounts.open({ accountId, type: 'USER', loginName: `login.${accountId}`, personId }, ADMIN_META);
    return accountId;
  }
  async function appAt(
    orgNodeId: string,
    stage: 'REQUESTED' | 'APPROVED' | 'ONLINE' | 'OFFLINE' = 'APPROVED',
  ): Promise<string> {
    const appId = fresh('app');
    await apps.request(
      {
        appId,
        name: '测试应用',
        owningOrgNodeId: orgNodeId,
        contact: { name: '王五', phone: '1' },
        techLead: { name: '赵六', phone: '2' },
        accessModes: ['SSO'],
        userIntegration: false,
        expectedDate: '2025-06-01',
        securityAuditReportRef: 'S',
        cryptoAssessmentReportRef: 'C',
        description: null,
        ...APP_REQUEST_EXTRAS,
      },
      ADMIN_META,
    );
    if (stage === 'REQUESTED') return appId;
    for (const result of passedReports('S', 'C'))
      await apps.execute({ type: 'RecordAppReportResult', data: { appId, ...result } }, ADMIN_META);
    await apps.execute({ type: 'ApproveAppAccess', data: { appId } }, ADMIN_META);
    if (stage === 'APPROVED') return appId;
    await apps.execute(
      {
        type: 'LaunchApp',
        data: {
          appId,
          shortName: '测试',
          fullName: '测试应用',
          iconUrl: 'https://x.example/i.png',
          url: 'https://x.example/',
          form: APP_FORM,
        },
      },
      ADMIN_META,
    );
    if (stage === 'OFFLINE')
      await apps.execute({ type: 'TakeAppOffline', data: { appId, reason: '维护', form: APP_FORM } }, ADMIN_META);
    return appId;
  }
  async function groupAt(orgNodeId: string): Promise<{ groupId: string; owner: string; member: string }> {
    const owner = await person(orgNodeId);
    const member = await person(orgNodeId);
    const groupId = fresh('g');
    await groups.create(
      {
        groupId,
        name: '测试群',
        kind: 'UNIT',
        owningOrgNodeId: orgNodeId,
        ownerId: owner,
        adminIds: [owner, member],
        memberIds: [member],
      },
      ADMIN_META,
    );
    return { groupId, owner, member };
  }
  async function tagAt(orgNodeId: string): Promise<string> {
    const tagId = fresh('t');
    await directory.tag(
      { type: 'CreateTag', data: { tagId, name: `标签${tagId}`, ownerOrgNodeId: orgNodeId } },
      ADMIN_META,
    );
    return tagId;
  }

  // People registered without a class are Q4.
  const SEARCH_ADD_AMONG_Q4 = {
    Q1: { Q1: 'DIRECT', Q2: 'DIRECT', Q3: 'DIRECT', Q4: 'DIRECT' },
    Q2: { Q1: 'DIRECT', Q2: 'DIRECT', Q3: 'DIRECT', Q4: 'DIRECT' },
    Q3: { Q1: 'DIRECT', Q2: 'DIRECT', Q3: 'DIRECT', Q4: 'DIRECT' },
    Q4: { Q1: 'DIRECT', Q2: 'DIRECT', Q3: 'DIRECT', Q4: 'SEARCH_ADD' },
  } as const;
  async function contactRequestTo(toPersonId: string): Promise<string> {
    const requestId = fresh('cr');
    await directory.setMatrix(SEARCH_ADD_AMONG_Q4, ADMIN_META);
    const from = await person('edu');
    await directory.requestContact(
      { requestId, toPersonId },
      { ...ADMIN_META, actor: { accountId: 'x', personId: from, role: 'USER' } },
    );
    return requestId;
  }

  /** A request filed by an applicant who is none of the principals (so that none reviews their own). */
  async function filedRequest(orgNodeId: string): Promise<string> {
    const requestId = fresh('req');
    const data = {
      requestId,
      kind: 'ORG_CHANGE' as const,
      orgNodeId,
      change: { type: 'RenameOrgNode', data: { orgNodeId, name: fresh('申请改名') } },
      documents: [],
    };
    const applicant = { ...ADMIN_META, actor: { accountId: 'acc-applicant', role: 'TIERED_ADMIN' as const } };
    await app
      .get<CommandBus>(COMMAND_BUS)
      .execute(new ExecuteRequestCommand({ type: 'FileRequest', data }, applicant, byPlatform('test-setup')));
    return requestId;
  }
  /** A request filed, then returned to its applicant for changes. */
  async function returnedRequest(orgNodeId: string): Promise<string> {
    const requestId = await filedRequest(orgNodeId);
    const data = { requestId, step: 0, decision: 'RETURNED' as const, reason: '请补充说明' };
    await app
      .get<CommandBus>(COMMAND_BUS)
      .execute(new ExecuteRequestCommand({ type: 'DecideRequestStep', data }, ADMIN_META, byPlatform('test-setup')));
    return requestId;
  }

  const CASES: Case[] = [
    // ---- downstream subscribers: system admins only (001:14, personal-data grants) ----
    {
      name: 'RegisterSubscription',
      rule: 'SYSTEM',
      prepare: async () => ({ path: '/subscriptions', body: { name: fresh('下游系统'), grants: ['mobile'] } }),
    },
    {
      name: 'RotateSubscriptionSecret',
      rule: 'SYSTEM',
      prepare: async () => ({ path: `/subscriptions/${await subscription()}/secret` }),
    },
    {
      name: 'PauseSubscription',
      rule: 'SYSTEM',
      prepare: async () => ({ path: `/subscriptions/${await subscription()}/pause` }),
    },
    {
      name: 'ResumeSubscription',
      rule: 'SYSTEM',
      prepare: async () => ({ path: `/subscriptions/${await subscription()}/resume` }),
    },
    {
      name: 'ReplayFailedDeliveries',
      rule: 'SYSTEM',
      prepare: async () => ({ path: `/subscriptions/${await subscription()}/failed/replay`, body: {} }),
    },
    {
      name: 'RewindSubscription',
      rule: 'SYSTEM',
      prepare: async () => ({ path: `/subscriptions/${await subscription()}/rewind`, body: { to: 'start' } }),
    },
    // ---- the verifiable history (issue 22) ----
    { name: 'SignCheckpoint', rule: 'SYSTEM', prepare: async () => ({ path: '/integrity/checkpoints' }) },
    {
      name: 'CosignCheckpoint',
      rule: 'WITNESS',
      prepare: async () => ({ path: '/integrity/cosignatures', body: { note: 'not a signed note' } }),
    },
    {
      name: 'PlanBatch',
      rule: 'ADMINISTRATOR',
      prepare: async (p) => ({
        path: '/batches',
        body: {
          batchId: fresh('batch'),
          operation: 'FREEZE',
          dryRun: true,
          rows: [{ target: await userAccount(await person(AT[p])), fields: { reason: 'SECURITY' } }],
        },
      }),
    },
    // ---- org structure (001b:5: scope and the level boundary) ----
    {
      name: 'CreateOrgNode',
      rule: 'STRUCTURE',
      prepare: async (p) => ({
        path: '/org-nodes',
        body: { orgNodeId: fresh('new'), name: fresh('新节点'), kind: 'INTERNAL_BODY', parentId: PARENT[p] },
      }),
    },
    {
      name: 'RenameOrgNode',
      rule: 'STRUCTURE',
      prepare: async (p) => ({ path: `/org-nodes/${await node(PARENT[p])}/rename`, body: { name: fresh('改名') } }),
    },
    {
      name: 'ReorderOrgNode',
      rule: 'STRUCTURE',
      prepare: async (p) => ({ path: `/org-nodes/${await node(PARENT[p])}/reorder`, body: { order: 7 } }),
    },
    {
      name: 'MoveOrgNode',
      rule: 'STRUCTURE',
      prepare: async (p) => ({ path: `/org-nodes/${await node(PARENT[p])}/move`, body: { toParentId: PARENT[p] } }),
    },
    {
      name: 'SetOrgNodeHidden',
      rule: 'STRUCTURE',
      prepare: async (p) => ({ path: `/org-nodes/${await node(PARENT[p])}/hidden`, body: { hidden: true } }),
    },
    {
      name: 'MergeOrgNodes',
      rule: 'STRUCTURE',
      prepare: async (p) => ({
        path: '/org-nodes/merge',
        body: { mergeId: fresh('m'), absorbedIds: [await node(PARENT[p])], survivorId: await node(PARENT[p]) },
      }),
    },
    {
      name: 'DissolveOrgNode',
      rule: 'STRUCTURE',
      prepare: async (p) => ({ path: `/org-nodes/${await node(PARENT[p])}/dissolve`, body: {} }),
    },
    // ---- people (001b:6: managed by the unit of the primary post) ----
    {
      name: 'AssignUnitResponsibility',
      rule: 'UNIT',
      prepare: async (p) => ({
        path: `/org-nodes/${AT[p]}/responsibilities`,
        // Not HEAD: a head would own the unit groups the other rows create (002:五.7).
        body: { role: 'RESPONSIBLE_PERSON', personId: await person(AT[p]) },
      }),
    },
    {
      name: 'ReleaseUnitResponsibility',
      rule: 'UNIT',
      prepare: async (p) => ({
        path: `/org-nodes/${AT[p]}/responsibilities/release`,
        body: { role: 'RESPONSIBLE_PERSON', personId: await person(AT[p]) },
      }),
    },
    {
      name: 'RegisterPerson',
      rule: 'UNIT',
      prepare: async (p) => ({
        path: '/persons',
        body: {
          personId: fresh('reg'),
          name: '新人员',
          idNumber: '11010519491231002X',
          gender: '2',
          mobile: '18600000000',
          employment: { type: 'CONTRACTED' },
          primaryPost: { orgNodeId: AT[p] },
        },
      }),
    },
    {
      name: 'UpdatePersonProfile',
      rule: 'UNIT',
      prepare: async (p) => ({
        path: `/persons/${await person(AT[p])}/profile`,
        body: { changes: { rank: '一级科员' } },
      }),
    },
    {
      name: 'ChangePost',
      rule: 'UNIT',
      prepare: async (p) => ({
        path: `/persons/${await person(AT[p])}/post`,
        body: { orgNodeId: AT[p], title: '科员' },
      }),
    },
    {
      name: 'TransferPerson',
      rule: 'UNIT',
      prepare: async (p) => ({
        path: `/persons/${await person(AT[p])}/transfer`,
        body: { to: { orgNodeId: await node(PARENT[p]) } },
      }),
    },
    {
      name: 'StartSecondment',
      rule: 'UNIT',
      prepare: async (p) => ({
        path: `/persons/${await person(AT[p])}/secondments`,
        body: { post: { orgNodeId: 'edu' }, from: '2025-01-01', until: '2025-12-31' },
      }),
    },
    {
      name: 'EndSecondment',
      rule: 'UNIT',
      prepare: async (p) => ({ path: `/persons/${await person(AT[p])}/secondments/edu/end`, body: {} }),
    },
    {
      name: 'AssignConcurrentPost',
      rule: 'UNIT',
      prepare: async (p) => ({
        path: `/persons/${await person(AT[p])}/concurrent-posts`,
        // Inside the tiered admin's scope: a post into a node outside it is refused (issue 17, hole 7).
        body: { post: { orgNodeId: 'edu' } },
      }),
    },
    {
      name: 'RelieveConcurrentPost',
      rule: 'UNIT',
      prepare: async (p) => ({ path: `/persons/${await person(AT[p])}/concurrent-posts/gov/relieve`, body: {} }),
    },
    {
      name: 'RecordDeparture',
      rule: 'UNIT',
      prepare: async (p) => ({
        path: `/persons/${await person(AT[p])}/departure`,
        body: { departureReason: 'RETIRED' },
      }),
    },
    {
      name: 'CorrectEffectiveDate',
      rule: 'UNIT',
      prepare: async (p) => {
        const personId = await person(AT[p]);
        const [registered] = await store.readStream(`Person-${personId}`);
        return {
          path: `/persons/${personId}/corrections`,
          body: {
            eventId: registered.eventId,
            correction: 'EFFECTIVE_DATE',
            correctEffectiveAt: '2025-01-02',
            reason: '录入时生效日期填错',
            sourceRef: '青人更〔2025〕1号',
          },
        };
      },
    },
    {
      name: 'ReinstatePerson',
      rule: 'UNIT',
      prepare: async (p) => ({
        path: `/persons/${await person(AT[p])}/reinstatement`,
        body: { primaryPost: { orgNodeId: AT[p] } },
      }),
    },
    {
      name: 'SetDirectoryClass',
      rule: 'UNIT',
      prepare: async (p) => ({
        path: `/persons/${await person(AT[p])}/directory-class`,
        body: { directoryClass: 'Q2' },
      }),
    },
    {
      name: 'SetContactMode',
      rule: 'UNIT',
      prepare: async (p) => ({
        path: `/persons/${await person(AT[p])}/contact-mode`,
        body: { contactMode: { searchable: false, addable: false } },
      }),
    },
    // ---- accounts (001b:7) ----
    {
      name: 'OpenAccount USER',
      rule: 'UNIT',
      prepare: async (p) => ({
        path: '/accounts',
        body: { accountId: fresh('acc'), type: 'USER', loginName: fresh('u.login'), personId: await person(AT[p]) },
      }),
    },
    {
      name: 'OpenAccount TEMPORARY',
      rule: 'UNIT',
      prepare: async (p) => ({
        path: '/accounts',
        body: {
          accountId: fresh('acc'),
          type: 'TEMPORARY',
          loginName: fresh('t.login'),
          appId: await appAt(AT[p]),
          expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
        },
      }),
    },
    {
      name: 'OpenAccount TIERED_ADMIN',
      rule: 'SYSTEM',
      prepare: async (p) => ({
        path: '/accounts',
        body: {
          accountId: fresh('acc'),
          type: 'TIERED_ADMIN',
          loginName: fresh('a.login'),
          personId: await person(AT[p]),
        },
      }),
    },
    {
      name: 'ActivateAccount',
      rule: 'UNIT',
      prepare: async (p) => ({ path: `/accounts/${await userAccount(await person(AT[p]))}/activate`, body: {} }),
    },
    {
      name: 'FreezeAccount',
      rule: 'UNIT',
      prepare: async (p) => ({
        path: `/accounts/${await userAccount(await person(AT[p]))}/freeze`,
        body: { freezeReason: 'DEVICE_LOST' },
      }),
    },
    {
      name: 'UnfreezeAccount',
      rule: 'UNIT',
      prepare: async (p) => ({ path: `/accounts/${await userAccount(await person(AT[p]))}/unfreeze`, body: {} }),
    },
    {
      name: 'CloseAccount',
      rule: 'UNIT',
      prepare: async (p) => ({
        path: `/accounts/${await userAccount(await person(AT[p]))}/close`,
        body: { closeReason: 'NO_LONGER_NEEDED' },
      }),
    },
    {
      name: 'GrantAdminScope',
      rule: 'SYSTEM',
      prepare: async (p) => ({ path: '/accounts/acc-tiered/admin-scopes', body: { orgNodeId: AT[p] } }),
    },
    {
      name: 'RevokeAdminScope',
      rule: 'SYSTEM',
      prepare: async (p) => ({ path: `/accounts/acc-tiered/admin-scopes/${AT[p]}/revoke`, body: {} }),
    },
    {
      name: 'GrantReadRole',
      rule: 'SYSTEM',
      prepare: async (p) => ({ path: '/accounts/acc-tiered/read-roles', body: { role: 'AUDITOR', orgNodeId: AT[p] } }),
    },
    {
      name: 'RevokeReadRole',
      rule: 'SYSTEM',
      prepare: async (p) => ({
        path: '/accounts/acc-tiered/read-roles/revoke',
        body: { role: 'AUDITOR', orgNodeId: AT[p] },
      }),
    },
    // ---- work groups (000:11) ----
    {
      name: 'CreateWorkGroup',
      rule: 'UNIT',
      prepare: async (p) => ({
        path: '/work-groups',
        body: {
          groupId: fresh('g'),
          name: '新群',
          kind: 'UNIT',
          owningOrgNodeId: AT[p],
          ownerId: await person(AT[p]),
          adminIds: [await person(AT[p])],
        },
      }),
    },
    {
      name: 'AddGroupMembers',
      rule: 'UNIT',
      prepare: async (p) => ({
        path: `/work-groups/${(await groupAt(AT[p])).groupId}/members/add`,
        body: { personIds: [await person(AT[p])] },
      }),
    },
    {
      name: 'RemoveGroupMembers',
      rule: 'UNIT',
      prepare: async (p) => {
        const g = await groupAt(AT[p]);
        return {
          path: `/work-groups/${g.groupId}/members/remove`,
          body: { personIds: [g.member], removalReason: 'NO_LONGER_INVOLVED' },
        };
      },
    },
    {
      name: 'AssignGroupAdmin',
      rule: 'UNIT',
      prepare: async (p) => {
        const g = await groupAt(AT[p]);
        return { path: `/work-groups/${g.groupId}/admins`, body: { personId: g.member } };
      },
    },
    {
      name: 'RevokeGroupAdmin',
      rule: 'UNIT',
      prepare: async (p) => {
        const g = await groupAt(AT[p]);
        return { path: `/work-groups/${g.groupId}/admins/${g.owner}/revoke`, body: {} };
      },
    },
    {
      name: 'TransferGroupOwnership',
      rule: 'UNIT',
      prepare: async (p) => {
        const g = await groupAt(AT[p]);
        return { path: `/work-groups/${g.groupId}/owner`, body: { personId: g.member } };
      },
    },
    {
      name: 'DissolveWorkGroup',
      rule: 'UNIT',
      prepare: async (p) => ({ path: `/work-groups/${(await groupAt(AT[p])).groupId}/dissolve`, body: {} }),
    },
    // ---- app registrations (001a:13-19) ----
    {
      name: 'RequestAppAccess',
      rule: 'UNIT',
      prepare: async (p) => ({
        path: '/apps',
        body: {
          appId: fresh('app'),
          name: '新应用',
          owningOrgNodeId: AT[p],
          contact: { name: '王五', phone: '1' },
          techLead: { name: '赵六', phone: '2' },
          accessModes: ['SSO'],
          userIntegration: false,
          expectedDate: '2025-06-01',
          ...APP_REQUEST_EXTRAS,
        },
      }),
    },
    {
      name: 'AttachAppReports',
      rule: 'UNIT',
      prepare: async (p) => ({
        path: `/apps/${await appAt(AT[p], 'REQUESTED')}/reports`,
        body: { cryptoAssessmentReportRef: fresh('密评') },
      }),
    },
    {
      name: 'RecordAppReportResult',
      rule: 'UNIT',
      prepare: async (p) => ({
        path: `/apps/${await appAt(AT[p], 'REQUESTED')}/report-results`,
        body: passedReports('S', 'C')[0],
      }),
    },
    {
      name: 'ApproveAppAccess',
      rule: 'SYSTEM',
      prepare: async (p) => ({ path: `/apps/${await appAt(AT[p], 'REQUESTED')}/approve`, body: {} }),
    },
    {
      name: 'RejectAppAccess',
      rule: 'SYSTEM',
      prepare: async (p) => ({
        path: `/apps/${await appAt(AT[p], 'REQUESTED')}/reject`,
        body: { rejectionReason: '材料不全' },
      }),
    },
    {
      name: 'LaunchApp',
      rule: 'SYSTEM',
      prepare: async (p) => ({
        path: `/apps/${await appAt(AT[p])}/launch`,
        body: {
          shortName: '应用',
          fullName: '测试应用',
          iconUrl: 'https://x.example/i.png',
          url: 'https://x.example/',
          form: APP_FORM,
        },
      }),
    },
    {
      name: 'TakeAppOffline',
      rule: 'UNIT',
      prepare: async (p) => ({
        path: `/apps/${await appAt(AT[p], 'ONLINE')}/offline`,
        body: { offlineReason: '维护', form: APP_FORM },
      }),
    },
    {
      name: 'RestoreApp',
      rule: 'SYSTEM',
      prepare: async (p) => ({ path: `/apps/${await appAt(AT[p], 'OFFLINE')}/restore`, body: {} }),
    },
    {
      name: 'AuthorizeApp',
      rule: 'UNIT',
      prepare: async (p) => ({ path: `/apps/${await appAt(AT[p])}/authorizations`, body: { orgNodeIds: [AT[p]] } }),
    },
    {
      name: 'RevokeAppAuthorization',
      rule: 'UNIT',
      prepare: async (p) => ({
        path: `/apps/${await appAt(AT[p])}/authorizations/revoke`,
        body: { orgNodeIds: [AT[p]] },
      }),
    },
    {
      name: 'DeregisterApp',
      rule: 'SYSTEM',
      prepare: async (p) => ({
        path: `/apps/${await appAt(AT[p])}/deregister`,
        body: { backup: { kind: 'NO_DATA', ref: 'B-1' }, form: APP_FORM },
      }),
    },
    // ---- tags and the directory (001b:10-11) ----
    {
      name: 'CreateTag',
      rule: 'UNIT',
      prepare: async (p) => ({
        path: '/tags',
        body: { tagId: fresh('t'), name: fresh('标签'), ownerOrgNodeId: AT[p] },
      }),
    },
    {
      name: 'EditTag',
      rule: 'UNIT',
      prepare: async (p) => ({ path: `/tags/${await tagAt(AT[p])}/edit`, body: { description: '说明' } }),
    },
    {
      name: 'DeleteTag',
      rule: 'UNIT',
      prepare: async (p) => ({ path: `/tags/${await tagAt(AT[p])}/delete`, body: {} }),
    },
    {
      name: 'AddTagMembers',
      rule: 'UNIT',
      prepare: async (p) => ({ path: `/tags/${await tagAt(AT[p])}/members/add`, body: { orgNodeIds: [AT[p]] } }),
    },
    {
      name: 'RemoveTagMembers',
      rule: 'UNIT',
      prepare: async (p) => ({ path: `/tags/${await tagAt(AT[p])}/members/remove`, body: { orgNodeIds: [AT[p]] } }),
    },
    {
      name: 'SetTagSharedOrgs',
      rule: 'UNIT',
      prepare: async (p) => ({ path: `/tags/${await tagAt(AT[p])}/shared-orgs`, body: { orgNodeIds: ['party'] } }),
    },
    {
      name: 'SetDirectoryMatrix',
      rule: 'SYSTEM',
      prepare: async () => ({
        path: '/directory-policy/matrix',
        body: {
          matrix: {
            Q1: { Q1: 'DIRECT', Q2: 'DIRECT', Q3: 'DIRECT', Q4: 'DIRECT' },
            Q2: { Q1: 'DIRECT', Q2: 'DIRECT', Q3: 'DIRECT', Q4: 'DIRECT' },
            Q3: { Q1: 'DIRECT', Q2: 'DIRECT', Q3: 'DIRECT', Q4: 'DIRECT' },
            Q4: { Q1: 'DIRECT', Q2: 'DIRECT', Q3: 'DIRECT', Q4: 'DIRECT' },
          },
        },
      }),
    },
    {
      name: 'RequestContact',
      rule: 'PERSON_SELF',
      prepare: async (p) => ({
        path: '/contact-requests',
        body: { requestId: fresh('cr'), toPersonId: await person(AT[p]) },
      }),
    },
    // ---- requests (申请与审批): filed by a unit's admins; decided by the step's reviewers ----
    {
      name: 'FileRequest',
      rule: 'UNIT',
      prepare: async (p) => ({
        path: '/requests',
        body: {
          requestId: fresh('req'),
          kind: 'ORG_CHANGE',
          orgNodeId: AT[p],
          change: { type: 'RenameOrgNode', data: { orgNodeId: AT[p], name: fresh('申请改名') } },
          documents: [],
        },
      }),
    },
    {
      // The default route: one review by the system admins.
      name: 'DecideRequestStep',
      rule: 'SYSTEM',
      prepare: async (p) => ({
        path: `/requests/${await filedRequest(AT[p])}/decision`,
        body: { step: 0, decision: 'APPROVED' },
      }),
    },
    {
      name: 'RefileRequest',
      // Only the applicant refiles (and it is none of the principals here).
      rule: 'ADDRESSEE',
      prepare: async (p) => ({
        path: `/requests/${await returnedRequest(AT[p])}/refile`,
        body: { change: { type: 'RenameOrgNode', data: { orgNodeId: AT[p], name: fresh('申请改名') } }, documents: [] },
      }),
    },
    {
      name: 'WithdrawRequest',
      rule: 'ADDRESSEE',
      prepare: async (p) => ({ path: `/requests/${await filedRequest(AT[p])}/withdraw`, body: {} }),
    },
    {
      // Whoever may decide the last step (here the system admins) tries an approved request again.
      name: 'ExecuteApprovedRequest',
      rule: 'SYSTEM',
      prepare: async (p) => ({ path: `/requests/${await filedRequest(AT[p])}/execute`, body: {} }),
    },
    {
      name: 'AcceptContact',
      rule: 'ADDRESSEE',
      prepare: async (p) => ({
        path: `/contact-requests/${await contactRequestTo(await person(AT[p]))}/accept`,
        body: {},
      }),
    },
    {
      name: 'DeclineContact',
      rule: 'ADDRESSEE',
      prepare: async (p) => ({
        path: `/contact-requests/${await contactRequestTo(await person(AT[p]))}/decline`,
        body: {},
      }),
    },
    // ---- usage signals (gateway only) ----
    {
      name: 'RecordSignIn',
      rule: 'GATEWAY',
      prepare: async (p) => ({
        path: '/ingest/sign-ins',
        body: {
          signals: [
            { signalId: fresh('s'), accountId: await userAccount(await person(AT[p])), at: '2025-03-03T01:00:00Z' },
          ],
        },
      }),
    },
    {
      name: 'RecordPasswordChange',
      rule: 'GATEWAY',
      prepare: async (p) => ({
        path: '/ingest/password-changes',
        body: {
          signals: [
            { signalId: fresh('s'), accountId: await userAccount(await person(AT[p])), at: '2025-03-03T01:00:00Z' },
          ],
        },
      }),
    },
    {
      name: 'RecordGroupActivity',
      rule: 'GATEWAY',
      prepare: async (p) => ({
        path: '/ingest/group-activity',
        body: {
          signals: [
            { signalId: fresh('s'), groupId: (await groupAt(AT[p])).groupId, at: '2025-03-03T01:00:00Z', messages: 3 },
          ],
        },
      }),
    },
  ];

  beforeAll(async () => {
    t = await startTestApp();
    ({ app, store } = t);
    tree = servicesOfApp(app).tree;
    people = servicesOfApp(app).people;
    accounts = servicesOfApp(app).accounts;
    groups = servicesOfApp(app).groups;
    apps = servicesOfApp(app).apps;
    directory = servicesOfApp(app).directory;
    const create = (orgNodeId: string, kind: string, parentId: string) =>
      tree.execute(
        { type: 'CreateOrgNode', data: { orgNodeId, name: `节点${orgNodeId}`, kind: kind as never, parentId } },
        ADMIN_META,
      );
    await create('gov', 'CATEGORY', 'root');
    await create('agencies', 'CATEGORY', 'gov');
    await create('edu', 'UNIT', 'agencies');
    await create('edu-office', 'INTERNAL_BODY', 'edu');
    await create('party', 'CATEGORY', 'root');
    await create('party-org', 'CATEGORY', 'party');
    await create('party-unit', 'UNIT', 'party-org');
    await create('party-office', 'INTERNAL_BODY', 'party-unit');

    const activate = (accountId: string) =>
      accounts.execute({ type: 'ActivateAccount', data: { accountId } }, ADMIN_META);
    await person('edu', 'p-tiered');
    await accounts.open(
      { accountId: 'acc-tiered', type: 'TIERED_ADMIN', loginName: 'tiered', personId: 'p-tiered' },
      ADMIN_META,
    );
    await accounts.grantAdminScope({ accountId: 'acc-tiered', orgNodeId: 'agencies' }, ADMIN_META);
    await activate('acc-tiered');
    await person('edu-office', 'p-user');
    await accounts.open({ accountId: 'acc-user', type: 'USER', loginName: 'user', personId: 'p-user' }, ADMIN_META);
    await activate('acc-user');
    const tempApp = await appAt('edu');
    await accounts.open(
      {
        accountId: 'acc-temp',
        type: 'TEMPORARY',
        loginName: 'vendor',
        appId: tempApp,
        expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      },
      ADMIN_META,
    );
    await activate('acc-temp');
    await person('edu', 'p-frozen');
    await accounts.open(
      { accountId: 'acc-frozen', type: 'TIERED_ADMIN', loginName: 'frozen', personId: 'p-frozen' },
      ADMIN_META,
    );
    await accounts.grantAdminScope({ accountId: 'acc-frozen', orgNodeId: 'agencies' }, ADMIN_META);
    await activate('acc-frozen');
    await accounts.execute(
      { type: 'FreezeAccount', data: { accountId: 'acc-frozen', reason: 'SECURITY' } },
      ADMIN_META,
    );

    headers.SYSTEM_ADMIN = t.admin;
    headers.TIERED_ADMIN = await t.bearer('acc-tiered');
    headers.USER = await t.bearer('acc-user');
    headers.TEMPORARY = await t.bearer('acc-temp');
    headers.FROZEN = await t.bearer('acc-frozen');
  }, 120_000);
  afterAll(() => t.close());

  const exercised = new Set<string>();
  const rows = CASES.flatMap((c) =>
    POSITIONS.flatMap((position) =>
      PRINCIPALS.map((principal) => [c.name, principal, position, expected(c.rule, principal, position), c] as const),
    ),
  );

  it.each(rows)('%s by %s, target %s: %s', async (_name, principal, position, outcome, c) => {
    const { path, body } = await c.prepare(position);
    exercised.add(path);
    const before = await store.headPosition();
    const response = await request(app.getHttpServer())
      .post(path)
      .set(headers[principal])
      .send(body ?? {});
    if (outcome === 'refused') {
      expect({ status: response.status, body: response.body }).toMatchObject({
        status: 403,
        body: { code: expect.any(String), message: expect.any(String) },
      });
      expect(await store.headPosition()).toBe(before);
    } else {
      // Past authorization: the rules may still answer 409/422, but never 401/403.
      expect({ path, status: response.status, code: response.body?.code }).toEqual({
        path,
        status: expect.any(Number),
        code: response.body?.code,
      });
      expect([401, 403]).not.toContain(response.status);
    }
  });

  it('covers every command route of the API', async () => {
    const document = (await request(app.getHttpServer()).get('/docs/json').expect(200)).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const postRoutes = Object.entries(document.paths)
      .filter(([, methods]) => 'post' in methods)
      .map(([path]) => path);
    // Each route template was exercised by some row of the matrix (the multipart import upload is checked below).
    const untested = postRoutes
      // The uploads (multipart) are checked below and in test/batch; the sign-in exchange, whose
      // credential is the link itself, in test/http/sessions.
      .filter((route) => !['/imports', '/imports/updates', '/batches/upload', '/sessions'].includes(route))
      .filter((route) => {
        const pattern = new RegExp(`^${route.replace(/\{[^}]+\}/g, '[^/]+')}$`);
        return ![...exercised].some((path) => pattern.test(path));
      });
    expect(untested).toEqual([]);
  });

  describe('self-service and the other principals', () => {
    it('a user may edit their own office phone only where the jurisdiction allows it', async () => {
      const attempt = () =>
        request(app.getHttpServer())
          .post('/persons/p-user/profile')
          .set(headers.USER)
          .send({ changes: { officePhone: '021-59700001' } });
      expect((await attempt()).status).toBe(403);
      const other = await request(app.getHttpServer())
        .post('/persons/p-tiered/profile')
        .set(headers.USER)
        .send({ changes: { rank: '处长' } });
      expect(other.body.code).toBe('ADMIN_ONLY');
    });

    it('a user runs the groups they own or administer, and answers contact requests addressed to them', async () => {
      const deputy = await person('edu-office');
      await groups.create(
        {
          groupId: 'g-user',
          name: '用户的群',
          kind: 'UNIT',
          owningOrgNodeId: 'edu-office',
          ownerId: 'p-user',
          adminIds: ['p-user', deputy],
        },
        ADMIN_META,
      );
      const member = await person('edu-office');
      await request(app.getHttpServer())
        .post('/work-groups/g-user/members/add')
        .set(headers.USER)
        .send({ personIds: [member] })
        .expect(200);
      await request(app.getHttpServer())
        .post('/work-groups')
        .set(headers.USER)
        .send({
          groupId: 'g-user2',
          name: '自建群',
          kind: 'CROSS_UNIT',
          owningOrgNodeId: 'edu-office',
          ownerId: 'p-user',
        })
        .expect(200);
      const notMine = await request(app.getHttpServer()).post('/work-groups').set(headers.USER).send({
        groupId: 'g-user3',
        name: '代建群',
        kind: 'CROSS_UNIT',
        owningOrgNodeId: 'edu-office',
        ownerId: member,
      });
      expect(notMine.status).toBe(403);

      const requestId = await contactRequestTo('p-user');
      const byAdmin = await request(app.getHttpServer())
        .post(`/contact-requests/${requestId}/accept`)
        .set(headers.SYSTEM_ADMIN)
        .send({});
      expect(byAdmin.body.code).toBe('NOT_YOUR_OWN');
      await request(app.getHttpServer())
        .post(`/contact-requests/${requestId}/accept`)
        .set(headers.USER)
        .send({})
        .expect(200);
    });

    it('a temporary account reads its own app (integration), nothing else; the gateway only reports usage', async () => {
      const own = (await accounts.load('acc-temp')).state;
      const appId = own.status === 'NONE' ? '' : own.appId!;
      await request(app.getHttpServer()).get(`/apps/${appId}`).set(headers.TEMPORARY).expect(200);
      const other = await appAt('edu');
      // Another app does not exist for it (404, as for any record the reader may not see).
      expect((await request(app.getHttpServer()).get(`/apps/${other}`).set(headers.TEMPORARY)).status).toBe(404);
      const gateway = await t.service('gateway');
      await request(app.getHttpServer())
        .post('/ingest/sign-ins')
        .set(gateway)
        .send({ signals: [{ signalId: 'gw-1', accountId: 'acc-user', at: '2025-03-03T01:00:00Z' }] })
        .expect(200);
      const refused = await request(app.getHttpServer())
        .post('/persons/p-user/directory-class')
        .set(gateway)
        .send({ directoryClass: 'Q2' });
      expect(refused.status).toBe(403);
      const upload = await request(app.getHttpServer())
        .post('/imports')
        .set(headers.TIERED_ADMIN)
        .attach('files', Buffer.from('x'), 'x.csv');
      expect(upload.body.code).toBe('SYSTEM_ADMIN_ONLY');
      const updates = await request(app.getHttpServer())
        .post('/imports/updates?batchId=u-1')
        .set(headers.TIERED_ADMIN)
        .attach('files', Buffer.from('x'), 'x.csv');
      expect(updates.body.code).toBe('SYSTEM_ADMIN_ONLY');
      const batch = await request(app.getHttpServer())
        .post('/batches/upload?operation=FREEZE&batchId=b-user')
        .set(headers.USER)
        .attach('file', Buffer.from('账号,原因\nacc-user,SECURITY\n'), 'x.csv');
      expect(batch.body.code).toBe('ADMINISTRATORS_ONLY');
    });

    it('a frozen account is refused on reads too, and an unknown account is refused', async () => {
      const read = await request(app.getHttpServer()).get('/org-tree').set(headers.FROZEN);
      expect(read.body).toMatchObject({ code: 'ACCOUNT_NOT_ACTIVE' });
      expect(
        (
          await request(app.getHttpServer())
            .get('/org-tree')
            .set(await t.bearer('nobody'))
        ).status,
      ).toBe(403);
    });
  });
});
