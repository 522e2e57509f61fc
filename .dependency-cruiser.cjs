// The layering rules `npm run lint` checks (dependency-cruiser). The workspaces are read from package.json,
// and `@tickwork/<name>` resolves to that workspace's TypeScript sources, so an import across workspaces is
// followed like any other and a cycle through several workspaces is a cycle of modules.
//
// Layers, bottom up: packages/domain (pure: no I/O, usable in the browser) < the other packages/* < apps/*.
// A workspace's tests sit above its own sources: they may use test helpers that build on them
// (packages/testing, apps/testkit), but a package's tests, like its sources, stay below the apps.
const { workspaces } = require('./.dependency-cruiser-resolve.cjs');

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const anyOf = (dirs) => `^(${dirs.map(escapeRegExp).join('|')})/`;
const apps = workspaces.filter((w) => w.dir.startsWith('apps/'));

/**
 * The npm packages packages/domain may use: pure code that runs in Node and in the browser alike. (cron-parser:
 * domain uses its expression parser only; the package also offers a crontab-file reader, never called here.)
 */
const DOMAIN_NPM = ['typebox', 'fastest-levenshtein', 'cron-parser'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle of imports: modules, or workspaces through their entry points, that need each other.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'package-imports-app',
      severity: 'error',
      comment:
        'packages/* (sources and tests) sit below the apps: nothing in them may import an app. Helpers that ' +
        'start an app in-process live in apps/testkit.',
      from: { path: '^packages/' },
      to: { path: [anyOf(apps.map((w) => w.dir)), `^(${apps.map((w) => escapeRegExp(w.name)).join('|')})(/|$)`] },
    },
    {
      name: 'domain-imports-node',
      severity: 'error',
      comment:
        'packages/domain is pure logic, for the API, the worker and the browser: no Node builtin (node:*, fs, net, http...).',
      from: { path: '^packages/domain/src/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'domain-imports-io-package',
      severity: 'error',
      comment:
        `packages/domain is pure logic: of npm packages it may only use ${DOMAIN_NPM.join(', ')} ` +
        '(not mongoose, ioredis, bullmq, undici, pino...: I/O belongs to store, queue, ledger and the apps).',
      from: { path: '^packages/domain/src/' },
      to: {
        dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'],
        pathNot: `(^|/)node_modules/(${DOMAIN_NPM.map(escapeRegExp).join('|')})/`,
      },
    },
    {
      name: 'domain-imports-workspace',
      severity: 'error',
      comment: 'packages/domain is the bottom layer: it imports no other workspace.',
      from: { path: '^packages/domain/' },
      to: { path: '^(apps|packages)/', pathNot: '^packages/domain/' },
    },
    // A workspace imports another only through the package name its package.json declares.
    ...workspaces.map((w) => {
      const undeclared = workspaces.filter((o) => o !== w && !w.declared.includes(o.name));
      return {
        name: 'undeclared-workspace',
        severity: 'error',
        comment: `${w.dir} imports a @tickwork/* workspace that its package.json does not declare.`,
        from: { path: `^${escapeRegExp(w.dir)}/` },
        to: { path: anyOf(undeclared.map((o) => o.dir)) },
      };
    }),
    {
      name: 'relative-into-workspace',
      severity: 'error',
      comment: 'A relative import into another workspace: import it by its @tickwork/* name, as declared.',
      from: { path: '^((apps|packages)/[^/]+)/' },
      to: { dependencyTypes: ['local'], dependencyTypesNot: ['aliased'], path: '^(apps|packages)/', pathNot: '^$1/' },
    },
    {
      name: 'undeclared-npm',
      severity: 'error',
      comment: 'An npm package that neither the importing workspace nor the root package.json declares.',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing on disk.',
      // A launcher importing its workspace's build output (apps/cli/bin -> ../dist) resolves only after a
      // build, and lint runs before one on a fresh clone.
      from: {},
      to: { couldNotResolve: true, pathNot: '(^|/)dist/' },
    },
  ],
  options: {
    exclude: { path: ['^(apps|packages)/[^/]+/dist/', '/fixtures/'] },
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    combinedDependencies: true,
    skipAnalysisNotInRules: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
    webpackConfig: { fileName: '.dependency-cruiser-resolve.cjs' },
  },
};
