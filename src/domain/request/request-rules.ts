/**
 * The jurisdiction's rules for requests (configuration): each kind's route of review steps, the
 * documents it needs one of, and which kinds must go through a request (their direct command is
 * then refused). Defaults follow the seeds: 003:10 names the documents of a unit's registration,
 * 003:16 the ID card copy of a person's account; one review by the system admins unless configured.
 */
import { REQUEST_KIND_NAMES, REQUEST_KINDS, type RequestKind, type ReviewStep } from './request.decider';
import { RuleViolation } from '../shared/domain-error';

export interface RequestRules {
  readonly routes: Readonly<Record<RequestKind, readonly ReviewStep[]>>;
  readonly documents: Readonly<Record<RequestKind, readonly string[]>>;
  /** Kinds whose direct command is refused: they go through a request. */
  readonly required: readonly RequestKind[];
}

/** No kind required (handlers built without configuration, as in unit tests). */
export const NO_REQUIRED_REQUESTS: RequestRules = {
  routes: {} as RequestRules['routes'],
  documents: {} as RequestRules['documents'],
  required: [],
};

const ONE_REVIEW: readonly ReviewStep[] = [{ name: '系统管理员审核', reviewer: { adminOf: null }, workingDays: 7 }];

const DEFAULT_DOCUMENTS: Partial<Record<RequestKind, readonly string[]>> = {
  UNIT_REGISTRATION: ['编办批文', '单位成立文件', '上级主管单位意见'],
  ACCOUNT_OPENING: ['身份证复印件'],
};

/** The kind a direct command stands for, when a kind covers it. */
export function kindOfCommand(aggregate: string, commandType: string): RequestKind | null {
  for (const kind of REQUEST_KIND_NAMES) {
    const { aggregate: target, commands } = REQUEST_KINDS[kind];
    if (target === aggregate && (commands as readonly string[]).includes(commandType)) return kind;
  }
  return null;
}

/** Refuses a principal's direct command of a kind the jurisdiction routes through requests. */
export function assertDirectAllowed(rules: RequestRules, aggregate: string, commandType: string): void {
  const kind = kindOfCommand(aggregate, commandType);
  if (kind && rules.required.includes(kind))
    throw new RuleViolation(
      'REQUEST_REQUIRED',
      'unprocessable',
      `本辖区的“${REQUEST_KINDS[kind].label}”须提交申请、经审批后办理（申请类型 ${kind}），不能直接执行`,
      { kind },
    );
}

/**
 * Rules from their configuration text: `routes` JSON `{ "<KIND>": [{ "name", "adminOf", "workingDays" }] }`
 * (adminOf: a node id, null for the system admins, "APPLICANT_UNIT"), `documents` JSON
 * `{ "<KIND>": ["编办批文", …] }`, `required` kinds separated by commas. Throws a message on a bad value.
 */
export function requestRulesOf(text: {
  routes: string | null;
  documents: string | null;
  required: string;
}): RequestRules {
  const routes = Object.fromEntries(REQUEST_KIND_NAMES.map((k) => [k, ONE_REVIEW])) as Record<
    RequestKind,
    readonly ReviewStep[]
  >;
  const documents = Object.fromEntries(REQUEST_KIND_NAMES.map((k) => [k, DEFAULT_DOCUMENTS[k] ?? []])) as Record<
    RequestKind,
    readonly string[]
  >;
  const kindOf = (name: string) => {
    if (!(REQUEST_KIND_NAMES as string[]).includes(name))
      throw new Error(`unknown request kind ${name} (one of ${REQUEST_KIND_NAMES.join(', ')})`);
    return name as RequestKind;
  };
  if (text.routes) {
    const parsed = JSON.parse(text.routes) as Record<
      string,
      Array<{ name?: unknown; adminOf?: unknown; workingDays?: unknown }>
    >;
    for (const [name, steps] of Object.entries(parsed)) {
      if (!Array.isArray(steps) || steps.length === 0) throw new Error(`the route of ${name} must list its steps`);
      routes[kindOf(name)] = steps.map((step) => {
        const { adminOf, workingDays } = step;
        if (typeof step.name !== 'string' || step.name.trim() === '') throw new Error(`a step of ${name} has no name`);
        if (adminOf !== null && typeof adminOf !== 'string')
          throw new Error(`adminOf of ${name} must be a node id or null`);
        if (typeof workingDays !== 'number' || !Number.isInteger(workingDays) || workingDays < 1 || workingDays > 60)
          throw new Error(`workingDays of ${name} must be an integer from 1 to 60`);
        return { name: step.name.trim(), reviewer: { adminOf: adminOf as string | null }, workingDays };
      });
    }
  }
  if (text.documents) {
    const parsed = JSON.parse(text.documents) as Record<string, unknown>;
    for (const [name, kinds] of Object.entries(parsed)) {
      if (!Array.isArray(kinds) || kinds.some((k) => typeof k !== 'string'))
        throw new Error(`the documents of ${name} must be a list of document kinds`);
      documents[kindOf(name)] = kinds as string[];
    }
  }
  const required = text.required === '' ? [] : text.required.split(',').map((k) => kindOf(k.trim()));
  return { routes, documents, required };
}
