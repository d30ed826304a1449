import { DeciderSpecification, SYSTEM_ADMIN } from '../../../test/support/decider-specification';
import type { Actor } from '../shared/actor';
import { type DocumentReference, type RequestEvent, requestDecider, type ReviewStep } from './request.decider';

const spec = DeciderSpecification.for(requestDecider);
const TOWN_ADMIN: Actor = { accountId: 'acc-town', personId: 'p-town', role: 'TIERED_ADMIN' };
const COUNTY_OFFICE: Actor = { accountId: 'acc-xxb', personId: 'p-xxb', role: 'TIERED_ADMIN' };
const COMMITTEE_OFFICE: Actor = { accountId: 'acc-wb', personId: 'p-wb', role: 'TIERED_ADMIN' };

const ROUTE: ReviewStep[] = [
  { name: '县信息化建设办公室审核', reviewer: { adminOf: 'xxb' }, workingDays: 7 },
  { name: '县委办/政府办审批备案', reviewer: { adminOf: 'wb' }, workingDays: 5 },
];
const APPROVAL: DocumentReference = {
  kind: '编办批文',
  ref: '鹿编〔2025〕12号',
  issuedBy: '鹿寨县委编办',
  issuedOn: '2025-09-20',
};
const change = {
  type: 'CreateOrgNode',
  data: { orgNodeId: 'town-9', name: '第九镇', kind: 'UNIT', parentId: 'towns' },
};

const filing = {
  requestId: 'r1',
  kind: 'UNIT_REGISTRATION' as const,
  orgNodeId: 'towns',
  change,
  documents: [APPROVAL],
  route: ROUTE,
  dueOn: '2025-10-13',
};
const filed: RequestEvent = { type: 'RequestFiled', data: { ...filing, applicant: TOWN_ADMIN } };
const file = { type: 'FileRequest' as const, data: { ...filing, requiredDocuments: ['编办批文', '单位成立文件'] } };
const decide = (step: number, decision: 'APPROVED' | 'RETURNED' | 'REJECTED', extra = {}) => ({
  type: 'DecideRequestStep' as const,
  data: { requestId: 'r1', step, decision, nextDueOn: step === 0 ? '2025-10-20' : null, ...extra },
});
const asOf = (day: string, actor: Actor) => ({ now: new Date(`${day}T02:00:00Z`), actor });
const firstApproved: RequestEvent = {
  type: 'RequestStepApproved',
  data: {
    requestId: 'r1',
    step: 0,
    stepName: ROUTE[0].name,
    dueOn: '2025-10-13',
    late: false,
    nextDueOn: '2025-10-20',
  },
};

describe('Request decider (申请与审批: 003:10, 003:14, 000:8)', () => {
  it('files a request whose change its kind allows, with the documents the kind needs', () => {
    spec.given([]).when(file, asOf('2025-09-29', TOWN_ADMIN)).then([filed]);
    // The same request sent again (a retried call) changes nothing.
    spec.given([filed]).when(file, asOf('2025-09-29', TOWN_ADMIN)).thenNothingHappens();
  });

  it('refuses a change its kind does not cover, a document without its 文号, and a missing required document', () => {
    spec
      .given([])
      .when(
        { ...file, data: { ...file.data, change: { type: 'CloseAccount', data: {} } } },
        asOf('2025-09-29', TOWN_ADMIN),
      )
      .thenFails('REQUEST_KIND_MISMATCH');
    spec
      .given([])
      .when({ ...file, data: { ...file.data, documents: [{ ...APPROVAL, ref: ' ' }] } }, asOf('2025-09-29', TOWN_ADMIN))
      .thenFails('DOCUMENT_REFERENCE_INVALID');
    const consent = { ...APPROVAL, kind: '上级主管单位意见' };
    spec
      .given([])
      .when({ ...file, data: { ...file.data, documents: [consent] } }, asOf('2025-09-29', TOWN_ADMIN))
      .thenFails('REQUEST_DOCUMENT_REQUIRED');
    spec
      .given([])
      .when({ ...file, data: { ...file.data, route: [] } }, asOf('2025-09-29', TOWN_ADMIN))
      .thenFails('REQUEST_ROUTE_EMPTY');
  });

  it('moves step by step: the county office, then the committee office, whose approval is final', () => {
    spec.given([filed]).when(decide(0, 'APPROVED'), asOf('2025-10-10', COUNTY_OFFICE)).then([firstApproved]);
    spec
      .given([filed, firstApproved])
      .when(decide(1, 'APPROVED'), asOf('2025-10-21', COMMITTEE_OFFICE))
      .then([
        {
          type: 'RequestStepApproved',
          // Due on the 20th, decided on the 21st: late.
          data: { requestId: 'r1', step: 1, stepName: ROUTE[1].name, dueOn: '2025-10-20', late: true, nextDueOn: null },
        },
        { type: 'RequestApproved', data: { requestId: 'r1', kind: 'UNIT_REGISTRATION', approvedBy: COMMITTEE_OFFICE } },
      ]);
  });

  it('refuses a decision on another step than the current one, by the applicant, twice, or without the next due date', () => {
    spec
      .given([filed])
      .when(decide(1, 'APPROVED'), asOf('2025-10-10', COMMITTEE_OFFICE))
      .thenFails('REQUEST_STEP_MISMATCH');
    spec.given([filed]).when(decide(0, 'APPROVED'), asOf('2025-10-10', TOWN_ADMIN)).thenFails('REVIEWER_IS_APPLICANT');
    spec
      .given([filed, firstApproved])
      .when(decide(0, 'APPROVED'), asOf('2025-10-10', COUNTY_OFFICE))
      .thenFails('REQUEST_STEP_MISMATCH');
    spec
      .given([filed])
      .when(decide(0, 'APPROVED', { nextDueOn: null }), asOf('2025-10-10', COUNTY_OFFICE))
      .thenFails('NEXT_DUE_DATE_REQUIRED');
  });

  it('returns with a reason; the applicant refiles and the returning step reviews again', () => {
    const returned: RequestEvent = {
      type: 'RequestReturned',
      data: {
        requestId: 'r1',
        step: 0,
        stepName: ROUTE[0].name,
        dueOn: '2025-10-13',
        late: false,
        reason: '批文日期有误',
      },
    };
    spec.given([filed]).when(decide(0, 'RETURNED'), asOf('2025-10-09', COUNTY_OFFICE)).thenFails('REASON_REQUIRED');
    spec
      .given([filed])
      .when(decide(0, 'REJECTED', { reason: '不属于县直单位或乡镇' }), asOf('2025-10-14', COUNTY_OFFICE))
      .then([
        {
          type: 'RequestRejected',
          data: {
            requestId: 'r1',
            step: 0,
            stepName: ROUTE[0].name,
            dueOn: '2025-10-13',
            late: true,
            reason: '不属于县直单位或乡镇',
          },
        },
      ]);
    spec
      .given([filed])
      .when(decide(0, 'RETURNED', { reason: '批文日期有误' }), asOf('2025-10-09', COUNTY_OFFICE))
      .then([returned]);
    const corrected = [{ ...APPROVAL, issuedOn: '2025-09-21' }];
    const refile = {
      type: 'RefileRequest' as const,
      data: { requestId: 'r1', change, documents: corrected, dueOn: '2025-10-20', requiredDocuments: ['编办批文'] },
    };
    spec.given([filed, returned]).when(refile, asOf('2025-10-11', COUNTY_OFFICE)).thenFails('NOT_THE_APPLICANT');
    const refiled: RequestEvent = {
      type: 'RequestRefiled',
      data: { requestId: 'r1', change, documents: corrected, dueOn: '2025-10-20' },
    };
    spec.given([filed, returned]).when(refile, asOf('2025-10-11', TOWN_ADMIN)).then([refiled]);
    // Back under review at the step that returned it, due anew.
    spec
      .given([filed, returned, refiled])
      .when(decide(0, 'APPROVED'), asOf('2025-10-14', COUNTY_OFFICE))
      .then([{ ...firstApproved, data: { ...firstApproved.data, dueOn: '2025-10-20' } }]);
  });

  it('is withdrawn by its applicant alone, and not once approved', () => {
    const withdraw = { type: 'WithdrawRequest' as const, data: { requestId: 'r1', reason: '单位撤并，不再申请' } };
    spec.given([filed]).when(withdraw, asOf('2025-10-09', COUNTY_OFFICE)).thenFails('NOT_THE_APPLICANT');
    spec
      .given([filed])
      .when(withdraw, asOf('2025-10-09', TOWN_ADMIN))
      .then([{ type: 'RequestWithdrawn', data: { requestId: 'r1', reason: '单位撤并，不再申请' } }]);
    const approved: RequestEvent = {
      type: 'RequestApproved',
      data: { requestId: 'r1', kind: 'UNIT_REGISTRATION', approvedBy: COMMITTEE_OFFICE },
    };
    spec
      .given([filed, firstApproved, approved])
      .when(withdraw, asOf('2025-10-21', TOWN_ADMIN))
      .thenFails('REQUEST_NOT_OPEN');
    spec
      .given([filed, firstApproved, approved])
      .when(decide(1, 'APPROVED'), asOf('2025-10-21', SYSTEM_ADMIN))
      .thenFails('REQUEST_NOT_OPEN');
  });

  it('reports a step past its due date one level up, once, and not before it is due (000:9)', () => {
    const escalate = {
      type: 'EscalateRequestStep' as const,
      data: { requestId: 'r1', step: 0, escalatedTo: 'county' },
    };
    const escalated: RequestEvent = {
      type: 'RequestStepEscalated',
      data: { requestId: 'r1', step: 0, stepName: ROUTE[0].name, dueOn: '2025-10-13', escalatedTo: 'county' },
    };
    spec.given([filed]).when(escalate, asOf('2025-10-13', SYSTEM_ADMIN)).thenNothingHappens();
    spec.given([filed]).when(escalate, asOf('2025-10-14', SYSTEM_ADMIN)).then([escalated]);
    spec.given([filed, escalated]).when(escalate, asOf('2025-10-20', SYSTEM_ADMIN)).thenNothingHappens();
    // Decided late after the report: the next step starts unreported.
    spec
      .given([filed, escalated, firstApproved])
      .when({ ...escalate, data: { ...escalate.data, step: 1 } }, asOf('2025-10-21', SYSTEM_ADMIN))
      .then([{ ...escalated, data: { ...escalated.data, step: 1, stepName: ROUTE[1].name, dueOn: '2025-10-20' } }]);
  });

  it('records the execution, or its failure (it stays approved, to be tried again)', () => {
    const approved: RequestEvent = {
      type: 'RequestApproved',
      data: { requestId: 'r1', kind: 'UNIT_REGISTRATION', approvedBy: COMMITTEE_OFFICE },
    };
    const failed: RequestEvent = {
      type: 'RequestExecutionFailed',
      data: { requestId: 'r1', code: 'ORG_NODE_EXISTS', reason: '节点 town-9 已存在' },
    };
    spec
      .given([filed, firstApproved, approved])
      .when({ type: 'RecordRequestExecutionFailure', data: failed.data })
      .then([failed]);
    const executed: RequestEvent = {
      type: 'RequestExecuted',
      data: { requestId: 'r1', streamId: 'OrgTree-luzhai', eventIds: ['e1'] },
    };
    spec
      .given([filed, firstApproved, approved, failed])
      .when({ type: 'RecordRequestExecution', data: executed.data })
      .then([executed]);
    spec
      .given([filed, firstApproved, approved, failed, executed])
      .when({ type: 'RecordRequestExecution', data: executed.data })
      .thenNothingHappens();
    spec.given([filed]).when({ type: 'RecordRequestExecution', data: executed.data }).thenFails('REQUEST_NOT_OPEN');
  });
});
