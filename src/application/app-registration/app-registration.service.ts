/**
 * App registrations: resolves the owning unit's status and works out the review's due date
 * (7 working days after the request, 001a:14) from the holiday calendar.
 */
import {
  type AppCommand,
  type AppEvent,
  type AppState,
  appRegistrationDecider,
  appStream,
} from '../../domain/app-registration/app-registration.decider';
import {
  type CommandMetadata,
  type CommandOutcome,
  type DeciderCommandRunner,
  loadAggregate,
} from '../commands/decider-command-runner';
import type { EventStore } from '../event-store/event-store.port';
import type { Clock } from '../ports/clock';
import { addWorkingDays, localDate, type WorkingDayCalendar } from '../ports/working-day-calendar';
import type { OrgTreeService } from '../org-tree/org-tree.service';

export const APP_REVIEW_WORKING_DAYS = 7;

type Data<T extends AppCommand['type']> = Extract<AppCommand, { type: T }>['data'];
export type AppAccessRequest = Omit<Data<'RequestAppAccess'>, 'reviewDueOn' | 'nodeStatus'>;

export class AppRegistrationService {
  constructor(
    private readonly runner: DeciderCommandRunner,
    private readonly store: EventStore,
    private readonly tree: OrgTreeService,
    private readonly calendar: WorkingDayCalendar,
    private readonly clock: Clock,
    private readonly timeZone: string,
  ) {}

  load(appId: string): Promise<{ state: AppState; revision: bigint | null }> {
    return loadAggregate<AppEvent, AppState>(this.store, appRegistrationDecider, appStream(appId));
  }

  execute(command: AppCommand, metadata: CommandMetadata): Promise<CommandOutcome<AppEvent>> {
    return this.runner.run(appRegistrationDecider, appStream(command.data.appId), command, metadata);
  }

  async request(request: AppAccessRequest, metadata: CommandMetadata): Promise<CommandOutcome<AppEvent>> {
    const facts = await this.tree.nodeFacts([request.owningOrgNodeId]);
    const reviewDueOn = addWorkingDays(
      this.calendar,
      localDate(this.clock.now(), this.timeZone),
      APP_REVIEW_WORKING_DAYS,
    );
    return this.execute(
      {
        type: 'RequestAppAccess',
        data: { ...request, reviewDueOn, nodeStatus: facts[request.owningOrgNodeId] ?? 'NONE' },
      },
      metadata,
    );
  }
}
