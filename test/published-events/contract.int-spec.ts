/**
 * The published event contract stays true to the code (issue 7):
 * - the data schemas are generated from the domain's event types, and the committed file is current;
 * - every domain event type is either published or deliberately kept internal;
 * - a fixture of every schema version ever published still reads: upcast to the current shape,
 *   it validates against the current schema, and old versions fold into the same state.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { generateEventSchemas, GENERATED_FILE } from '../../scripts/event-schemas';
import { fromRecordedEvent } from '../../src/application/event-store/event-envelope';
import type { RecordedEvent } from '../../src/application/ports/event-store.port';
import { currentVersionOf, UnknownSchemaVersionError } from '../../src/application/event-store/event-versions';
import { positionOfSequence } from '../../src/application/event-store/position';
import {
  EVENT_DATA_SCHEMAS,
  PUBLISHED_EVENT_TYPES,
  SCHEMA_DEFINITIONS,
  UNPUBLISHED_EVENT_TYPES,
} from '../../src/application/published-events/catalog';
import { type OrgNodeEvent, orgNodeDecider } from '../../src/domain/org-node/org-node.decider';
import { fold } from '../../src/domain/shared/decider';
import { FIXTURES_DIR } from '../support/event-fixtures';

interface Fixture {
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

const fixtures = new Map<string, Fixture>(
  readdirSync(FIXTURES_DIR).map((file) => [
    file.replace(/\.json$/, ''),
    JSON.parse(readFileSync(join(FIXTURES_DIR, file), 'utf8')) as Fixture,
  ]),
);

function recorded(fixture: Fixture, sequence = 1): RecordedEvent {
  return {
    streamId: 'Fixture-1',
    revision: 0n,
    position: positionOfSequence(sequence),
    eventId: `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
    type: fixture.type,
    data: fixture.data as never,
    metadata: fixture.metadata as never,
    created: new Date(0),
  };
}

describe('published event contract', () => {
  it('the committed data schemas are generated from the current domain event types (npm run contract:generate)', () => {
    const committed = JSON.parse(readFileSync(GENERATED_FILE, 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(generateEventSchemas())));
  });

  it('every domain event type is either published or deliberately internal, never both', () => {
    const published = PUBLISHED_EVENT_TYPES.map((e) => e.type);
    expect([...published, ...UNPUBLISHED_EVENT_TYPES].sort()).toEqual(Object.keys(EVENT_DATA_SCHEMAS).sort());
    expect(published.filter((t) => UNPUBLISHED_EVENT_TYPES.includes(t))).toEqual([]);
  });

  it('keeps a fixture of every version of every event type, and no fixture of a version that never existed', () => {
    const expected = Object.keys(EVENT_DATA_SCHEMAS).flatMap((type) =>
      Array.from({ length: currentVersionOf(type) }, (_, i) => `${type}.v${i + 1}`),
    );
    expect([...fixtures.keys()].sort()).toEqual(expected.sort());
  });

  it('reads every fixture, old versions upcast, into data that validates against the current schema', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addSchema({ definitions: SCHEMA_DEFINITIONS }, 'defs');
    const failures: string[] = [];
    for (const [name, fixture] of fixtures) {
      const envelope = fromRecordedEvent(recorded(fixture));
      expect(envelope.schemaVersion).toBe(currentVersionOf(fixture.type));
      expect(envelope.storedVersion).toBe(fixture.metadata.schemaVersion);
      const schema = JSON.parse(
        JSON.stringify(EVENT_DATA_SCHEMAS[fixture.type]).replaceAll('"#/definitions/', '"defs#/definitions/'),
      );
      const validate = ajv.compile(schema);
      if (!validate(envelope.data)) failures.push(`${name}: ${ajv.errorsText(validate.errors)}`);
    }
    expect(failures).toEqual([]);
  });

  it('reads OrgNodeHiddenChanged v1 as v2 with the setting it replaced unknown, folding to the same tree', () => {
    const v1 = fixtures.get('OrgNodeHiddenChanged.v1')!;
    const envelope = fromRecordedEvent(recorded(v1));
    expect(envelope.data).toEqual({
      orgNodeId: v1.data.orgNodeId,
      from: null,
      to: { hidden: v1.data.hidden, visibleTo: v1.data.visibleTo },
    });
    const created = fixtures.get('OrgNodeCreated.v1')!;
    const asCreated = {
      ...created,
      data: { ...created.data, orgNodeId: v1.data.orgNodeId, parentId: null, level: 0, kind: 'ROOT' },
    };
    const tree = fold(
      orgNodeDecider,
      [asCreated, v1]
        .map((f, i) => fromRecordedEvent(recorded(f, i + 1)))
        .map((e) => ({ type: e.type, data: e.data }) as OrgNodeEvent),
    );
    expect(tree.nodes.get(v1.data.orgNodeId as string)).toMatchObject({ hidden: true, visibleTo: v1.data.visibleTo });
  });

  it('refuses to read a version newer than this build knows, saying so', () => {
    const future = {
      ...fixtures.get('PersonRegistered.v1')!,
      metadata: { ...fixtures.get('PersonRegistered.v1')!.metadata, schemaVersion: 9 },
    };
    expect(() => fromRecordedEvent(recorded(future))).toThrow(UnknownSchemaVersionError);
  });
});
