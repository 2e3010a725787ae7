/**
 * Without the FTP Server role service IIS's schema has no ftpServer element: ServerManager refuses
 * a file that holds <ftpServer> (COMException 0x8007000D, "Unrecognized element 'ftpServer'") and
 * GetChildElement("ftpServer") throws (COMException 0x80070585). Both are FTP_NOT_INSTALLED,
 * saying which role service to install. The test double behaves so with IIS_FTPS_MWA_NO_FTP=1
 * (test/doubles/mwa/README.md); a double without that mode skips this suite, saying so.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PowerShellBackend } from '../../../src/backends/powershell/index.js';
import { elementPaths } from '../../../src/schema/index.js';
import { change } from '../../support/changes.js';
import { PUBLIC } from '../../support/differential.js';
import { expectError } from '../../support/expect.js';
import { REPO, copyFixture, readText, writeTemp } from '../../support/fixture.js';
import { USE_REAL_IIS, bridgeRuntime } from '../../support/powershell.js';

const doubleSources = join(REPO, 'test', 'doubles', 'mwa', 'src', 'ServerManager.cs');

describe('PowerShell backend on a server without the FTP Server role (test double, IIS_FTPS_MWA_NO_FTP=1)', function () {
  this.timeout(120_000);
  let backend: (path: string) => PowerShellBackend;
  const opened: PowerShellBackend[] = [];
  let saved: string | undefined;

  before(function () {
    if (USE_REAL_IIS) this.skip();
    const rt = bridgeRuntime(this);
    if (!readFileSync(doubleSources, 'utf8').includes('IIS_FTPS_MWA_NO_FTP')) {
      console.log('      skipped: this test double has no server-without-FTP mode (IIS_FTPS_MWA_NO_FTP)');
      this.skip();
    }
    saved = process.env['IIS_FTPS_MWA_NO_FTP'];
    process.env['IIS_FTPS_MWA_NO_FTP'] = '1'; // the PowerShell process takes the environment when it starts
    backend = (path) => {
      const b = new PowerShellBackend({ executable: rt.exe.path, mwaPath: rt.mwaPath!, configPath: path });
      opened.push(b);
      return b;
    };
  });

  after(async () => {
    if (saved === undefined) delete process.env['IIS_FTPS_MWA_NO_FTP'];
    else process.env['IIS_FTPS_MWA_NO_FTP'] = saved;
    await Promise.all(opened.map((b) => b.close()));
  });

  it('FTP_NOT_INSTALLED, naming Web-Ftp-Server, for a file that holds <ftpServer>', async () => {
    const path = copyFixture();
    const e = await expectError(backend(path).read({ elements: elementPaths, sites: [PUBLIC] }), 'FTP_NOT_INSTALLED', /FTP Server role service \(Web-Ftp-Server\) is not installed/);
    assert.equal(e.details.dotnetType, 'System.Runtime.InteropServices.COMException');
  });

  it('FTP_NOT_INSTALLED for reads and commits on a file without any FTP element, writing nothing', async () => {
    const text = '<?xml version="1.0" encoding="UTF-8"?>\r\n<configuration>\r\n    <system.applicationHost>\r\n        <sites>\r\n            <site name="Public Drop" id="2">\r\n                <bindings>\r\n                    <binding protocol="ftp" bindingInformation="*:21:" />\r\n                </bindings>\r\n            </site>\r\n        </sites>\r\n    </system.applicationHost>\r\n</configuration>\r\n';
    const path = writeTemp(text);
    const b = backend(path);
    const e = await expectError(b.read({ elements: elementPaths, sites: [PUBLIC] }), 'FTP_NOT_INSTALLED', /Install-WindowsFeature Web-Ftp-Server/);
    assert.equal(e.details.dotnetType, 'System.Runtime.InteropServices.COMException');
    const version = createHash('sha256').update(readFileSync(path)).digest('hex');
    await expectError(b.commit({ version, changes: [change(PUBLIC, 'ssl128', true)] }), 'FTP_NOT_INSTALLED', /Web-Ftp-Server/);
    assert.equal(readText(path), text);
  });
});
