/**
 * A request (申请), stream `Request-<requestId>`: a change the regulations route through an
 * application that others review and approve (003:10 unit registration with its 编办批文; 003:14
 * and 003:16 account opening, change and closing; 000:8 joining and changes 审核; 000:7 and 003:11
 * org changes). It records who asked, for which change (a command of another aggregate, checked
 * by that aggregate's decider when filed, by the application), on which documents, and each
 * review step's decision within its deadline; the final approval is the cause of the change.
 *
 * Who may decide a step, and each step's due date in working days, are resolved by the application
 * (scopes, the calendar) and passed in; the decider keeps the order: one step at a time, the
 * applicant never reviews their own request, nothing is decided twice.
 */
import type { Actor } from '../shared/actor';
import { eventTypes, type Decider } from '../shared/decider';
import { RuleViolation } from '../shared/domain-error';

/** The kinds of request the seeds name, with the aggregate their change belongs to and the commands it may be. */
export const REQUEST_KINDS = {
  /** 003:10 使用单位注册: a unit (县直单位、乡镇、国企、二层单位) joins the platform. */
  UNIT_REGISTRATION: { label: '单位注册', aggregate: 'OrgNode', commands: ['CreateOrgNode'] },
  /** 000:7 报备, 003:11 名称变更 (an abolition or a merge is a restructuring, not yet requested this way). */
  ORG_CHANGE: {
    label: '组织机构变更',
    aggregate: 'OrgNode',
    commands: ['RenameOrgNode', 'MoveOrgNode'],
  },
  /** 003:14, 003:16 开通账户. */
  ACCOUNT_OPENING: { label: '账户开通', aggregate: 'Account', commands: ['OpenAccount'] },
  /** 003:14 变更账户. */
  ACCOUNT_CHANGE: {
    label: '账户变更',
    aggregate: 'Account',
    commands: ['FreezeAccount', 'UnfreezeAccount', 'GrantAdminScope', 'RevokeAdminScope'],
  },
  /** 003:14 注销账户. */
  ACCOUNT_CLOSING: { label: '账户注销', aggregate: 'Account', commands: ['CloseAccount'] },
  /** 000:8, 002 二.4 加入: a newcomer joins their unit once HR has confirmed the hiring. */
  JOINING: { label: '人员加入', aggregate: 'Person', commands: ['RegisterPerson'] },
  /** 000:8 信息变更、注销. */
  PERSON_CHANGE: {
    label: '人员信息变更',
    aggregate: 'Person',
    commands: ['UpdatePersonProfile', 'ChangePost', 'TransferPerson', 'RecordDeparture'],
  },
} as const;

export type RequestKind = keyof typeof REQUEST_KINDS;
export const REQUEST_KIND_NAMES = Object.keys(REQUEST_KINDS) as RequestKind[];
export type RequestTarget = (typeof REQUEST_KINDS)[RequestKind]['aggregate'];

/** The change a request asks for: one command of the target aggregate, as its issuer would send it. */
export interface RequestedChange {
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** A document the request rests on: a reference, never the file (文号, kind, issuing body, date). */
export interface DocumentReference {
  readonly kind: string;
  readonly ref: string;
  readonly issuedBy: string;
  readonly issuedOn: string;
}

/**
 * Who may decide a step: the administrators of a node (system admins, and tiered admins whose
 * scope covers it); `null`: the jurisdiction's system admins; 'APPLICANT_UNIT': those of the unit
 * that applied (000:8: the unit's own administrator reviews first).
 */
export interface Reviewer {
  readonly adminOf: string | null | 'APPLICANT_UNIT';
}

/** One step of a request's route, as configured per kind and jurisdiction. */
export interface ReviewStep {
  readonly name: string;
  readonly reviewer: Reviewer;
  readonly workingDays: number;
}

export type RequestDecision = 'APPROVED' | 'RETURNED' | 'REJECTED';

export type RequestStatus = 'UNDER_REVIEW' | 'RETURNED' | 'APPROVED' | 'EXECUTED' | 'REJECTED' | 'WITHDRAWN';

export type RequestState =
  | { readonly status: 'NONE' }
  | {
      readonly status: RequestStatus;
      readonly requestId: string;
      readonly kind: RequestKind;
      readonly applicant: Actor;
      /** The unit on whose behalf the request was filed. */
      readonly orgNodeId: string;
      readonly change: RequestedChange;
      readonly documents: readonly DocumentReference[];
      readonly route: readonly ReviewStep[];
      /** The step under review (or returned at). */
      readonly step: number;
      readonly dueOn: string;
      /**
       * The step under review past its due date was reported one level up (000:9 及时向上一级管理员报告),
       * to the admins of this node (null: the system admins). Undefined: not reported.
       */
      readonly escalatedTo?: string | null;
      /** Who gave the final approval: the actor of the change it causes. */
      readonly approvedBy: Actor | null;
      readonly lastFailure: { readonly code: string; readonly reason: string } | null;
    };

interface Filing {
  readonly requestId: string;
  readonly kind: RequestKind;
  readonly orgNodeId: string;
  readonly change: RequestedChange;
  readonly documents: readonly DocumentReference[];
  readonly route: readonly ReviewStep[];
  /** The first step's due date (working days from today, resolved by the application). */
  readonly dueOn: string;
  /** The document kinds this kind needs one of (configuration); empty: none required. */
  readonly requiredDocuments: readonly string[];
}

export type RequestCommand =
  | { type: 'FileRequest'; data: Filing }
  | {
      type: 'DecideRequestStep';
      data: {
        requestId: string;
        step: number;
        decision: RequestDecision;
        reason?: string | null;
        /** The next step's due date, when an approval moves the request on. */
        nextDueOn: string | null;
      };
    }
  | {
      type: 'RefileRequest';
      data: {
        requestId: string;
        change: RequestedChange;
        documents: readonly DocumentReference[];
        dueOn: string;
        requiredDocuments: readonly string[];
      };
    }
  | { type: 'WithdrawRequest'; data: { requestId: string; reason?: string | null } }
  | {
      type: 'EscalateRequestStep';
      data: { requestId: string; step: number; escalatedTo: string | null };
    }
  | { type: 'RecordRequestExecution'; data: { requestId: string; streamId: string; eventIds: readonly string[] } }
  | { type: 'RecordRequestExecutionFailure'; data: { requestId: string; code: string; reason: string } };

export type RequestEvent =
  | {
      type: 'RequestFiled';
      data: Omit<Filing, 'requiredDocuments'> & { applicant: Actor };
    }
  | {
      type: 'RequestStepApproved';
      data: {
        requestId: string;
        step: number;
        stepName: string;
        dueOn: string;
        late: boolean;
        nextDueOn: string | null;
      };
    }
  | { type: 'RequestApproved'; data: { requestId: string; kind: RequestKind; approvedBy: Actor } }
  | {
      type: 'RequestReturned';
      data: { requestId: string; step: number; stepName: string; dueOn: string; late: boolean; reason: string };
    }
  | {
      type: 'RequestRefiled';
      data: { requestId: string; change: RequestedChange; documents: readonly DocumentReference[]; dueOn: string };
    }
  | {
      type: 'RequestRejected';
      data: { requestId: string; step: number; stepName: string; dueOn: string; late: boolean; reason: string };
    }
  | { type: 'RequestWithdrawn'; data: { requestId: string; reason: string | null } }
  | {
      type: 'RequestStepEscalated';
      data: { requestId: string; step: number; stepName: string; dueOn: string; escalatedTo: string | null };
    }
  | { type: 'RequestExecuted'; data: { requestId: string; streamId: string; eventIds: readonly string[] } }
  | { type: 'RequestExecutionFailed'; data: { requestId: string; code: string; reason: string } };

/** Every Request event type, checked exhaustive by the compiler. */
export const REQUEST_EVENT_TYPES = eventTypes<RequestEvent>({
  RequestFiled: true,
  RequestStepApproved: true,
  RequestApproved: true,
  RequestReturned: true,
  RequestRefiled: true,
  RequestRejected: true,
  RequestWithdrawn: true,
  RequestStepEscalated: true,
  RequestExecuted: true,
  RequestExecutionFailed: true,
});

export const requestStream = (requestId: string) => `Request-${requestId}`;

const violation = (code: string, kind: 'conflict' | 'unprocessable' | 'forbidden', message: string, details = {}) =>
  new RuleViolation(code, kind, message, details);

const STATUS_NAMES: Record<RequestStatus, string> = {
  UNDER_REVIEW: '审核中',
  RETURNED: '已退回',
  APPROVED: '已批准',
  EXECUTED: '已办结',
  REJECTED: '已驳回',
  WITHDRAWN: '已撤回',
};

function filed(state: RequestState, requestId: string) {
  if (state.status === 'NONE') throw violation('REQUEST_NOT_FOUND', 'unprocessable', `申请 ${requestId} 不存在`);
  return state;
}

function inStatus(state: Exclude<RequestState, { status: 'NONE' }>, allowed: readonly RequestStatus[], doing: string) {
  if (!allowed.includes(state.status))
    throw violation(
      'REQUEST_NOT_OPEN',
      'conflict',
      `申请 ${state.requestId} ${STATUS_NAMES[state.status]}，不能${doing}`,
      {
        requestId: state.requestId,
        status: state.status,
      },
    );
}

function checkFiling(
  kind: RequestKind,
  change: RequestedChange,
  documents: readonly DocumentReference[],
  required: readonly string[],
) {
  const allowed: readonly string[] = REQUEST_KINDS[kind].commands;
  if (!allowed.includes(change.type))
    throw violation(
      'REQUEST_KIND_MISMATCH',
      'unprocessable',
      `“${REQUEST_KINDS[kind].label}”申请只能申请 ${allowed.join('、')}，实为 ${change.type}`,
      { kind, command: change.type },
    );
  for (const document of documents) {
    if (
      !document.ref.trim() ||
      !document.kind.trim() ||
      !document.issuedBy.trim() ||
      !/^\d{4}-\d{2}-\d{2}$/.test(document.issuedOn)
    )
      throw violation(
        'DOCUMENT_REFERENCE_INVALID',
        'unprocessable',
        '附件须写明文件种类、文号、发文机关和成文日期（YYYY-MM-DD）',
        { document },
      );
  }
  if (required.length > 0 && !documents.some((d) => required.includes(d.kind)))
    throw violation(
      'REQUEST_DOCUMENT_REQUIRED',
      'unprocessable',
      `“${REQUEST_KINDS[kind].label}”申请须附 ${required.join('或')}`,
      { kind, required },
    );
}

const today = (now: Date) => now.toISOString().slice(0, 10);

export const requestDecider: Decider<RequestCommand, RequestEvent, RequestState> = {
  initialState: () => ({ status: 'NONE' }),
  decide(command, state, context) {
    switch (command.type) {
      case 'FileRequest': {
        const { requiredDocuments, ...filing } = command.data;
        if (state.status !== 'NONE') {
          // The same request filed again (a retried HTTP call) changes nothing.
          if (state.kind === filing.kind && JSON.stringify(state.change) === JSON.stringify(filing.change)) return [];
          throw violation('REQUEST_EXISTS', 'conflict', `申请 ${filing.requestId} 已存在`);
        }
        if (filing.route.length === 0)
          throw violation(
            'REQUEST_ROUTE_EMPTY',
            'unprocessable',
            `“${REQUEST_KINDS[filing.kind].label}”申请未配置审核环节`,
          );
        checkFiling(filing.kind, filing.change, filing.documents, requiredDocuments);
        return [{ type: 'RequestFiled', data: { ...filing, applicant: context.actor } }];
      }
      case 'DecideRequestStep': {
        const request = filed(state, command.data.requestId);
        const { step, decision, nextDueOn } = command.data;
        inStatus(request, ['UNDER_REVIEW'], '审核');
        if (step !== request.step)
          throw violation(
            'REQUEST_STEP_MISMATCH',
            'conflict',
            `申请 ${request.requestId} 正处于第 ${request.step + 1} 个环节（${request.route[request.step].name}），不是第 ${step + 1} 个`,
            { requestId: request.requestId, step: request.step },
          );
        // Segregation of duties: whoever asked does not approve.
        if (context.actor.accountId === request.applicant.accountId)
          throw violation('REVIEWER_IS_APPLICANT', 'forbidden', '申请人不能审核自己提交的申请', {
            requestId: request.requestId,
          });
        const stepName = request.route[step].name;
        const decided = {
          requestId: request.requestId,
          step,
          stepName,
          dueOn: request.dueOn,
          late: today(context.now) > request.dueOn,
        };
        const reason = command.data.reason?.trim() || null;
        if (decision !== 'APPROVED' && !reason)
          throw violation(
            'REASON_REQUIRED',
            'unprocessable',
            decision === 'RETURNED' ? '退回须说明原因' : '驳回须说明原因',
          );
        if (decision === 'RETURNED') return [{ type: 'RequestReturned', data: { ...decided, reason: reason! } }];
        if (decision === 'REJECTED') return [{ type: 'RequestRejected', data: { ...decided, reason: reason! } }];
        const last = step === request.route.length - 1;
        if (!last && !nextDueOn)
          throw violation('NEXT_DUE_DATE_REQUIRED', 'unprocessable', '批准进入下一环节须给出其办理期限');
        const approved: RequestEvent = {
          type: 'RequestStepApproved',
          data: { ...decided, nextDueOn: last ? null : nextDueOn },
        };
        if (!last) return [approved];
        return [
          approved,
          {
            type: 'RequestApproved',
            data: { requestId: request.requestId, kind: request.kind, approvedBy: context.actor },
          },
        ];
      }
      case 'RefileRequest': {
        const request = filed(state, command.data.requestId);
        inStatus(request, ['RETURNED'], '重新提交');
        if (context.actor.accountId !== request.applicant.accountId)
          throw violation('NOT_THE_APPLICANT', 'forbidden', `只有申请人可以重新提交申请 ${request.requestId}`);
        const { change, documents, dueOn, requiredDocuments } = command.data;
        if (change.type !== request.change.type)
          throw violation('REQUEST_KIND_MISMATCH', 'unprocessable', `重新提交的申请须仍为 ${request.change.type}`);
        checkFiling(request.kind, change, documents, requiredDocuments);
        return [{ type: 'RequestRefiled', data: { requestId: request.requestId, change, documents, dueOn } }];
      }
      case 'WithdrawRequest': {
        const request = filed(state, command.data.requestId);
        if (request.status === 'WITHDRAWN') return [];
        inStatus(request, ['UNDER_REVIEW', 'RETURNED'], '撤回');
        if (context.actor.accountId !== request.applicant.accountId)
          throw violation('NOT_THE_APPLICANT', 'forbidden', `只有申请人可以撤回申请 ${request.requestId}`);
        return [
          {
            type: 'RequestWithdrawn',
            data: { requestId: request.requestId, reason: command.data.reason?.trim() || null },
          },
        ];
      }
      case 'EscalateRequestStep': {
        const request = filed(state, command.data.requestId);
        const { step, escalatedTo } = command.data;
        // Once per step, and only while it is still under review past its due date.
        if (request.status !== 'UNDER_REVIEW' || step !== request.step || request.escalatedTo !== undefined) return [];
        if (today(context.now) <= request.dueOn) return [];
        const stepName = request.route[step].name;
        return [
          {
            type: 'RequestStepEscalated',
            data: { requestId: request.requestId, step, stepName, dueOn: request.dueOn, escalatedTo },
          },
        ];
      }
      case 'RecordRequestExecution': {
        const request = filed(state, command.data.requestId);
        if (request.status === 'EXECUTED') return [];
        inStatus(request, ['APPROVED'], '登记办结');
        return [{ type: 'RequestExecuted', data: { ...command.data } }];
      }
      case 'RecordRequestExecutionFailure': {
        const request = filed(state, command.data.requestId);
        inStatus(request, ['APPROVED'], '登记办理失败');
        return [{ type: 'RequestExecutionFailed', data: { ...command.data } }];
      }
    }
  },
  evolve(state, event) {
    if (event.type === 'RequestFiled') {
      const { requestId, kind, orgNodeId, change, documents, route, dueOn, applicant } = event.data;
      return {
        status: 'UNDER_REVIEW',
        requestId,
        kind,
        applicant,
        orgNodeId,
        change,
        documents,
        route,
        step: 0,
        dueOn,
        approvedBy: null,
        lastFailure: null,
      };
    }
    if (state.status === 'NONE') return state;
    switch (event.type) {
      case 'RequestStepApproved':
        return {
          ...state,
          step: event.data.nextDueOn === null ? state.step : state.step + 1,
          dueOn: event.data.nextDueOn ?? state.dueOn,
          escalatedTo: undefined,
        };
      case 'RequestStepEscalated':
        return { ...state, escalatedTo: event.data.escalatedTo };
      case 'RequestApproved':
        return { ...state, status: 'APPROVED', approvedBy: event.data.approvedBy };
      case 'RequestReturned':
        return { ...state, status: 'RETURNED' };
      case 'RequestRefiled':
        return {
          ...state,
          escalatedTo: undefined,
          status: 'UNDER_REVIEW',
          change: event.data.change,
          documents: event.data.documents,
          dueOn: event.data.dueOn,
        };
      case 'RequestRejected':
        return { ...state, status: 'REJECTED' };
      case 'RequestWithdrawn':
        return { ...state, status: 'WITHDRAWN' };
      case 'RequestExecuted':
        return { ...state, status: 'EXECUTED', lastFailure: null };
      case 'RequestExecutionFailed':
        return { ...state, lastFailure: { code: event.data.code, reason: event.data.reason } };
    }
  },
};
