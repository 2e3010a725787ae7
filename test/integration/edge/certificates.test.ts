/**
 * findCertificate through both live backends, on certificates this test makes (openssl) in the
 * engine's stand-in for the machine's stores (IIS_FTPS_CERT_STORE_DIR, a test seam: LocalMachine\My
 * does not exist on Linux .NET). The PowerShell backend runs where pwsh is installed (not next to
 * Mono, under which a process started later is never reaped).
 */
import { strict as assert } from 'node:assert';
import type { Backend, CertificateInfo } from '../../../src/contract/index.js';
import { EdgeBackend } from '../../../src/backends/edge/index.js';
import { PowerShellBackend, resolvePowerShell } from '../../../src/backends/powershell/index.js';
import { type CertificateStores, makeCertificateStores } from '../../support/certificate-stores.js';
import { ON_MONO, edgeRuntime } from '../../support/edge.js';
import { expectError } from '../../support/expect.js';
import { USE_REAL_IIS } from '../../support/powershell.js';

describe('findCertificate through the live backends (certificate stores stood in by a folder)', function () {
  this.timeout(300_000);
  let stores: CertificateStores;
  const backends: { name: string; backend: Backend & { findCertificate(t: string, s?: string): Promise<CertificateInfo | null> } }[] = [];
  let saved: string | undefined;

  before(function () {
    if (USE_REAL_IIS) this.skip(); // the seam replaces the machine's stores; Windows CI looks in the real ones
    const rt = edgeRuntime(this);
    stores = makeCertificateStores();
    saved = process.env['IIS_FTPS_CERT_STORE_DIR'];
    // Read by the engine at each call: edge runs in this process, PowerShell inherits it when started.
    process.env['IIS_FTPS_CERT_STORE_DIR'] = stores.root;
    backends.push({ name: 'edge', backend: new EdgeBackend({ mwaPath: rt.mwaPath! }) });
    const pwsh = resolvePowerShell(process.env['IIS_FTPS_TEST_PWSH']);
    if (pwsh && !ON_MONO) backends.push({ name: 'powershell', backend: new PowerShellBackend({ executable: pwsh.path, mwaPath: rt.mwaPath! }) });
    console.log(`      through ${backends.map((b) => b.name).join(', ')}`);
  });

  after(async () => {
    if (saved === undefined) delete process.env['IIS_FTPS_CERT_STORE_DIR'];
    else process.env['IIS_FTPS_CERT_STORE_DIR'] = saved;
    await Promise.all(backends.map((b) => b.backend.close()));
  });

  it('finds a certificate with its private key in My, with its subject, dates and key usages', async () => {
    for (const { name, backend } of backends) {
      assert.deepEqual(
        await backend.findCertificate(stores.server.thumbprint.toLowerCase()),
        { ...stores.server, store: 'My', hasPrivateKey: true, enhancedKeyUsages: ['1.3.6.1.5.5.7.3.1'] },
        name,
      );
    }
  });

  it('looks in WebHosting after My, and reports a certificate without its private key', async () => {
    for (const { name, backend } of backends) {
      assert.deepEqual(
        await backend.findCertificate(stores.hosted.thumbprint),
        { ...stores.hosted, store: 'WebHosting', hasPrivateKey: false, enhancedKeyUsages: ['1.3.6.1.5.5.7.3.2', '1.3.6.1.5.5.7.3.3'] },
        name,
      );
    }
  });

  it('gives null key usages for a certificate without an EKU extension', async () => {
    for (const { name, backend } of backends) {
      const found = await backend.findCertificate(stores.anyPurpose.thumbprint);
      assert.equal(found?.enhancedKeyUsages, null, name);
      assert.equal(found?.hasPrivateKey, true, name);
    }
  });

  it('searches only the store it is given, My before WebHosting without one', async () => {
    for (const { name, backend } of backends) {
      assert.equal((await backend.findCertificate(stores.both.thumbprint))?.store, 'My', name);
      assert.equal((await backend.findCertificate(stores.both.thumbprint))?.hasPrivateKey, false, `${name}: the copy in My is the .cer`);
      const hosted = await backend.findCertificate(stores.both.thumbprint, 'webhosting');
      assert.equal(hosted?.store, 'webhosting', name);
      assert.equal(hosted?.hasPrivateKey, true, name);
      assert.equal(await backend.findCertificate(stores.hosted.thumbprint, 'My'), null, name);
      assert.equal(await backend.findCertificate(stores.server.thumbprint, 'Root'), null, name);
      assert.equal(await backend.findCertificate(stores.server.thumbprint, 'NoSuchStore'), null, name);
    }
  });

  it('answers null for a thumbprint in no store, and INVALID_VALUE for one that is not 40 hex digits', async () => {
    for (const { backend } of backends) {
      assert.equal(await backend.findCertificate('0'.repeat(40)), null);
      await expectError(backend.findCertificate('not a thumbprint'), 'INVALID_VALUE', /40 hex digits/);
      await expectError(backend.findCertificate(`${'A'.repeat(39)}G`), 'INVALID_VALUE');
    }
  });
});
