/**
 * With EventStoreDB configured, a downstream system may subscribe to the category streams directly
 * instead of receiving webhooks (docs/subscribers.md, "Subscribing directly to EventStoreDB"):
 * a catch-up subscription to `$ce-Person` (resolving links) and a persistent subscription group
 * on it, each reading our events in stream order with the envelope in the metadata. Runs when
 * ESDB_CONNECTION_STRING is set (with the system projections enabled, as the docs require);
 * otherwise reported as skipped.
 */
import { randomUUID } from 'node:crypto';
import { EventStoreDBClient, persistentSubscriptionToStreamSettingsFromDefaults, START } from '@eventstore/db-client';
import { envelopeOf } from '../../src/application/commands/decider-command-runner';
import { toEventToAppend } from '../../src/application/event-store/event-envelope';
import { NO_STREAM } from '../../src/application/ports/event-store.port';
import { EsdbEventStore } from '../../src/infrastructure/event-store/esdb/esdb-event-store';

const connectionString = process.env.ESDB_CONNECTION_STRING;

if (connectionString) {
  describe('subscribing directly to EventStoreDB category streams', () => {
    jest.setTimeout(60_000);
    const personId = `esdb${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const stream = `Person-${personId}`;
    let store: EsdbEventStore;
    let client: EventStoreDBClient;
    const eventIds: string[] = [];

    beforeAll(async () => {
      store = EsdbEventStore.connect(connectionString);
      client = EventStoreDBClient.connectionString(connectionString);
      const metadata = envelopeOf(
        { actor: { accountId: 'acc-admin', role: 'SYSTEM_ADMIN' }, jurisdiction: 'qingpu' },
        new Date(),
        randomUUID(),
      );
      const events = [1, 2, 3].map((k) =>
        toEventToAppend(
          randomUUID(),
          {
            type: 'PersonProfileUpdated',
            data: { personId, changes: { officePhone: { from: `021-${k}`, to: `021-${k + 1}` } } },
          },
          metadata,
        ),
      );
      eventIds.push(...events.map((e) => e.eventId));
      await store.append(stream, events, NO_STREAM);
    });

    afterAll(async () => {
      await store.close();
      await client.dispose();
    });

    it('a catch-up subscription to $ce-Person sees the person’s events in order, with the envelope', async () => {
      const seen: string[] = [];
      const subscription = client.subscribeToStream('$ce-Person', { fromRevision: START, resolveLinkTos: true });
      for await (const resolved of subscription) {
        const event = resolved.event;
        if (event?.streamId !== stream) continue;
        expect(event.metadata).toMatchObject({ schemaVersion: 1, jurisdiction: 'qingpu' });
        seen.push(event.id);
        if (seen.length === eventIds.length) break;
      }
      await subscription.unsubscribe();
      expect(seen).toEqual(eventIds);
    });

    it('a persistent subscription group on $ce-Person delivers them to a competing consumer that acknowledges', async () => {
      const group = `oa-${personId}`;
      await client.createPersistentSubscriptionToStream(
        '$ce-Person',
        group,
        persistentSubscriptionToStreamSettingsFromDefaults({ startFrom: START, resolveLinkTos: true }),
      );
      const seen: string[] = [];
      const subscription = client.subscribeToPersistentSubscriptionToStream('$ce-Person', group);
      for await (const resolved of subscription) {
        await subscription.ack(resolved);
        if (resolved.event?.streamId === stream) seen.push(resolved.event.id);
        if (seen.length === eventIds.length) break;
      }
      await subscription.unsubscribe();
      await client.deletePersistentSubscriptionToStream('$ce-Person', group);
      expect(seen).toEqual(eventIds);
    });
  });
} else {
  describe('subscribing directly to EventStoreDB category streams', () => {
    it.skip('needs ESDB_CONNECTION_STRING (no EventStoreDB server on this machine): skipped', () => undefined);
  });
}
