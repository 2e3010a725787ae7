import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { REPO } from '../support/fixture.js';

/** The package's entry point, as package.json names it, mapped back to its source by the build's tsconfig. */
function entrySource(): string {
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { exports: Record<string, { import?: string; default?: string; types: string }> };
  const build = ts.readConfigFile(join(REPO, 'tsconfig.build.json'), ts.sys.readFile).config as { compilerOptions: { rootDir: string; outDir: string } };
  const conditions = pkg.exports['.']!;
  // What both `import` and `require` load (Node takes `default` for either when no condition is more specific).
  const entry = conditions.import ?? conditions.default ?? assert.fail("package.json exports '.' names no entry point");
  const { rootDir, outDir } = build.compilerOptions;
  assert.ok(entry?.startsWith(`./${outDir}/`), `the entry point ${entry} is built into ${outDir}/`);
  assert.equal(conditions.types, entry.replace(/\.js$/, '.d.ts'));
  return join(REPO, rootDir, relative(outDir, entry.slice(2)).replace(/\.js$/, '.ts'));
}

/** Every name the entry point exports, values and types apart, as the compiler sees them. */
function exportsOf(file: string): { values: Set<string>; types: Set<string> } {
  const program = ts.createProgram([file], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, noEmit: true, skipLibCheck: true });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
  const values = new Set<string>();
  const types = new Set<string>();
  for (const sym of checker.getExportsOfModule(module)) {
    const target = sym.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sym) : sym;
    (target.flags & ts.SymbolFlags.Value ? values : types).add(sym.getName());
  }
  return { values, types };
}

/** The README's TypeScript API section: the names its code imports from the package, and its table of exports. */
function readmeNames(): { imported: Set<string>; listed: Set<string> } {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## TypeScript API');
  assert.ok(start >= 0, 'the README has a TypeScript API section');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const imported = new Set<string>();
  for (const m of section.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'iis-ftps'/g)) {
    for (const name of m[1]!.split(',')) if (name.trim()) imported.add(name.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0]!);
  }
  const table = section.slice(section.indexOf('### Exports'));
  const listed = new Set<string>();
  for (const row of table.split('\n').filter((l) => l.startsWith('| `'))) {
    for (const m of row.split('|')[1]!.matchAll(/`([A-Za-z_$][\w$]*)`/g)) listed.add(m[1]!);
  }
  return { imported, listed };
}

describe('the package\'s exports and the README', function () {
  this.timeout(120_000);

  const file = entrySource();
  const { values, types } = exportsOf(file);
  const all = new Set([...values, ...types]);
  const { imported, listed } = readmeNames();

  it('the entry point exports every name the README\'s API section imports or lists', () => {
    assert.ok(imported.size >= 5 && listed.size >= 50, `read ${imported.size} imported and ${listed.size} listed names`);
    const missing = [...new Set([...imported, ...listed])].filter((n) => !all.has(n));
    assert.deepEqual(missing, [], 'documented but not exported');
  });

  it('the README lists every name the entry point exports', () => {
    const unlisted = [...all].filter((n) => !listed.has(n)).sort();
    assert.deepEqual(unlisted, [], 'exported but not in the README\'s table of exports');
  });

  it('every value export is there at run time, and nothing else is', async () => {
    const runtime = (await import(file)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(runtime).sort(), [...values].sort());
    for (const name of values) assert.notEqual(runtime[name], undefined, `${name} is exported as undefined`);
    for (const name of ['getFtpsSettings', 'LIVE_CONFLICT_ATTEMPTS']) assert.ok(values.has(name), `${name} is a value export`);
    for (const name of ['XmlBackendOptions', 'SelectionOptions', 'ProgressOptions']) assert.ok(types.has(name), `${name} is a type export`);
  });
});
