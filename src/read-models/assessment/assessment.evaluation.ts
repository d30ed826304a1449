/**
 * The measures of one period, computed from the assessment read model's documents as they stood
 * when the period closed (see assessment.projection.ts). Pure: documents in, figures out; the
 * same documents give the same figures, whatever was recorded after the period.
 *
 * Definitions (the report prints them; `MEASURES` below is their single source):
 * - on-post staff (在岗): persons ACTIVE at the close whose primary post is in the node;
 *   registered: of them, those with an open USER account; activated: those whose USER account
 *   has been activated (000:9).
 * - timeliness: person changes recorded in the period by a person (not by a policy); each one's
 *   lag is the working days from its effective date to the day it was recorded, on time when
 *   lag ≤ the deadline (000:9: 3; 001a:10: 7).
 * - departed persons' open accounts: accounts not CLOSED at the close whose person had left;
 *   working days open counted from the departure's effective date to the period's last day.
 * - work groups ACTIVE at the close: without an admin; stale (no activity in the last N days
 *   before the close; a group never active counts from its creation); holding departed members.
 * - apps: reviews decided later than their due date (7 working days after the request,
 *   001a:14), or still undecided past it at the close; offline at the close and since when;
 *   deregistered in the period.
 * - temporary accounts open past their expiry at the close; admin accounts whose password was
 *   last changed (or, never changed, opened) more than the rotation period before the close (000:16).
 * - sign-in activity: distinct USER accounts signed in per working day, averaged over the
 *   period's working days, and per month, averaged over its months, each over on-post staff.
 */
import type { WorkingDayCalendar } from '../../application/ports/working-day-calendar.port';
import type {
  ActivityDoc,
  AssessedAccountDoc,
  AssessedAppDoc,
  AssessedGroupDoc,
  AssessedPersonDoc,
  ChangeDoc,
  NodeDoc,
  NodeState,
} from './assessment.projection';
import { lastDayOfMonth, nextDay, type Period, startOfDay } from './period';
import { versionAt } from './versions';
import {
  DEFAULT_WEIGHTS,
  SCORE_COMPONENTS,
  type ScoreComponent,
  type Weights,
} from '../../domain/assessment/score-weights';

export { DEFAULT_WEIGHTS, SCORE_COMPONENTS, type ScoreComponent, type Weights };

export const SCORE_LABELS: Readonly<Record<ScoreComponent, string>> = {
  activation: '激活率',
  timeliness: '更新及时率',
  monthlyActive: '月活跃率',
  dailyActive: '日活跃率',
  groups: '工作群规范率',
  accounts: '账号规范率',
  apps: '应用规范率',
};

export interface AssessmentSettings {
  readonly timeZone: string;
  readonly deadlineWorkingDays: number;
  readonly groupStaleDays: number;
  readonly passwordRotationDays: number;
  readonly weights: Weights;
  /** Node kinds ranked against each other (default: units). */
  readonly rankedKinds: readonly string[];
}

/** Every listable measure: what it lists, its Chinese label and its definition. */
export const MEASURES = {
  onPost: { lists: 'persons', label: '在岗人数', definition: '期末在岗（状态正常、主职在本单位）的人员' },
  registered: { lists: 'persons', label: '已开户人数', definition: '在岗人员中有未注销用户账号的' },
  notRegistered: { lists: 'persons', label: '未开户人数', definition: '在岗人员中没有用户账号的' },
  activated: { lists: 'persons', label: '已激活人数', definition: '在岗人员中用户账号已激活的（000:9）' },
  notActivated: { lists: 'persons', label: '未激活人数', definition: '在岗人员中用户账号未激活或没有账号的' },
  changes: {
    lists: 'changes',
    label: '人员变更数',
    definition: '期内记录的人员变更（任职、调动、借调、兼任、离职、恢复、新进）',
  },
  lateChanges: {
    lists: 'changes',
    label: '超期变更数',
    definition: '滞后工作日数超过时限的人员变更（000:9、001a:10）',
  },
  departedOpenAccounts: { lists: 'accounts', label: '离职未注销账号', definition: '期末人员已离职但账号未注销的' },
  groups: { lists: 'groups', label: '工作群数', definition: '期末存续的工作群' },
  groupsWithoutAdmin: { lists: 'groups', label: '无管理员群', definition: '期末没有管理员的工作群（000:11）' },
  staleGroups: { lists: 'groups', label: '长期不活跃群', definition: '期末前规定天数内没有活动的工作群（000:11）' },
  groupsWithDepartedMembers: {
    lists: 'groups',
    label: '含离职人员群',
    definition: '期末仍有已离职成员的工作群（001a:22）',
  },
  groupsWithoutOwner: {
    lists: 'groups',
    label: '无群主群',
    definition: '期末群主已离开、尚无新群主的工作群（002:五.7）',
  },
  unitsWithoutLeaderInCharge: {
    lists: 'units',
    label: '未设分管领导单位',
    definition: '期末没有分管领导的单位（003:13）',
  },
  unitsWithoutAdmin: { lists: 'units', label: '未设系统管理员单位', definition: '期末没有系统管理员的单位（003:13）' },
  openHandovers: {
    lists: 'handovers',
    label: '未交接职责',
    definition: '期末仍由已离职或已调离本单位的人员担任的单位职责（001a:22 及时做好工作交接）',
  },
  lateReviews: { lists: 'apps', label: '超期审核应用', definition: '申请后 7 个工作日未审核的接入申请（001a:14）' },
  offlineApps: { lists: 'apps', label: '下线应用', definition: '期末处于下线状态的应用（001a:18）' },
  deregisteredApps: { lists: 'apps', label: '注销应用', definition: '期内注销的应用（001a:19）' },
  expiredTemporaryAccounts: {
    lists: 'accounts',
    label: '过期临时账号',
    definition: '期末已过有效期仍未注销的临时账号',
  },
  staleAdminPasswords: {
    lists: 'accounts',
    label: '管理员密码超期',
    definition: '期末超过轮换周期未改密码的管理员账号（000:16）',
  },
  dailyActivity: { lists: 'days', label: '日活跃账号', definition: '每日登录过的不同用户账号数' },
} as const;
export type Measure = keyof typeof MEASURES;
export const MEASURE_NAMES = Object.keys(MEASURES) as Measure[];

const ON_ESTABLISHMENT = 'ON_ESTABLISHMENT';

export interface Counters {
  onPost: number;
  byEmployment: Record<string, number>;
  registered: number;
  activated: number;
  /**
   * On-post on-establishment staff (在岗在编, 000:9), and how many of them are registered and
   * activated: the rates' denominator; the other employment kinds are reported beside it.
   */
  onEstablishment: number;
  establishmentRegistered: number;
  establishmentActivated: number;
  changes: number;
  onTime: number;
  /** Lag in working days → number of changes. */
  lagHistogram: Record<string, number>;
  departedOpenAccounts: number;
  groups: number;
  groupsWithoutAdmin: number;
  staleGroups: number;
  groupsWithDepartedMembers: number;
  groupsWithoutOwner: number;
  unitsWithoutLeaderInCharge: number;
  unitsWithoutAdmin: number;
  openHandovers: number;
  /** Groups with at least one of the three problems, each counted once. */
  problemGroups: number;
  apps: number;
  lateReviews: number;
  offlineApps: number;
  deregisteredApps: number;
  expiredTemporaryAccounts: number;
  staleAdminPasswords: number;
  /** Σ over the period's working days of the distinct accounts signed in that day. */
  dailyActiveSum: number;
  /** Σ over the period's months of the distinct accounts signed in that month. */
  monthlyActiveSum: number;
}

export function emptyCounters(): Counters {
  return {
    onPost: 0,
    byEmployment: {},
    registered: 0,
    activated: 0,
    onEstablishment: 0,
    establishmentRegistered: 0,
    establishmentActivated: 0,
    changes: 0,
    onTime: 0,
    lagHistogram: {},
    departedOpenAccounts: 0,
    groups: 0,
    groupsWithoutAdmin: 0,
    staleGroups: 0,
    groupsWithDepartedMembers: 0,
    groupsWithoutOwner: 0,
    unitsWithoutLeaderInCharge: 0,
    unitsWithoutAdmin: 0,
    openHandovers: 0,
    problemGroups: 0,
    apps: 0,
    lateReviews: 0,
    offlineApps: 0,
    deregisteredApps: 0,
    expiredTemporaryAccounts: 0,
    staleAdminPasswords: 0,
    dailyActiveSum: 0,
    monthlyActiveSum: 0,
  };
}

export function addCounters(into: Counters, from: Counters): void {
  for (const key of Object.keys(from) as Array<keyof Counters>) {
    const value = from[key];
    if (typeof value === 'number') (into[key] as number) += value;
    else {
      const target = into[key] as Record<string, number>;
      for (const [k, n] of Object.entries(value)) target[k] = (target[k] ?? 0) + n;
    }
  }
}

/** One item behind a measure, as the listing query returns it. */
export interface MeasureItem {
  readonly unitId: string;
  readonly id: string;
  readonly name: string;
  readonly [field: string]: unknown;
}

export interface MonthFigures {
  readonly month: string;
  onPost: number;
  registered: number;
  activated: number;
  /** 在编 staff on post at the month's end, and how many of them are activated: the month's rate. */
  onEstablishment: number;
  establishmentActivated: number;
  monthlyActive: number;
  changes: number;
  onTime: number;
}

export interface Evaluation {
  readonly nodes: ReadonlyMap<string, NodeState>;
  /** Figures of each node's own people, groups and apps (not rolled up). */
  readonly own: ReadonlyMap<string, Counters>;
  readonly months: MonthFigures[];
  readonly lateChanges: ChangeDoc[];
  readonly items: MeasureItem[];
  readonly workingDays: number;
}

interface PersonAtClose {
  readonly unitId: string;
  readonly name: string;
  readonly employment: string;
  /** Bit i: ACTIVE at the end of month i. */
  readonly activeMask: number;
  readonly left: boolean;
  readonly leftOn: string | null;
  registeredMask: number;
  activatedMask: number;
  accountId: string | null;
}

const DAY_MS = 86_400_000;

/**
 * Feed documents in this order: nodes, persons, accounts, groups, apps, changes, activity; then
 * `finish()`. Documents may come in pages. `collect` names the one measure whose items to keep.
 */
export class AssessmentEvaluator {
  private readonly nodes = new Map<string, NodeState>();
  private readonly own = new Map<string, Counters>();
  private readonly persons = new Map<string, PersonAtClose>();
  private readonly cutoffs: string[];
  private readonly close: string;
  private readonly closeDay: string;
  private readonly months: MonthFigures[];
  private readonly lateChanges: ChangeDoc[] = [];
  private readonly items: MeasureItem[] = [];
  private readonly workingDays = new Set<string>();
  /** Role holders of the nodes ACTIVE at the close (for the open handovers). */
  private readonly responsibilities = new Map<string, Readonly<Record<string, readonly string[]>>>();

  constructor(
    private readonly period: Period,
    private readonly settings: AssessmentSettings,
    private readonly calendar: WorkingDayCalendar,
    private readonly collect: Measure | null = null,
  ) {
    this.cutoffs = period.months.map((m) => startOfDay(nextDay(lastDayOfMonth(m)), settings.timeZone));
    this.close = period.end;
    this.closeDay = period.lastDay;
    this.months = period.months.map((month) => ({
      month,
      onPost: 0,
      registered: 0,
      activated: 0,
      onEstablishment: 0,
      establishmentActivated: 0,
      monthlyActive: 0,
      changes: 0,
      onTime: 0,
    }));
    for (let day = period.firstDay; day <= period.lastDay; day = nextDay(day))
      if (calendar.isWorkingDay(day)) this.workingDays.add(day);
  }

  private counters(unitId: string): Counters {
    let counters = this.own.get(unitId);
    if (!counters) this.own.set(unitId, (counters = emptyCounters()));
    return counters;
  }

  private keep(measure: Measure, item: MeasureItem): void {
    if (this.collect === measure) this.items.push(item);
  }

  addNodes(docs: Iterable<NodeDoc>): void {
    for (const doc of docs) {
      const state = versionAt(doc.versions, this.close);
      if (!state) continue;
      this.nodes.set(doc.id, { name: state.name, parentId: state.parentId, kind: state.kind, status: state.status });
      if (state.status !== 'ACTIVE') continue;
      const holders = state.responsibilities ?? {};
      if (Object.values(holders).some((ids) => ids.length > 0)) this.responsibilities.set(doc.id, holders);
      if (state.kind !== 'UNIT') continue;
      // 003:13: each unit names a leader in charge and a system administrator.
      const item = { unitId: doc.id, id: doc.id, name: state.name };
      if ((holders.LEADER_IN_CHARGE ?? []).length === 0) {
        this.counters(doc.id).unitsWithoutLeaderInCharge++;
        this.keep('unitsWithoutLeaderInCharge', item);
      }
      if ((holders.SYSTEM_ADMIN ?? []).length === 0) {
        this.counters(doc.id).unitsWithoutAdmin++;
        this.keep('unitsWithoutAdmin', item);
      }
    }
  }

  /**
   * A role still held at the close by someone who has left, or whose primary post is no longer in
   * the node or below it, is a handover not made (001a:22). Holders the evaluation did not load
   * (outside a scoped subtree) are not judged.
   */
  private settleHandovers(): void {
    for (const [orgNodeId, holders] of this.responsibilities) {
      for (const [role, personIds] of Object.entries(holders)) {
        for (const personId of personIds) {
          const person = this.persons.get(personId);
          if (!person) continue;
          const moved = !this.isWithin(person.unitId, orgNodeId);
          if (!person.left && !moved) continue;
          this.counters(orgNodeId).openHandovers++;
          this.keep('openHandovers', {
            unitId: orgNodeId,
            id: `${orgNodeId}:${role}:${personId}`,
            name: person.name,
            role,
            personId,
            because: person.left ? 'LEFT' : 'MOVED',
          });
        }
      }
    }
  }

  private isWithin(candidate: string, ancestorId: string): boolean {
    for (let id: string | null = candidate; id !== null; id = this.nodes.get(id)?.parentId ?? null)
      if (id === ancestorId) return true;
    return false;
  }

  private rootId(): string | null {
    for (const [id, node] of this.nodes) if (node.parentId === null) return id;
    return null;
  }

  /** The tree at the close, once the nodes are in. */
  nodesAtClose(): ReadonlyMap<string, NodeState> {
    return this.nodes;
  }

  addPersons(docs: Iterable<AssessedPersonDoc>): void {
    const last = this.cutoffs.length - 1;
    for (const doc of docs) {
      let activeMask = 0;
      for (let i = 0; i < this.cutoffs.length; i++)
        if (versionAt(doc.versions, this.cutoffs[i])?.status === 'ACTIVE') activeMask |= 1 << i;
      const atClose = versionAt(doc.versions, this.cutoffs[last]);
      if (!atClose) continue;
      this.persons.set(doc.id, {
        unitId: atClose.unitId,
        name: doc.name,
        employment: atClose.employment,
        activeMask,
        left: atClose.status === 'LEFT',
        leftOn: atClose.leftOn,
        registeredMask: 0,
        activatedMask: 0,
        accountId: null,
      });
    }
  }

  addAccounts(docs: Iterable<AssessedAccountDoc>): void {
    const rotationCutoff = new Date(Date.parse(this.close) - this.settings.passwordRotationDays * DAY_MS).toISOString();
    for (const doc of docs) {
      const atClose = versionAt(doc.versions, this.close);
      const person = doc.personId ? this.persons.get(doc.personId) : undefined;
      if (doc.type === 'USER' && person) {
        for (let i = 0; i < this.cutoffs.length; i++) {
          const standing = versionAt(doc.versions, this.cutoffs[i]);
          if (!standing || standing.status === 'CLOSED') continue;
          person.registeredMask |= 1 << i;
          if (standing.activated) person.activatedMask |= 1 << i;
        }
        if (atClose && atClose.status !== 'CLOSED') person.accountId = doc.id;
      }
      if (!atClose || atClose.status === 'CLOSED') continue;
      const base = {
        id: doc.id,
        name: doc.loginName,
        accountType: doc.type,
        status: atClose.status,
        personId: doc.personId,
        personName: person?.name ?? null,
      };
      if (person?.left && person.leftOn) {
        const workingDaysOpen = this.calendar.workingDaysBetween(person.leftOn, this.closeDay);
        this.counters(person.unitId).departedOpenAccounts++;
        this.keep('departedOpenAccounts', { ...base, unitId: person.unitId, leftOn: person.leftOn, workingDaysOpen });
      }
      if (doc.type === 'TEMPORARY' && doc.expiresAt && doc.expiresAt < this.close && doc.sponsorOrgNodeId) {
        this.counters(doc.sponsorOrgNodeId).expiredTemporaryAccounts++;
        this.keep('expiredTemporaryAccounts', {
          ...base,
          unitId: doc.sponsorOrgNodeId,
          expiresAt: doc.expiresAt,
          daysPastExpiry: Math.floor((Date.parse(this.close) - Date.parse(doc.expiresAt)) / DAY_MS),
        });
      }
      if ((doc.type === 'SYSTEM_ADMIN' || doc.type === 'TIERED_ADMIN') && person && !person.left) {
        const changed = atClose.passwordChangedAt ?? doc.openedAt;
        if (changed < rotationCutoff) {
          this.counters(person.unitId).staleAdminPasswords++;
          this.keep('staleAdminPasswords', {
            ...base,
            unitId: person.unitId,
            passwordChangedAt: atClose.passwordChangedAt,
            openedAt: doc.openedAt,
            daysSinceChange: Math.floor((Date.parse(this.close) - Date.parse(changed)) / DAY_MS),
          });
        }
      }
    }
  }

  /** Persons and their accounts are both in: count staff, registration and activation (the rates over 在编 staff). */
  private settlePersons(): void {
    this.settleHandovers();
    const last = this.cutoffs.length - 1;
    const bit = 1 << last;
    for (const [id, person] of this.persons) {
      for (let i = 0; i < this.cutoffs.length; i++) {
        if (!(person.activeMask & (1 << i))) continue;
        this.months[i].onPost++;
        if (person.registeredMask & (1 << i)) this.months[i].registered++;
        if (person.activatedMask & (1 << i)) this.months[i].activated++;
        if (person.employment === ON_ESTABLISHMENT) {
          this.months[i].onEstablishment++;
          if (person.activatedMask & (1 << i)) this.months[i].establishmentActivated++;
        }
      }
      if (!(person.activeMask & bit)) continue;
      const counters = this.counters(person.unitId);
      const registered = (person.registeredMask & bit) !== 0;
      const activated = (person.activatedMask & bit) !== 0;
      counters.onPost++;
      counters.byEmployment[person.employment] = (counters.byEmployment[person.employment] ?? 0) + 1;
      if (registered) counters.registered++;
      if (activated) counters.activated++;
      if (person.employment === ON_ESTABLISHMENT) {
        counters.onEstablishment++;
        if (registered) counters.establishmentRegistered++;
        if (activated) counters.establishmentActivated++;
      }
      const item = {
        unitId: person.unitId,
        id,
        name: person.name,
        employment: person.employment,
        accountId: person.accountId,
        registered,
        activated,
      };
      this.keep('onPost', item);
      this.keep(registered ? 'registered' : 'notRegistered', item);
      this.keep(activated ? 'activated' : 'notActivated', item);
    }
    this.persons.clear();
  }

  addGroups(docs: Iterable<AssessedGroupDoc>): void {
    this.settlePersons();
    const lastMonth = this.period.months[this.period.months.length - 1];
    const staleBefore = new Date(Date.parse(this.close) - this.settings.groupStaleDays * DAY_MS).toISOString();
    for (const doc of docs) {
      const standing = versionAt(doc.versions, this.close);
      if (!standing || standing.status !== 'ACTIVE') continue;
      let lastActivity: string | null = null;
      for (const [month, at] of Object.entries(doc.lastActivity))
        if (month <= lastMonth && at < this.close && (lastActivity === null || at > lastActivity)) lastActivity = at;
      const stale = (lastActivity ?? doc.createdAt) < staleBefore;
      const counters = this.counters(standing.unitId);
      const item = {
        unitId: standing.unitId,
        id: doc.id,
        name: doc.name,
        admins: standing.admins,
        departedMembers: standing.departed,
        lastActivityAt: lastActivity,
        createdAt: doc.createdAt,
      };
      counters.groups++;
      this.keep('groups', item);
      if (standing.admins.length === 0) {
        counters.groupsWithoutAdmin++;
        this.keep('groupsWithoutAdmin', item);
      }
      if (stale) {
        counters.staleGroups++;
        this.keep('staleGroups', item);
      }
      if (standing.departed.length > 0) {
        counters.groupsWithDepartedMembers++;
        this.keep('groupsWithDepartedMembers', item);
      }
      const withoutOwner = standing.ownerId === null;
      if (withoutOwner) {
        counters.groupsWithoutOwner++;
        this.keep('groupsWithoutOwner', item);
      }
      if (standing.admins.length === 0 || stale || standing.departed.length > 0 || withoutOwner)
        counters.problemGroups++;
    }
  }

  addApps(docs: Iterable<AssessedAppDoc>): void {
    for (const doc of docs) {
      const standing = versionAt(doc.versions, this.close);
      if (!standing) continue;
      const counters = this.counters(standing.unitId);
      const item = {
        unitId: standing.unitId,
        id: doc.id,
        name: doc.name,
        status: standing.status,
        requestedOn: doc.requestedOn,
        reviewDueOn: doc.reviewDueOn,
        decidedOn: standing.decidedOn,
      };
      if (standing.status !== 'DEREGISTERED') counters.apps++;
      // Late: decided in the period after the due date, or undecided at the close with the due date passed.
      const decidedLate =
        standing.decidedOn !== null &&
        standing.decidedOn >= this.period.firstDay &&
        standing.decidedOn > doc.reviewDueOn;
      const pendingLate = standing.status === 'REQUESTED' && doc.reviewDueOn < this.closeDay;
      if (decidedLate || pendingLate) {
        // 001a:14 makes the review the district office's duty: the lateness is booked to the reviewer's
        // unit, and to the root while no one has reviewed it — not to the unit that applied.
        const bookedTo = standing.reviewerUnitId ?? this.rootId() ?? standing.unitId;
        this.counters(bookedTo).lateReviews++;
        this.keep('lateReviews', {
          ...item,
          unitId: bookedTo,
          applicantUnitId: standing.unitId,
          workingDaysLate: this.calendar.workingDaysBetween(doc.reviewDueOn, standing.decidedOn ?? this.closeDay),
        });
      }
      if (standing.status === 'OFFLINE' && standing.offlineSince) {
        counters.offlineApps++;
        this.keep('offlineApps', {
          ...item,
          offlineSince: standing.offlineSince,
          daysOffline: Math.round((Date.parse(this.closeDay) - Date.parse(standing.offlineSince)) / DAY_MS) + 1,
        });
      }
      if (standing.deregisteredOn && standing.deregisteredOn >= this.period.firstDay) {
        counters.deregisteredApps++;
        this.keep('deregisteredApps', { ...item, deregisteredOn: standing.deregisteredOn });
      }
    }
  }

  /** Changes recorded in the period (the caller may pass more; the others are skipped). */
  addChanges(docs: Iterable<ChangeDoc>): void {
    for (const doc of docs) {
      if (doc.recordedAt < this.period.start || doc.recordedAt >= this.close) continue;
      const counters = this.counters(doc.unitId);
      const onTime = doc.lagWorkingDays <= this.settings.deadlineWorkingDays;
      counters.changes++;
      counters.lagHistogram[doc.lagWorkingDays] = (counters.lagHistogram[doc.lagWorkingDays] ?? 0) + 1;
      const month = this.months[this.period.months.indexOf(doc.recordedOn.slice(0, 7))];
      if (month) month.changes++;
      if (onTime) {
        counters.onTime++;
        if (month) month.onTime++;
      } else this.lateChanges.push(doc);
      const item = { ...doc, unitId: doc.unitId, id: doc.id, name: doc.personName, onTime };
      this.keep('changes', item);
      if (!onTime) this.keep('lateChanges', item);
    }
  }

  addActivity(docs: Iterable<ActivityDoc>): void {
    for (const doc of docs) {
      if (doc.kind === 'DAY' && this.workingDays.has(doc.period)) {
        this.counters(doc.unitId).dailyActiveSum += doc.accounts;
        this.keep('dailyActivity', {
          unitId: doc.unitId,
          id: doc.id,
          name: doc.period,
          day: doc.period,
          accounts: doc.accounts,
        });
      } else if (doc.kind === 'MONTH') {
        const month = this.months[this.period.months.indexOf(doc.period)];
        if (!month) continue;
        this.counters(doc.unitId).monthlyActiveSum += doc.accounts;
        month.monthlyActive += doc.accounts;
      }
    }
  }

  finish(): Evaluation {
    this.settlePersons();
    const byRecorded = (a: ChangeDoc, b: ChangeDoc) =>
      a.recordedAt < b.recordedAt ? -1 : a.recordedAt > b.recordedAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    this.lateChanges.sort(byRecorded);
    this.items.sort((a, b) =>
      a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
    );
    return {
      nodes: this.nodes,
      own: this.own,
      months: this.months,
      lateChanges: this.lateChanges,
      items: this.items,
      workingDays: this.workingDays.size,
    };
  }
}
