/**
 * Every domain event of the platform, as one union: what the read side and the published feed
 * consume. Each aggregate's own list of types (exhaustive, checked by the compiler) is re-exported.
 */
import { ACCOUNT_EVENT_TYPES, type AccountEvent } from './account/account.decider';
import { APP_EVENT_TYPES, type AppEvent } from './app-registration/app-registration.decider';
import { BATCH_EVENT_TYPES, type BatchEvent } from './batch/batch.decider';
import { CONTACT_REQUEST_EVENT_TYPES, type ContactRequestEvent } from './contact-request/contact-request.decider';
import { DIRECTORY_POLICY_EVENT_TYPES, type DirectoryPolicyEvent } from './directory-policy/directory-policy.decider';
import { INTEGRITY_LOG_EVENT_TYPES, type IntegrityLogEvent } from './integrity-log/integrity-log.decider';
import { ORG_NODE_EVENT_TYPES, type OrgNodeEvent } from './org-node/org-node.decider';
import { PERSON_EVENT_TYPES, type PersonEvent } from './person/person.decider';
import { REQUEST_EVENT_TYPES, type RequestEvent } from './request/request.decider';
import { SUBSCRIPTION_EVENT_TYPES, type SubscriptionEvent } from './subscription/subscription.decider';
import { TAG_EVENT_TYPES, type TagEvent } from './tag/tag.decider';
import { WORK_GROUP_EVENT_TYPES, type WorkGroupEvent } from './work-group/work-group.decider';

export type PlatformEvent =
  | OrgNodeEvent
  | PersonEvent
  | AccountEvent
  | WorkGroupEvent
  | AppEvent
  | TagEvent
  | DirectoryPolicyEvent
  | ContactRequestEvent
  | RequestEvent
  | SubscriptionEvent
  | IntegrityLogEvent
  | BatchEvent;

export type PlatformEventType = PlatformEvent['type'];

/** One event type's member of the union. */
export type EventOf<T extends PlatformEventType> = Extract<PlatformEvent, { type: T }>;

export {
  ACCOUNT_EVENT_TYPES,
  APP_EVENT_TYPES,
  BATCH_EVENT_TYPES,
  CONTACT_REQUEST_EVENT_TYPES,
  DIRECTORY_POLICY_EVENT_TYPES,
  INTEGRITY_LOG_EVENT_TYPES,
  ORG_NODE_EVENT_TYPES,
  PERSON_EVENT_TYPES,
  REQUEST_EVENT_TYPES,
  SUBSCRIPTION_EVENT_TYPES,
  TAG_EVENT_TYPES,
  WORK_GROUP_EVENT_TYPES,
};
