/**
 * Every dependency rule of .dependency-cruiser.cjs catches what it forbids: for each rule a probe
 * module is written where the rule applies, importing what the rule forbids; one run of
 * dependency-cruiser over the probes must report exactly that rule for each of them. The probes
 * are removed afterwards (and their names carry the process id, so parallel runs do not collide).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const ROOT = join(__dirname, '../..');
const TAG = `probe${process.pid}`;

interface Probe {
  readonly rule: string;
  /** Where the probe is written, relative to the repository. */
  readonly file: string;
  /** What it imports, relative to the repository (or a package name). */
  readonly imports: string;
}

const at = (path: string) => path.replace('PROBE', TAG);

const PROBES: readonly Probe[] = [
  { rule: 'domain-is-pure', file: 'src/domain/shared/PROBE-clock.ts', imports: 'src/application/ports/clock.port' },
  {
    rule: 'domain-specs-only-use-test-helpers',
    file: 'src/domain/shared/PROBE-helpers.ts',
    imports: 'test/support/temp-dir',
  },
  {
    rule: 'application-not-to-infrastructure',
    file: 'src/application/PROBE-adapter.ts',
    imports: 'src/infrastructure/system/system-clock',
  },
  { rule: 'application-without-framework', file: 'src/application/PROBE-nest.ts', imports: '@nestjs/common' },
  { rule: 'application-without-framework', file: 'src/read-models/PROBE-nest.ts', imports: '@nestjs/cqrs' },
  {
    rule: 'application-not-to-read-models-internals',
    file: 'src/application/PROBE-read-model.ts',
    imports: 'src/read-models/projections',
  },
  {
    rule: 'read-models-not-to-infrastructure',
    file: 'src/read-models/PROBE-config.ts',
    imports: 'src/infrastructure/config/app-config',
  },
  {
    rule: 'read-models-do-not-read-the-event-store',
    file: 'src/read-models/PROBE-store.ts',
    imports: 'src/application/ports/event-store.port',
  },
  {
    rule: 'queries-not-to-the-command-room',
    file: 'src/read-models/PROBE-runner.ts',
    imports: 'src/application/commands/decider-command-runner',
  },
  {
    rule: 'queries-not-to-the-command-room',
    file: 'src/infrastructure/http/PROBE.queries.controller.ts',
    imports: 'src/infrastructure/http/command-http',
  },
  {
    rule: 'config-imports-only-the-domain',
    file: 'src/infrastructure/config/PROBE-weights.ts',
    imports: 'src/read-models/assessment/assessment.evaluation',
  },
  {
    rule: 'store-adapters-use-the-port-contract',
    file: 'src/infrastructure/event-store/sqlite/PROBE-runner.ts',
    imports: 'src/application/commands/decider-command-runner',
  },
  {
    rule: 'ports-in-one-place',
    file: 'src/application/PROBE-sender.ts',
    imports: 'src/application/webhooks/PROBE-stray.port',
  },
  {
    rule: 'ports-are-declarations',
    file: 'src/application/ports/PROBE-helper.port.ts',
    imports: 'src/application/commands/command-bus',
  },
  {
    rule: 'production-code-not-to-tools',
    file: 'src/infrastructure/PROBE-generator.ts',
    imports: 'src/tools/district-workbook',
  },
  { rule: 'tests-not-to-benchmarks', file: 'test/support/PROBE-bench.ts', imports: 'bench/store.bench' },
  { rule: 'console-only-through-the-api', file: 'web/src/PROBE-domain.ts', imports: 'src/domain/shared/domain-error' },
  { rule: 'no-circular', file: 'src/application/PROBE-a.ts', imports: 'src/application/PROBE-b' },
];

/** Modules a probe imports that exist only for the probe (the stray port; the other half of the cycle). */
const TARGETS: ReadonlyArray<{ file: string; content: string }> = [
  { file: 'src/application/webhooks/PROBE-stray.port.ts', content: 'export type Stray = string;\n' },
  { file: 'src/application/PROBE-b.ts', content: "import './PROBE-a';\nexport {};\n" },
];

function specifier(from: string, target: string): string {
  if (!target.startsWith('src/') && !target.startsWith('test/') && !target.startsWith('bench/')) return target;
  const path = relative(dirname(join(ROOT, from)), join(ROOT, target));
  return path.startsWith('.') ? path : `./${path}`;
}

interface Violation {
  readonly from: string;
  readonly to: string;
  readonly rule: { readonly name: string };
}

describe('the dependency rules', () => {
  const written: string[] = [];

  afterAll(() => {
    for (const file of written) rmSync(join(ROOT, file), { force: true });
  });

  it('each report the probe that breaks them, and no other module the probes reach', () => {
    for (const target of TARGETS) {
      writeFileSync(join(ROOT, at(target.file)), at(target.content));
      written.push(at(target.file));
    }
    for (const probe of PROBES) {
      const file = at(probe.file);
      mkdirSync(dirname(join(ROOT, file)), { recursive: true });
      writeFileSync(join(ROOT, file), `import '${specifier(file, at(probe.imports))}';\nexport {};\n`);
      written.push(file);
    }
    let output: string;
    try {
      output = execFileSync(
        process.execPath,
        [
          join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'),
          ...written,
          '--config',
          '.dependency-cruiser.cjs',
          '--output-type',
          'json',
        ],
        { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
      );
    } catch (error) {
      // Violations make the command exit non-zero; its report is still on stdout.
      output = (error as { stdout: string }).stdout;
    }
    const violations = (JSON.parse(output) as { summary: { violations: Violation[] } }).summary.violations;
    for (const probe of PROBES) {
      const rules = violations.filter((v) => v.from === at(probe.file)).map((v) => v.rule.name);
      expect({ probe: at(probe.file), rules }).toEqual({
        probe: at(probe.file),
        rules: expect.arrayContaining([probe.rule]),
      });
    }
    // Nothing but the probes breaks a rule.
    const probeFiles = new Set(written);
    expect(violations.filter((v) => !probeFiles.has(v.from))).toEqual([]);
  });
});
