/**
 * The ps/ functions used directly from PowerShell (as the PowerShell module uses them): loading
 * the engine from its per-user cache, the engine's error mapping, JSON; and the parts of the
 * Microsoft.Web.Administration test double the backend cannot reach.
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { CORE_SCRIPT, findOnPath } from '../../../src/backends/powershell/index.js';
import { engineDir, engineHash, engineSource } from '../../../src/engine/source.js';
import { FIXTURE, copyFixture, readText, tempDir, writeTemp } from '../../support/fixture.js';
import { openBackend } from '../../../src/backends/registry.js';
import { elementPaths } from '../../../src/schema/index.js';
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

  it('compiles the engine once per version into the per-user cache, and a new session loads it without compiling', async () => {
    const cache = tempDir();
    const first = await pwsh(`ConvertTo-IisFtpsJson (Import-IisFtpsEngine -PassThru)`, { IIS_FTPS_ENGINE_CACHE: cache });
    assert.equal(first['compiled'], true);
    assert.equal(dirname(String(first['path'])), cache);
    assert.match(basename(String(first['path'])), new RegExp(`^IisFtps\\.Engine\\.Core\\.net\\d+\\.${engineHash().slice(0, 16)}\\.dll$`));
    const second = await pwsh(`ConvertTo-IisFtpsJson (Import-IisFtpsEngine -PassThru)`, { IIS_FTPS_ENGINE_CACHE: cache });
    assert.deepEqual(second, { path: first['path'], compiled: false });
    assert.deepEqual(readdirSync(cache), [basename(String(first['path']))], 'nothing but the assembly is left in the cache');
  });

  it('keys the cache by the same hash of the same source text as src/engine/source.ts', async () => {
    const copy = tempDir();
    for (const f of readdirSync(engineDir()).filter((n) => n.endsWith('.cs'))) copyFileSync(join(engineDir(), f), join(copy, f));
    writeFileSync(join(copy, 'Zz.cs'), '// a change of the engine is a new version\nnamespace IisFtps.Engine { }\n');
    const out = await pwsh(`$s = Get-IisFtpsEngineSource -Directory $env:D; ConvertTo-IisFtpsJson ([ordered]@{ hash = $s.hash; length = $s.text.Length })`, { D: copy });
    assert.equal(out['hash'], engineHash(copy));
    assert.notEqual(out['hash'], engineHash());
    assert.equal(out['length'], engineSource(copy).length);
  });

  it('maps exceptions by type and HResult, whatever the language of the message, and by message text last', async () => {
    const out = await pwsh(
      `Import-IisFtpsEngine
$cases = [ordered]@{
  frenchChanged = New-Object System.IO.FileLoadException ("Nom de fichier: \\\\?\\C:\\Windows\\system32\\inetsrv\\config\\applicationHost.config\`r\`nErreur: Impossible de valider les modifications de configuration, car le fichier a été modifié sur le disque")
  sharing = New-Object System.IO.IOException ('Der Prozess kann nicht auf die Datei zugreifen.', -2147024864)
  locked = New-Object System.Runtime.InteropServices.COMException ('locked', -2147024863)
  malformed = New-Object System.Runtime.InteropServices.COMException ("Filename: \\\\?\\C:\\x\\applicationHost.config\`r\`nLine number: 12\`r\`nError: Configuration file is not well-formed XML\`r\`n", -2147024883)
  otherCom = New-Object System.Runtime.InteropServices.COMException ('Element not found', -2147023728)
  byText = New-Object System.InvalidOperationException ('the file has changed on disk')
  other = New-Object System.InvalidOperationException ('something else')
}
$out = [ordered]@{}
foreach ($k in $cases.Keys) { $out[$k] = ConvertFrom-IisFtpsJson ([IisFtps.Engine.Json]::Write([IisFtps.Engine.Errors]::Info((New-Object System.Reflection.TargetInvocationException $cases[$k])))) }
ConvertTo-IisFtpsJson $out`,
    );
    const code = (k: string) => (out[k] as Record<string, string>)['code'];
    const type = (k: string) => (out[k] as Record<string, string>)['dotnetType'];
    assert.equal(code('frenchChanged'), 'CONFLICT');
    assert.equal(type('frenchChanged'), 'System.IO.FileLoadException');
    assert.match((out['frenchChanged'] as Record<string, string>)['message']!, /changed on disk after it was read.*nothing was written/);
    assert.equal(code('sharing'), 'CONFLICT');
    assert.match((out['sharing'] as Record<string, string>)['message']!, /in use by another process \(a sharing violation\).*Try again/);
    assert.equal(code('locked'), 'CONFLICT');
    assert.equal(code('malformed'), 'XML_MALFORMED');
    assert.match((out['malformed'] as Record<string, string>)['message']!, /Line number: 12 Error: Configuration file is not well-formed XML/);
    assert.equal(code('otherCom'), 'BACKEND_FAILED');
    assert.equal(code('byText'), 'CONFLICT');
    assert.equal(code('other'), 'BACKEND_FAILED');
  });

  it("reports the double's FileLoadException for a commit over a file changed on disk as CONFLICT", async () => {
    const path = copyFixture();
    const out = await pwsh(
      `Import-IisFtpsEngine
Add-Type -LiteralPath $env:MWA
$sm = New-Object Microsoft.Web.Administration.ServerManager $env:CFG
$sites = $sm.GetApplicationHostConfiguration().GetSection('system.applicationHost/sites')
$sites.GetChildElement('siteDefaults').GetChildElement('ftpServer').GetChildElement('security').GetChildElement('ssl').SetAttributeValue('ssl128', $true)
[System.IO.File]::AppendAllText($env:CFG, '<!-- someone else -->')
try { $sm.CommitChanges(); '{"committed":true}' } catch { [IisFtps.Engine.Json]::Write([IisFtps.Engine.Errors]::Info((Get-IisFtpsInnermostException $_.Exception))) }`,
      { MWA: rt.mwaPath, CFG: path },
    );
    assert.equal(out['code'], 'CONFLICT');
    assert.equal(out['dotnetType'], 'System.IO.FileLoadException');
    // The engine's own words, with ServerManager's message (the double's, in the real shape) kept inside.
    assert.match(String(out['message']), /Filename: \\\\\?\\.*Error: Cannot commit configuration changes because the file has changed on disk/);
    assert.ok(readText(path).endsWith('</configuration>\r\n<!-- someone else -->'));
    assert.doesNotMatch(readText(path), /ssl128/);
  });

  it("versions a file as the offline backend does, the <sites configSource> file included", async () => {
    const plain = copyFixture();
    const sourced = writeTemp(readText(FIXTURE).replace(/<sites>[\s\S]*<\/sites>/, '<sites configSource="sites.config" />'));
    const sitesFile = join(dirname(sourced), 'sites.config');
    writeFileSync(sitesFile, /<sites>[\s\S]*<\/sites>/.exec(readText(FIXTURE))![0]);
    const version = async (path: string) => String((await pwsh(`Import-IisFtpsEngine\nConvertTo-IisFtpsJson @{ v = [IisFtps.Engine.ConfigFile]::Locate($env:CFG).Version() }`, { MWA: rt.mwaPath, CFG: path }))['v']);
    const offline = async (path: string) => {
      const b = await openBackend('xml', { config: path });
      try {
        return (await b.read({ elements: elementPaths })).version;
      } finally {
        await b.close();
      }
    };
    assert.equal(await version(plain), await offline(plain));
    const before = await version(sourced);
    assert.match(before, /^[0-9a-f]{64}:[0-9a-f]{64}$/);
    assert.equal(before, await offline(sourced));
    // A change of the sites file alone is a new version (a commit planned on the old one is refused).
    writeFileSync(sitesFile, readText(sitesFile).replace('</sites>', '<!-- edited elsewhere --></sites>'));
    const after = await version(sourced);
    assert.notEqual(after, before);
    assert.equal(after.split(':')[0], before.split(':')[0]);
    assert.equal(after, await offline(sourced));
  });

  it('says plainly that PowerShell 7 has no GAC when IIS has no Microsoft.Web.Administration.dll', async function () {
    if (process.platform === 'win32') this.skip();
    const out = await pwsh(
      `try { Read-IisFtpsSnapshot -Query @{ elements = @() } -ConfigPath $env:CFG -MwaPath ''; '{}' } catch { ConvertTo-IisFtpsJson (Get-IisFtpsErrorInfo $_) }`,
      { IIS_FTPS_MWA_PATH: undefined, windir: undefined, CFG: copyFixture() },
    );
    assert.equal(out['code'], 'BACKEND_UNAVAILABLE');
    assert.match(String(out['message']), /Microsoft\.Web\.Administration\.dll is not on this machine \(there is no %windir% here, so no IIS; this \.NET \(CoreCLR, as in PowerShell 7\) has no GAC to look in\).*Install-WindowsFeature.*IIS_FTPS_MWA_PATH/);
    assert.doesNotMatch(String(out['message']), /then the GAC/);
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
    // The site id is a uint attribute: Int64, as the real ServerManager returns it.
    assert.equal(stdout, `Default Web Site=Int64;Public Drop=Int64;Partner Exchange=Int64;O'Brien & Sons "Archive"=Int64;TimeSpan`);
    assert.match(readText(path), /<sslClientCertificates revocationFreshnessTime="01:00:00" validationFlags="NoRevocationCheck, CertNoUsageCheck" \/>\r\n/);
  });
});
