/**
 * The live feed hub's saved fold (issue 20): entries and position saved at one commit and read
 * back after a restart, one process keeping the file at a time, and a file that is not a
 * database started over (the fold is derived from the store).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { positionOfSequence } from '../../src/application/event-store/position';
import type { ScopeChanges } from '../../src/application/published-events/event-scope';
import { ScopeIndexFile } from '../../src/infrastructure/live-stream/scope-index-file';
import { makeTempDir } from '../support/temp-dir';

const changes = (overrides: Partial<{ [K in keyof ScopeChanges]: ScopeChanges[K] }>): ScopeChanges => ({
  parentOf: new Map(),
  personNodes: new Map(),
  accountOwner: new Map(),
  ownerNode: new Map(),
  ...overrides,
});
const at = positionOfSequence;

describe('live feed scope index file (issue 20)', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let file: string;
  beforeEach(() => {
    dir = makeTempDir();
    file = join(dir.path, 'scopes.sqlite');
  });
  afterEach(() => dir.remove());

  it('reads back after a restart what each save added, with where the fold stood', async () => {
    const index = new ScopeIndexFile(file);
    expect(await index.load()).toEqual({ index, at: null });
    await index.save(
      at(3),
      'e3',
      changes({
        parentOf: new Map([
          ['root', null],
          ['a', 'root'],
        ]),
        personNodes: new Map([['p', ['a']]]),
      }),
    );
    // Read once (and kept as recent), then changed by the next save: the saved value wins.
    expect(index.get('personNodes', 'p')).toEqual(['a']);
    await index.save(
      at(5),
      'e5',
      changes({
        personNodes: new Map([['p', ['a', 'root']]]),
        accountOwner: new Map([['acc-p', { personId: 'p', orgNodeId: null }]]),
        ownerNode: new Map([['group:g', 'a']]),
      }),
    );
    expect(index.get('personNodes', 'p')).toEqual(['a', 'root']);
    await index.close();

    const reopened = new ScopeIndexFile(file);
    const loaded = await reopened.load();
    expect(loaded).toEqual({ index: reopened, at: { position: at(5), eventId: 'e5' } });
    expect(reopened.get('parentOf', 'root')).toBeNull();
    expect(reopened.get('parentOf', 'a')).toBe('root');
    expect(reopened.get('parentOf', 'nowhere')).toBeUndefined();
    expect(reopened.get('personNodes', 'p')).toEqual(['a', 'root']);
    expect(reopened.get('accountOwner', 'acc-p')).toEqual({ personId: 'p', orgNodeId: null });
    expect(reopened.get('ownerNode', 'group:g')).toBe('a');
    await reopened.discard();
    expect(reopened.get('parentOf', 'a')).toBeUndefined();
    expect(reopened.get('personNodes', 'p')).toBeUndefined();
    await reopened.close();
    expect(await new ScopeIndexFile(file).load()).toMatchObject({ at: null });
  });

  it('is kept by one process at a time: a second is told `held` until the first closes it', async () => {
    const first = new ScopeIndexFile(file);
    await first.load();
    const second = new ScopeIndexFile(file);
    expect(await second.load()).toBe('held');
    await first.close();
    expect(await second.load()).toEqual({ index: second, at: null });
    await second.close();
  });

  it('starts over when the file is not a database', async () => {
    writeFileSync(file, 'not a database, but long enough to have a header of one: '.repeat(20));
    const index = new ScopeIndexFile(file);
    expect(await index.load()).toEqual({ index, at: null });
    await index.close();
  });
});
