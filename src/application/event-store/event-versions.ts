/**
 * Schema versions of the event types (issue 7). Every stored event carries `schemaVersion` in its
 * metadata; a type absent here is at version 1. When a type's shape changes, its version goes up
 * and an upcaster from the previous version is added, so that every reader (deciders, projections,
 * policies, subscribers) sees only the current shape while the stored history stays as it was
 * written. test/published-events/fixtures holds one stored event of every version ever published
 * and proves each still reads.
 */
import type { JsonObject } from './json';

/** Turns the data of version `from` into the data of version `from + 1`. Pure. */
export type Upcaster = (data: JsonObject) => JsonObject;

interface TypeHistory {
  readonly current: number;
  /** upcasters[v] turns version v into v + 1. */
  readonly upcasters: Readonly<Record<number, Upcaster>>;
  /** One line per version, for the published contract's changelog. */
  readonly changes: Readonly<Record<number, string>>;
}

/** v1 did not record when: the time is unknown for those (null). */
const withoutTime = (data: JsonObject) => ({ ...data, at: null }) as JsonObject;

/** v1 launches, offlines and deregistrations kept no request form (附件 1.2–1.4): null. */
const withoutForm = (data: JsonObject) => ({ ...data, form: null }) as JsonObject;

export const EVENT_TYPE_HISTORY: Readonly<Record<string, TypeHistory>> = {
  AppAccessRequested: {
    current: 2,
    upcasters: { 1: (data) => ({ ...data, scenario: null, vendor: null, contactEmail: null }) as JsonObject },
    changes: {
      1: 'the request without the scenario, vendor and e-mail of 附件 1.1',
      2: '+ scenario (场景说明), vendor (应用开发商), contactEmail (电子邮箱): null for events recorded as version 1',
    },
  },
  AppLaunched: {
    current: 2,
    upcasters: { 1: withoutForm },
    changes: { 1: 'appId and the listing', 2: '+ form: the launch request form (附件 1.2), null for version 1' },
  },
  AppTakenOffline: {
    current: 2,
    upcasters: { 1: withoutForm },
    changes: { 1: 'appId, reason', 2: '+ form: the offline request form (附件 1.3), null for version 1' },
  },
  AppDeregistered: {
    current: 2,
    upcasters: { 1: withoutForm },
    changes: {
      1: 'appId, backup, owningOrgNodeId',
      2: '+ form: the deregistration request form (附件 1.4), null for version 1',
    },
  },
  AccountFrozen: {
    current: 2,
    upcasters: { 1: withoutTime },
    changes: {
      1: 'accountId, reason, previousStatus',
      2: 'accountId, reason, previousStatus, at: when it was frozen (null for events recorded as version 1)',
    },
  },
  AccountClosed: {
    current: 2,
    upcasters: { 1: withoutTime },
    changes: {
      1: 'accountId, reason, personId',
      2: 'accountId, reason, personId, at: when it was closed (null for events recorded as version 1)',
    },
  },
  OrgNodeHiddenChanged: {
    current: 2,
    upcasters: {
      // v1 recorded only the new setting; what it replaced was not recorded then.
      1: (data) =>
        ({
          orgNodeId: data.orgNodeId,
          from: null,
          to: { hidden: data.hidden, visibleTo: data.visibleTo ?? [] },
        }) as JsonObject,
    },
    changes: {
      1: 'orgNodeId, hidden, visibleTo: the new setting only',
      2: 'orgNodeId, from, to: the setting before and after (from is null for events recorded as version 1)',
    },
  },
};

export function currentVersionOf(type: string): number {
  return EVENT_TYPE_HISTORY[type]?.current ?? 1;
}

export class UnknownSchemaVersionError extends Error {
  readonly code = 'UNKNOWN_SCHEMA_VERSION';
  constructor(
    readonly type: string,
    readonly version: number,
  ) {
    super(`事件 ${type} 的结构版本 ${version} 高于本系统所知的版本 ${currentVersionOf(type)}，请升级服务后再读`);
  }
}

/** The data of a stored event in the current shape of its type. */
export function upcast(type: string, version: number, data: JsonObject): JsonObject {
  const history = EVENT_TYPE_HISTORY[type];
  const current = history?.current ?? 1;
  if (version > current) throw new UnknownSchemaVersionError(type, version);
  let upcasted = data;
  for (let v = version; v < current; v++) upcasted = history!.upcasters[v](upcasted);
  return upcasted;
}
