import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';

/**
 * An install without dev dependencies (`npm install --omit=dev`, a production image, an app that
 * installs the plugin from npm) must still build the admin panel and run the server: every
 * package the app's own code imports at run time (not `import type`, not tests) is in its
 * `dependencies`, and every one the booking plugin imports in the plugin's `dependencies` or
 * `peerDependencies`. jsqr, which the door scanner imports, was a devDependency.
 */
const root = path.join(__dirname, '..', '..', '..');
const pluginRoot = path.join(root, 'src', 'plugins', 'booking');
type Manifest = { dependencies: Record<string, string>; peerDependencies?: Record<string, string> };
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest;
const pluginManifest = JSON.parse(readFileSync(path.join(pluginRoot, 'package.json'), 'utf8')) as Manifest;

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return ['__tests__', 'node_modules', 'dist'].includes(entry.name) ? [] : sourceFiles(full);
    return /\.(ts|tsx|js|mjs)$/.test(entry.name) && !/\.test\./.test(entry.name) ? [full] : [];
  });

/** The package a bare specifier names: `@scope/name` or `name` (`csv-stringify/sync` is csv-stringify). */
const packageOf = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

const runtimeImports = (file: string): string[] => {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  const patterns = [/^\s*import\s+(?!type\s)[^;]*?\bfrom\s+'([^']+)'/gm, /^\s*import\s+'([^']+)'/gm, /\brequire\(\s*'([^']+)'\s*\)/g];
  for (const pattern of patterns) for (const match of text.matchAll(pattern)) found.push(match[1]);
  return found.filter((s) => !s.startsWith('.') && !s.startsWith('/'));
};

const missingFrom = (files: string[], declared: Record<string, string>) => {
  const builtins = new Set(builtinModules);
  const missing = new Map<string, string>();
  for (const file of files) {
    for (const specifier of runtimeImports(file)) {
      const name = packageOf(specifier);
      if (name.startsWith('node:') || builtins.has(name)) continue;
      if (!(name in declared)) missing.set(name, path.relative(root, file));
    }
  }
  return Object.fromEntries(missing);
};

test('every package the app imports at run time is a dependency, not a devDependency', () => {
  const files = [...sourceFiles(path.join(root, 'src')), ...sourceFiles(path.join(root, 'config'))].filter(
    (file) => !file.startsWith(pluginRoot + path.sep)
  );
  expect(missingFrom(files, manifest.dependencies)).toEqual({});
});

test('every package the booking plugin imports at run time is one of its dependencies or peer dependencies', () => {
  const files = sourceFiles(pluginRoot);
  expect(missingFrom(files, { ...pluginManifest.dependencies, ...pluginManifest.peerDependencies })).toEqual({});
  // The scan saw the admin bundle's imports, the scanner's jsqr among them.
  expect(files.some((file) => runtimeImports(file).includes('jsqr'))).toBe(true);
});
