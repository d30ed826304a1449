/**
 * The tree and its people of a subtree in the import template (issue 23), as of now or as of a
 * recorded time or effective date: rows of 组织 and 人员 exactly as `import` reads them, folded by
 * time travel from the events (so a past date is answered as the record then stood). The
 * template carries full ID numbers and mobiles: for system admins only, and the disclosure is
 * recorded (IdNumbersDisclosed, 000:15) before the rows are handed out.
 */
import { AccessControl } from '../../application/access/access-control';
import { type AsOf, AuditQueryError } from '../../application/audit/as-of';
import type { TimeTravel, TimeTravelModels } from '../../application/audit/time-travel';
import { localDate } from '../../application/calendar/working-days';
import { type TemplatePerson, templateRows } from '../../application/import/directory-template';
import type { Clock } from '../../application/ports/clock.port';
import type { DisclosureRecord } from '../../application/ports/disclosure-record.port';
import { physicalName, type ReadStore } from '../../application/ports/read-store.port';
import { type BusQueryHandler, PrincipalQuery } from '../../application/queries/query-bus';
import type { Principal } from '../../domain/access/access-policy';
import { isWithin } from '../../domain/org-node/org-node.decider';
import { DIRECTORY, PERSONS, type PersonDoc } from '../directory/directory.projection';
import { NODES, ORG_TREE, type OrgNodeDoc } from '../org-tree/org-tree.projection';
import { AUDIT_TIME_TRAVEL, type AuditQueries } from './audit-trail.queries';

export interface TemplateSnapshot {
  readonly nodes: OrgNodeDoc[];
  readonly persons: PersonDoc[];
}

/** The audit's time travel, read back with the people's ID numbers (the template needs them). */
export const TEMPLATE_TIME_TRAVEL: TimeTravelModels<TemplateSnapshot> = {
  ...AUDIT_TIME_TRAVEL,
  snapshot: {
    ...AUDIT_TIME_TRAVEL.snapshot,
    read: async (store: ReadStore) => ({
      nodes: (await store.find(physicalName(ORG_TREE, 1, NODES), {})) as OrgNodeDoc[],
      persons: (await store.find(physicalName(DIRECTORY, 1, PERSONS), {})) as PersonDoc[],
    }),
  },
};

export interface DirectoryTemplate {
  readonly asOf: AsOf;
  readonly root: string;
  readonly org: Array<Record<string, string>>;
  readonly people: Array<Record<string, string>>;
}

export class ExportDirectoryTemplate extends PrincipalQuery<DirectoryTemplate> {
  constructor(
    principal: Principal,
    /** The subtree's root (default: the jurisdiction's root). */
    readonly root: string | undefined,
    readonly recordedAt?: string,
    readonly effectiveOn?: string,
  ) {
    super(principal);
  }
}

export class ExportDirectoryTemplateHandler implements BusQueryHandler<ExportDirectoryTemplate> {
  constructor(
    private readonly timeTravel: TimeTravel<TemplateSnapshot>,
    private readonly audit: AuditQueries,
    private readonly access: AccessControl,
    private readonly disclosures: DisclosureRecord,
    private readonly clock: Clock,
    private readonly timeZone: string,
  ) {}

  async execute({ principal, root, recordedAt, effectiveOn }: ExportDirectoryTemplate): Promise<DirectoryTemplate> {
    this.access.authorize(principal, AccessControl.systemAdmin('按导入模板导出组织与人员（含身份证号）'));
    if (recordedAt !== undefined && effectiveOn !== undefined)
      throw new AuditQueryError('INVALID_AUDIT_QUERY', 'recordedAt 与 effectiveOn 只能给出其一');
    const now = this.clock.now();
    const asOf: AsOf = effectiveOn !== undefined ? { effectiveOn } : { recordedAt: recordedAt ?? now.toISOString() };
    const tree = await this.timeTravel.treeAsOf(asOf);
    const rootId = root ?? [...tree.nodes.values()].find((node) => node.parentId === null)?.id;
    if (!rootId || !tree.nodes.has(rootId))
      throw new AuditQueryError('ENTITY_NOT_FOUND', `组织节点 ${root ?? ''} 在该时点不存在`);
    const nodeIds = [...tree.nodes.keys()].filter((id) => isWithin(tree, id, rootId));
    const whole = tree.nodes.get(rootId)!.parentId === null;
    let snapshot: TemplateSnapshot;
    if (whole) snapshot = await this.timeTravel.snapshotAsOf(asOf);
    else {
      const personIds = await this.audit.personsPlacedIn(nodeIds);
      snapshot =
        personIds === null
          ? await this.timeTravel.snapshotAsOf(asOf)
          : await this.timeTravel.partAsOf({ nodeIds, personIds }, asOf);
    }
    const ids = new Set(nodeIds);
    const nodes = snapshot.nodes.filter((node) => ids.has(node.id));
    // A subtree's root keeps its parent: imported where that parent exists, it hangs where it did.
    const effective = 'effectiveOn' in asOf ? asOf.effectiveOn : localDate(new Date(asOf.recordedAt), this.timeZone);
    const rows = templateRows(nodes, snapshot.persons as unknown as TemplatePerson[], effective);
    await this.disclosures.idNumbersShown(principal, `按导入模板导出 ${rootId} 的组织与人员`, rows.people.length);
    return { asOf, root: rootId, ...rows };
  }
}
