/**
 * The same change set gives the same file through the PowerShell backend (ServerManager, here
 * the test double) and through the offline backend: byte for byte.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { Backend, Change } from '../../../src/contract/index.js';
import { PowerShellBackend } from '../../../src/backends/powershell/index.js';
import { XmlBackend } from '../../../src/backends/xml/index.js';
import { elementPaths, settings } from '../../../src/schema/index.js';
import { change } from '../../support/changes.js';
import { DEFAULT, OBRIEN, PARTNER, POOL, PUBLIC, type Site, THUMB, reference, variants } from '../../support/differential.js';
import { FIXTURE, tempDir } from '../../support/fixture.js';
import { runLevelSteps } from '../../support/levels.js';
import { USE_REAL_IIS, bridgeRuntime } from '../../support/powershell.js';

async function apply(backend: Backend, changes: readonly Change[]) {
  const snap = await backend.read({ elements: elementPaths });
  return backend.commit({ version: snap.version, changes });
}

describe('PowerShell backend and offline backend write the same bytes', function () {
  this.timeout(120_000);
  let ps: PowerShellBackend;
  let xml: XmlBackend;
  let psPath: string;
  let xmlPath: string;

  before(function () {
    if (USE_REAL_IIS) this.skip(); // the real ServerManager formats files its own way
    const rt = bridgeRuntime(this);
    const dir = tempDir();
    psPath = join(dir, 'ps.config');
    xmlPath = join(dir, 'xml.config');
    ps = new PowerShellBackend({ executable: rt.exe.path, mwaPath: rt.mwaPath!, configPath: psPath });
    xml = new XmlBackend({ path: xmlPath });
  });

  after(async () => {
    await ps?.close();
  });

  /** Runs the change sets one after another on both backends from the same start; returns the final text. */
  async function same(start: Buffer, ...sets: Change[][]): Promise<string> {
    writeFileSync(psPath, start);
    writeFileSync(xmlPath, start);
    for (const [i, changes] of sets.entries()) {
      const a = await apply(xml, changes);
      const b = await apply(ps, changes);
      const xmlBytes = readFileSync(xmlPath);
      const psBytes = readFileSync(psPath);
      assert.equal(psBytes.toString('utf8'), xmlBytes.toString('utf8'), `change set ${i + 1}: the texts differ`);
      assert.ok(psBytes.equals(xmlBytes), `change set ${i + 1}: the bytes differ`);
      assert.equal(b.written, a.written, `change set ${i + 1}: written`);
      assert.equal(b.version, a.version, `change set ${i + 1}: version`);
    }
    return readFileSync(psPath, 'utf8');
  }

  for (const [variant, bytes] of Object.entries(variants())) {
    describe(variant, () => {
      it('the reference scenario on each kind of site, and under siteDefaults', async () => {
        const start = bytes;
        for (const site of [PUBLIC, PARTNER, OBRIEN, DEFAULT, null]) {
          const text = await same(start, reference(site));
          assert.notEqual(text, start.toString('utf8'), 'the change set changed the file');
        }
      });

      it('the reference scenario everywhere at once, then reset everywhere', async () => {
        const all = [PUBLIC, PARTNER, OBRIEN, DEFAULT, null];
        const resets = all.flatMap((site) => settings.map((s) => change(site, s.name, null)));
        await same(bytes, all.flatMap(reference), resets);
      });

      it('edits in place, appends, removes and prunes in existing elements', async () => {
        await same(
          bytes,
          [
            change(PARTNER, 'validationFlags', null),
            change(PARTNER, 'revocationFreshnessTime', '2.00:00:00'),
            change(PARTNER, 'useActiveDirectoryMapping', true),
            change(PARTNER, 'clientCertAuthentication', true),
            change(PARTNER, 'serverCertHash', THUMB),
          ],
          [change(PARTNER, 'serverCertHash', null), change(PARTNER, 'controlChannelPolicy', null), change(PARTNER, 'dataChannelPolicy', null)],
          [change(null, 'revocationFreshnessTime', null)],
          [change(PARTNER, 'clientCertificatePolicy', 'CertAllow'), change(PARTNER, 'revocationUrlRetrievalTimeout', '00:00:30')],
        );
      });

      it('creates elements in the order the change set first names them', async () => {
        await same(bytes, [
          change(PUBLIC, 'clientCertAuthentication', null),
          change(PUBLIC, 'clientCertificatePolicy', 'CertAllow'),
          change(PUBLIC, 'ssl128', true),
          change(PUBLIC, 'clientCertAuthentication', true),
          change(PUBLIC, 'useActiveDirectoryMapping', false),
        ]);
      });
    });
  }

  it('siteDefaults-only values, pins equal to siteDefaults and resets: the same values, sources and bytes', async () => {
    await runLevelSteps([
      { name: 'xml', path: xmlPath, backend: xml },
      { name: 'powershell', path: psPath, backend: ps },
    ]);
  });

  it('random change sets on random sites give the same bytes', async () => {
    const names = settings.map((s) => s.name);
    const sites: Site[] = [PUBLIC, PARTNER, OBRIEN, DEFAULT, null];
    const start = readFileSync(FIXTURE);
    const one = fc.record({ site: fc.constantFrom(...sites), setting: fc.constantFrom(...names), pick: fc.nat() });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(one, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 3 }), async (sets) => {
        await same(
          start,
          ...sets.map((set) => set.map(({ site, setting, pick }) => change(site, setting, POOL[setting]![pick % POOL[setting]!.length])))
        );
      }),
      { numRuns: 40, ...(process.env["IIS_FTPS_FC_SEED"] ? { seed: Number(process.env["IIS_FTPS_FC_SEED"]) } : {}) },
    );
  });
});
