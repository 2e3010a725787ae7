import { strict as assert } from 'node:assert';
import { run } from '../../src/cli/run.js';
import { daysFromNow, makeCertificate } from '../support/certificates.js';
import { readBytes } from '../support/fixture.js';
import { OLD, writeRenewalConfig } from '../support/renewal.js';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(args, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

const NEW = 'ABCDEF0123456789ABCDEF0123456789ABCDEF01';

describe('cli rotate-cert', function () {
  this.timeout(60_000);

  it('rotates, prints every level and the forgotten site, exits 0; a rerun exits 0 and says nothing was written', async () => {
    const config = writeRenewalConfig();
    const r = await cli(['rotate-cert', '--config', config, '--from', OLD, '--to', NEW, '--store-name', 'WebHosting']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /siteDefaults: ssl\.serverCertHash: 1{40} -> ABCDEF0123456789ABCDEF0123456789ABCDEF01/);
    assert.match(r.out, /site "Mixed Web and FTP" \(id 3\): ssl\.serverCertStoreName: MY -> WebHosting/);
    assert.match(r.out, /neither the old nor the new certificate[^\n]*\n {2}site "Other Customer" \(id 4\): 3{40}/);
    assert.match(r.out, /Wrote 6 change\(s\) at 3 level\(s\) to .* in one commit\./);
    const again = await cli(['rotate-cert', '--config', config, '--from', OLD, '--to', NEW, '--store-name', 'WebHosting']);
    assert.equal(again.code, 0, again.err);
    assert.match(again.out, /already in place .* Nothing was written\./);
    assert.doesNotMatch(again.out, /Wrote/);
  });

  it('--json prints the report; --what-if writes nothing', async () => {
    const config = writeRenewalConfig();
    const bytes = readBytes(config);
    const r = await cli(['rotate-cert', '--config', config, '--from', OLD, '--to', NEW, '--what-if', '--json']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.equal(j.status, 'what-if');
    assert.equal(j.written, false);
    assert.equal(j.to, NEW);
    assert.equal(j.store, 'My');
    assert.deepEqual(j.unrelated.map((u: { target: { name: string } }) => u.target.name), ['Other Customer']);
    assert.deepEqual(readBytes(config), bytes);
  });

  it('exits 1 with the code when OLD is found nowhere, or NEW fails a check; nothing written', async () => {
    const config = writeRenewalConfig();
    const bytes = readBytes(config);
    const r = await cli(['rotate-cert', '--config', config, '--from', '2'.repeat(40), '--to', NEW]);
    assert.equal(r.code, 1);
    assert.match(r.err, /OLD_CERTIFICATE_NOT_FOUND/);
    const expired = makeCertificate({ notBefore: daysFromNow(-30), notAfter: daysFromNow(-2) });
    const e = await cli(['rotate-cert', '--config', config, '--from', OLD, '--to-file', expired.der, '--json']);
    assert.equal(e.code, 1);
    assert.equal(JSON.parse(e.err).error.code, 'CERTIFICATE_EXPIRED');
    assert.match(JSON.parse(e.err).error.message, /--force/);
    assert.deepEqual(readBytes(config), bytes);
  });

  it('--force binds a refused certificate and names the risk on stderr and in the report', async () => {
    const config = writeRenewalConfig();
    const client = makeCertificate({ eku: 'client' });
    const r = await cli(['rotate-cert', '--config', config, '--from', OLD, '--to-file', client.pem, '--force']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /warning: --force binds a certificate that failed a check, a risk: .*CERTIFICATE_NOT_FOR_SERVER_AUTH/);
    assert.match(r.out, /WARNING \(--force\)/);
  });

  it('exits 2 on usage errors and bad thumbprints; --help and help rotate-cert teach', async () => {
    const config = writeRenewalConfig();
    assert.equal((await cli(['rotate-cert', '--config', config, '--from', OLD])).code, 2);
    assert.equal((await cli(['rotate-cert', '--config', config, '--from', 'xyz', '--to', NEW])).code, 2);
    const unknown = await cli(['rotate-cert', '--config', config, '--from', OLD, '--to', NEW, '--site', 'x']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /Unknown option --site for rotate-cert/);
    assert.equal((await cli(['rotate-cert', '--config', config, '--from', OLD, '--to', NEW, 'extra'])).code, 2);
    const help = await cli(['rotate-cert', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.out, /--force .*A RISK/s);
    assert.match(help.out, /CERTIFICATE_NOT_FOR_SERVER_AUTH/);
    assert.equal((await cli(['help', 'rotate-cert'])).out, help.out);
    assert.match((await cli(['--help'])).out, /iis-ftps rotate-cert/);
    assert.match((await cli(['rotate'])).err, /Commands: .*rotate-cert/);
  });
});
