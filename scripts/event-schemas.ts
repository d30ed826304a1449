/**
 * Generates the JSON Schemas of the events' data from the domain's own TypeScript event unions
 * (src/domain/<aggregate>/<aggregate>.decider.ts), so that the published contract and the code
 * cannot drift apart: `npm run contract:generate` writes
 * src/application/published-events/event-schemas.generated.json, and a test regenerates it and
 * fails when the committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGenerator } from 'ts-json-schema-generator';

type Schema = Record<string, unknown>;

/** The exported event union of each aggregate. */
export const EVENT_UNIONS = [
  'OrgNodeEvent',
  'PersonEvent',
  'AccountEvent',
  'WorkGroupEvent',
  'AppEvent',
  'TagEvent',
  'ContactRequestEvent',
  'RequestEvent',
  'DirectoryPolicyEvent',
  'SubscriptionEvent',
  'IntegrityLogEvent',
  'BatchEvent',
] as const;

export const GENERATED_FILE = join(
  __dirname,
  '..',
  'src',
  'application',
  'published-events',
  'event-schemas.generated.json',
);

export interface GeneratedSchemas {
  readonly generatedFrom: string;
  /** Shared definitions, referenced as `#/definitions/<name>`. */
  readonly definitions: Record<string, Schema>;
  /** The data schema of each event type, current version. */
  readonly events: Record<string, Schema>;
}

function sorted<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

export function generateEventSchemas(): GeneratedSchemas {
  const generator = createGenerator({
    path: join(__dirname, '..', 'src', 'domain', '*', '*.decider.ts'),
    tsconfig: join(__dirname, '..', 'tsconfig.json'),
    type: '*',
    expose: 'export',
    skipTypeCheck: true,
    topRef: false,
    jsDoc: 'extended',
    additionalProperties: false,
  });
  const definitions: Record<string, Schema> = {};
  const events: Record<string, Schema> = {};
  for (const union of EVENT_UNIONS) {
    const schema = generator.createSchema(union) as Schema & { anyOf?: Schema[]; definitions?: Record<string, Schema> };
    for (const [name, definition] of Object.entries(schema.definitions ?? {})) {
      if (definitions[name] && JSON.stringify(definitions[name]) !== JSON.stringify(definition)) {
        throw new Error(
          `Two aggregates export different types named ${name}: rename one so the contract stays unambiguous`,
        );
      }
      definitions[name] = definition;
    }
    const variants = schema.anyOf ?? [schema];
    for (const variant of variants) {
      const properties = variant.properties as { type: { const: string }; data: Schema };
      events[properties.type.const] = properties.data;
    }
  }
  return {
    generatedFrom: 'src/domain/*/*.decider.ts (npm run contract:generate)',
    definitions: sorted(definitions),
    events: sorted(events),
  };
}

if (require.main === module) {
  writeFileSync(GENERATED_FILE, `${JSON.stringify(generateEventSchemas(), null, 2)}\n`);
  process.stdout.write(`wrote ${GENERATED_FILE}\n`);
}
