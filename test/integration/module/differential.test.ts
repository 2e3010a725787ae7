/**
 * The module's live path (ServerManager through the engine, here on the test double) against the
 * offline backend: the same steps around siteDefaults (LEVEL_STEPS: values only siteDefaults sets,
 * pins equal to it, resets) give the same files and read the same values and sources.
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { XmlBackend } from '../../../src/backends/xml/index.js';
import { settings } from '../../../src/schema/index.js';
import { LEVEL_NAMES, LEVEL_STEPS } from '../../support/differential.js';
import { FIXTURE, REPO, tempDir } from '../../support/fixture.js';
import { applyStep, expectLevels, readLevels } from '../../support/levels.js';
import { type BridgeRuntime, USE_REAL_IIS, bridgeRuntime } from '../../support/powershell.js';

const run = promisify(execFile);

interface ModuleStep {
  written: boolean;
  bytes: string;
  levels: Record<string, Record<string, [unknown, string]>>;
}

describe("the module's live path and the offline backend agree around siteDefaults", function () {
  this.timeout(600_000);
  let rt: BridgeRuntime;

  before(function () {
    if (USE_REAL_IIS) this.skip(); // compares bytes the test double writes with the offline backend's
    rt = bridgeRuntime(this);
  });

  it('the same files, values and sources after every step, through Set- and Reset-IisFtpsSetting', async () => {
    const dir = tempDir();
    const moduleFile = join(dir, 'module.config');
    const xmlFile = join(dir, 'xml.config');
    copyFileSync(FIXTURE, moduleFile);
    copyFileSync(FIXTURE, xmlFile);
    const { stdout } = await run(rt.exe.path, ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', join(REPO, 'test', 'integration', 'module', 'levels.ps1')], {
      timeout: 540_000,
      maxBuffer: 64 * 1024 * 1024,
      env: {
        ...process.env,
        IIS_FTPS_MWA_PATH: rt.mwaPath!,
        IIS_FTPS_TEST_CONFIG: moduleFile,
        IIS_FTPS_TEST_STEPS: JSON.stringify(LEVEL_STEPS),
        IIS_FTPS_TEST_LEVELS: JSON.stringify(LEVEL_NAMES),
        NO_COLOR: '1',
      },
    });
    const steps = JSON.parse(stdout.trim().split('\n').pop()!) as ModuleStep[];
    const flags = new Set<string>(settings.filter((s) => s.def.codec.type === 'flags').map((s) => s.name));
    for (const step of steps) {
      for (const level of Object.values(step.levels)) {
        for (const [name, pair] of Object.entries(level)) if (flags.has(name) && typeof pair[0] === 'string') pair[0] = pair[0] ? pair[0].split(',') : [];
      }
    }
    assert.equal(steps.length, LEVEL_STEPS.length);
    const xml = new XmlBackend({ path: xmlFile, backup: false });
    for (const [i, step] of LEVEL_STEPS.entries()) {
      assert.equal(await applyStep(xml, step), step.written, `offline: "${step.title}" written`);
      const got = steps[i]!;
      assert.equal(got.written, step.written, `module: "${step.title}" written`);
      assert.equal(Buffer.from(got.bytes, 'base64').toString('utf8'), readFileSync(xmlFile, 'utf8'), `after "${step.title}": the module and the offline backend give different files`);
      assert.ok(Buffer.from(got.bytes, 'base64').equals(readFileSync(xmlFile)), `after "${step.title}": different bytes`);
      expectLevels(got.levels, step, 'module');
      assert.deepEqual(got.levels, await readLevels(xml), `after "${step.title}": the module reads values or sources differently`);
    }
  });
});
