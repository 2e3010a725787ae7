/**
 * One implementation talks to ServerManager: the engine's source, as every live path compiles it.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { engineDir, engineFiles, engineHash, engineSource } from '../../src/engine/source.js';
import { REPO } from '../support/fixture.js';

/** Every source file of the product (not tests, not docs): TypeScript, C#, PowerShell. */
function productFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|mts|cs|ps1|psm1|psd1|mjs)$/.test(name)) out.push(path);
    }
  };
  for (const top of ['src', 'ps', 'module', 'scripts']) walk(join(REPO, top));
  return out;
}

/** The lines of a file that are code: comments (//, #, <# #>, /* *\/, ///) left out. */
function codeLines(path: string): string[] {
  const text = readFileSync(path, 'utf8').replace(/<#[\s\S]*?#>/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
  return text.split('\n').filter((l) => !/^\s*(\/\/|#)/.test(l));
}

describe('the engine (src/engine/)', () => {
  it('is the only source file that calls CommitChanges', () => {
    const calling = productFiles()
      .filter((f) => codeLines(f).some((l) => /CommitChanges/.test(l)))
      .map((f) => relative(REPO, f).replace(/\\/g, '/'));
    assert.deepEqual(calling, ['src/engine/Sites.cs']);
  });

  it('is the only code that names ServerManager\'s API: ps/ and module/ only load the engine and run requests', () => {
    const api = /\b(GetApplicationHostConfiguration|GetChildElement|SetAttributeValue|IsInheritedFromDefaultValue|New-Object Microsoft\.Web\.Administration)\b/;
    const naming = productFiles()
      .filter((f) => codeLines(f).some((l) => api.test(l)))
      .map((f) => relative(REPO, f).replace(/\\/g, '/'))
      .filter((f) => !f.startsWith('src/engine/'));
    assert.deepEqual(naming, []);
  });

  it('is compiled as one text: its .cs files sorted by name, each followed by a line feed, hashed for the cache', () => {
    const files = engineFiles();
    assert.ok(files.length >= 5);
    assert.deepEqual(files, [...files].sort());
    assert.equal(engineSource(), files.map((f) => readFileSync(f, 'utf8') + '\n').join(''));
    assert.equal(engineHash(), createHash('sha256').update(engineSource(), 'utf8').digest('hex'));
    assert.ok(engineDir().endsWith(join('src', 'engine') + '/') || engineDir().endsWith(join('src', 'engine')));
  });

  it('keeps each file\'s using directives inside its namespace, so the files join into one compilation unit', () => {
    for (const f of engineFiles()) {
      const lines = codeLines(f).filter((l) => l.trim() !== '');
      assert.match(lines[0]!, /^namespace IisFtps\.Engine$/, `${f} must start with the namespace`);
      assert.ok(!lines.some((l) => /^using /.test(l)), `${f} has a using directive outside its namespace`);
    }
  });
});
