/**
 * Requests (申请与审批) on the bus. Filing checks the change with the decider that will execute it
 * (its command sent with `validateOnly`: decided, nothing reserved or written), so an impossible
 * request is refused at once; each step is decided by the administrators its route names; the
 * final approval carries out the change with the approval as its cause and the approver as its
 * actor, and records what it produced or why it failed (then it can be tried again: a change
 * already made by an earlier attempt is found by its cause, never made twice).
 */
import type { Permission } from '../../domain/access/access-policy';
import { accountStream } from '../../domain/account/account.decider';
import { personStream } from '../../domain/person/person.decider';
import {
  REQUEST_KINDS,
  requestDecider,
  type RequestEvent,
  type RequestKind,
  type RequestState,
  type RequestedChange,
  requestStream,
  type ReviewStep,
} from '../../domain/request/request.decider';
import { DomainError, RuleViolation } from '../../domain/shared/domain-error';
import { AccessControl } from '../access/access-control';
import type { AccountRequest } from '../account/account.commands';
import { ExecuteAccountCommand } from '../account/account.commands';
import { addWorkingDays, localDate } from '../calendar/working-days';
import { type BusCommand, type BusCommandHandler, byPlatform, type CommandBus } from '../commands/command-bus';
import type { CommandMetadata, CommandOutcome, DeciderCommandRunner } from '../commands/decider-command-runner';
import type { OrgTree } from '../org-node/org-tree';
import { ExecuteOrgNodeCommand, type OrgNodeRequest } from '../org-node/org-node.commands';
import { ExecutePersonCommand, type PersonRequest } from '../person/person.commands';
import type { Clock } from '../ports/clock.port';
import type { EventStore, RecordedEvent } from '../ports/event-store.port';
import { comparePositions, type Position } from '../event-store/position';
import type { IdGenerator } from '../ports/id-generator.port';
import type { WorkingDayCalendar } from '../ports/working-day-calendar.port';
import type { ExecuteRequestCommand } from './request.commands';
import type { RequestRules } from '../../domain/request/request-rules';
import { reviewerPermission } from './request-reviewers';

type Filed = Exclude<RequestState, { status: 'NONE' }>;

/** The change refused by the decider that would execute it: the request is refused with its reason. */
export class RequestChangeInvalid extends DomainError {
  readonly code = 'REQUEST_CHANGE_INVALID';
  readonly kind = 'unprocessable';
  constructor(cause: DomainError) {
    super(`所申请的变更无法办理：${cause.message}`, { cause: cause.code, ...cause.details });
  }
}

export class RequestCommandHandler implements BusCommandHandler<ExecuteRequestCommand> {
  constructor(
    private readonly runner: DeciderCommandRunner,
    private readonly store: EventStore,
    private readonly tree: OrgTree,
    private readonly access: AccessControl,
    private readonly calendar: WorkingDayCalendar,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly commands: CommandBus,
    private readonly rules: RequestRules,
    private readonly timeZone: string,
  ) {}

  async execute({ request, metadata, issuer }: ExecuteRequestCommand): Promise<CommandOutcome<RequestEvent>> {
    const m: CommandMetadata = { ...metadata, correlationId: metadata.correlationId ?? this.ids.next() };
    const stream = requestStream(request.data.requestId);
    const loaded = await this.runner.load(requestDecider, stream);
    const state = loaded.state;
    switch (request.type) {
      case 'FileRequest': {
        const { kind, orgNodeId, change } = request.data;
        if (!(kind in REQUEST_KINDS))
          throw new RuleViolation(
            'REQUEST_KIND_UNKNOWN',
            'unprocessable',
            `申请类型应为 ${Object.keys(REQUEST_KINDS).join('、')} 之一`,
          );
        await this.access.check(issuer, () => this.access.unit('提交申请', [orgNodeId]));
        // A request filed again (a retried call) is not checked again: its change may be made by now.
        if (state.status === 'NONE') await this.validate(kind, change, m);
        const route = this.rules.routes[kind];
        const data = {
          ...request.data,
          route,
          dueOn: this.dueOn(route[0]),
          requiredDocuments: this.rules.documents[kind],
        };
        return this.runner.run(requestDecider, stream, { type: 'FileRequest', data }, m, loaded);
      }
      case 'DecideRequestStep': {
        await this.access.check(issuer, () => this.reviewerPermission(state));
        const next = state.status === 'NONE' ? undefined : state.route[state.step + 1];
        const nextDueOn = request.data.decision === 'APPROVED' && next ? this.dueOn(next) : null;
        const decided = await this.runner.run(
          requestDecider,
          stream,
          { type: 'DecideRequestStep', data: { ...request.data, nextDueOn } },
          m,
          loaded,
        );
        const approval = decided.events.find((e) => e.type === 'RequestApproved');
        // The approval is the decision's last event: its position is the outcome's.
        return approval && decided.position
          ? this.carryOut(request.data.requestId, { eventId: approval.eventId, position: decided.position }, m)
          : decided;
      }
      case 'RefileRequest': {
        const filed = this.filed(state, request.data.requestId);
        await this.access.check(issuer, () => this.access.unit('重新提交申请', [filed.orgNodeId]));
        await this.validate(filed.kind, request.data.change, m);
        const data = {
          ...request.data,
          dueOn: this.dueOn(filed.route[filed.step]),
          requiredDocuments: this.rules.documents[filed.kind],
        };
        return this.runner.run(requestDecider, stream, { type: 'RefileRequest', data }, m, loaded);
      }
      case 'WithdrawRequest': {
        const filed = this.filed(state, request.data.requestId);
        await this.access.check(issuer, () => this.access.unit('撤回申请', [filed.orgNodeId]));
        return this.runner.run(requestDecider, stream, { type: 'WithdrawRequest', data: request.data }, m, loaded);
      }
      case 'EscalateRequestStep': {
        const filed = this.filed(state, request.data.requestId);
        await this.access.check(issuer, () => AccessControl.systemAdmin('上报超期未审的申请'));
        const data = { ...request.data, escalatedTo: await this.oneLevelUp(filed) };
        return this.runner.run(requestDecider, stream, { type: 'EscalateRequestStep', data }, m, loaded);
      }
      case 'ExecuteApprovedRequest': {
        const filed = this.filed(state, request.data.requestId);
        // Whoever may decide its last step, or a system admin, tries an approved request again.
        await this.access.check(issuer, async () =>
          AccessControl.anyOf(
            await this.reviewerPermission(filed, true),
            AccessControl.systemAdmin('办理已批准的申请'),
          ),
        );
        const [approval] = (await this.store.readStream(stream)).filter((e) => e.type === 'RequestApproved');
        if (!approval || filed.status !== 'APPROVED')
          throw new RuleViolation(
            'REQUEST_NOT_APPROVED',
            'conflict',
            `申请 ${filed.requestId} 未处于“已批准待办理”状态`,
          );
        return this.carryOut(filed.requestId, approval, m);
      }
    }
  }

  private filed(state: RequestState, requestId: string): Filed {
    if (state.status === 'NONE')
      throw new RuleViolation('REQUEST_NOT_FOUND', 'unprocessable', `申请 ${requestId} 不存在`);
    return state;
  }

  private dueOn(step: ReviewStep): string {
    return addWorkingDays(this.calendar, localDate(this.clock.now(), this.timeZone), step.workingDays);
  }

  /** Who may decide the step under review (or the last one): the administrators its route names. */
  private async reviewerPermission(state: RequestState, lastStep = false): Promise<Permission> {
    if (state.status === 'NONE') return AccessControl.systemAdmin('审核申请');
    const step = state.route[lastStep ? state.route.length - 1 : state.step];
    return reviewerPermission(this.access, { name: step.name, adminOf: step.reviewer.adminOf }, state.orgNodeId);
  }

  /** The node one level above the step's reviewers (000:9 上一级管理员): its parent; null for the system admins. */
  private async oneLevelUp(state: Filed): Promise<string | null> {
    const adminOf = state.route[state.step].reviewer.adminOf;
    if (adminOf === null) return null;
    const node = adminOf === 'APPLICANT_UNIT' ? state.orgNodeId : adminOf;
    const { state: tree } = await this.tree.load();
    return tree.nodes.get(node)?.parentId ?? null;
  }

  /** The target's command for the change, sent by the platform on the authority of `metadata`. */
  private changeCommand(
    kind: RequestKind,
    change: RequestedChange,
    metadata: CommandMetadata,
  ): BusCommand<CommandOutcome> {
    const issuer = byPlatform('request');
    switch (REQUEST_KINDS[kind].aggregate) {
      case 'OrgNode':
        return new ExecuteOrgNodeCommand(change as OrgNodeRequest, metadata, issuer);
      case 'Account':
        return new ExecuteAccountCommand(change as AccountRequest, metadata, issuer);
      case 'Person':
        return new ExecutePersonCommand(change as PersonRequest, metadata, issuer);
    }
  }

  private targetStream(kind: RequestKind, change: RequestedChange): string {
    switch (REQUEST_KINDS[kind].aggregate) {
      case 'OrgNode':
        return this.tree.streamId;
      case 'Account':
        return accountStream(String(change.data.accountId));
      case 'Person':
        return personStream(String(change.data.personId));
    }
  }

  /** Checked by the decider that will execute it: decided, nothing reserved or written. */
  private async validate(kind: RequestKind, change: RequestedChange, m: CommandMetadata): Promise<void> {
    try {
      await this.commands.execute(this.changeCommand(kind, change, { ...m, validateOnly: true }));
    } catch (error) {
      if (error instanceof DomainError) throw new RequestChangeInvalid(error);
      throw error;
    }
  }

  /**
   * Makes the approved change, caused by the approval, and records the outcome on the request. A
   * change an earlier attempt made (the process stopped before recording it) is found by its cause.
   */
  private async carryOut(
    requestId: string,
    approval: { readonly eventId: string; readonly position: Position },
    m: CommandMetadata,
  ): Promise<CommandOutcome<RequestEvent>> {
    const approvalId = approval.eventId;
    const stream = requestStream(requestId);
    const loaded = await this.runner.load(requestDecider, stream);
    const request = this.filed(loaded.state, requestId);
    const target = this.targetStream(request.kind, request.change);
    const earlier = await this.causedBy(target, approval);
    const record = (
      data:
        | { type: 'RecordRequestExecution'; data: { requestId: string; streamId: string; eventIds: string[] } }
        | { type: 'RecordRequestExecutionFailure'; data: { requestId: string; code: string; reason: string } },
    ) => this.runner.run(requestDecider, stream, data, { ...m, actor: request.approvedBy ?? m.actor }, loaded);
    if (earlier.length > 0)
      return record({
        type: 'RecordRequestExecution',
        data: { requestId, streamId: target, eventIds: earlier.map((e) => e.eventId) },
      });
    const metadata: CommandMetadata = {
      actor: request.approvedBy ?? m.actor,
      jurisdiction: m.jurisdiction,
      correlationId: m.correlationId,
      causationId: approvalId,
      reason: `申请 ${requestId}（${REQUEST_KINDS[request.kind].label}）审批通过`,
      sourceRef: request.documents.map((d) => d.ref).join('；') || null,
    };
    try {
      const outcome = await this.commands.execute(this.changeCommand(request.kind, request.change, metadata));
      const eventIds = outcome.events.map((e) => e.eventId);
      return record({ type: 'RecordRequestExecution', data: { requestId, streamId: outcome.streamId, eventIds } });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      // The world changed since the filing: the request stays approved, with the reason, to be tried again.
      return record({
        type: 'RecordRequestExecutionFailure',
        data: { requestId, code: error.code, reason: error.message },
      });
    }
  }

  /**
   * The events of `streamId` caused by the approval: read backwards from the stream's end only as
   * far as the approval (what it caused comes after it), not the whole stream (the tree's is long).
   */
  private async causedBy(
    streamId: string,
    approval: { readonly eventId: string; readonly position: Position },
  ): Promise<RecordedEvent[]> {
    const found: RecordedEvent[] = [];
    const PAGE = 256;
    for (let from: bigint | 'end' = 'end'; ;) {
      const page = await this.store.readStream(streamId, { direction: 'backwards', from, maxCount: PAGE });
      for (const event of page) {
        if (comparePositions(event.position, approval.position) <= 0) return found.reverse();
        if (event.metadata.causationId === approval.eventId) found.push(event);
      }
      const oldest = page.at(-1);
      if (page.length < PAGE || !oldest || oldest.revision === 0n) return found.reverse();
      from = oldest.revision - 1n;
    }
  }
}
