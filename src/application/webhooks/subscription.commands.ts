/**
 * Subscriptions as a system admin manages them, on the buses: every command and every read of a
 * subscription is the system admin's (the delivery state and the failed list name what was sent where).
 */
import type { SubscriptionCommand } from '../../domain/subscription/subscription.decider';
import { AccessControl } from '../access/access-control';
import { AggregateCommand, type BusCommandHandler } from '../commands/command-bus';
import { type BusQueryHandler, PrincipalQuery } from '../queries/query-bus';
import type { WebhookReceivers } from '../ports/webhook-delivery.port';
import type { FailedEntry } from './delivery-log';
import type { SubscriptionService, SubscriptionView } from './subscription.service';

export type SubscriptionRequest =
  | SubscriptionCommand
  | { type: 'ReplayFailed'; data: { subscriptionId: string; eventIds: readonly string[] | 'ALL' } }
  | { type: 'RewindSubscription'; data: { subscriptionId: string; to: string | null } };

export class ExecuteSubscriptionCommand extends AggregateCommand<SubscriptionRequest, object> {}

const ACTIONS: Record<SubscriptionRequest['type'], string> = {
  RegisterSubscription: '登记事件订阅',
  ChangeSubscription: '变更事件订阅',
  RotateSubscriptionSecret: '更换订阅签名密钥',
  PauseSubscription: '暂停事件订阅',
  ResumeSubscription: '恢复事件订阅',
  RemoveSubscription: '删除事件订阅',
  ReplayFailed: '重新推送失败事件',
  RewindSubscription: '回退事件订阅位置',
};

export class SubscriptionCommandHandler implements BusCommandHandler<ExecuteSubscriptionCommand> {
  constructor(
    private readonly subscriptions: SubscriptionService,
    private readonly access: AccessControl,
    private readonly receivers: WebhookReceivers,
  ) {}

  async execute({ request, metadata, issuer }: ExecuteSubscriptionCommand): Promise<object> {
    await this.access.check(issuer, () => AccessControl.systemAdmin(ACTIONS[request.type]));
    // A receiver on the platform's own host or network is refused before anything is recorded (SSRF).
    const url =
      request.type === 'RegisterSubscription' || request.type === 'ChangeSubscription' ? request.data.url : null;
    if (typeof url === 'string') await this.receivers.assertAllowed(url);
    const { subscriptionId } = request.data;
    if (request.type === 'ReplayFailed')
      return this.subscriptions.replay(subscriptionId, request.data.eventIds, metadata);
    if (request.type === 'RewindSubscription')
      return this.subscriptions.rewind(subscriptionId, request.data.to, metadata);
    return this.subscriptions.execute(request, metadata);
  }
}

/** The subscriptions, one of them, or its failed list. */
export class SubscriptionQuery extends PrincipalQuery<
  SubscriptionView[] | SubscriptionView | { items: FailedEntry[] }
> {
  constructor(
    principal: ConstructorParameters<typeof PrincipalQuery>[0],
    readonly question: { kind: 'LIST' } | { kind: 'ONE' | 'FAILED'; subscriptionId: string },
  ) {
    super(principal);
  }
}

export class SubscriptionQueryHandler implements BusQueryHandler<SubscriptionQuery> {
  constructor(
    private readonly subscriptions: SubscriptionService,
    private readonly access: AccessControl,
  ) {}

  async execute({ principal, question }: SubscriptionQuery) {
    const action = question.kind === 'FAILED' ? '查看推送失败列表' : '查看事件订阅';
    this.access.authorize(principal, AccessControl.systemAdmin(action));
    if (question.kind === 'LIST') return this.subscriptions.list();
    if (question.kind === 'ONE') return this.subscriptions.get(question.subscriptionId);
    return { items: await this.subscriptions.failed(question.subscriptionId) };
  }
}
