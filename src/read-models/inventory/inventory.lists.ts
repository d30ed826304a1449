/**
 * The five lists (issue 23), declared once: their collection, the fields a list sorts on, the
 * filters its query parameters name, and the columns of its CSV/XLSX export. Sorting and paging
 * read `s_<field>`: the value as text that sorts as the value does, then the id, so that keyset
 * paging ("after this key") is exact and a cursor survives concurrent appends.
 */
import type { Doc } from '../../application/ports/read-store.port';

export type ListName = 'accounts' | 'work-groups' | 'apps' | 'tags' | 'people';

type SortKind = 'text' | 'instant' | 'number';

/** A query parameter and the condition it puts on a field. */
export type FilterSpec =
  | { readonly field: string; readonly kind: 'in' }
  | { readonly field: string; readonly kind: 'flag' }
  /**
   * An instant or date: the field lies before it. `sort`: the sortable field it ranges over — asked
   * without another sort, the page is read in that order from one index (filter and order alike);
   * `absentMatches`: whether an item without the value counts (a password never changed is old).
   */
  | { readonly field: string; readonly kind: 'before'; readonly sort?: string; readonly absentMatches?: boolean }
  /** A number of days: the field lies more than that many days before now (see `before`). */
  | {
      readonly field: string;
      readonly kind: 'olderThanDays';
      readonly sort?: string;
      readonly absentMatches?: boolean;
    };

export interface ListSpec {
  readonly collection: string;
  readonly sortable: Readonly<Record<string, SortKind>>;
  readonly defaultSort: string;
  readonly filters: Readonly<Record<string, FilterSpec>>;
  /** The field a unit filter and the reader's scope apply to. */
  readonly unitField: 'unitId' | 'postNodeIds';
  readonly multikey?: readonly string[];
  /** Export columns: header, field, and whether it is an instant (shown in the jurisdiction's zone). */
  readonly columns: ReadonlyArray<readonly [header: string, field: string, kind?: 'instant' | 'list']>;
}

export const LISTS: Readonly<Record<ListName, ListSpec>> = {
  accounts: {
    collection: 'accounts',
    sortable: { loginName: 'text', lastSignInAt: 'instant', passwordChangedAt: 'instant', expiresAt: 'instant' },
    defaultSort: 'loginName',
    filters: {
      type: { field: 'type', kind: 'in' },
      status: { field: 'status', kind: 'in' },
      signedInBefore: { field: 'lastSignInKey', kind: 'before', sort: 'lastSignInAt', absentMatches: true },
      passwordOlderThanDays: {
        field: 'passwordChangedKey',
        kind: 'olderThanDays',
        sort: 'passwordChangedAt',
        absentMatches: true,
      },
      expiresBefore: { field: 'expiresAt', kind: 'before', sort: 'expiresAt' },
    },
    unitField: 'unitId',
    columns: [
      ['账号', 'accountId'],
      ['登录名', 'loginName'],
      ['类型', 'type'],
      ['状态', 'status'],
      ['所属单位', 'unitId'],
      ['人员', 'personId'],
      ['激活时间', 'activatedAt', 'instant'],
      ['最近登录', 'lastSignInAt', 'instant'],
      ['密码修改时间', 'passwordChangedAt', 'instant'],
      ['到期时间', 'expiresAt', 'instant'],
      ['管理范围', 'adminScope', 'list'],
    ],
  },
  'work-groups': {
    collection: 'groups',
    sortable: { name: 'text', memberCount: 'number', lastActivityAt: 'instant' },
    defaultSort: 'name',
    filters: {
      kind: { field: 'kind', kind: 'in' },
      status: { field: 'status', kind: 'in' },
      withoutAdmin: { field: 'withoutAdmin', kind: 'flag' },
      withoutOwner: { field: 'withoutOwner', kind: 'flag' },
      holdsDeparted: { field: 'holdsDeparted', kind: 'flag' },
      staleDays: { field: 'activityKey', kind: 'olderThanDays', sort: 'lastActivityAt', absentMatches: true },
    },
    unitField: 'unitId',
    columns: [
      ['群', 'groupId'],
      ['群名称', 'name'],
      ['类型', 'kind'],
      ['状态', 'status'],
      ['所属单位', 'unitId'],
      ['群主', 'ownerId'],
      ['管理员', 'adminIds', 'list'],
      ['成员数', 'memberCount'],
      ['已离岗成员', 'departedMemberIds', 'list'],
      ['最近活跃', 'lastActivityAt', 'instant'],
    ],
  },
  apps: {
    collection: 'apps',
    sortable: { name: 'text', reviewDueOn: 'text', statusSince: 'instant' },
    defaultSort: 'name',
    filters: {
      status: { field: 'status', kind: 'in' },
      accessMode: { field: 'accessModes', kind: 'in' },
      reviewDueBefore: { field: 'reviewDueOn', kind: 'before', sort: 'reviewDueOn' },
      securityAudit: { field: 'securityAudit', kind: 'in' },
      cryptoAssessment: { field: 'cryptoAssessment', kind: 'in' },
    },
    unitField: 'unitId',
    multikey: ['accessModes'],
    columns: [
      ['应用', 'appId'],
      ['应用名称', 'name'],
      ['状态', 'status'],
      ['所属单位', 'unitId'],
      ['接入方式', 'accessModes', 'list'],
      ['审核期限', 'reviewDueOn'],
      ['审核决定时间', 'decidedAt', 'instant'],
      ['安全审计', 'securityAudit'],
      ['密码测评', 'cryptoAssessment'],
      ['当前状态起始', 'statusSince', 'instant'],
      ['授权节点数', 'authorizedNodes'],
      ['授权标签数', 'authorizedTags'],
      ['授权人员数', 'authorizedPersons'],
    ],
  },
  tags: {
    collection: 'tags',
    sortable: { name: 'text', memberPersons: 'number' },
    defaultSort: 'name',
    filters: { status: { field: 'status', kind: 'in' }, sharedWith: { field: 'sharedOrgNodeIds', kind: 'in' } },
    unitField: 'unitId',
    multikey: ['sharedOrgNodeIds'],
    columns: [
      ['标签', 'tagId'],
      ['标签名称', 'name'],
      ['状态', 'status'],
      ['所属单位', 'unitId'],
      ['共享组织', 'sharedOrgNodeIds', 'list'],
      ['成员人数', 'memberPersons'],
      ['成员节点数', 'memberNodes'],
    ],
  },
  people: {
    collection: 'people',
    sortable: { name: 'text' },
    defaultSort: 'name',
    filters: {
      status: { field: 'status', kind: 'in' },
      employmentType: { field: 'employmentType', kind: 'in' },
      directoryClass: { field: 'directoryClass', kind: 'in' },
    },
    unitField: 'postNodeIds',
    multikey: ['postNodeIds'],
    columns: [
      ['人员', 'id'],
      ['姓名', 'name'],
      ['状态', 'status'],
      ['主职单位', 'unitId'],
      ['任职节点', 'postNodeIds', 'list'],
      ['用工类型', 'employmentType'],
      ['通讯录分类', 'directoryClass'],
    ],
  },
};

export const LIST_NAMES = Object.keys(LISTS) as ListName[];

const SEPARATOR = '\u0001';

/** A value as text that sorts as the value does (absent values first). */
function sortable(value: unknown, kind: SortKind): string {
  if (value === null || value === undefined) return '';
  if (kind === 'number') return String(Math.max(0, Math.floor(Number(value)))).padStart(15, '0');
  return String(value);
}

/** The `s_<field>` keys and the derived range fields of a list document. */
export function sortKeysOf(list: ListName, doc: Doc): Record<string, string> {
  const spec = LISTS[list];
  const keys: Record<string, string> = {};
  for (const [field, kind] of Object.entries(spec.sortable))
    keys[`s_${field}`] = `${sortable(doc[field], kind)}${SEPARATOR}${doc.id}`;
  // Range filters that must also catch "never": an absent instant counts as the earliest.
  if (list === 'accounts') {
    keys.lastSignInKey = (doc.lastSignInAt as string | null) ?? '';
    keys.passwordChangedKey = (doc.passwordChangedAt as string | null) ?? '';
  }
  if (list === 'work-groups') keys.activityKey = (doc.lastActivityAt as string | null) ?? '';
  return keys;
}
