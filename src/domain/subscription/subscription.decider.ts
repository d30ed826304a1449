/**
 * Subscription (事件订阅), stream `Subscription-<subscriptionId>`: a downstream system (OA, document
 * flow, an app behind SSO) registered by a system admin to receive the published events, by
 * webhook (a URL) or by pulling the live stream. Its filter says which events; its grants say which
 * personal fields (idNumber, mobile) it may receive (001:14: share the directory no wider than
 * needed) — every grant is on record here, with who gave it.
 *
 * The signing secret never enters an event: the platform derives it from its signing key and the
 * `secretVersion` recorded here, and shows it to the admin at registration and rotation only.
 */
import { eventTypes, type Decider } from '../shared/decider';
import { RuleViolation } from '../shared/domain-error';

export const GRANTABLE_FIELDS = ['idNumber', 'mobile'] as const;
export type GrantableField = (typeof GRANTABLE_FIELDS)[number];

export interface SubscriptionFilter {
  types: string[];
  streamPrefixes: string[];
  orgSubtrees: string[];
}

export interface SubscriptionSettings {
  name: string;
  /** Where webhooks are POSTed; null for a subscriber that only pulls the live stream. */
  url: string | null;
  filter: SubscriptionFilter;
  grants: GrantableField[];
  /** Attempts before an event moves to the failed list. */
  maxAttempts: number;
}

export type SubscriptionState =
  | { readonly status: 'NONE' }
  | (SubscriptionSettings & {
      readonly status: 'ACTIVE' | 'PAUSED' | 'REMOVED';
      readonly subscriptionId: string;
      readonly secretVersion: number;
    });

export type SubscriptionCommand =
  | { type: 'RegisterSubscription'; data: SubscriptionSettings & { subscriptionId: string } }
  | { type: 'ChangeSubscription'; data: Partial<SubscriptionSettings> & { subscriptionId: string } }
  | { type: 'RotateSubscriptionSecret'; data: { subscriptionId: string } }
  | { type: 'PauseSubscription'; data: { subscriptionId: string } }
  | { type: 'ResumeSubscription'; data: { subscriptionId: string } }
  | { type: 'RemoveSubscription'; data: { subscriptionId: string } };

export type SubscriptionEvent =
  | { type: 'SubscriptionRegistered'; data: SubscriptionSettings & { subscriptionId: string; secretVersion: number } }
  | {
      type: 'SubscriptionChanged';
      data: { subscriptionId: string; from: Partial<SubscriptionSettings>; to: Partial<SubscriptionSettings> };
    }
  | { type: 'SubscriptionSecretRotated'; data: { subscriptionId: string; secretVersion: number } }
  | { type: 'SubscriptionPaused'; data: { subscriptionId: string } }
  | { type: 'SubscriptionResumed'; data: { subscriptionId: string } }
  | { type: 'SubscriptionRemoved'; data: { subscriptionId: string } };

/** Every Subscription event type, checked exhaustive by the compiler. */
export const SUBSCRIPTION_EVENT_TYPES = eventTypes<SubscriptionEvent>({
  SubscriptionRegistered: true,
  SubscriptionChanged: true,
  SubscriptionSecretRotated: true,
  SubscriptionPaused: true,
  SubscriptionResumed: true,
  SubscriptionRemoved: true,
});

export function subscriptionStream(subscriptionId: string): string {
  return `Subscription-${subscriptionId}`;
}

export const MAX_ATTEMPTS_LIMIT = 100;

const invalid = (code: string, message: string, details: Record<string, unknown> = {}) =>
  new RuleViolation(code, 'unprocessable', message, details);
const conflict = (code: string, message: string) => new RuleViolation(code, 'conflict', message);

function checkName(name: unknown): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (trimmed === '' || [...trimmed].length > 64)
    throw invalid('INVALID_SUBSCRIPTION_NAME', '订阅名称应为 1–64 个字符（如“市OA系统”）', { name });
  return trimmed;
}

/** Webhooks go to http(s) URLs without credentials in them (a secret in a URL would enter the event). */
function checkUrl(url: unknown): string | null {
  if (url === null || url === undefined) return null;
  const text = typeof url === 'string' ? url.trim() : '';
  const match = /^(https?):\/\/([^/?#@\s]+)(\/[^\s#]*)?$/i.exec(text);
  if (!match || text.length > 2048)
    throw invalid('INVALID_WEBHOOK_URL', '推送地址应为 http:// 或 https:// 开头、不含用户名密码的网址', { url });
  return text;
}

function checkMaxAttempts(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_ATTEMPTS_LIMIT) {
    throw invalid('INVALID_MAX_ATTEMPTS', `最大投递次数应为 1–${MAX_ATTEMPTS_LIMIT} 的整数`, { maxAttempts: value });
  }
  return value;
}

function checkGrants(grants: unknown): GrantableField[] {
  if (!Array.isArray(grants) || grants.some((g) => !(GRANTABLE_FIELDS as readonly unknown[]).includes(g))) {
    throw invalid('INVALID_GRANT', `只能授予 ${GRANTABLE_FIELDS.join('、')}`, { grants });
  }
  return [...new Set(grants as GrantableField[])].sort();
}

function settingsOf(data: Partial<SubscriptionSettings>): Partial<SubscriptionSettings> {
  const out: Partial<SubscriptionSettings> = {};
  if (data.name !== undefined) out.name = checkName(data.name);
  if (data.url !== undefined) out.url = checkUrl(data.url);
  if (data.filter !== undefined) out.filter = data.filter;
  if (data.grants !== undefined) out.grants = checkGrants(data.grants);
  if (data.maxAttempts !== undefined) out.maxAttempts = checkMaxAttempts(data.maxAttempts);
  return out;
}

function existing(state: SubscriptionState, subscriptionId: string): Exclude<SubscriptionState, { status: 'NONE' }> {
  if (state.status === 'NONE' || state.status === 'REMOVED')
    throw new RuleViolation('SUBSCRIPTION_NOT_FOUND', 'conflict', `订阅 ${subscriptionId} 不存在或已删除`, {
      subscriptionId,
    });
  return state;
}

export const subscriptionDecider: Decider<SubscriptionCommand, SubscriptionEvent, SubscriptionState> = {
  initialState: () => ({ status: 'NONE' }),

  decide(command, state) {
    const { subscriptionId } = command.data;
    switch (command.type) {
      case 'RegisterSubscription': {
        if (state.status !== 'NONE') throw conflict('SUBSCRIPTION_ALREADY_EXISTS', `订阅 ${subscriptionId} 已存在`);
        const settings = settingsOf(command.data) as SubscriptionSettings;
        return [
          {
            type: 'SubscriptionRegistered',
            data: {
              subscriptionId,
              name: settings.name,
              url: settings.url ?? null,
              filter: settings.filter,
              grants: settings.grants,
              maxAttempts: settings.maxAttempts,
              secretVersion: 1,
            },
          },
        ];
      }
      case 'ChangeSubscription': {
        const current = existing(state, subscriptionId);
        const wanted = settingsOf(command.data);
        const from: Partial<SubscriptionSettings> = {};
        const to: Partial<SubscriptionSettings> = {};
        for (const key of Object.keys(wanted) as (keyof SubscriptionSettings)[]) {
          if (JSON.stringify(wanted[key]) === JSON.stringify(current[key])) continue;
          (from as Record<string, unknown>)[key] = current[key];
          (to as Record<string, unknown>)[key] = wanted[key];
        }
        return Object.keys(to).length === 0
          ? []
          : [{ type: 'SubscriptionChanged', data: { subscriptionId, from, to } }];
      }
      case 'RotateSubscriptionSecret':
        return [
          {
            type: 'SubscriptionSecretRotated',
            data: { subscriptionId, secretVersion: existing(state, subscriptionId).secretVersion + 1 },
          },
        ];
      case 'PauseSubscription':
        return existing(state, subscriptionId).status === 'PAUSED'
          ? []
          : [{ type: 'SubscriptionPaused', data: { subscriptionId } }];
      case 'ResumeSubscription':
        return existing(state, subscriptionId).status === 'ACTIVE'
          ? []
          : [{ type: 'SubscriptionResumed', data: { subscriptionId } }];
      case 'RemoveSubscription':
        existing(state, subscriptionId);
        return [{ type: 'SubscriptionRemoved', data: { subscriptionId } }];
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'SubscriptionRegistered':
        return { ...event.data, status: 'ACTIVE' };
      case 'SubscriptionChanged':
        return state.status === 'NONE' ? state : { ...state, ...event.data.to };
      case 'SubscriptionSecretRotated':
        return state.status === 'NONE' ? state : { ...state, secretVersion: event.data.secretVersion };
      case 'SubscriptionPaused':
        return state.status === 'NONE' ? state : { ...state, status: 'PAUSED' };
      case 'SubscriptionResumed':
        return state.status === 'NONE' ? state : { ...state, status: 'ACTIVE' };
      case 'SubscriptionRemoved':
        return state.status === 'NONE' ? state : { ...state, status: 'REMOVED' };
    }
  },
};
