/**
 * The ps/ functions used directly from PowerShell (as the PowerShell module will use them), and
 * the parts of the Microsoft.Web.Administration test double the backend cannot reach.
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CORE_SCRIPT, findOnPath } from '../../../src/backends/powershell/index.js';
import { copyFixture, readText, tempDir } from '../../support/fixture.js';
import { type BridgeRuntime, USE_REAL_IIS, bridgeRuntime } from '../../support/powershell.js';

const run = promisify(execFile);

describe('ps/IisFtps.Core.ps1 and the Microsoft.Web.Administration test double', function () {
  this.timeout(60_000);
  let rt: BridgeRuntime;

  before(function () {
    if (USE_REAL_IIS) this.skip();
    rt = bridgeRuntime(this);
  });

  /** Runs a PowerShell script body after dot-sourcing the core; returns the JSON it prints last. */
  async function pwsh(body: string, env: Record<string, string | undefined> = {}): Promise<Record<string, unknown>> {
    return JSON.parse(await pwshRaw(body, env));
  }

  /** Runs a PowerShell script body after dot-sourcing the core; returns the last line it prints. */
  async function pwshRaw(body: string, env: Record<string, string | undefined> = {}): Promise<string> {
    const script = join(tempDir(), 'case.ps1');
    writeFileSync(script, `$ErrorActionPreference = 'Stop'\n. '${CORE_SCRIPT.replace(/'/g, "''")}'\n${body}\n`);
    const childEnv: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', TERM: 'dumb' };
    for (const [k, v] of Object.entries(env)) {
      if (v === undefined) delete childEnv[k];
      else childEnv[k] = v;
    }
    const { stdout } = await run(rt.exe.path, ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', script], { env: childEnv, timeout: 50_000 });
    return stdout.trim().split('\n').pop()!;
  }

  it("refuses to commit over a file changed on disk with FileLoadException, which the core reports as CONFLICT", async () => {
    const path = copyFixture();
    const out = await pwsh(
      `Import-IisFtpsAdministration -Path $env:MWA
$sm = Open-IisFtpsServerManager -ConfigPath $env:CFG
$section = Get-IisFtpsSitesSection -ServerManager $sm
$site = Find-IisFtpsSite -Sites (Get-IisFtpsSiteList -Section $section) -Ref @{ name = 'partner exchange' }
(Get-IisFtpsElement -Owner $site -Path @('ftpServer', 'security', 'sslClientCertificates')).SetAttributeValue('clientCertificatePolicy', 2)
[System.IO.File]::AppendAllText($env:CFG, '<!-- someone else -->')
try { $sm.CommitChanges(); '{"committed":true}' } catch { ConvertTo-IisFtpsJson (Get-IisFtpsErrorInfo $_) }`,
      { MWA: rt.mwaPath, CFG: path },
    );
    assert.equal(out['code'], 'CONFLICT');
    assert.equal(out['dotnetType'], 'System.IO.FileLoadException');
    assert.match(String(out['message']), /^Filename: \\\\\?\\.*\r\nError: Cannot commit configuration changes because the file has changed on disk/);
    assert.ok(readText(path).endsWith('</configuration>\r\n<!-- someone else -->'));
    assert.match(readText(path), /clientCertificatePolicy="CertAllow"/);
  });

  it('types values as ServerManager does, and an unset attribute returns its default marked as inherited', async () => {
    const out = await pwsh(
      `Import-IisFtpsAdministration -Path $env:MWA
$sm = Open-IisFtpsServerManager -ConfigPath $env:CFG
$section = Get-IisFtpsSitesSection -ServerManager $sm
$site = Find-IisFtpsSite -Sites (Get-IisFtpsSiteList -Section $section) -Ref @{ id = 3 }
$scc = Get-IisFtpsElement -Owner $site -Path @('ftpServer', 'security', 'sslClientCertificates')
$out = [ordered]@{}
foreach ($name in 'clientCertificatePolicy', 'validationFlags', 'revocationFreshnessTime', 'useActiveDirectoryMapping') {
  $a = $scc.GetAttribute($name)
  $out[$name] = [ordered]@{ type = $a.Value.GetType().FullName; value = [string]$a.Value; inherited = $a.IsInheritedFromDefaultValue }
}
$out.id = $site['id'].GetType().FullName
try { $scc.SetAttributeValue('clientCertificatePolicy', 'CertMaybe') } catch { $out.invalid = Get-IisFtpsErrorInfo $_ }
try { New-Object Microsoft.Web.Administration.ServerManager | Out-Null } catch { $out.live = Get-IisFtpsErrorInfo $_ }
ConvertTo-IisFtpsJson $out`,
      { MWA: rt.mwaPath, CFG: copyFixture() },
    );
    assert.deepEqual(out['clientCertificatePolicy'], { type: 'System.Int32', value: '1', inherited: false });
    assert.deepEqual(out['validationFlags'], { type: 'System.Int32', value: '4', inherited: false });
    // set only in siteDefaults: merged into the site, and not the schema default
    assert.deepEqual(out['revocationFreshnessTime'], { type: 'System.TimeSpan', value: '01:00:00', inherited: false });
    assert.deepEqual(out['useActiveDirectoryMapping'], { type: 'System.Boolean', value: 'False', inherited: true });
    assert.equal(out['id'], 'System.Int64');
    const invalid = out['invalid'] as Record<string, string>;
    assert.equal(invalid['dotnetType'], 'System.FormatException');
    assert.match(invalid['message']!, /Invalid value 'CertMaybe' for attribute 'clientCertificatePolicy': expected one of CertIgnore \(0\), CertAllow \(1\), CertRequire \(2\)/);
    const live = out['live'] as Record<string, string>;
    assert.equal(live['dotnetType'], 'System.PlatformNotSupportedException');
    assert.match(live['message']!, /test double.*cannot manage a live IIS/);
  });

  it('says where it looked and what to do when Microsoft.Web.Administration is nowhere', async function () {
    if (process.platform === 'win32') this.skip();
    const out = await pwsh(`try { Import-IisFtpsAdministration; '{}' } catch { ConvertTo-IisFtpsJson (Get-IisFtpsErrorInfo $_) }`, { IIS_FTPS_MWA_PATH: undefined, windir: undefined });
    assert.equal(out['code'], 'BACKEND_UNAVAILABLE');
    assert.match(String(out['message']), /Microsoft\.Web\.Administration\.dll is not on this machine .*GAC.*Install-WindowsFeature.*IIS_FTPS_MWA_PATH/);
  });

  it('writes JSON that survives every character, with non-ASCII escaped', async () => {
    const text = 'q"b\\s\t\n\r\u0001 é 名 🚀 </script>';
    const raw = await pwshRaw(`ConvertTo-IisFtpsJson ([ordered]@{ s = (ConvertFrom-IisFtpsJson -Json $env:J).s; n = [uint32]7; t = [TimeSpan]::FromSeconds(30); b = $false; a = @(1, 'x'); e = @(); z = $null })`, { J: JSON.stringify({ s: text }) });
    assert.match(raw, /^[\x20-\x7e]+$/, 'the JSON text is printable ASCII');
    assert.deepEqual(JSON.parse(raw), { s: text, n: 7, t: { Ticks: 300_000_000 }, b: false, a: [1, 'x'], e: [], z: null });
  });

  it('keeps a date-like string a string', async () => {
    const out = await pwsh(`ConvertTo-IisFtpsJson (ConvertFrom-IisFtpsJson -Json $env:J)`, { J: JSON.stringify({ s: '2024-01-02T03:04:05Z' }) });
    assert.deepEqual(out, { s: '2024-01-02T03:04:05Z' });
  });

  it('loads on Mono too (for the edge-js backend), with the same typing and writing', async function () {
    const mcs = findOnPath('mcs');
    const mono = findOnPath('mono');
    if (!mcs || !mono) {
      console.log('      skipped: Mono (mcs, mono) is not installed');
      this.skip();
    }
    const dir = tempDir();
    const path = copyFixture();
    writeFileSync(
      join(dir, 'probe.cs'),
      `using System; using Microsoft.Web.Administration;
class Probe { static void Main(string[] args) {
  using (var sm = new ServerManager(args[0])) {
    var sites = sm.GetApplicationHostConfiguration().GetSection("system.applicationHost/sites");
    foreach (var site in sites.GetCollection()) Console.Write(site["name"] + "=" + site["id"].GetType().Name + ";");
    var scc = sites.GetChildElement("siteDefaults").GetChildElement("ftpServer").GetChildElement("security").GetChildElement("sslClientCertificates");
    Console.Write(scc["revocationFreshnessTime"].GetType().Name);
    scc.SetAttributeValue("validationFlags", 9);
    sm.CommitChanges();
  }
}}`,
    );
    const netstandard = '/usr/lib/mono/4.5/Facades/netstandard.dll';
    await run(mcs!, [`-r:${rt.mwaPath}`, `-r:${netstandard}`, `-out:${join(dir, 'probe.exe')}`, join(dir, 'probe.cs')]);
    const { stdout } = await run(mono!, [join(dir, 'probe.exe'), path], { env: { ...process.env, MONO_PATH: join(rt.mwaPath!, '..') } });
    assert.equal(stdout, `Default Web Site=Int64;Public Drop=Int64;Partner Exchange=Int64;O'Brien & Sons "Archive"=Int64;TimeSpan`);
    assert.match(readText(path), /<sslClientCertificates revocationFreshnessTime="01:00:00" validationFlags="NoRevocationCheck, CertNoUsageCheck" \/>\r\n/);
  });
});
