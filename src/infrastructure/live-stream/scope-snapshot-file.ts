/**
 * The live feed hub's snapshot in a file of DATA_DIR (ids only: nodes, people, accounts, owned
 * things; no personal data), written whole to a temporary file and renamed into place, so that a
 * crash leaves the previous snapshot or the new one, never half of one.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { ScopeSnapshot, ScopeSnapshots } from '../../application/published-events/live-feed-hub';

export class ScopeSnapshotFile implements ScopeSnapshots {
  constructor(private readonly file: string) {}

  async load(): Promise<ScopeSnapshot | null> {
    try {
      return JSON.parse(await readFile(this.file, 'utf8')) as ScopeSnapshot;
    } catch {
      // None yet, or unreadable: the hub folds from the start.
      return null;
    }
  }

  async save(snapshot: ScopeSnapshot): Promise<void> {
    const temporary = `${this.file}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(snapshot), { mode: 0o600 });
    await rename(temporary, this.file);
  }
}
