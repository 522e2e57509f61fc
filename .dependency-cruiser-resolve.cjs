// How dependency-cruiser resolves imports (read as a webpack config's `resolve`; see .dependency-cruiser.cjs):
// `@tickwork/<name>` and its subpaths resolve to that workspace's TypeScript sources instead of its dist/, and
// a `./x.js` import to the `./x.ts` beside it, as tsc does.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const readJson = (path) => JSON.parse(readFileSync(join(__dirname, path), 'utf8'));

/** Each workspace: its folder, its package name, and the @tickwork/* packages its package.json declares. */
const workspaces = readJson('package.json').workspaces.map((dir) => {
  const manifest = readJson(`${dir}/package.json`);
  const declared = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies, ...manifest.peerDependencies });
  return { dir, name: manifest.name, declared: declared.filter((d) => d.startsWith('@tickwork/')) };
});

module.exports = {
  workspaces,
  resolve: {
    alias: Object.fromEntries(workspaces.map((w) => [w.name, join(__dirname, w.dir, 'src')])),
    extensionAlias: { '.js': ['.ts', '.tsx', '.js'] },
    extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.d.ts', '.json'],
  },
};
