/**
 * The layer rules of the runtime, checked in CI (`npm run check:layers`, dependency-cruiser).
 * Bottom to top, each layer imports only those below it:
 *
 *   runtime/util        helpers; imports nothing of weave
 *   runtime/protocol    schemas, framing, coded errors; imports util
 *   runtime/snapshot, exec, host, policy, sim
 *                       the pure parts (checkpoints, execution, host calls, placement);
 *                       may use protocol's types and util, never the mesh
 *   runtime/net         NATS: wire, stores, identity, sealing; imports protocol, util
 *   runtime/trace       job events; imports exec, util
 *   runtime/engine      jobs over a Transport; imports everything above but hub
 *   runtime/hub         the daemon, its parts, slots, the embedded mesh
 *   cli                 commands; may import any layer
 *
 * No import circles anywhere (fragments/ is left out of the first version: its manifest
 * imports the compiler passes, a circle being fixed there). Files over 500 lines under
 * runtime/ are checked by scripts/check-sizes.mjs.
 */
const layer = (name, mayNotImport, comment) => ({
  name, severity: 'error', comment,
  from: { path: `^runtime/${name}/` },
  to: { path: mayNotImport },
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular', severity: 'error', comment: 'An import circle makes two parts one; break it by moving the shared piece down a layer.',
      from: { path: '^(runtime|cli)/' }, to: { circular: true },
    },
    layer('util', '^(runtime/(?!util/)|cli/|fragments/)', 'util is the bottom: it imports nothing of weave'),
    layer('protocol', '^(runtime/(?!protocol/|util/)|cli/|fragments/)', 'protocol imports only util'),
    {
      name: 'pure-parts-below-the-mesh', severity: 'error', comment: 'checkpoints, execution, host calls and placement know nothing of the mesh',
      from: { path: '^runtime/(snapshot|exec|host|policy|sim)/' }, to: { path: '^(runtime/(net|trace|engine|hub)/|cli/)' },
    },
    layer('net', '^(runtime/(?!net/|protocol/|util/)|cli/)', 'net (NATS) imports only protocol and util, never the hub or the engine'),
    layer('trace', '^(runtime/(net|engine|hub)/|cli/)', 'trace is below the engine: it imports no engine, hub or net'),
    layer('engine', '^(runtime/hub/|cli/)', 'the engine is below the hub'),
    {
      name: 'runtime-below-cli', severity: 'error', comment: 'the runtime never imports commands, tests or benchmarks',
      from: { path: '^runtime/' }, to: { path: '^(cli|test|bench)/' },
    },
    {
      name: 'only-net-imports-nats', severity: 'error', comment: 'one adapter imports nats (STYLE.md); the rest use runtime/net',
      from: { path: '^(runtime|cli)/', pathNot: '^runtime/net/' }, to: { path: 'node_modules/nats/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'parts-through-their-index', severity: 'warn',
      comment: "another part's files are reached through its index.ts (or internal.ts), so a part can change inside without its users",
      from: { path: '^runtime/([^/]+)/' },
      to: { path: '^runtime/[^/]+/', pathNot: ['^runtime/$1/', '^runtime/[^/]+/(index|internal)\\.ts$'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules|examples|test/programs|bench/programs|fragments/lib)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    moduleSystems: ['es6', 'cjs'],
  },
};
