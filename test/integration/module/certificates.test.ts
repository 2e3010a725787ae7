/**
 * Certificate renewal in the PowerShell module: Certificates.Tests.ps1 in a real pwsh, on both
 * paths (ServerManager through the Microsoft.Web.Administration test double, and the Node CLI),
 * with the renewal configuration and certificates made here. A suite of its own (beside
 * IisFtps.Tests.ps1), so each run stays well inside its time limit on a shared machine. Without
 * CI a missing pwsh, .NET SDK or Pester skips it with the reason; with CI=true it fails it.
 */
import { join } from 'node:path';
import { REPO, tempDir } from '../../support/fixture.js';
import { certificateFixtures } from '../../support/module-certificates.js';
import { type BridgeRuntime, USE_REAL_IIS } from '../../support/powershell.js';
import { expectWholeSuite, pesterRuntime, runPester } from './run-pester.js';

const HERE = join(REPO, 'test', 'integration', 'module');

describe('PowerShell module: certificate renewal (real pwsh, Pester)', function () {
  this.timeout(1_200_000);
  let rt: BridgeRuntime;
  let pester: string;

  before(function () {
    if (USE_REAL_IIS) this.skip(); // the suite edits copies of a configuration through the test double
    ({ rt, pester } = pesterRuntime(this));
  });

  it('Certificates.Tests.ps1 passes on both paths, with no test skipped', () => {
    expectWholeSuite(runPester(rt, pester, join(HERE, 'Certificates.Tests.ps1'), certificateFixtures(tempDir()), 1_100_000), 25);
  });
});
