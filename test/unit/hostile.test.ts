import { strict as assert } from 'node:assert';
import { copyFileSync, lstatSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../src/cli/run.js';
import type { CaseContext, HostileCase } from '../corpus/case.js';
import { documentCases } from '../corpus/documents.js';
import { fileCases } from '../corpus/files.js';
import { nameCases } from '../corpus/names.js';
import { valueCases } from '../corpus/values.js';
import { FIXTURE, tempDir } from '../support/fixture.js';

/**
 * The hostile-input corpus (test/corpus/), run through the CLI in-process: every case is
 * refused with its exit code and a message naming the problem, and leaves every file as it was;
 * or, for hostile but valid input, is handled exactly.
 */
const corpus: HostileCase[] = [...valueCases(), ...nameCases(), ...documentCases(), ...fileCases()];

/** Every entry below a folder: file bytes, link targets, folders, other kinds by name only (a pipe is never opened). */
function snapshot(dir: string, out = new Map<string, string>(), prefix = ''): Map<string, string> {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const st = lstatSync(path);
    const key = `${prefix}${name}`;
    if (st.isSymbolicLink()) out.set(key, `link -> ${readlinkSync(path)}`);
    else if (st.isDirectory()) {
      out.set(key, 'folder');
      snapshot(path, out, `${key}/`);
    } else if (st.isFile()) out.set(key, readFileSync(path).toString('base64'));
    else out.set(key, `special ${st.mode}`);
  }
  return out;
}

function context(): CaseContext {
  const dir = tempDir();
  const elsewhere = tempDir();
  const at = (where: 'dir' | 'elsewhere' = 'dir') => (where === 'dir' ? dir : elsewhere);
  return {
    dir,
    elsewhere,
    fixture(name = 'applicationHost.config', where = 'dir') {
      const path = join(at(where), name);
      copyFileSync(FIXTURE, path);
      return path;
    },
    write(name, content, where = 'dir') {
      const path = join(at(where), name);
      writeFileSync(path, content);
      return path;
    },
  };
}

async function runAs(unprivileged: boolean, argv: readonly string[]) {
  let stdout = '';
  let stderr = '';
  const root = unprivileged && process.getuid?.() === 0;
  if (root) process.seteuid!(65534);
  try {
    const code = await run(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
    return { code, stdout, stderr };
  } finally {
    if (root) process.seteuid!(0);
  }
}

describe('hostile and broken input (test/corpus)', function () {
  this.timeout(60_000);

  it(`holds at least 200 cases (${corpus.length})`, () => {
    assert.ok(corpus.length >= 200, `${corpus.length} cases`);
    assert.equal(new Set(corpus.map((c) => `${c.group}: ${c.name}`)).size, corpus.length, 'case names are unique');
  });

  for (const c of corpus) {
    it(`${c.group}: ${c.name}`, async () => {
      const ctx = context();
      const { argv } = c.setup(ctx);
      const before = [snapshot(ctx.dir), snapshot(ctx.elsewhere)];
      const out = await runAs(c.unprivileged ?? false, argv);
      const shown = `exit ${out.code}\nstdout: ${out.stdout.slice(0, 2000)}\nstderr: ${out.stderr.slice(0, 2000)}`;
      assert.equal(out.code, c.exit, shown);
      const text = c.exit === 0 ? out.stdout : out.stderr;
      if (typeof c.message === 'string') assert.ok(text.includes(c.message), `expected ${JSON.stringify(c.message)} in\n${shown}`);
      else assert.match(text, c.message, shown);
      if (c.code) assert.ok(out.stderr.includes(`(${c.code})`), `expected code ${c.code}\n${shown}`);
      if (c.after) await c.after(ctx, out);
      else assert.deepEqual([snapshot(ctx.dir), snapshot(ctx.elsewhere)], before, 'every file is as it was, and nothing was added');
    });
  }
});
