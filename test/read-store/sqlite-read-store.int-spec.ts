import { join } from 'node:path';
import { SqliteReadStore } from '../../src/infrastructure/read-store/sqlite/sqlite-read-store';
import { makeTempDir } from '../support/temp-dir';
import { describeReadStoreContract } from './read-store.contract';

describeReadStoreContract('SQLite', async () => {
  const dir = makeTempDir();
  const store = new SqliteReadStore(join(dir.path, 'read-models.sqlite'));
  return {
    store,
    dispose: async () => {
      await store.close();
      dir.remove();
    },
  };
});
