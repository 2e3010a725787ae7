/**
 * The test double of Microsoft.Web.Administration (test/doubles/mwa), driven directly from pwsh
 * with no product code in between: each behaviour its README lists as following the real
 * ServerManager is proven here, in its passing and its failing case.
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { copyFixture, readBytes, readText, tempDir, writeTemp } from '../../support/fixture.js';
import { type BridgeRuntime, USE_REAL_IIS, bridgeRuntime } from '../../support/powershell.js';

const run = promisify(execFile);

/** Helpers every case script starts with: the double loaded, and a way to report an exception. */
const PRELUDE = `$ErrorActionPreference = 'Stop'
Add-Type -LiteralPath $env:MWA
function Open { param([string] $Path) New-Object Microsoft.Web.Administration.ServerManager -ArgumentList $Path }
function Sites { param($Sm) $Sm.GetApplicationHostConfiguration().GetSection('system.applicationHost/sites') }
function Site { param($Section, [string] $Name) foreach ($s in $Section.GetCollection()) { if ($s['name'] -eq $Name) { return $s } } throw "no site $Name" }
function Walk { param($El, [string[]] $Path) foreach ($n in $Path) { $El = $El.GetChildElement($n) }; $El }
function Caught { param($Err) $e = $Err.Exception; while ($e -is [System.Management.Automation.MethodInvocationException] -or $e -is [System.Management.Automation.SetValueInvocationException] -or $e -is [System.Management.Automation.GetValueInvocationException]) { $e = $e.InnerException }; [ordered]@{ type = $e.GetType().FullName; hresult = ('0x{0:X8}' -f $e.HResult); message = $e.Message } }
function Attr { param($El, [string] $Name) $a = $El.GetAttribute($Name); $v = $a.Value; [ordered]@{ type = $v.GetType().FullName; value = [string]$v; inherited = $a.IsInheritedFromDefaultValue } }
$out = [ordered]@{}
`;

describe('Microsoft.Web.Administration test double: the behaviours of the real ServerManager', function () {
  this.timeout(60_000);
  let rt: BridgeRuntime;

  before(function () {
    if (USE_REAL_IIS) this.skip(); // the double only; windows.yml checks the real assembly
    rt = bridgeRuntime(this);
  });

  /** Runs a case script in pwsh and returns $out as JSON. */
  async function pwsh(body: string, env: Record<string, string> = {}): Promise<Record<string, any>> {
    const script = join(tempDir(), 'case.ps1');
    writeFileSync(script, `${PRELUDE}${body}\n$out | ConvertTo-Json -Depth 5 -Compress\n`);
    const { stdout } = await run(rt.exe.path, ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', script], {
      env: { ...process.env, NO_COLOR: '1', TERM: 'dumb', MWA: rt.mwaPath!, IIS_FTPS_MWA_NO_FTP: '', ...env },
      timeout: 50_000,
    });
    return JSON.parse(stdout.trim().split('\n').pop()!);
  }

  describe('siteDefaults, the collection default of sites', () => {
    it('reads the siteDefaults value wherever a site sets none, with IsInheritedFromDefaultValue false; true only for the schema default', async () => {
      const out = await pwsh(
        `$section = Sites (Open $env:CFG)
$scc = Walk (Site $section 'Partner Exchange') 'ftpServer', 'security', 'sslClientCertificates'
$out.own = Attr $scc 'clientCertificatePolicy'
$out.fromDefaults = Attr $scc 'revocationFreshnessTime'
$out.schemaDefault = Attr $scc 'useActiveDirectoryMapping'
# a site with no ftpServer element at all: the element is made in memory, and still merged
$out.bare = Attr (Walk (Site $section "O'Brien & Sons \`"Archive\`"") 'ftpServer', 'security', 'sslClientCertificates') 'revocationFreshnessTime'
$out.defaults = Attr (Walk $section.GetChildElement('siteDefaults') 'ftpServer', 'security', 'sslClientCertificates') 'revocationFreshnessTime'
$out.listed = @($scc.Attributes | Where-Object Name -eq 'revocationFreshnessTime' | ForEach-Object { [string]$_.Value + '/' + $_.IsInheritedFromDefaultValue })
# collection entries below a site are not merged
$out.binding = (Site $section 'Partner Exchange').GetCollection('bindings')[0].GetAttribute('protocol').IsInheritedFromDefaultValue`,
        { CFG: copyFixture() },
      );
      assert.deepEqual(out['own'], { type: 'System.Int32', value: '1', inherited: false });
      assert.deepEqual(out['fromDefaults'], { type: 'System.TimeSpan', value: '01:00:00', inherited: false });
      assert.deepEqual(out['schemaDefault'], { type: 'System.Boolean', value: 'False', inherited: true });
      assert.deepEqual(out['bare'], { type: 'System.TimeSpan', value: '01:00:00', inherited: false });
      assert.deepEqual(out['defaults'], { type: 'System.TimeSpan', value: '01:00:00', inherited: false });
      assert.deepEqual(out['listed'], ['01:00:00/False']);
      assert.equal(out['binding'], false);
    });

    it('sees a change staged on siteDefaults in the same ServerManager; without it, the schema default again', async () => {
      const out = await pwsh(
        `$section = Sites (Open $env:CFG)
$d = Walk $section.GetChildElement('siteDefaults') 'ftpServer', 'security', 'sslClientCertificates'
$site = Walk (Site $section 'Public Drop') 'ftpServer', 'security', 'sslClientCertificates'
$out.before = Attr $site 'clientCertificatePolicy'
$d.SetAttributeValue('clientCertificatePolicy', 2)
$out.staged = Attr $site 'clientCertificatePolicy'
$d.GetAttribute('revocationFreshnessTime').Delete()
$out.deleted = Attr $site 'revocationFreshnessTime'`,
        { CFG: copyFixture() },
      );
      assert.deepEqual(out['before'], { type: 'System.Int32', value: '0', inherited: true });
      assert.deepEqual(out['staged'], { type: 'System.Int32', value: '2', inherited: false });
      assert.deepEqual(out['deleted'], { type: 'System.TimeSpan', value: '00:00:00', inherited: true });
    });

    it('Delete() on a site that does not set the attribute does nothing; a set equal to siteDefaults pins the site', async () => {
      const path = copyFixture();
      const before = readBytes(path);
      const out = await pwsh(
        `$sm = Open $env:CFG
$site = Walk (Site (Sites $sm) 'Partner Exchange') 'ftpServer', 'security', 'sslClientCertificates'
$site.GetAttribute('revocationFreshnessTime').Delete()
$out.afterDelete = Attr $site 'revocationFreshnessTime'
$sm.CommitChanges()
$sm = Open $env:CFG
$site = Walk (Site (Sites $sm) 'Partner Exchange') 'ftpServer', 'security', 'sslClientCertificates'
$site.SetAttributeValue('revocationFreshnessTime', [TimeSpan]::FromHours(1))
$sm.CommitChanges()
$out.pinned = Attr (Walk (Site (Sites (Open $env:CFG)) 'Partner Exchange') 'ftpServer', 'security', 'sslClientCertificates') 'revocationFreshnessTime'`,
        { CFG: path },
      );
      assert.deepEqual(out['afterDelete'], { type: 'System.TimeSpan', value: '01:00:00', inherited: false });
      const after = readText(path);
      assert.notDeepEqual(readBytes(path), before);
      assert.match(after, /<sslClientCertificates clientCertificatePolicy="CertAllow" validationFlags="CertChainCacheOnlyUrlRetrieval" revocationUrlRetrievalTimeout="00:00:30" revocationFreshnessTime="01:00:00" \/>/);
      assert.deepEqual(out['pinned'], { type: 'System.TimeSpan', value: '01:00:00', inherited: false });
    });

    it('a Delete() that does nothing writes nothing', async () => {
      const path = copyFixture();
      const before = readBytes(path);
      await pwsh(
        `$sm = Open $env:CFG
(Walk (Site (Sites $sm) 'Public Drop') 'ftpServer', 'security', 'ssl').GetAttribute('serverCertStoreName').Delete()
$sm.CommitChanges()`,
        { CFG: path },
      );
      assert.deepEqual(readBytes(path), before);
    });
  });

  it('returns the site id (uint) as Int64, enums and flags as Int32, timeSpans as TimeSpan, booleans as Boolean, text as String', async () => {
    const out = await pwsh(
      `$section = Sites (Open $env:CFG)
$site = Site $section 'Partner Exchange'
$out.id = $site['id'].GetType().FullName
$out.idValue = $site.GetAttributeValue('id')
$ssl = Walk $site 'ftpServer', 'security', 'ssl'
$scc = Walk $site 'ftpServer', 'security', 'sslClientCertificates'
$out.enum = Attr $ssl 'controlChannelPolicy'
$out.flags = Attr $scc 'validationFlags'
$out.timeSpan = Attr $scc 'revocationUrlRetrievalTimeout'
$out.bool = Attr $ssl 'ssl128'
$out.string = Attr $ssl 'serverCertHash'`,
      { CFG: copyFixture() },
    );
    assert.equal(out['id'], 'System.Int64');
    assert.equal(out['idValue'], 3);
    assert.deepEqual(out['enum'], { type: 'System.Int32', value: '1', inherited: false });
    assert.deepEqual(out['flags'], { type: 'System.Int32', value: '4', inherited: false });
    assert.deepEqual(out['timeSpan'], { type: 'System.TimeSpan', value: '00:00:30', inherited: false });
    assert.deepEqual(out['bool'], { type: 'System.Boolean', value: 'False', inherited: true });
    assert.deepEqual(out['string'], { type: 'System.String', value: '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432', inherited: false });
  });

  it('SetAttributeValue casts: a string for a timeSpan, uint or bool throws InvalidCastException; the right types are taken', async () => {
    const path = copyFixture();
    const out = await pwsh(
      `$sm = Open $env:CFG
$site = Site (Sites $sm) 'Partner Exchange'
$scc = Walk $site 'ftpServer', 'security', 'sslClientCertificates'
$ssl = Walk $site 'ftpServer', 'security', 'ssl'
$refused = [ordered]@{}
try { $scc.SetAttributeValue('revocationFreshnessTime', '00:05:00') } catch { $refused.timeSpan = Caught $_ }
try { $site.SetAttributeValue('id', '4') } catch { $refused.uint = Caught $_ }
try { $ssl.SetAttributeValue('ssl128', 'true') } catch { $refused.bool = Caught $_ }
try { $ssl.SetAttributeValue('serverCertStoreName', 5) } catch { $refused.string = Caught $_ }
try { $site.SetAttributeValue('id', [long]5000000000) } catch { $refused.range = Caught $_ }
try { $ssl.SetAttributeValue('dataChannelPolicy', 'SslMaybe') } catch { $refused.enum = Caught $_ }
$out.refused = $refused
$scc.SetAttributeValue('revocationFreshnessTime', [TimeSpan]::FromMinutes(5))
$scc.SetAttributeValue('clientCertificatePolicy', 2)
$scc.SetAttributeValue('validationFlags', 'certnousagecheck,NoRevocationCheck')
$ssl.SetAttributeValue('dataChannelPolicy', 'SslDeny')
$ssl.SetAttributeValue('ssl128', $true)
$site.SetAttributeValue('id', 30)
$sm.CommitChanges()`,
      { CFG: path },
    );
    const refused = out['refused'];
    for (const kind of ['timeSpan', 'uint', 'bool', 'string']) assert.equal(refused[kind]?.type, 'System.InvalidCastException', kind);
    assert.equal(refused['range']?.type, 'System.OverflowException');
    assert.equal(refused['enum']?.type, 'System.FormatException');
    const text = readText(path);
    assert.match(text, /<site name="Partner Exchange" id="30" serverAutoStart="true">/);
    assert.match(text, /<ssl serverCertHash="9f8e7d6c5b4a39281706f5e4d3c2b1a098765432" controlChannelPolicy="SslRequire" dataChannelPolicy="SslDeny" ssl128="true" \/>/);
    assert.match(text, /clientCertificatePolicy="CertRequire" validationFlags="NoRevocationCheck, CertNoUsageCheck" revocationUrlRetrievalTimeout="00:00:30" revocationFreshnessTime="00:05:00"/);
  });

  it('CommitChanges over a file changed on disk throws FileLoadException with HResult 0x800703EE and the real message, writing nothing', async () => {
    const path = copyFixture();
    const out = await pwsh(
      `$sm = Open $env:CFG
(Walk (Site (Sites $sm) 'Public Drop') 'ftpServer', 'security', 'ssl').SetAttributeValue('ssl128', $true)
[System.IO.File]::AppendAllText($env:CFG, '<!-- someone else -->')
try { $sm.CommitChanges(); $out.committed = $true } catch { $out.error = Caught $_ }`,
      { CFG: path },
    );
    assert.equal(out['committed'], undefined);
    assert.equal(out['error'].type, 'System.IO.FileLoadException');
    assert.equal(out['error'].hresult, '0x800703EE');
    assert.equal(out['error'].message, `Filename: \\\\?\\${path}\r\nError: Cannot commit configuration changes because the file has changed on disk\r\n\r\n`);
    assert.ok(readText(path).endsWith('</configuration>\r\n<!-- someone else -->'));
    assert.doesNotMatch(readText(path), /ssl128/);
  });

  it('a file that is not well-formed XML throws COMException 0x8007000D with its line number, when the section is read', async () => {
    const broken = writeTemp('<?xml version="1.0"?>\r\n<configuration>\r\n  <system.applicationHost>\r\n    <sites>\r\n      <site name="a" id="1">\r\n    </sites>\r\n');
    const dtd = writeTemp('<!DOCTYPE configuration [<!ENTITY a "b">]>\n<configuration/>\n');
    const body = `$sm = Open $env:CFG
$out.opened = $true
$config = $sm.GetApplicationHostConfiguration()
try { $config.GetSection('system.applicationHost/sites') | Out-Null; $out.read = $true } catch { $out.error = Caught $_ }`;
    for (const [path, line] of [[broken, 6], [dtd, 1]] as const) {
      const out = await pwsh(body, { CFG: path });
      assert.equal(out['opened'], true, 'opening does not parse the file');
      assert.equal(out['read'], undefined);
      assert.equal(out['error'].type, 'System.Runtime.InteropServices.COMException');
      assert.equal(out['error'].hresult, '0x8007000D');
      assert.equal(out['error'].message, `Filename: \\\\?\\${path}\r\nLine number: ${line}\r\nError: Configuration file is not well-formed XML\r\n\r\n`);
    }
    const fine = await pwsh(body, { CFG: copyFixture() });
    assert.equal(fine['read'], true);
  });

  describe('without the FTP schema (IIS_FTPS_MWA_NO_FTP=1)', () => {
    const web = writeTempLater(
      '<?xml version="1.0" encoding="UTF-8"?>\r\n<configuration>\r\n    <system.applicationHost>\r\n        <sites>\r\n            <site name="Default Web Site" id="1">\r\n                <bindings>\r\n                    <binding protocol="http" bindingInformation="*:80:" />\r\n                </bindings>\r\n            </site>\r\n            <siteDefaults>\r\n                <logFile logFormat="W3C" />\r\n            </siteDefaults>\r\n        </sites>\r\n    </system.applicationHost>\r\n</configuration>\r\n',
    );
    const body = `$section = Sites (Open $env:CFG)
$out.sites = $section.GetCollection().Count
try { (Site $section 'Default Web Site').GetChildElement('ftpServer') | Out-Null; $out.site = 'found' } catch { $out.site = Caught $_ }
try { $section.GetChildElement('siteDefaults').GetChildElement('ftpServer') | Out-Null; $out.defaults = 'found' } catch { $out.defaults = Caught $_ }
$out.other = $section.GetChildElement('siteDefaults').GetChildElement('logFile').ElementTagName`;

    it('GetChildElement("ftpServer") throws COMException 0x80070585 (Invalid index) on a site and on siteDefaults', async () => {
      const out = await pwsh(body, { CFG: web(), IIS_FTPS_MWA_NO_FTP: '1' });
      assert.equal(out['sites'], 1);
      for (const level of ['site', 'defaults']) {
        assert.equal(out[level].type, 'System.Runtime.InteropServices.COMException', level);
        assert.equal(out[level].hresult, '0x80070585', level);
        assert.equal(out[level].message, 'Invalid index. (Exception from HRESULT: 0x80070585)', level);
      }
      assert.equal(out['other'], 'logFile');
    });

    it('with the FTP schema the same file gives ftpServer elements', async () => {
      const out = await pwsh(body, { CFG: web() });
      assert.equal(out['site'], 'found');
      assert.equal(out['defaults'], 'found');
    });

    it('a file that holds <ftpServer> fails to load with "Unrecognized element" (0x8007000D) and its line', async () => {
      const path = copyFixture();
      const out = await pwsh(`try { Sites (Open $env:CFG) | Out-Null; $out.read = $true } catch { $out.error = Caught $_ }`, { CFG: path, IIS_FTPS_MWA_NO_FTP: '1' });
      assert.equal(out['error'].type, 'System.Runtime.InteropServices.COMException');
      assert.equal(out['error'].hresult, '0x8007000D');
      const line = readText(path).split('\n').findIndex((l) => l.includes('<ftpServer')) + 1;
      assert.equal(out['error'].message, `Filename: \\\\?\\${path}\r\nLine number: ${line}\r\nError: Unrecognized element 'ftpServer'\r\n\r\n`);
    });
  });
});

/** A temporary file written when first asked for (inside a test, after the suite's temp folder exists). */
function writeTempLater(content: string): () => string {
  return () => writeTemp(content);
}
