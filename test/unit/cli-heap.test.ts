import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { LARGE_FILE_BYTES, configOf, doesWork, youngGenerationSettable } from '../../src/cli/heap.js';
import { REPO } from '../support/fixture.js';

const WORKER = join(REPO, 'test', 'support', 'workers', 'young-generation.ts');

interface Sizes {
  readonly started: number;
  readonly before: number;
  readonly after: number;
  readonly kept: number;
}

/** The worker's young generation at its start, after the setting (if any) and after it keeps about 30 MB of small objects. */
function youngGeneration(mode: 'large' | 'small' | 'default' | 'other-v8'): Sizes {
  const r = spawnSync(process.execPath, ['--import', 'tsx', WORKER, mode], { cwd: REPO, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '', 'V8 reported nothing on stderr (no unknown flag)');
  const sizes = JSON.parse(r.stdout) as Sizes;
  assert.equal(sizes.kept, 400_000);
  return sizes;
}

describe("the CLI process's young generation (src/cli/heap.ts)", () => {
  it('grows by default in a process that keeps what it allocates (the case the setting is for)', () => {
    const { started, before, after } = youngGeneration('default');
    assert.equal(before, started);
    assert.ok(after > before, `V8's young generation grew (${before} -> ${after} bytes)`);
  });

  it('grows once for a large configuration file, then stays at that size through the same work', () => {
    const { started, before, after } = youngGeneration('large');
    assert.ok(before > started, `it grew once (${started} -> ${before} bytes)`);
    assert.equal(after, before);
  });

  it('stays at its start for a small configuration file, through the same work', () => {
    const { started, before, after } = youngGeneration('small');
    assert.equal(before, started);
    assert.equal(after, before);
  });

  it('leaves a V8 outside the checked range as it is', () => {
    const { started, before, after } = youngGeneration('other-v8');
    assert.equal(before, started);
    assert.ok(after > before, `V8's young generation grew as by default (${before} -> ${after} bytes)`);
  });

  it('knows the V8 majors checked (Node 20 to 24), and no other', () => {
    for (const v of ['11.3.244.8-node.38', '12.4.254.21-node.33', '13.6.233.10-node.27']) assert.equal(youngGenerationSettable(v), true, v);
    for (const v of ['10.2.154.26-node.26', '14.1.146.11-node.14', '', 'not a version', '.11']) assert.equal(youngGenerationSettable(v), false, JSON.stringify(v));
  });

  it('is for command lines that do work, not for help or the version', () => {
    for (const argv of [['set', '--config', 'a.config', '--all-ftp-sites'], ['get', '--site', 'help'], ['dsc', 'get'], ['rotate-cert', '--config', 'x']]) assert.equal(doesWork(argv), true, argv.join(' '));
    for (const argv of [[], ['help'], ['help', 'set'], ['--help'], ['set', '--help'], ['get', '-h'], ['--version']]) assert.equal(doesWork(argv), false, argv.join(' ') || '(nothing)');
  });

  it('finds the configuration file a command line names, in either form', () => {
    assert.equal(configOf(['set', '--config', 'C:\\inetsrv\\applicationHost.config', '--all-ftp-sites']), 'C:\\inetsrv\\applicationHost.config');
    assert.equal(configOf(['get', '--config=a b.config', '--site', 'x']), 'a b.config');
    assert.equal(configOf(['get', '--site', 'x']), undefined);
    assert.equal(configOf(['get', '--config']), undefined);
    assert.equal(LARGE_FILE_BYTES, 4 << 20);
  });
});
