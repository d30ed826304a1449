import { CLASSES, CONTACT_MODES, type Matrix } from './directory-policy.decider';
import { contactModeBetween, type DirectoryParty, type DirectoryTarget, resolveVisibility } from './visibility';

const uniform = (mode: string) =>
  Object.fromEntries(CLASSES.map((v) => [v, Object.fromEntries(CLASSES.map((t) => [t, mode]))])) as unknown as Matrix;
const viewer = (directoryClass: DirectoryParty['directoryClass'], postPaths = ['/root/a/']): DirectoryParty => ({
  personId: 'v',
  status: 'ACTIVE',
  directoryClass,
  postPaths,
});
const target = (
  directoryClass: DirectoryParty['directoryClass'],
  extra: Partial<DirectoryTarget> = {},
): DirectoryTarget => ({
  personId: 't',
  status: 'ACTIVE',
  directoryClass,
  postPaths: ['/root/b/'],
  contactMode: null,
  hiddenAbove: [],
  ...extra,
});

describe('resolveVisibility (001b:9-10)', () => {
  for (const mode of CONTACT_MODES) {
    it(`every class pair under ${mode}`, () => {
      for (const v of CLASSES) {
        for (const t of CLASSES) {
          const result = resolveVisibility({
            viewer: viewer(v),
            target: target(t),
            matrix: uniform(mode),
            contactAccepted: false,
          });
          expect(result).toEqual({
            listed: mode === 'DIRECT',
            searchable: mode !== 'NONE',
            addable: mode !== 'NONE',
            chattable: mode === 'DIRECT',
            showMobile: mode === 'DIRECT',
            mode,
            rule: 'CLASS_MATRIX',
          });
        }
      }
    });
  }

  it('reads the cell of the viewer row and the target column', () => {
    const matrix = { ...uniform('DIRECT'), Q4: { ...uniform('DIRECT').Q4, Q1: 'NONE' } } as Matrix;
    expect(resolveVisibility({ viewer: viewer('Q4'), target: target('Q1'), matrix, contactAccepted: false }).mode).toBe(
      'NONE',
    );
    expect(resolveVisibility({ viewer: viewer('Q1'), target: target('Q4'), matrix, contactAccepted: false }).mode).toBe(
      'DIRECT',
    );
  });

  it('a hidden person has an allow-list, as a hidden node does (001b:9): named people and the people of named nodes', () => {
    const hidden = { searchable: false, addable: false, visibleTo: ['a', 'p-friend'] };
    const see = (who: DirectoryParty) =>
      resolveVisibility({
        viewer: who,
        target: target('Q1', { contactMode: hidden }),
        matrix: uniform('DIRECT'),
        contactAccepted: false,
      });
    // Inside node a (a colleague): the matrix applies; named: the matrix applies; anyone else: hidden.
    expect(see(viewer('Q1', ['/root/a/x/']))).toMatchObject({ listed: true, chattable: true, rule: 'CLASS_MATRIX' });
    expect(see({ ...viewer('Q1', ['/root/c/']), personId: 'p-friend' })).toMatchObject({ listed: true });
    expect(see(viewer('Q1', ['/root/c/']))).toMatchObject({
      listed: false,
      searchable: false,
      rule: 'PERSON_OVERRIDE',
    });
    const to = { status: 'ACTIVE', directoryClass: 'Q1' as const, contactMode: hidden };
    expect(
      contactModeBetween({ status: 'ACTIVE', directoryClass: 'Q1' }, to, uniform('DIRECT'), new Set(['root', 'a'])),
    ).toBe('DIRECT');
    expect(
      contactModeBetween({ status: 'ACTIVE', directoryClass: 'Q1' }, to, uniform('DIRECT'), new Set(['root', 'c'])),
    ).toBe('NONE');
  });

  it('a person override narrows and says so; it never widens', () => {
    const hiddenFromSearch = resolveVisibility({
      viewer: viewer('Q1'),
      target: target('Q1', { contactMode: { searchable: false, addable: true } }),
      matrix: uniform('DIRECT'),
      contactAccepted: false,
    });
    expect(hiddenFromSearch).toMatchObject({
      listed: false,
      searchable: false,
      addable: true,
      chattable: true,
      rule: 'PERSON_OVERRIDE',
    });
    const wide = resolveVisibility({
      viewer: viewer('Q1'),
      target: target('Q1', { contactMode: { searchable: true, addable: true } }),
      matrix: uniform('NONE'),
      contactAccepted: false,
    });
    expect(wide).toMatchObject({ searchable: false, addable: false, rule: 'CLASS_MATRIX' });
  });

  it('an accepted contact request opens the chat, not a hidden node', () => {
    expect(
      resolveVisibility({
        viewer: viewer('Q1'),
        target: target('Q1'),
        matrix: uniform('SEARCH_ADD'),
        contactAccepted: true,
      }),
    ).toMatchObject({ chattable: true, showMobile: true, rule: 'CONTACT_ACCEPTED' });
    const hidden = target('Q1', { hiddenAbove: [{ orgNodeId: 'b', visibleTo: [] }] });
    expect(
      resolveVisibility({ viewer: viewer('Q1'), target: hidden, matrix: uniform('DIRECT'), contactAccepted: true }),
    ).toMatchObject({ chattable: false, rule: 'HIDDEN_NODE' });
  });

  it('a hidden node lets in those inside it and those on its allow-list, by person or by node', () => {
    const hidden = target('Q1', { hiddenAbove: [{ orgNodeId: 'b', visibleTo: ['p-allowed', 'c'] }] });
    const decide = (party: DirectoryParty) =>
      resolveVisibility({ viewer: party, target: hidden, matrix: uniform('DIRECT'), contactAccepted: false }).rule;
    expect(decide(viewer('Q1'))).toBe('HIDDEN_NODE');
    expect(decide(viewer('Q1', ['/root/b/x/']))).toBe('CLASS_MATRIX');
    expect(decide({ ...viewer('Q1'), personId: 'p-allowed' })).toBe('CLASS_MATRIX');
    expect(decide(viewer('Q1', ['/root/c/d/']))).toBe('CLASS_MATRIX');
  });

  it('oneself, and departed people', () => {
    expect(
      resolveVisibility({
        viewer: viewer('Q4'),
        target: { ...target('Q1'), personId: 'v' },
        matrix: uniform('NONE'),
        contactAccepted: false,
      }).rule,
    ).toBe('SELF');
    expect(
      resolveVisibility({
        viewer: viewer('Q1'),
        target: { ...target('Q1'), status: 'LEFT' },
        matrix: uniform('DIRECT'),
        contactAccepted: false,
      }),
    ).toMatchObject({ listed: false, rule: 'TARGET_NOT_ACTIVE' });
    expect(
      resolveVisibility({
        viewer: { ...viewer('Q1'), status: 'LEFT' },
        target: target('Q1'),
        matrix: uniform('DIRECT'),
        contactAccepted: false,
      }).rule,
    ).toBe('VIEWER_NOT_ACTIVE');
  });
});
