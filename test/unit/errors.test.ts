import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { run } from '../../src/cli/run.js';
import { ERROR_CODES, exitCodeFor } from '../../src/errors/errors.js';
import { FIXTURE } from '../support/fixture.js';

/** The rows of docs/errors.md's table: code -> exit code. */
function documented(): Map<string, number> {
  const text = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  const rows = new Map<string, number>();
  for (const m of text.matchAll(/^\| `([A-Z_]+)` \| (\d) \|/gm)) rows.set(m[1]!, Number(m[2]));
  return rows;
}

describe('error codes', () => {
  it('docs/errors.md explains every code of the closed set, with its exit code, and no other', () => {
    const rows = documented();
    assert.deepEqual([...rows.keys()].sort(), [...ERROR_CODES].sort());
    for (const code of ERROR_CODES) assert.equal(rows.get(code), exitCodeFor(code), code);
  });
  it('the CLI reports a fault that is not an IisFtpsError as INTERNAL, exit 1', async () => {
    let err = '';
    // Standard output that fails (as a closed pipe can) throws a plain Error inside the command.
    const io = { stdout: () => { throw new TypeError('stdout is gone'); }, stderr: (t: string) => { err += t; } };
    const code = await run(['get', '--config', FIXTURE, '--site', 'Public Drop', '--json'], io);
    assert.equal(code, 1);
    assert.deepEqual(JSON.parse(err), { error: { code: 'INTERNAL', message: 'stdout is gone' } });
  });
});
