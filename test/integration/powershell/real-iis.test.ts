/**
 * What the real ServerManager throws and returns, on copies of the live applicationHost.config,
 * and how the engine reads it: the checks the test double can only imitate. Runs only on Windows
 * with IIS (IIS_FTPS_TEST_REAL_IIS=1, .github/workflows/windows.yml), in the PowerShell the suite
 * runs (PowerShell 7, or Windows PowerShell 5.1 with IIS_FTPS_TEST_PWSH=powershell.exe, which also
 * proves that Add-Type compiles the engine as C# 5).
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CORE_SCRIPT } from '../../../src/backends/powershell/index.js';
import { tempDir } from '../../support/fixture.js';
import { LIVE_CONFIG } from '../../support/live.js';
import { type BridgeRuntime, USE_REAL_IIS, bridgeRuntime } from '../../support/powershell.js';

const run = promisify(execFile);

describe('the real ServerManager, as the engine sees it (copies of the live configuration)', function () {
  this.timeout(300_000);
  let rt: BridgeRuntime;

  before(function () {
    if (!USE_REAL_IIS) {
      console.log('      skipped: needs Windows with IIS (IIS_FTPS_TEST_REAL_IIS=1); see .github/workflows/windows.yml');
      this.skip();
    }
    rt = bridgeRuntime(this);
  });

  async function pwsh(body: string, env: Record<string, string>): Promise<Record<string, unknown>> {
    const script = join(tempDir(), 'case.ps1');
    writeFileSync(
      script,
      `$ErrorActionPreference = 'Stop'\n. '${CORE_SCRIPT.replace(/'/g, "''")}'\nImport-IisFtpsEngine\nAdd-Type -LiteralPath (Join-Path $env:windir 'System32\\inetsrv\\Microsoft.Web.Administration.dll')\n` +
        "function Info($e) { $i = Get-IisFtpsInnermostException -Exception $e; $r = ConvertFrom-IisFtpsJson ([IisFtps.Engine.Json]::Write([IisFtps.Engine.Errors]::Info($i))); $r | Add-Member hresult $i.HResult; $r }\n" +
        `${body}\n`,
    );
    const { stdout } = await run(rt.exe.path, ['-NoLogo', '-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-File', script], { env: { ...process.env, ...env }, timeout: 240_000 });
    return JSON.parse(stdout.trim().split('\n').pop()!);
  }

  const copy = (name: string) => {
    const path = join(tempDir(), name);
    copyFileSync(LIVE_CONFIG, path);
    return path;
  };

  it('a commit over a file changed on disk throws FileLoadException, which the engine maps to CONFLICT', async () => {
    const path = copy('applicationHost.config');
    const out = await pwsh(
      `$sm = New-Object Microsoft.Web.Administration.ServerManager $env:CFG
$sites = $sm.GetApplicationHostConfiguration().GetSection('system.applicationHost/sites')
$sites.GetChildElement('siteDefaults').GetChildElement('ftpServer').GetChildElement('security').GetChildElement('ssl').SetAttributeValue('ssl128', $true)
[System.IO.File]::AppendAllText($env:CFG, "<!-- someone else -->")
try { $sm.CommitChanges(); '{"committed":true}' } catch { ConvertTo-IisFtpsJson (Info $_.Exception) }`,
      { CFG: path },
    );
    assert.equal(out['code'], 'CONFLICT', JSON.stringify(out));
    assert.equal(out['dotnetType'], 'System.IO.FileLoadException');
    assert.ok(readFileSync(path, 'utf8').endsWith('<!-- someone else -->'));
  });

  it('a malformed file throws COMException 0x8007000D, which the engine maps to XML_MALFORMED', async () => {
    const path = join(tempDir(), 'applicationHost.config');
    writeFileSync(path, readFileSync(LIVE_CONFIG, 'utf8').replace('<sites>', '<sites><broken'));
    const out = await pwsh(
      `$sm = New-Object Microsoft.Web.Administration.ServerManager $env:CFG
try { [void]$sm.GetApplicationHostConfiguration().GetSection('system.applicationHost/sites'); '{"loaded":true}' } catch { ConvertTo-IisFtpsJson (Info $_.Exception) }`,
      { CFG: path },
    );
    assert.equal(out['code'], 'XML_MALFORMED', JSON.stringify(out));
    assert.equal(out['dotnetType'], 'System.Runtime.InteropServices.COMException');
    assert.equal(out['hresult'], -2147024883);
  });

  it('types values as the engine expects: Int64 ids, Int32 enums and flags, TimeSpan, Boolean; a string for a timeSpan is an InvalidCastException', async () => {
    const path = copy('applicationHost.config');
    const out = await pwsh(
      `$sm = New-Object Microsoft.Web.Administration.ServerManager $env:CFG
$sites = $sm.GetApplicationHostConfiguration().GetSection('system.applicationHost/sites')
$out = [ordered]@{}
foreach ($site in $sites.GetCollection()) { $out.id = $site.GetAttributeValue('id').GetType().FullName; break }
$scc = $sites.GetChildElement('siteDefaults').GetChildElement('ftpServer').GetChildElement('security').GetChildElement('sslClientCertificates')
$out.enum = $scc.GetAttributeValue('clientCertificatePolicy').GetType().FullName
$out.flags = $scc.GetAttributeValue('validationFlags').GetType().FullName
$out.timeSpan = $scc.GetAttributeValue('revocationFreshnessTime').GetType().FullName
$out.bool = $scc.GetAttributeValue('useActiveDirectoryMapping').GetType().FullName
try { $scc.SetAttributeValue('revocationFreshnessTime', '00:01:00'); $out.stringForTimeSpan = 'accepted' } catch { $out.stringForTimeSpan = (Get-IisFtpsInnermostException -Exception $_.Exception).GetType().FullName }
ConvertTo-IisFtpsJson $out`,
      { CFG: path },
    );
    assert.deepEqual(out, {
      id: 'System.Int64',
      enum: 'System.Int32',
      flags: 'System.Int32',
      timeSpan: 'System.TimeSpan',
      bool: 'System.Boolean',
      stringForTimeSpan: 'System.InvalidCastException',
    });
  });

  it('the engine reads a copy through ServerManager(path) with the values typed and the version of the copy', async () => {
    const path = copy('applicationHost.config');
    const out = await pwsh(
      `$q = [ordered]@{ elements = @([ordered]@{ element = 'sslClientCertificates'; path = @('ftpServer', 'security', 'sslClientCertificates') }); allSites = $true }
ConvertTo-IisFtpsJson (Read-IisFtpsSnapshot -Query $q -ConfigPath $env:CFG -MwaPath '')`,
      { CFG: path },
    );
    const sites = out['sites'] as { name: string; id: number }[];
    assert.ok(sites.some((s) => s.name === process.env['IIS_FTPS_TEST_SITE'] && typeof s.id === 'number'));
    assert.match(String(out['version']), /^[0-9a-f]{64}$/);
  });
});
