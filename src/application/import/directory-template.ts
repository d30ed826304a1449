/**
 * The import template the other way (issue 23): the tree and people as rows of the sheets 组织 and
 * 人员 that `import` reads (directory-import.ts), so that exporting a subtree and importing it into
 * an empty store gives the same nodes and people with their primary posts. The template holds one
 * post per person, the primary one: concurrent posts and secondments are not in it.
 */
import { POLITICAL_STATUS_CODES } from '../../domain/person/identity';
import type { Employment, Post } from '../../domain/person/person.decider';
import { EMPLOYMENT_NAMES, GENDER_NAMES, KIND_NAMES, ORG_COLUMNS, PERSON_COLUMNS } from './directory-import';

export interface TemplateNode {
  readonly id: string;
  readonly name: string;
  readonly shortName: string | null;
  readonly kind: string;
  readonly parentId: string | null;
  readonly externalCode: string | null;
  readonly order: number;
  readonly level: number;
  readonly status: string;
}

export interface TemplatePerson {
  readonly personId: string;
  readonly status: string;
  readonly name: string;
  readonly idNumber: string;
  readonly gender: string;
  readonly mobile: string;
  readonly officePhone: string | null;
  readonly employment: Employment;
  readonly rank: string | null;
  readonly politicalStatus: string | null;
  readonly leadershipDuties: string | null;
  readonly directoryClass: string;
  readonly posts: readonly Post[];
}

const invert = (names: Record<string, string>) => Object.fromEntries(Object.entries(names).map(([k, v]) => [v, k]));
const KIND_LABELS = invert(KIND_NAMES);
const GENDER_LABELS = invert(GENDER_NAMES);
const POLITICAL_LABELS: Record<string, string> = POLITICAL_STATUS_CODES;

function employmentLabel(employment: Employment): string {
  const found = Object.entries(EMPLOYMENT_NAMES).find(
    ([, e]) => e.type === employment.type && e.establishmentType === employment.establishmentType,
  );
  return found?.[0] ?? employment.type;
}

/** The rows of 组织 (ACTIVE nodes, parents first) and 人员 (ACTIVE people with their primary post among the nodes). */
export function templateRows(
  nodes: readonly TemplateNode[],
  persons: readonly TemplatePerson[],
  effectiveOn: string,
): { org: Array<Record<string, string>>; people: Array<Record<string, string>> } {
  const active = nodes.filter((n) => n.status === 'ACTIVE');
  const included = new Set(active.map((n) => n.id));
  const org = [...active]
    .sort((a, b) => a.level - b.level || a.order - b.order || a.id.localeCompare(b.id))
    .map((n) => ({
      [ORG_COLUMNS.orgNodeId]: n.id,
      [ORG_COLUMNS.name]: n.name,
      [ORG_COLUMNS.shortName]: n.shortName ?? '',
      [ORG_COLUMNS.kind]: KIND_LABELS[n.kind] ?? n.kind,
      [ORG_COLUMNS.parentId]: n.parentId ?? '',
      [ORG_COLUMNS.externalCode]: n.externalCode ?? '',
      [ORG_COLUMNS.order]: String(n.order),
    }));
  const people: Array<Record<string, string>> = [];
  for (const p of [...persons].sort((a, b) => a.personId.localeCompare(b.personId))) {
    const primary = p.posts.find((post) => post.kind === 'PRIMARY');
    if (p.status !== 'ACTIVE' || !primary || !included.has(primary.orgNodeId)) continue;
    people.push({
      [PERSON_COLUMNS.personId]: p.personId,
      [PERSON_COLUMNS.name]: p.name,
      [PERSON_COLUMNS.idNumber]: p.idNumber,
      [PERSON_COLUMNS.gender]: GENDER_LABELS[p.gender] ?? p.gender,
      [PERSON_COLUMNS.mobile]: p.mobile,
      [PERSON_COLUMNS.officePhone]: p.officePhone ?? '',
      [PERSON_COLUMNS.employment]: employmentLabel(p.employment),
      [PERSON_COLUMNS.rank]: p.rank ?? '',
      [PERSON_COLUMNS.politicalStatus]: p.politicalStatus
        ? (POLITICAL_LABELS[p.politicalStatus] ?? p.politicalStatus)
        : '',
      [PERSON_COLUMNS.orgNodeId]: primary.orgNodeId,
      [PERSON_COLUMNS.title]: primary.title ?? '',
      [PERSON_COLUMNS.postLevel]: primary.postLevel ?? '',
      [PERSON_COLUMNS.role]: primary.role ?? '',
      [PERSON_COLUMNS.leadershipDuties]: p.leadershipDuties ?? '',
      [PERSON_COLUMNS.order]: String(primary.order),
      [PERSON_COLUMNS.directoryClass]: p.directoryClass,
      [PERSON_COLUMNS.effectiveAt]: effectiveOn,
    });
  }
  return { org, people };
}
