/**
 * The same contract against a real MongoDB. Runs when MONGODB_URI is set (e.g.
 * mongodb://localhost:27017/govcollab_test); otherwise every test is reported as skipped.
 */
import { MongoReadStore } from '../../src/infrastructure/read-store/mongodb/mongo-read-store';
import { describeReadStoreContract } from './read-store.contract';

const uri = process.env.MONGODB_URI;

if (uri) {
  describeReadStoreContract('MongoDB', async () => {
    const store = await MongoReadStore.connect(uri);
    return { store, dispose: () => store.close() };
  });
} else {
  describe('ReadStore contract: MongoDB', () => {
    it.skip('needs MONGODB_URI (no MongoDB server on this machine): skipped', () => undefined);
  });
}
