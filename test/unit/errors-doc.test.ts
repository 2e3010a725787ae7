import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES, exitCodeFor } from '../../src/errors/errors.js';
import { REPO } from '../support/fixture.js';

describe('docs/errors.md', () => {
  it('has one row per error code, with the exit code the CLI uses', () => {
    const text = readFileSync(join(REPO, 'docs', 'errors.md'), 'utf8');
    const rows = new Map([...text.matchAll(/^\| `([A-Z_]+)` \| (\d) \|/gm)].map((m) => [m[1]!, Number(m[2])]));
    assert.deepEqual([...rows.keys()].sort(), [...ERROR_CODES].sort());
    for (const code of ERROR_CODES) assert.equal(rows.get(code), exitCodeFor(code), code);
  });
});
