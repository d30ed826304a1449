import { DeciderSpecification } from '../../../test/support/decider-specification';
import { fold } from '../shared/decider';
import { type OrgNodeEvent, type OrgNodeKind, orgNodeDecider, responsibleFor } from './org-node.decider';
import type { ResponsiblePersonFacts } from './unit-responsibilities';

const spec = DeciderSpecification.for(orgNodeDecider);

const created = (
  orgNodeId: string,
  parentId: string | null,
  level: number,
  kind: OrgNodeKind,
  order = level,
): OrgNodeEvent => ({
  type: 'OrgNodeCreated',
  data: { orgNodeId, name: orgNodeId, shortName: null, externalCode: null, kind, parentId, level, order },
});
// 青浦区 › 区政府 (category) › 区教育局 (unit) › 办公室 (internal body); 区卫健委 beside it.
const tree = [
  created('root', null, 0, 'ROOT'),
  created('gov', 'root', 1, 'CATEGORY'),
  created('edu', 'gov', 2, 'UNIT'),
  created('edu-office', 'edu', 3, 'INTERNAL_BODY'),
  created('health', 'gov', 2, 'UNIT', 9),
];
const staff = (postNodeIds: string[], employmentType = 'ON_ESTABLISHMENT'): ResponsiblePersonFacts => ({
  status: 'ACTIVE',
  employmentType,
  postNodeIds,
});
const assign = (
  orgNodeId: string,
  role: 'HEAD' | 'LEADER_IN_CHARGE' | 'RESPONSIBLE_PERSON' | 'SYSTEM_ADMIN',
  personId: string,
  person: ResponsiblePersonFacts,
) => ({ type: 'AssignUnitResponsibility', data: { orgNodeId, role, personId, person } }) as const;
const assigned = (orgNodeId: string, role: string, personId: string, replaced: string | null = null): OrgNodeEvent =>
  ({ type: 'UnitResponsibilityAssigned', data: { orgNodeId, role, personId, replaced } }) as OrgNodeEvent;

describe('a unit’s responsible people (000:6, 003:9, 003:13)', () => {
  it('given a unit, when someone posted in its internal body is named its leader in charge, then they hold the role', () => {
    spec
      .given(tree)
      .when(assign('edu', 'LEADER_IN_CHARGE', 'p1', staff(['edu-office'])))
      .then([assigned('edu', 'LEADER_IN_CHARGE', 'p1')]);
  });

  it('given a head, when another person is named head, then the new head replaces the old one', () => {
    const given = [...tree, assigned('edu', 'HEAD', 'p1')];
    spec
      .given(given)
      .when(assign('edu', 'HEAD', 'p2', staff(['edu'])))
      .then([assigned('edu', 'HEAD', 'p2', 'p1')]);
    const state = fold(orgNodeDecider, [...given, assigned('edu', 'HEAD', 'p2', 'p1')]);
    expect(responsibleFor(state, 'edu', 'HEAD')).toEqual(['p2']);
  });

  it('given one system admin, when a second is named, then the unit has both; naming one again changes nothing', () => {
    const given = [...tree, assigned('edu', 'SYSTEM_ADMIN', 'p1')];
    spec
      .given(given)
      .when(assign('edu', 'SYSTEM_ADMIN', 'p2', staff(['edu'])))
      .then([assigned('edu', 'SYSTEM_ADMIN', 'p2')]);
    spec
      .given(given)
      .when(assign('edu', 'SYSTEM_ADMIN', 'p1', staff(['edu'])))
      .thenNothingHappens();
    expect(
      responsibleFor(fold(orgNodeDecider, [...given, assigned('edu', 'SYSTEM_ADMIN', 'p2')]), 'edu', 'SYSTEM_ADMIN'),
    ).toEqual(['p1', 'p2']);
  });

  it('when the person holds no post in the unit or below it, then RESPONSIBLE_PERSON_NOT_IN_UNIT', () => {
    spec
      .given(tree)
      .when(assign('edu', 'HEAD', 'p1', staff(['health'])))
      .thenFails('RESPONSIBLE_PERSON_NOT_IN_UNIT');
  });

  it('when the person has left, then PERSON_NOT_ACTIVE', () => {
    spec
      .given(tree)
      .when(assign('edu', 'HEAD', 'p1', { status: 'LEFT', employmentType: 'ON_ESTABLISHMENT', postNodeIds: ['edu'] }))
      .thenFails('PERSON_NOT_ACTIVE');
  });

  it('when an external temporary worker is named system admin, then ADMIN_NOT_IN_SERVICE_STAFF (000:6 在职人员)', () => {
    spec
      .given(tree)
      .when(assign('edu', 'SYSTEM_ADMIN', 'p1', staff(['edu'], 'EXTERNAL_TEMPORARY')))
      .thenFails('ADMIN_NOT_IN_SERVICE_STAFF');
  });

  it('when an internal body is given a leader in charge, then ROLE_NOT_FOR_NODE_KIND; its head is fine', () => {
    spec
      .given(tree)
      .when(assign('edu-office', 'LEADER_IN_CHARGE', 'p1', staff(['edu-office'])))
      .thenFails('ROLE_NOT_FOR_NODE_KIND');
    spec
      .given(tree)
      .when(assign('edu-office', 'HEAD', 'p1', staff(['edu-office'])))
      .then([assigned('edu-office', 'HEAD', 'p1')]);
    spec
      .given(tree)
      .when(assign('gov', 'HEAD', 'p1', staff(['gov'])))
      .thenFails('ROLE_NOT_FOR_NODE_KIND');
  });

  it('given a holder, when released, then the role is free; releasing someone who does not hold it changes nothing', () => {
    const given = [...tree, assigned('edu', 'RESPONSIBLE_PERSON', 'p1')];
    const release = (personId: string) =>
      ({
        type: 'ReleaseUnitResponsibility',
        data: { orgNodeId: 'edu', role: 'RESPONSIBLE_PERSON', personId },
      }) as const;
    spec
      .given(given)
      .when(release('p1'))
      .then([
        { type: 'UnitResponsibilityReleased', data: { orgNodeId: 'edu', role: 'RESPONSIBLE_PERSON', personId: 'p1' } },
      ]);
    spec.given(given).when(release('p2')).thenNothingHappens();
  });
});
