/**
 * The EventStoreDB adapter's own logic, against a fake client (the contract suite covers the
 * rest against a real server when ESDB_CONNECTION_STRING is set): reconnection after a dropped
 * subscription, position and revision mapping, system events hidden, error translation.
 */
import {
  type EventStoreDBClient,
  UnavailableError,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
} from '@eventstore/db-client';
import {
  EventStoreUnavailableError,
  WrongExpectedVersionError,
} from '../../../application/event-store/event-store.errors';
import { ANY, NO_STREAM, type RecordedEvent } from '../../../application/ports/event-store.port';
import { positionOf } from '../../../application/event-store/position';
import { EsdbEventStore } from './esdb-event-store';

interface FakeResolved {
  event: {
    streamId: string;
    id: string;
    revision: bigint;
    type: string;
    created: Date;
    isJson: true;
    data: Record<string, unknown>;
    metadata: Record<string, unknown>;
    position: { commit: bigint; prepare: bigint };
  };
}

function resolved(i: number, overrides: Partial<FakeResolved['event']> = {}): FakeResolved {
  return {
    event: {
      streamId: 'Org-1',
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      revision: BigInt(i),
      type: 'OrgNodeRenamed',
      created: new Date(0),
      isJson: true,
      data: { i },
      metadata: { jurisdiction: 'qingpu' },
      position: { commit: BigInt(1000 + i * 10), prepare: BigInt(1000 + i * 10) },
      ...overrides,
    },
  };
}

/** A subscription that yields `events` and then either throws `failWith` or waits until unsubscribed. */
function fakeSubscription(events: FakeResolved[], failWith?: Error) {
  let stopped = false;
  let release: () => void = () => undefined;
  return {
    unsubscribe: async () => {
      stopped = true;
      release();
    },
    async *[Symbol.asyncIterator]() {
      for (const event of events) {
        if (stopped) return;
        yield event;
      }
      if (failWith) throw failWith;
      await new Promise<void>((resolve) => (release = resolve));
    },
  };
}

describe('EsdbEventStore (fake client)', () => {
  it('resumes a dropped subscription from the last event it yielded, without gap or duplicate', async () => {
    const log = [1, 2, 3, 4, 5, 6].map((i) => resolved(i));
    const calls: unknown[] = [];
    const client = {
      subscribeToAll: (options: { fromPosition: unknown }) => {
        calls.push(options.fromPosition);
        if (calls.length === 1) {
          // Three events and a system event, then the connection drops.
          return fakeSubscription(
            [log[0], resolved(99, { type: '$statsCollected', streamId: '$stats' }), log[1], log[2]],
            new UnavailableError(),
          );
        }
        // The server repeats the event at the resume position.
        return fakeSubscription(log.slice(2));
      },
      dispose: async () => undefined,
    } as unknown as EventStoreDBClient;
    const store = new EsdbEventStore(client, { maxReconnectDelayMs: 10 });
    const subscription = store.subscribeToAll();
    const received: RecordedEvent[] = [];
    for await (const event of subscription) {
      received.push(event);
      if (received.length === 6) break;
    }
    await subscription.close();
    await store.close();

    expect(received.map((e) => e.data.i)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(received[2].position).toBe(positionOf(1030n, 1030n));
    expect(received[0]).toMatchObject({
      streamId: 'Org-1',
      revision: 1n,
      type: 'OrgNodeRenamed',
      metadata: { jurisdiction: 'qingpu' },
    });
    expect(calls).toHaveLength(2);
    expect(calls[1]).toEqual({ commit: 1030n, prepare: 1030n });
  });

  it('maps EventStoreDB’s WrongExpectedVersionError to the port’s, with stream, expected and actual revision', async () => {
    const client = {
      appendToStream: async () => {
        throw new EsdbWrongExpectedVersionError(undefined, { streamName: 'Org-1', expected: 'no_stream', current: 4n });
      },
      dispose: async () => undefined,
    } as unknown as EventStoreDBClient;
    const store = new EsdbEventStore(client);
    const error = await store
      .append(
        'Org-1',
        [{ eventId: '00000000-0000-4000-8000-000000000001', type: 'OrgNodeCreated', data: {}, metadata: {} }],
        NO_STREAM,
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ streamId: 'Org-1', expected: 'no_stream', actual: 4n });
    await store.close();
  });

  it('reports an unreachable server as EVENT_STORE_UNAVAILABLE and validates input before calling it', async () => {
    let calls = 0;
    const client = {
      appendToStream: async () => {
        calls++;
        throw new UnavailableError();
      },
      dispose: async () => undefined,
    } as unknown as EventStoreDBClient;
    const store = new EsdbEventStore(client);
    const event = { eventId: '00000000-0000-4000-8000-000000000001', type: 'OrgNodeCreated', data: {}, metadata: {} };
    await expect(store.append('Org-1', [event], ANY)).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.append('$all', [event], ANY)).rejects.toMatchObject({ code: 'INVALID_STREAM_NAME' });
    expect(calls).toBe(1);
    await store.close();
  });
});
