import { DeciderSpecification } from '../../../test/support/decider-specification';
import { type OrgNodeEvent, orgNodeDecider } from './org-node.decider';
import { namingProblems } from './naming-rule';

const spec = DeciderSpecification.for(orgNodeDecider);
const root: OrgNodeEvent = {
  type: 'OrgNodeCreated',
  data: {
    orgNodeId: 'root',
    name: '青浦区',
    shortName: null,
    externalCode: null,
    kind: 'ROOT',
    parentId: null,
    level: 0,
    order: 0,
  },
};
const naming = { maxShortNameLength: 4 };

describe('the naming rule of short names (000:7 规范化简称)', () => {
  it('given a rule of 4 characters, when a node is created with a 5-character short name, then SHORT_NAME_TOO_LONG', () => {
    const create = (shortName: string) =>
      ({
        type: 'CreateOrgNode',
        data: { orgNodeId: 'edu', name: '区教育局', shortName, kind: 'UNIT', parentId: 'root', naming },
      }) as const;
    spec.given([root]).when(create('区教育局党')).thenFails('SHORT_NAME_TOO_LONG');
    spec
      .given([root])
      .when(create('教育局'))
      .then([
        {
          type: 'OrgNodeCreated',
          data: {
            orgNodeId: 'edu',
            name: '区教育局',
            shortName: '教育局',
            externalCode: null,
            kind: 'UNIT',
            parentId: 'root',
            level: 1,
            order: 0,
          },
        },
      ]);
  });

  it('given a node, when renamed to a short name the rule does not allow, then refused; the name alone may change', () => {
    const edu: OrgNodeEvent = {
      type: 'OrgNodeCreated',
      data: {
        orgNodeId: 'edu',
        name: '区教育局',
        shortName: '青浦区教育局',
        externalCode: null,
        kind: 'UNIT',
        parentId: 'root',
        level: 1,
        order: 0,
      },
    };
    spec
      .given([root, edu])
      .when({
        type: 'RenameOrgNode',
        data: { orgNodeId: 'edu', name: '区教育局', shortName: '青浦区教育局党委', naming },
      })
      .thenFails('SHORT_NAME_TOO_LONG');
    // A short name recorded under a looser rule stays until it is changed (the naming report lists it).
    spec
      .given([root, edu])
      .when({ type: 'RenameOrgNode', data: { orgNodeId: 'edu', name: '区教育局（区语委）', naming } })
      .then([
        {
          type: 'OrgNodeRenamed',
          data: {
            orgNodeId: 'edu',
            from: { name: '区教育局', shortName: '青浦区教育局' },
            to: { name: '区教育局（区语委）', shortName: '青浦区教育局' },
          },
        },
      ]);
  });

  it('lists the ACTIVE nodes with a missing, too long or duplicated short name', () => {
    const node = (
      orgNodeId: string,
      shortName: string | null,
      parentId: string | null = 'root',
      status = 'ACTIVE',
    ) => ({
      orgNodeId,
      parentId,
      shortName,
      kind: 'UNIT',
      status,
    });
    const problems = namingProblems(
      [
        node('root', '青浦', null),
        node('a', null),
        node('b', '财政局财政局'),
        node('c', '教育'),
        node('d', '教育'),
        node('e', null, 'root', 'DISSOLVED'),
      ],
      naming,
    );
    expect(Object.fromEntries(problems)).toEqual({
      a: ['SHORT_NAME_MISSING'],
      b: ['SHORT_NAME_TOO_LONG'],
      c: ['SHORT_NAME_DUPLICATE'],
      d: ['SHORT_NAME_DUPLICATE'],
    });
  });
});
