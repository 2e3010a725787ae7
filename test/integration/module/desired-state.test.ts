/**
 * -DesiredState on the module's cmdlets: Test-IisFtpsSetting reports drift, Set-IisFtpsSetting
 * applies, through ServerManager (the test double) and through the Node CLI (Pester suite
 * DesiredState.Tests.ps1 on copies of the example configuration).
 */
import { join } from 'node:path';
import { REPO } from '../../support/fixture.js';
import { type BridgeRuntime, USE_REAL_IIS } from '../../support/powershell.js';
import { expectWholeSuite, pesterRuntime, runPester } from './run-pester.js';

describe('PowerShell module: -DesiredState, drift and apply (real pwsh, Pester)', function () {
  this.timeout(600_000);
  let rt: BridgeRuntime;
  let pester: string;

  before(function () {
    if (USE_REAL_IIS) this.skip(); // the suite edits copies of the fixture through the test double
    ({ rt, pester } = pesterRuntime(this));
  });

  it('DesiredState.Tests.ps1 passes on both paths, with no test skipped', () => {
    expectWholeSuite(runPester(rt, pester, join(REPO, 'test', 'integration', 'module', 'DesiredState.Tests.ps1')), 22);
  });
});
