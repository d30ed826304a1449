/**
 * The same contract against a real EventStoreDB. Runs when ESDB_CONNECTION_STRING is set
 * (e.g. esdb://localhost:2113?tls=false); otherwise every test is reported as skipped.
 */
import { EsdbEventStore } from '../../src/infrastructure/event-store/esdb/esdb-event-store';
import { describeEventStoreContract } from './event-store.contract';

const connectionString = process.env.ESDB_CONNECTION_STRING;

if (connectionString) {
  describeEventStoreContract('EventStoreDB', async () => {
    const store = EsdbEventStore.connect(connectionString);
    return { store, dispose: () => store.close() };
  });
} else {
  describe('EventStore contract: EventStoreDB', () => {
    it.skip('needs ESDB_CONNECTION_STRING (no EventStoreDB server on this machine): skipped', () => undefined);
  });
}
