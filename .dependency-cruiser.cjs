// The design's nevers (../shared/DESIGN.md, "Architecture: data flows one way"), as rules that
// `npm run check:architecture` (and so every `.ci/run`) enforces. Type-only imports count
// (tsPreCompilationDeps), so a cycle through types alone fails too. A new never is one more
// entry in `forbidden`; test/architecture/rules.test.ts shows each rule failing on purpose.

/** Node modules that reach outside the process: files, processes, sockets, threads. */
const IO_MODULES = '^(node:)?(fs|fs/promises|child_process|net|http|https|http2|dgram|dns|tls|module|worker_threads|cluster|inspector|readline|repl|tty|os|process|v8|vm)$';

/**
 * The pure core the scanner's outputs are made of: the detector, the finding shape, the rule
 * texts, the formatters. Nothing in it may do I/O, at load or later.
 */
const PURE_CORE = ['^src/detect/', '^src/report/', '^src/(findings|rules-meta|printable|version|sha256)\\.ts$', '^src/audit/rules\\.ts$'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules form a one-way graph: no import cycles, type-only ones included. Move the shared part into a module both can import.',
      from: { path: '^(src|rules|bin|mock-server)/' },
      to: { circular: true },
    },
    {
      name: 'mock-core-knows-no-http',
      severity: 'error',
      comment:
        "mock-server/core/ is the key API's domain (keys, store, scopes, limits, clock): it imports nothing of HTTP (no Hono, no mock-server/http or routes, no node:http) and nothing of the CLI (src/cli/, nor its error type src/errors.ts: the core throws DomainErrors, which the HTTP layer maps to statuses and the options layer words with flags); the HTTP layer and the adapters are built on it.",
      from: { path: '^mock-server/core/' },
      to: { path: ['^node_modules/(hono|@hono)/', '^mock-server/(?!core/)', '^src/cli/', '^src/errors\\.ts$', '^(node:)?(http|https|http2|net)$'] },
    },
    {
      name: 'detector-is-pure',
      severity: 'error',
      comment: 'src/detect/ is text and facts in, matches and rule hits out: it imports nothing outside itself (no fs, no git, no process, no finding type), except the word list its placeholder rule reads (data only).',
      from: { path: '^src/detect/' },
      to: { pathNot: '^(src/detect/|node_modules/@nkzw/safe-word-list/index\\.js$)' },
    },
    {
      name: 'pure-core-does-no-io',
      severity: 'error',
      comment: 'The detector, findings and formatters do no I/O: no file, process, network or thread module.',
      from: { path: PURE_CORE },
      to: { dependencyTypes: ['core'], path: IO_MODULES },
    },
    {
      name: 'pure-core-stays-pure',
      severity: 'error',
      comment:
        'The pure core (detector, findings, formatters) loads nothing outside itself at run time: a formatter that imported a source, the config or the CLI would bring their I/O along. Types may be imported (they are erased).',
      from: { path: PURE_CORE },
      to: { dependencyTypes: ['local'], dependencyTypesNot: ['type-only'], pathNot: PURE_CORE },
    },
    {
      name: 'audit-rules-stand-alone',
      severity: 'error',
      comment: "src/audit/rules.ts is served as it is to the mock's dashboard in the browser: it imports nothing, not even types.",
      from: { path: '^src/audit/rules\\.ts$' },
      to: {},
    },
    {
      name: 'nothing-imports-the-cli',
      severity: 'error',
      comment: 'src/cli/ is the top: parse, call, print. Nothing below it imports it; only the entry points above it (the Action) may.',
      from: { pathNot: '^src/(cli|action)/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'only-bins-touch-the-process',
      severity: 'error',
      comment: 'Only the bins (src/cli/bin.ts, src/action/bin.ts) touch the process; everything else gets cwd, env and TTYs as arguments.',
      from: { pathNot: '^src/(cli|action)/bin\\.ts$' },
      to: { dependencyTypes: ['core'], path: '^(node:)?(process|tty)$' },
    },
    {
      name: 'git-runs-in-one-module',
      severity: 'error',
      comment: 'All git goes through src/sources/git.ts (husky through src/init/husky.ts, npm\'s packlist through src/sources/npm-pack.ts, npm\'s ignore-scripts through src/init/npm-config.ts): no other module spawns processes.',
      from: { path: '^(src|rules)/', pathNot: '^src/(sources/git|sources/npm-pack|init/husky|init/npm-config)\\.ts$' },
      to: { dependencyTypes: ['core'], path: '^(node:)?child_process$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|test|bench)/|^mock-server/dashboard/(ui|public)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
