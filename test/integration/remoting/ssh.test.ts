/**
 * Fan-out through PowerShell remoting over SSH, for real on one machine: stand-in servers are
 * sshd processes on loopback ports (test/support/sshd.ts), each with its own configuration file,
 * one of them without the IisFtps module. The Pester suite Remoting.Tests.ps1 drives the module's
 * cmdlets against them; the servers are stopped (by pid) afterwards. Without CI a missing sshd,
 * pwsh or Pester skips the suite with the reason; with CI=true it fails it.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { REPO } from '../../support/fixture.js';
import { type BridgeRuntime, USE_REAL_IIS } from '../../support/powershell.js';
import { type StandIns, sshdMissing, startStandIns } from '../../support/sshd.js';
import { expectWholeSuite, pesterRuntime, runPester } from '../module/run-pester.js';

describe('PowerShell remoting over SSH to stand-in servers (real sshd, pwsh, Pester)', function () {
  this.timeout(900_000);
  let rt: BridgeRuntime;
  let pester: string;
  let standIns: StandIns | undefined;

  before(async function () {
    if (USE_REAL_IIS) this.skip(); // the stand-ins edit copies of the fixture through the test double
    ({ rt, pester } = pesterRuntime(this, sshdMissing));
    standIns = await startStandIns({ count: 4, withoutModule: 1, pwsh: rt.exe.path, mwa: rt.mwaPath! });
  });

  after(async () => {
    await standIns?.stop();
  });

  it('Remoting.Tests.ps1 passes, with no test skipped', () => {
    const s = standIns!;
    const description = {
      user: s.user,
      key: s.key,
      knownHosts: s.knownHosts,
      unreachablePort: s.unreachablePort,
      servers: s.servers.map(({ name, port, home, config, hasModule }) => ({ name, port, home, config, hasModule })),
    };
    expectWholeSuite(runPester(rt, pester, join(REPO, 'test', 'integration', 'remoting', 'Remoting.Tests.ps1'), { IIS_FTPS_TEST_SSH: JSON.stringify(description) }, 840_000), 11);
  });

  it('stops every stand-in server it started', async () => {
    const s = standIns!;
    await s.stop();
    for (const server of s.servers) assert.ok(server.process.exitCode !== null || server.process.signalCode !== null, `${server.name} still runs`);
  });
});
