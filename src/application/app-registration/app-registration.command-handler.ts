/**
 * Every app-registration command: the App stream is read once and the issuer authorized on it (the
 * admins of the app's unit; reviews and launches by system admins); the owning unit's status and
 * the review's due date (7 working days after the request, 001a:14, from the holiday calendar) resolved.
 */
import type { Permission } from '../../domain/access/access-policy';
import {
  type AppCommand,
  type AppEvent,
  type AppState,
  appRegistrationDecider,
  appStream,
} from '../../domain/app-registration/app-registration.decider';
import { AccessControl } from '../access/access-control';
import type { BusCommandHandler } from '../commands/command-bus';
import type { CommandOutcome, DeciderCommandRunner } from '../commands/decider-command-runner';
import type { OrgTree } from '../org-node/org-tree';
import type { Clock } from '../ports/clock.port';
import { type WorkingDayCalendar } from '../ports/working-day-calendar.port';
import { addWorkingDays, localDate } from '../calendar/working-days';
import type { AppRequest, ExecuteAppCommand } from './app-registration.commands';

export const APP_REVIEW_WORKING_DAYS = 7;

export class AppCommandHandler implements BusCommandHandler<ExecuteAppCommand> {
  constructor(
    private readonly runner: DeciderCommandRunner,
    private readonly tree: OrgTree,
    private readonly access: AccessControl,
    private readonly calendar: WorkingDayCalendar,
    private readonly clock: Clock,
    private readonly timeZone: string,
  ) {}

  async execute({ request, metadata, issuer }: ExecuteAppCommand): Promise<CommandOutcome<AppEvent>> {
    const prepare = async (state: AppState): Promise<AppCommand> => {
      await this.access.check(issuer, () => this.permission(request, state));
      return this.withFacts(request);
    };
    return this.runner.run(appRegistrationDecider, appStream(request.data.appId), prepare, metadata);
  }

  private async permission(request: AppRequest, state: AppState): Promise<Permission> {
    const ofUnit = (action: string) => this.access.unit(action, state.status === 'NONE' ? [] : [state.owningOrgNodeId]);
    switch (request.type) {
      case 'RequestAppAccess':
        return this.access.unit('申请应用接入', [request.data.owningOrgNodeId]);
      case 'AttachAppReports':
        return ofUnit('补充测评报告');
      case 'RecordAppReportResult':
        return ofUnit('登记测评结论');
      case 'TakeAppOffline':
        return ofUnit('应用下线');
      case 'RevokeAppAuthorization':
        return ofUnit('收回应用授权');
      case 'AuthorizeApp': {
        if (state.status === 'NONE') return this.access.unit('应用授权', []);
        const personNodes: string[] = [];
        for (const personId of request.data.personIds ?? [])
          personNodes.push(...(await this.access.personNodes(personId)));
        return this.access.unit('应用授权', [
          state.owningOrgNodeId,
          ...(request.data.orgNodeIds ?? []),
          ...personNodes,
        ]);
      }
      case 'ApproveAppAccess':
        return AccessControl.systemAdmin('审核应用接入');
      case 'RejectAppAccess':
        return AccessControl.systemAdmin('驳回应用接入');
      case 'LaunchApp':
        return AccessControl.systemAdmin('安排应用上线');
      case 'RestoreApp':
        return AccessControl.systemAdmin('恢复应用上线');
      case 'DeregisterApp':
        return AccessControl.systemAdmin('注销应用');
    }
  }

  private async withFacts(request: AppRequest): Promise<AppCommand> {
    if (request.type !== 'RequestAppAccess') return request as AppCommand;
    const facts = await this.tree.nodeFacts([request.data.owningOrgNodeId]);
    const today = localDate(this.clock.now(), this.timeZone);
    const reviewDueOn = addWorkingDays(this.calendar, today, APP_REVIEW_WORKING_DAYS);
    const nodeStatus = facts[request.data.owningOrgNodeId] ?? 'NONE';
    return { type: 'RequestAppAccess', data: { ...request.data, reviewDueOn, nodeStatus } };
  }
}
