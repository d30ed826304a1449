/**
 * Dependencies point inward: infrastructure -> application -> domain (DEVELOPERS.md), over the
 * whole tree, specs included. test/architecture/dependency-rules.int-spec.ts breaks each rule on
 * purpose (a probe import) and checks that this configuration catches it.
 */
const FRAMEWORKS =
  'node_modules/(@nestjs|express|mongodb|better-sqlite3|@eventstore|exceljs|pino|nestjs-pino|pino-http|ws|class-validator|class-transformer|commander|cli-progress)(/|$)';

module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment:
        'src/domain imports nothing outside itself: no framework, no storage, no node built-ins, no clock (its specs may use the test helpers); only pure data structures (Immutable.js, for the tree state).',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { pathNot: ['^src/domain/', '^test/support/', '^node_modules/immutable/'] },
    },
    {
      name: 'domain-specs-only-use-test-helpers',
      comment: 'Production domain code does not import the test helpers.',
      severity: 'error',
      from: { path: '^src/domain/', pathNot: '\\.spec\\.ts$' },
      to: { path: '^test/' },
    },
    {
      name: 'application-not-to-infrastructure',
      comment: 'src/application defines ports; adapters in src/infrastructure implement them, never the reverse.',
      severity: 'error',
      from: { path: '^src/application/' },
      to: { path: '^src/infrastructure/' },
    },
    {
      name: 'application-without-framework',
      comment:
        'Handlers, policies and ports are plain TypeScript: no NestJS, no store or HTTP library (the infrastructure binds them).',
      severity: 'error',
      from: { path: '^src/(application|read-models)/' },
      to: { path: FRAMEWORKS },
    },
    {
      name: 'application-not-to-read-models-internals',
      comment: 'Projections are reached through ports, not imported by the write side.',
      severity: 'error',
      from: { path: '^src/(domain|application)/' },
      to: { path: '^src/read-models/' },
    },
    {
      name: 'read-models-not-to-infrastructure',
      comment: 'Projections are pure functions from events to changes; stores are adapters.',
      severity: 'error',
      from: { path: '^src/read-models/' },
      to: { path: '^src/infrastructure/' },
    },
    {
      name: 'read-models-do-not-read-the-event-store',
      comment: 'Read models answer from their documents; replaying events (time travel) is the application’s.',
      severity: 'error',
      from: { path: '^src/read-models/' },
      to: { path: '^src/application/ports/event-store\\.port\\.ts$' },
    },
    {
      name: 'queries-not-to-the-command-room',
      comment:
        'Read-side questions and query routes (*.queries.controller.ts) use no command machinery (runner, bus commands, command HTTP).',
      severity: 'error',
      from: {
        path: ['^src/read-models/', '^src/infrastructure/http/[^/]+\\.queries\\.controller\\.ts$'],
      },
      to: { path: ['^src/application/commands/', '^src/infrastructure/http/command-http\\.ts$'] },
    },
    {
      name: 'config-imports-only-the-domain',
      comment:
        'Configuration is read before anything else: it may use domain rules (weights), not read models or services.',
      severity: 'error',
      from: { path: '^src/infrastructure/config/' },
      to: { path: '^src/(application|read-models|infrastructure/(?!config/))' },
    },
    {
      name: 'store-adapters-use-the-port-contract',
      comment:
        'A store adapter depends on its port, the envelope types, the hash chain it keeps and the shared helpers (application/shared), not on handlers or other application code.',
      severity: 'error',
      from: { path: '^src/infrastructure/(event-store/(sqlite|esdb)|read-store/(sqlite|mongodb))/' },
      to: {
        path: '^src/application/',
        pathNot:
          '^src/application/(ports/|event-store/(event-store\\.errors|event-envelope|event-versions|json|position)\\.ts$|integrity/hash-chain\\.ts$|shared/)',
      },
    },
    {
      name: 'ports-in-one-place',
      comment: 'Every port of the application lives in src/application/ports/ as a *.port.ts module.',
      severity: 'error',
      from: {},
      to: { path: '\\.port\\.ts$', pathNot: '^src/application/ports/[^/]+\\.port\\.ts$' },
    },
    {
      name: 'ports-are-declarations',
      comment:
        'Ports declare what the application needs; they depend on nothing but the domain, other ports and value types.',
      severity: 'error',
      from: { path: '^src/application/ports/' },
      to: {
        pathNot: [
          '^src/domain/',
          '^src/application/ports/',
          '^src/application/event-store/(json|position|event-envelope)\\.ts$',
        ],
      },
    },
    {
      name: 'production-code-not-to-tools',
      comment: 'The synthetic generators are tools for benchmarks, tests and the CLI, not part of the service.',
      severity: 'error',
      from: { path: '^src/(domain|application|read-models|infrastructure)/' },
      to: { path: '^src/tools/' },
    },
    {
      name: 'tests-not-to-benchmarks',
      comment: 'Tests use src/ and test/support/, never a benchmark script.',
      severity: 'error',
      from: { path: '^test/' },
      to: { path: '^bench/' },
    },
    {
      name: 'console-only-through-the-api',
      comment: 'The web console is a client of the public HTTP API: it imports nothing of the service.',
      severity: 'error',
      from: { path: '^web/' },
      to: { path: '^(src|test|bench|scripts)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
