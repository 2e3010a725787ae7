/**
 * Certificate renewal in the PowerShell module: Certificates.Tests.ps1 in a real pwsh, on both
 * paths (ServerManager through the Microsoft.Web.Administration test double, and the Node CLI),
 * with the renewal configuration and certificates made here. A suite of its own (beside
 * IisFtps.Tests.ps1), so each run stays well inside its time limit on a shared machine. Without
 * CI a missing pwsh, .NET SDK or Pester skips it with the reason; with CI=true it fails it.
 */
import { tempDir } from '../../support/fixture.js';
import { certificateFixtures } from '../../support/module-certificates.js';
import { pesterSuite } from './run-pester.js';

pesterSuite({
  title: 'PowerShell module: certificate renewal (real pwsh, Pester)',
  file: 'Certificates.Tests.ps1',
  minimum: 25,
  env: () => certificateFixtures(tempDir()),
  timeout: 1_100_000,
});
