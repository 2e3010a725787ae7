/**
 * The PowerShell module as it ships: scripts/build-module.mjs builds the folder IisFtps/ into a
 * temporary folder, then the Pester suite Package.Tests.ps1 imports it (from its folder, from a
 * PSModulePath entry), publishes it to a local PSResourceGet repository, installs it from there
 * into a clean module path and uses it, in fresh pwsh processes. Without CI a missing pwsh, .NET
 * SDK or Pester skips the suite with the reason; with CI=true it fails it.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO, tempDir } from '../../support/fixture.js';
import { type BridgeRuntime, USE_REAL_IIS } from '../../support/powershell.js';
import { expectWholeSuite, pesterRuntime, runPester } from './run-pester.js';

const HERE = join(REPO, 'test', 'integration', 'module');

describe('PowerShell module: one version', () => {
  it('scripts/build-module.mjs builds only when Manifest.psd1 and package.json have one version', () => {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', [
      `import { builtManifest, manifestVersion, packageVersion } from ${JSON.stringify(pathToFileURL(join(REPO, 'scripts', 'build-module.mjs')).href)};`,
      'const built = builtManifest();',
      'let refused = null;',
      "try { builtManifest(\"@{\\n    ModuleVersion = '9.9.9'\\n    FunctionsToExport = @()\\n}\\n\", '1.0.0'); } catch (e) { refused = e.message; }",
      'console.log(JSON.stringify({ manifest: manifestVersion(), npm: packageVersion(), builtVersion: manifestVersion(built), refused }));',
    ].join('\n')], { encoding: 'utf8' });
    const v = JSON.parse(out) as { manifest: string; npm: string; builtVersion: string; refused: string | null };
    assert.equal(v.manifest, v.npm, 'Manifest.psd1 ModuleVersion and package.json version differ');
    assert.equal(v.builtVersion, v.npm);
    assert.match(v.refused ?? '', /ModuleVersion '9\.9\.9' but package\.json has version '1\.0\.0'.*--sync-version/);
  });
});

describe('PowerShell module as shipped (built IisFtps folder, PSResourceGet install, real pwsh)', function () {
  this.timeout(600_000);
  let rt: BridgeRuntime;
  let pester: string;

  before(function () {
    if (USE_REAL_IIS || process.platform === 'win32') this.skip(); // the suite edits copies of the example through the test double and the Node CLI
    ({ rt, pester } = pesterRuntime(this));
  });

  it('Package.Tests.ps1 passes on the built folder, with no test skipped', () => {
    const out = tempDir();
    execFileSync(process.execPath, [join(REPO, 'scripts', 'build-module.mjs'), '--out', out], { encoding: 'utf8' });
    const built = join(out, 'IisFtps');
    assert.ok(existsSync(join(built, 'IisFtps.psd1')), `build-module did not leave ${built}/IisFtps.psd1`);
    const env = {
      IIS_FTPS_TEST_BUILT: built,
      IIS_FTPS_TEST_EXAMPLE: join(REPO, 'examples', 'applicationHost.config'),
      IIS_FTPS_TEST_CLI_SCRIPT: join(HERE, 'cli-counter.mjs'),
      IIS_FTPS_CLI: '',
    };
    expectWholeSuite(runPester(rt, pester, join(HERE, 'Package.Tests.ps1'), env, 540_000, out), 15);
  });
});
