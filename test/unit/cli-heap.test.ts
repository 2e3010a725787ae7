import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { YOUNG_GENERATION_FLAGS, youngGenerationFlags } from '../../src/cli/heap.js';
import { REPO } from '../support/fixture.js';

const WORKER = join(REPO, 'test', 'support', 'workers', 'young-generation.ts');

/** The worker's young generation before and after it keeps about 30 MB of small objects. */
function youngGeneration(mode: 'kept' | 'default'): { before: number; after: number; kept: number } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', WORKER, mode], { cwd: REPO, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '', 'V8 reported nothing on stderr (no unknown flag)');
  return JSON.parse(r.stdout) as { before: number; after: number; kept: number };
}

describe("the CLI process's young generation (src/cli/heap.ts)", () => {
  it('grows by default in a process that keeps what it allocates (the case the setting is for)', () => {
    const { before, after, kept } = youngGeneration('default');
    assert.equal(kept, 400_000);
    assert.ok(after > before, `V8's young generation grew (${before} -> ${after} bytes)`);
  });

  it('stays at its size once keepYoungGenerationSmall has run, with the same work', () => {
    const { before, after, kept } = youngGeneration('kept');
    assert.equal(kept, 400_000);
    assert.equal(after, before);
  });

  it('sets the flag for the V8 majors checked (Node 20 to 24), and nothing for any other', () => {
    for (const v of ['11.3.244.8-node.38', '12.4.254.21-node.33', '13.6.233.10-node.27']) assert.deepEqual(youngGenerationFlags(v), YOUNG_GENERATION_FLAGS, v);
    for (const v of ['10.2.154.26-node.26', '14.1.146.11-node.14', '', 'not a version', '.11']) assert.deepEqual(youngGenerationFlags(v), [], JSON.stringify(v));
    assert.deepEqual(YOUNG_GENERATION_FLAGS, ['--semi-space-growth-factor=1']);
  });
});
