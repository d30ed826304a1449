import { DeciderSpecification } from '../../../test/support/decider-specification';
import { fold } from '../shared/decider';
import { type OrgNodeEvent, type OrgNodeKind, orgNodeDecider } from './org-node.decider';
import { dispositionsOf, type RestructuringPlan } from './restructuring-plan';
import {
  DuplicateSiblingName,
  DuplicateSiblingOrder,
  DuplicateSiblingShortName,
  InvalidMerge,
  InvalidNodeName,
  InvalidOrder,
  MoveWouldCreateCycle,
  NodeStillHasChildren,
  NamesakesUnresolved,
  DispositionRequired,
  InvalidAbolition,
  OrgNodeAlreadyExists,
  OrgNodeNotActive,
  OrgNodeNotFound,
  RootAlreadyExists,
  RootMisplaced,
} from './org-node.errors';

const spec = DeciderSpecification.for(orgNodeDecider);

const created = (
  orgNodeId: string,
  name: string,
  parentId: string | null,
  level: number,
  order = 0,
  kind: OrgNodeKind = parentId === null ? 'ROOT' : 'UNIT',
): OrgNodeEvent => ({
  type: 'OrgNodeCreated',
  data: { orgNodeId, name, shortName: null, externalCode: null, kind, parentId, level, order },
});

// 青浦区 (001b:4): root, 区政府 (category), two bureaus, an internal body.
const root = created('root', '青浦区', null, 0);
const government = created('gov', '区政府', 'root', 1, 0, 'CATEGORY');
const party = created('party', '区委', 'root', 1, 1, 'CATEGORY');
const education = created('edu', '区教育局', 'gov', 2, 0);
const health = created('health', '区卫健委', 'gov', 2, 1);
const office = created('edu-office', '办公室', 'edu', 3, 0, 'INTERNAL_BODY');
const tree = [root, government, party, education, health, office];

describe('OrgNode decider', () => {
  describe('CreateOrgNode', () => {
    it('creates the root at level 0', () => {
      spec
        .given([])
        .when({ type: 'CreateOrgNode', data: { orgNodeId: 'root', name: ' 青浦区 ', kind: 'ROOT', parentId: null } })
        .then([root]);
    });

    it('creates a child one level below its parent, ordered after its siblings', () => {
      spec
        .given(tree)
        .when({
          type: 'CreateOrgNode',
          data: {
            orgNodeId: 'fin',
            name: '区财政局',
            kind: 'UNIT',
            parentId: 'gov',
            externalCode: '11310118002425123X',
          },
        })
        .then([
          {
            type: 'OrgNodeCreated',
            data: {
              orgNodeId: 'fin',
              name: '区财政局',
              shortName: null,
              externalCode: '11310118002425123X',
              kind: 'UNIT',
              parentId: 'gov',
              level: 2,
              order: 2,
            },
          },
        ]);
    });

    it('refuses a second root', () => {
      spec
        .given([root])
        .when({ type: 'CreateOrgNode', data: { orgNodeId: 'r2', name: '松江区', kind: 'ROOT', parentId: null } })
        .thenThrows(RootAlreadyExists);
    });

    it('refuses a root with a parent and a non-root without one', () => {
      spec
        .given([root])
        .when({ type: 'CreateOrgNode', data: { orgNodeId: 'r2', name: 'x', kind: 'ROOT', parentId: 'root' } })
        .thenThrows(RootMisplaced);
      spec
        .given([root])
        .when({ type: 'CreateOrgNode', data: { orgNodeId: 'u', name: 'x', kind: 'UNIT', parentId: null } })
        .thenThrows(RootMisplaced);
    });

    it('refuses an unknown or inactive parent', () => {
      spec
        .given([root])
        .when({ type: 'CreateOrgNode', data: { orgNodeId: 'u', name: 'x', kind: 'UNIT', parentId: 'nowhere' } })
        .thenThrows(OrgNodeNotFound);
      spec
        .given([...tree, { type: 'OrgNodeDissolved', data: { orgNodeId: 'health', name: '区卫健委' } }])
        .when({
          type: 'CreateOrgNode',
          data: { orgNodeId: 'u', name: '科室', kind: 'INTERNAL_BODY', parentId: 'health' },
        })
        .thenThrows(OrgNodeNotActive);
    });

    it('refuses a name already used by an active sibling, after trimming', () => {
      spec
        .given(tree)
        .when({ type: 'CreateOrgNode', data: { orgNodeId: 'dup', name: '  区教育局 ', kind: 'UNIT', parentId: 'gov' } })
        .thenThrows(DuplicateSiblingName, (error) =>
          expect(error.details).toEqual({ name: '区教育局', parentId: 'gov', existingId: 'edu' }),
        );
    });

    it('allows the name of a dissolved sibling again', () => {
      spec
        .given([...tree, { type: 'OrgNodeDissolved', data: { orgNodeId: 'health', name: '区卫健委' } }])
        .when({
          type: 'CreateOrgNode',
          data: { orgNodeId: 'health2', name: '区卫健委', kind: 'UNIT', parentId: 'gov' },
        })
        .then([created('health2', '区卫健委', 'gov', 2, 1)]);
    });

    it.each([
      ['empty', '   '],
      ['65 characters', '局'.repeat(65)],
      ['a control character', '区\u0007教育局'],
    ])('refuses a name that is %s', (_label, name) => {
      spec
        .given(tree)
        .when({ type: 'CreateOrgNode', data: { orgNodeId: 'x', name, kind: 'UNIT', parentId: 'gov' } })
        .thenThrows(InvalidNodeName);
    });

    it('refuses a used id and a bad order', () => {
      spec
        .given(tree)
        .when({ type: 'CreateOrgNode', data: { orgNodeId: 'edu', name: '新单位', kind: 'UNIT', parentId: 'gov' } })
        .thenThrows(OrgNodeAlreadyExists);
      spec
        .given(tree)
        .when({
          type: 'CreateOrgNode',
          data: { orgNodeId: 'x', name: '新单位', kind: 'UNIT', parentId: 'gov', order: -1 },
        })
        .thenThrows(InvalidOrder);
    });
  });

  describe('RenameOrgNode (003:11(1))', () => {
    it('records the previous and the new name', () => {
      spec
        .given(tree)
        .when({ type: 'RenameOrgNode', data: { orgNodeId: 'health', name: '区卫生健康委员会', shortName: '区卫健委' } })
        .then([
          {
            type: 'OrgNodeRenamed',
            data: {
              orgNodeId: 'health',
              from: { name: '区卫健委', shortName: null },
              to: { name: '区卫生健康委员会', shortName: '区卫健委' },
            },
          },
        ]);
    });

    it('does nothing when nothing changes', () => {
      spec
        .given(tree)
        .when({ type: 'RenameOrgNode', data: { orgNodeId: 'health', name: ' 区卫健委 ' } })
        .thenNothingHappens();
    });

    it('refuses a sibling’s name, an unknown node and an inactive node', () => {
      spec
        .given(tree)
        .when({ type: 'RenameOrgNode', data: { orgNodeId: 'health', name: '区教育局' } })
        .thenThrows(DuplicateSiblingName);
      spec
        .given(tree)
        .when({ type: 'RenameOrgNode', data: { orgNodeId: 'nope', name: 'x' } })
        .thenThrows(OrgNodeNotFound);
      spec
        .given([...tree, { type: 'OrgNodeDissolved', data: { orgNodeId: 'health', name: '区卫健委' } }])
        .when({ type: 'RenameOrgNode', data: { orgNodeId: 'health', name: 'x' } })
        .thenThrows(OrgNodeNotActive);
    });
  });

  describe('ReorderOrgNode (000:7)', () => {
    it('records the old and new order, and nothing when unchanged', () => {
      spec
        .given(tree)
        .when({ type: 'ReorderOrgNode', data: { orgNodeId: 'health', order: 5 } })
        .then([{ type: 'OrgNodeReordered', data: { orgNodeId: 'health', from: 1, to: 5 } }]);
      // Siblings' orders are distinct (000:7): edu holds 0.
      spec
        .given(tree)
        .when({ type: 'ReorderOrgNode', data: { orgNodeId: 'health', order: 0 } })
        .thenThrows(DuplicateSiblingOrder);
      spec
        .given(tree)
        .when({ type: 'ReorderOrgNode', data: { orgNodeId: 'health', order: 1 } })
        .thenNothingHappens();
      spec
        .given(tree)
        .when({ type: 'ReorderOrgNode', data: { orgNodeId: 'health', order: 1.5 } })
        .thenThrows(InvalidOrder);
    });
  });

  describe('MoveOrgNode', () => {
    it('moves a node and its subtree; levels follow', () => {
      const moved: OrgNodeEvent = {
        type: 'OrgNodeMoved',
        data: { orgNodeId: 'edu', fromParentId: 'gov', toParentId: 'party', fromLevel: 2, toLevel: 2, order: 0 },
      };
      spec
        .given(tree)
        .when({ type: 'MoveOrgNode', data: { orgNodeId: 'edu', toParentId: 'party' } })
        .then([moved]);

      const deeper: OrgNodeEvent = {
        type: 'OrgNodeMoved',
        data: { orgNodeId: 'edu', fromParentId: 'gov', toParentId: 'health', fromLevel: 2, toLevel: 3, order: 0 },
      };
      spec
        .given(tree)
        .when({ type: 'MoveOrgNode', data: { orgNodeId: 'edu', toParentId: 'health' } })
        .then([deeper]);
      const state = fold(orgNodeDecider, [...tree, deeper]);
      expect(state.nodes.get('edu')).toMatchObject({ parentId: 'health', level: 3 });
      expect(state.nodes.get('edu-office')?.level).toBe(4);
    });

    it('refuses to move a node under itself or its descendant', () => {
      spec
        .given(tree)
        .when({ type: 'MoveOrgNode', data: { orgNodeId: 'gov', toParentId: 'edu-office' } })
        .thenThrows(MoveWouldCreateCycle);
      spec
        .given(tree)
        .when({ type: 'MoveOrgNode', data: { orgNodeId: 'gov', toParentId: 'gov' } })
        .thenThrows(MoveWouldCreateCycle);
    });

    it('refuses to move the root, or next to a sibling of the same name', () => {
      spec
        .given(tree)
        .when({ type: 'MoveOrgNode', data: { orgNodeId: 'root', toParentId: 'gov' } })
        .thenThrows(RootMisplaced);
      spec
        .given([...tree, created('party-edu', '区教育局', 'party', 2, 0)])
        .when({ type: 'MoveOrgNode', data: { orgNodeId: 'edu', toParentId: 'party' } })
        .thenThrows(DuplicateSiblingName);
    });

    it('does nothing when the node already sits under the target', () => {
      spec
        .given(tree)
        .when({ type: 'MoveOrgNode', data: { orgNodeId: 'edu', toParentId: 'gov' } })
        .thenNothingHappens();
    });
  });

  describe('SetOrgNodeHidden (001b:9)', () => {
    it('hides a sensitive unit with an allow-list, and shows it again', () => {
      const hidden: OrgNodeEvent = {
        type: 'OrgNodeHiddenChanged',
        data: {
          orgNodeId: 'health',
          from: { hidden: false, visibleTo: [] },
          to: { hidden: true, visibleTo: ['p1', 'p2'] },
        },
      };
      spec
        .given(tree)
        .when({ type: 'SetOrgNodeHidden', data: { orgNodeId: 'health', hidden: true, visibleTo: ['p2', 'p1', 'p1'] } })
        .then([hidden]);
      spec
        .given([...tree, hidden])
        .when({ type: 'SetOrgNodeHidden', data: { orgNodeId: 'health', hidden: true, visibleTo: ['p1', 'p2'] } })
        .thenNothingHappens();
      spec
        .given([...tree, hidden])
        .when({ type: 'SetOrgNodeHidden', data: { orgNodeId: 'health', hidden: false } })
        .then([
          {
            type: 'OrgNodeHiddenChanged',
            data: {
              orgNodeId: 'health',
              from: { hidden: true, visibleTo: ['p1', 'p2'] },
              to: { hidden: false, visibleTo: [] },
            },
          },
        ]);
    });
  });

  describe('short names and orders among siblings (000:7 规范化简称及顺序)', () => {
    it('refuses a sibling with the same short name or the same order', () => {
      spec
        .given([
          ...tree,
          {
            type: 'OrgNodeRenamed',
            data: {
              orgNodeId: 'edu',
              from: { name: '区教育局', shortName: null },
              to: { name: '区教育局', shortName: '教育' },
            },
          },
        ])
        .when({
          type: 'CreateOrgNode',
          data: { orgNodeId: 'edu2', name: '区教育委员会', shortName: '教育', kind: 'UNIT', parentId: 'gov' },
        })
        .thenThrows(DuplicateSiblingShortName);
      spec
        .given(tree)
        .when({
          type: 'CreateOrgNode',
          data: { orgNodeId: 'fin', name: '区财政局', kind: 'UNIT', parentId: 'gov', order: 1 },
        })
        .thenThrows(DuplicateSiblingOrder);
      spec
        .given(tree)
        .when({ type: 'RenameOrgNode', data: { orgNodeId: 'health', name: '区卫健委', shortName: '卫健' } })
        .then([
          {
            type: 'OrgNodeRenamed',
            data: {
              orgNodeId: 'health',
              from: { name: '区卫健委', shortName: null },
              to: { name: '区卫健委', shortName: '卫健' },
            },
          },
        ]);
    });
  });

  describe('MergeOrgNodes (003:11(3)): one decision, the plan first', () => {
    const withChild = [...tree, created('health-office', '综合科', 'health', 3, 0, 'INTERNAL_BODY')];
    const holdings = [
      { personId: 'p1', orgNodeId: 'health', kind: 'PRIMARY' as const },
      { personId: 'p2', orgNodeId: 'health-office', kind: 'CONCURRENT' as const },
    ];

    it('into an existing survivor: the plan moves the people, children move over, absorbed nodes end MERGED', () => {
      spec
        .given(withChild)
        .when({
          type: 'MergeOrgNodes',
          data: {
            mergeId: 'm1',
            absorbedIds: ['health'],
            survivorId: 'edu',
            holdings,
            dispositionRef: '青编〔2025〕1号',
          },
        })
        .then([
          {
            type: 'RestructuringPlanned',
            data: {
              operationId: 'm1',
              kind: 'MERGE',
              removedIds: ['health'],
              survivorId: 'edu',
              // Only posts in the absorbed node move: the child moves whole, with its people.
              people: [{ action: 'MOVE', fromNodeId: 'health', toNodeId: 'edu', reason: null, personIds: ['p1'] }],
              dispositionRef: '青编〔2025〕1号',
            },
          },
          {
            type: 'OrgNodesMerged',
            data: { mergeId: 'm1', survivorId: 'edu', absorbedIds: ['health'], survivorIsNew: false },
          },
          {
            type: 'OrgNodeMoved',
            data: {
              orgNodeId: 'health-office',
              fromParentId: 'health',
              toParentId: 'edu',
              fromLevel: 3,
              toLevel: 3,
              order: 1,
            },
          },
          { type: 'OrgNodeMergedInto', data: { orgNodeId: 'health', survivorId: 'edu', mergeId: 'm1' } },
        ]);
    });

    it('into a new node created by the merge; the operation is pending until completed, once', () => {
      const events = orgNodeDecider.decide(
        {
          type: 'MergeOrgNodes',
          data: {
            mergeId: 'm2',
            absorbedIds: ['edu', 'health'],
            survivorId: 'social',
            newSurvivor: { name: '区社会事业局', kind: 'UNIT', parentId: 'gov' },
            holdings: [],
          },
        },
        fold(orgNodeDecider, tree),
        { now: new Date(0), effectiveAt: '2025-01-01', actor: { accountId: 'a', role: 'SYSTEM_ADMIN' } },
      );
      expect(events.map((e) => e.type)).toEqual([
        'RestructuringPlanned',
        'OrgNodeCreated',
        'OrgNodesMerged',
        'OrgNodeMoved',
        'OrgNodeMergedInto',
        'OrgNodeMergedInto',
      ]);
      const state = fold(orgNodeDecider, [...tree, ...events]);
      expect(state.nodes.get('social')).toMatchObject({ status: 'ACTIVE', level: 2, parentId: 'gov' });
      expect(state.nodes.get('edu')).toMatchObject({ status: 'MERGED', mergedInto: 'social' });
      expect(state.nodes.get('edu-office')).toMatchObject({ parentId: 'social', level: 3 });
      expect(state.pendingOperations).toEqual([{ operationId: 'm2', kind: 'MERGE' }]);
      const complete = { type: 'CompleteRestructuring' as const, data: { operationId: 'm2' } };
      const completed: OrgNodeEvent = { type: 'RestructuringCompleted', data: { operationId: 'm2', kind: 'MERGE' } };
      spec
        .given([...tree, ...events])
        .when(complete)
        .then([completed]);
      spec
        .given([...tree, ...events, completed])
        .when(complete)
        .thenNothingHappens();
    });

    it.each([
      ['no absorbed node', { absorbedIds: [], survivorId: 'edu' }],
      ['the survivor among the absorbed', { absorbedIds: ['edu'], survivorId: 'edu' }],
      ['a node listed twice', { absorbedIds: ['health', 'health'], survivorId: 'edu' }],
      ['the root absorbed', { absorbedIds: ['root'], survivorId: 'edu' }],
      ['a survivor inside an absorbed node', { absorbedIds: ['edu'], survivorId: 'edu-office' }],
    ])('refuses %s', (_label, data) => {
      spec
        .given(tree)
        .when({ type: 'MergeOrgNodes', data: { mergeId: 'm', holdings: [], ...data } })
        .thenThrows(InvalidMerge);
    });

    it('refuses an unknown or inactive survivor', () => {
      spec
        .given(tree)
        .when({ type: 'MergeOrgNodes', data: { mergeId: 'm', absorbedIds: ['health'], survivorId: 'x', holdings: [] } })
        .thenThrows(OrgNodeNotFound);
      spec
        .given([...tree, { type: 'OrgNodeDissolved', data: { orgNodeId: 'edu-office', name: '办公室' } }])
        .when({
          type: 'MergeOrgNodes',
          data: { mergeId: 'm', absorbedIds: ['health'], survivorId: 'edu-office', holdings: [] },
        })
        .thenThrows(OrgNodeNotActive);
    });

    describe('same-named children under the survivor', () => {
      const clash = [...withChild, created('edu-zh', '综合科', 'edu', 3, 1, 'INTERNAL_BODY')];

      it('refuses a plan that leaves a collision, naming every one', () => {
        spec
          .given(clash)
          .when({ type: 'MergeOrgNodes', data: { mergeId: 'm', absorbedIds: ['health'], survivorId: 'edu', holdings } })
          .thenThrows(NamesakesUnresolved, (error) =>
            expect(error.details).toEqual({
              collisions: [{ orgNodeId: 'health-office', name: '综合科', existingId: 'edu-zh' }],
            }),
          );
      });

      it('merges a child with its namesake: its people move there, it ends MERGED', () => {
        const events = orgNodeDecider.decide(
          {
            type: 'MergeOrgNodes',
            data: {
              mergeId: 'm',
              absorbedIds: ['health'],
              survivorId: 'edu',
              holdings,
              namesakes: { 'health-office': { resolution: 'MERGE' } },
            },
          },
          fold(orgNodeDecider, clash),
          { now: new Date(0), effectiveAt: '2025-01-01', actor: { accountId: 'a', role: 'SYSTEM_ADMIN' } },
        );
        const plan = events[0].data as RestructuringPlan;
        expect(plan.removedIds).toEqual(['health', 'health-office']);
        expect(dispositionsOf(plan)).toEqual([
          { action: 'MOVE', personId: 'p1', fromNodeId: 'health', toNodeId: 'edu' },
          { action: 'MOVE', personId: 'p2', fromNodeId: 'health-office', toNodeId: 'edu-zh' },
        ]);
        const state = fold(orgNodeDecider, [...clash, ...events]);
        expect(state.nodes.get('health-office')).toMatchObject({ status: 'MERGED', mergedInto: 'edu-zh' });
      });

      it('renames a child in the same plan, then moves it', () => {
        const events = orgNodeDecider.decide(
          {
            type: 'MergeOrgNodes',
            data: {
              mergeId: 'm',
              absorbedIds: ['health'],
              survivorId: 'edu',
              holdings: [],
              namesakes: { 'health-office': { resolution: 'RENAME', name: '卫生综合科' } },
            },
          },
          fold(orgNodeDecider, clash),
          { now: new Date(0), effectiveAt: '2025-01-01', actor: { accountId: 'a', role: 'SYSTEM_ADMIN' } },
        );
        const state = fold(orgNodeDecider, [...clash, ...events]);
        expect(state.nodes.get('health-office')).toMatchObject({
          name: '卫生综合科',
          parentId: 'edu',
          status: 'ACTIVE',
        });
      });
    });
  });

  describe('DissolveOrgNode (003:11(2)): the unit says what becomes of its people and children', () => {
    const dissolve = (over: object = {}) => ({
      type: 'DissolveOrgNode' as const,
      data: { orgNodeId: 'health', operationId: 'd1', holdings: [], ...over },
    });
    const plan = (people: unknown[]) => ({
      type: 'RestructuringPlanned' as const,
      data: {
        operationId: 'd1',
        kind: 'ABOLITION',
        removedIds: ['health'],
        survivorId: null,
        people,
        dispositionRef: null,
      },
    });
    const dissolved: OrgNodeEvent = { type: 'OrgNodeDissolved', data: { orgNodeId: 'health', name: '区卫健委' } };
    const holdings = [
      { personId: 'p1', orgNodeId: 'health', kind: 'PRIMARY' as const },
      { personId: 'p2', orgNodeId: 'health', kind: 'CONCURRENT' as const },
    ];

    it('dissolves an empty node', () => {
      spec
        .given(tree)
        .when(dissolve())
        .then([plan([]) as OrgNodeEvent, dissolved]);
    });

    it('moves the people to a named unit, or records the departures with the reason given', () => {
      spec
        .given(tree)
        .when(dissolve({ holdings, peopleTo: 'edu' }))
        .then([
          plan([
            { action: 'MOVE', fromNodeId: 'health', toNodeId: 'edu', reason: null, personIds: ['p1', 'p2'] },
          ]) as OrgNodeEvent,
          dissolved,
        ]);
      spec
        .given(tree)
        .when(dissolve({ holdings, departureReason: 'OTHER' }))
        .then([
          plan([
            { action: 'DEPART', fromNodeId: 'health', toNodeId: null, reason: 'OTHER', personIds: ['p1'] },
            { action: 'END', fromNodeId: 'health', toNodeId: null, reason: null, personIds: ['p2'] },
          ]) as OrgNodeEvent,
          dissolved,
        ]);
    });

    it('refuses without a disposition for its people, children left without a destination, and the root', () => {
      spec.given(tree).when(dissolve({ holdings })).thenThrows(DispositionRequired);
      spec
        .given(tree)
        .when(dissolve({ orgNodeId: 'edu' }))
        .thenThrows(NodeStillHasChildren);
      spec
        .given(tree)
        .when(dissolve({ orgNodeId: 'root' }))
        .thenThrows(RootMisplaced);
      spec
        .given(tree)
        .when(dissolve({ orgNodeId: 'edu', childrenTo: 'edu-office' }))
        .thenThrows(InvalidAbolition);
      spec
        .given(tree)
        .when(dissolve({ peopleTo: 'nowhere', holdings }))
        .thenThrows(OrgNodeNotFound);
    });
  });
});
