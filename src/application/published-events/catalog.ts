/**
 * The published event contract (issue 7): which event types downstream systems (OA, document flow,
 * apps behind SSO) may receive, what each is about, and which fields are personal data. The data
 * schemas are generated from the domain's own event types (event-schemas.generated.json, see
 * scripts/event-schemas.ts); versions and upcasters are in event-versions.ts. Everything a
 * subscriber sees (AsyncAPI document, SSE, WebSocket, webhooks) is built from these three.
 *
 * Not published: sign-ins, password changes and group activity (usage signals for the assessment,
 * not directory changes), contact requests between persons (private), the directory matrix, app
 * security report attachments, and the platform's own bookkeeping streams.
 */
import { GRANTABLE_FIELDS, type GrantableField } from '../../domain/subscription/subscription.decider';
import { currentVersionOf, EVENT_TYPE_HISTORY } from '../event-store/event-versions';
import schemas from './event-schemas.generated.json';

export type SubjectKind = 'OrgNode' | 'Person' | 'Account' | 'WorkGroup' | 'App' | 'Tag' | 'Request' | 'IntegrityLog';

export interface PublishedEventType {
  readonly type: string;
  readonly subject: SubjectKind;
  /** The data field naming the entity the event is about. */
  readonly subjectIdField: string;
  /** 中文 summary for the contract document. */
  readonly summary: string;
}

/** Personal data a subscriber receives only when granted it (001:14: share the directory no wider than needed). */
export const PERSONAL_FIELDS = GRANTABLE_FIELDS;
export type PersonalField = GrantableField;
/** Keys in event data withheld unless the grant is held; contact phones count as mobile numbers. */
export const PERSONAL_KEYS: Readonly<Record<string, PersonalField>> = {
  idNumber: 'idNumber',
  mobile: 'mobile',
  phone: 'mobile',
  // A contact's e-mail (附件 1.1–1.4) is contact data like a phone number.
  contactEmail: 'mobile',
};

const of = (subject: SubjectKind, subjectIdField: string, entries: Record<string, string>): PublishedEventType[] =>
  Object.entries(entries).map(([type, summary]) => ({ type, subject, subjectIdField, summary }));

export const PUBLISHED_EVENT_TYPES: readonly PublishedEventType[] = [
  ...of('OrgNode', 'orgNodeId', {
    OrgNodeCreated: '组织节点已创建',
    OrgNodeRenamed: '组织节点已更名（含规范化简称）',
    OrgNodeReordered: '组织节点排序已调整',
    OrgNodeMoved: '组织节点已调整上级（其下级层级随之变化）',
    OrgNodeHiddenChanged: '组织节点隐藏设置已变更',
    UnitResponsibilityAssigned: '单位负责人已指定（主要负责同志、分管领导、责任人、系统管理员）',
    UnitResponsibilityReleased: '单位负责人已免去',
    OrgNodeMergedInto: '组织节点已并入存续节点',
    OrgNodeDissolved: '组织节点已撤销',
  }),
  ...of('OrgNode', 'survivorId', { OrgNodesMerged: '组织节点已合并' }),
  // The platform's unified to-do (统一待办, 001a) shows what waits for whom from these.
  ...of('Request', 'requestId', {
    RequestFiled: '申请已提交（类型、申请单位、所申请的变更、附件文号、审核环节及期限）',
    RequestStepApproved: '申请的一个审核环节已通过（是否超期；下一环节的期限）',
    RequestApproved: '申请已最终批准',
    RequestReturned: '申请已退回修改（原因）',
    RequestRefiled: '申请已重新提交',
    RequestRejected: '申请已驳回（原因）',
    RequestWithdrawn: '申请已由申请人撤回',
    RequestStepEscalated: '审核环节超过办理期限，已报上一级管理员（000:9）',
    RequestExecuted: '已批准的申请已办理（所产生的事件）',
    RequestExecutionFailed: '已批准的申请办理未成功（原因；可重试）',
  }),
  ...of('Person', 'personId', {
    PersonRecordRetracted: '人员记录已撤回（更正，data.eventId 为被撤回的事件）',
    PersonEffectiveDateCorrected: '人员记录的生效日期已更正（data.eventId 为被更正的事件）',
    PersonRegistered: '人员已登记（含主职）',
    PersonProfileUpdated: '人员信息已更新（变更前后）',
    PersonPostChanged: '任职信息已更新（职务、职级、排序）',
    PersonTransferred: '人员已调动（主职变更）',
    SecondmentStarted: '借调开始',
    SecondmentEnded: '借调结束',
    ConcurrentPostAssigned: '兼任职务已任命',
    ConcurrentPostRelieved: '兼任职务已免去',
    PersonLeft: '人员已离岗（辞职、退休、调出等）',
    PersonReinstated: '人员已重新在岗',
    PersonDirectoryClassChanged: '通讯录人员分类已变更',
    PersonContactModeChanged: '个人通讯录可见设置已变更',
  }),
  ...of('Account', 'accountId', {
    AccountOpened: '账号已开通',
    AccountActivated: '账号已激活',
    AccountFrozen: '账号已冻结',
    AccountUnfrozen: '账号已解冻',
    AccountClosed: '账号已注销',
    AdminScopeGranted: '管理范围已授予',
    AdminScopeRevoked: '管理范围已收回',
    ReadRoleGranted: '只读角色已授予',
    ReadRoleRevoked: '只读角色已收回',
  }),
  ...of('WorkGroup', 'groupId', {
    WorkGroupCreated: '工作群已创建',
    GroupMembersAdded: '群成员已加入',
    GroupMembersRemoved: '群成员已移出',
    GroupAdminAssigned: '群管理员已设置',
    GroupAdminRevoked: '群管理员已取消',
    GroupOwnershipTransferred: '群主已转让',
    WorkGroupRehomed: '工作群归属单位已变更',
    WorkGroupDissolved: '工作群已解散',
  }),
  ...of('App', 'appId', {
    AppAccessRequested: '应用接入已申请',
    AppAccessApproved: '应用接入已批准',
    AppAccessRejected: '应用接入已驳回',
    AppLaunched: '应用已上线',
    AppTakenOffline: '应用已下线',
    AppRestored: '应用已恢复上线',
    AppAuthorized: '应用已授权',
    AppAuthorizationRevoked: '应用授权已收回',
    AppDeregistered: '应用已注销',
  }),
  // Every subscriber that keeps the checkpoints it saw is a witness: a later history that does not extend them shows.
  ...of('IntegrityLog', 'origin', {
    CheckpointSigned: '变更历史默克尔日志的检查点已签署（事件数、根哈希、签名注记）',
    CheckpointCosigned: '检查点已由见证方联署',
  }),
  ...of('Tag', 'tagId', {
    TagCreated: '标签已创建',
    TagEdited: '标签已编辑',
    TagDeleted: '标签已删除',
    TagMembersAdded: '标签成员已添加',
    TagMembersRemoved: '标签成员已移除',
    TagSharedOrgsChanged: '标签共享组织已变更',
  }),
];

/** Domain event types deliberately not published (see the header); every other domain event type must be in the list above. */
export const UNPUBLISHED_EVENT_TYPES: readonly string[] = [
  'AccountSignedIn',
  'AccountPasswordChanged',
  // Who read full ID numbers is the platform's own access record, not a change subscribers follow.
  'IdNumbersDisclosed',
  // A restructuring's plan and completion are the platform's own bookkeeping: subscribers follow the
  // tree's and the people's events it causes, all under the operation's correlationId.
  'RestructuringPlanned',
  'RestructuringCompleted',
  'GroupActivityRecorded',
  'AppReportsAttached',
  // Like the report references, a report's result is part of the review's file, not a change subscribers follow.
  'AppReportResultRecorded',
  'ContactRequested',
  'ContactAccepted',
  'ContactDeclined',
  'DirectoryMatrixChanged',
  // A batch's plan and outcomes are the platform's bookkeeping: subscribers follow the changes it
  // causes (each its own event, under the batch's correlationId).
  'BatchPlanned',
  'BatchRowCarriedOut',
  'BatchRowRefused',
  'BatchCompleted',
  'SubscriptionRegistered',
  'SubscriptionChanged',
  'SubscriptionSecretRotated',
  'SubscriptionPaused',
  'SubscriptionResumed',
  'SubscriptionRemoved',
];

/** Events about the whole history, not about a part of the tree: every org-subtree filter lets them through. */
export const JURISDICTION_WIDE_TYPES: ReadonlySet<string> = new Set(['CheckpointSigned', 'CheckpointCosigned']);

const BY_TYPE = new Map(PUBLISHED_EVENT_TYPES.map((entry) => [entry.type, entry]));

export function publishedEventType(type: string): PublishedEventType | undefined {
  return BY_TYPE.get(type);
}

export function isPublished(type: string): boolean {
  return BY_TYPE.has(type);
}

type JsonSchema = Record<string, unknown>;
export const EVENT_DATA_SCHEMAS = schemas.events as Readonly<Record<string, JsonSchema>>;
export const SCHEMA_DEFINITIONS = schemas.definitions as Readonly<Record<string, JsonSchema>>;

/** Every version a type has been published in, with what changed. */
export function versionsOf(type: string): { version: number; change: string }[] {
  const history = EVENT_TYPE_HISTORY[type];
  const current = currentVersionOf(type);
  return Array.from({ length: current }, (_, i) => ({
    version: i + 1,
    change: history?.changes[i + 1] ?? 'first published version',
  }));
}
