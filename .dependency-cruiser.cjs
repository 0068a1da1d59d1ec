/**
 * The module graph's rules, type-only imports included (ESLint's import-x/no-cycle skips those,
 * and a circle of types is still a circle of design): no circles, and the lower layers (src/common,
 * src/runtime) know nothing of the feature modules. `npm run lint` runs it.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import circles, type-only imports included (docs/architecture.md, "Layers").',
      from: { path: '^src' },
      to: { circular: true },
    },
    {
      name: 'common-knows-no-module',
      severity: 'error',
      comment: 'src/common and src/runtime are below the feature modules and may not import them.',
      from: { path: '^src/(common|runtime)/' },
      to: { path: '^src/modules/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '(^|/)node_modules/|\\.data\\.ts$' },
  },
};
