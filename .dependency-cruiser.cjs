/** Dependencies point inward: infrastructure -> application -> domain (DEVELOPERS.md). */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'src/domain imports nothing outside itself: no framework, no storage, no node built-ins, no clock.',
      severity: 'error',
      from: { path: '^src/domain/', pathNot: '\\.spec\\.ts$' },
      to: { pathNot: '^src/domain/' },
    },
    {
      name: 'application-not-to-infrastructure',
      comment: 'src/application defines ports; adapters in src/infrastructure implement them, never the reverse.',
      severity: 'error',
      from: { path: '^src/application/' },
      to: { path: '^src/infrastructure/' },
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
      from: { path: '^src/read-models/', pathNot: '\\.spec\\.ts$' },
      to: { path: '^src/infrastructure/' },
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
    exclude: { path: '\\.spec\\.ts$' },
  },
};
