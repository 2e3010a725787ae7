/**
 * The class-based DSC resource IisFtpsSetting (module/IisFtps.psm1): its Pester suite creates
 * instances and calls Get(), Test() and Set() on copies of the example configuration, through
 * ServerManager (the test double) and through the Node CLI. Invoke-DscResource needs the
 * PSDesiredStateConfiguration module, which these machines cannot get; the methods are what it calls.
 */
import { join } from 'node:path';
import { REPO } from '../../support/fixture.js';
import { type BridgeRuntime, USE_REAL_IIS } from '../../support/powershell.js';
import { expectWholeSuite, pesterRuntime, runPester } from './run-pester.js';

describe('PowerShell module: the DSC resource IisFtpsSetting (real pwsh, Pester)', function () {
  this.timeout(600_000);
  let rt: BridgeRuntime;
  let pester: string;

  before(function () {
    if (USE_REAL_IIS) this.skip(); // the suite edits copies of the fixture through the test double
    ({ rt, pester } = pesterRuntime(this));
  });

  it('IisFtpsSetting.Tests.ps1 passes on both paths, with no test skipped', () => {
    expectWholeSuite(runPester(rt, pester, join(REPO, 'test', 'integration', 'module', 'IisFtpsSetting.Tests.ps1')), 20);
  });
});
