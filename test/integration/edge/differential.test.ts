/**
 * The same change sets give the same file through the edge backend (ServerManager in this
 * process, here the test double), through the offline backend and, where pwsh is installed,
 * through the PowerShell backend: byte for byte; and around siteDefaults (values only it sets,
 * pins equal to it, resets) the same values and sources on read.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { Backend, Change } from '../../../src/contract/index.js';
import { EdgeBackend } from '../../../src/backends/edge/index.js';
import { PowerShellBackend, resolvePowerShell } from '../../../src/backends/powershell/index.js';
import { XmlBackend } from '../../../src/backends/xml/index.js';
import { elementPaths, settings } from '../../../src/schema/index.js';
import { change } from '../../support/changes.js';
import { PARTNER, PUBLIC, SITES, arbitraryChangeSets, reference, variants } from '../../support/differential.js';
import { ON_MONO, edgeRuntime } from '../../support/edge.js';
import { FIXTURE, tempDir } from '../../support/fixture.js';
import { runLevelSteps } from '../../support/levels.js';
import { USE_REAL_IIS } from '../../support/powershell.js';

async function apply(backend: Backend, changes: readonly Change[]) {
  const snap = await backend.read({ elements: elementPaths });
  return backend.commit({ version: snap.version, changes });
}

describe('edge, offline and PowerShell backends write the same bytes', function () {
  this.timeout(300_000);
  const backends: { name: string; path: string; backend: Backend }[] = [];

  before(function () {
    if (USE_REAL_IIS) this.skip(); // the real ServerManager formats files its own way
    const rt = edgeRuntime(this);
    const dir = tempDir();
    const at = (name: string) => join(dir, `${name}.config`);
    backends.push({ name: 'xml', path: at('xml'), backend: new XmlBackend({ path: at('xml'), backup: false }) });
    backends.push({ name: 'edge', path: at('edge'), backend: new EdgeBackend({ mwaPath: rt.mwaPath!, configPath: at('edge') }) });
    // PowerShell where present; not next to Mono, under which a process started later is never reaped.
    const pwsh = resolvePowerShell(process.env['IIS_FTPS_TEST_PWSH']);
    if (pwsh && !ON_MONO) {
      backends.push({ name: 'powershell', path: at('powershell'), backend: new PowerShellBackend({ executable: pwsh.path, mwaPath: rt.mwaPath!, configPath: at('powershell') }) });
    }
    console.log(`      comparing ${backends.map((b) => b.name).join(', ')}`);
  });

  after(async () => {
    await Promise.all(backends.map((b) => b.backend.close()));
  });

  /** Runs the change sets one after another on every backend from the same start; compares after each. */
  async function same(start: Buffer, ...sets: Change[][]): Promise<string> {
    for (const b of backends) writeFileSync(b.path, start);
    for (const [i, changes] of sets.entries()) {
      const results = [];
      for (const b of backends) results.push(await apply(b.backend, changes));
      const expected = readFileSync(backends[0]!.path);
      for (const [j, b] of backends.entries()) {
        const bytes = readFileSync(b.path);
        assert.equal(bytes.toString('utf8'), expected.toString('utf8'), `change set ${i + 1}: ${b.name} and xml give different texts`);
        assert.ok(bytes.equals(expected), `change set ${i + 1}: ${b.name} and xml give different bytes`);
        assert.deepEqual(results[j], results[0], `change set ${i + 1}: ${b.name} answers differently`);
      }
    }
    return readFileSync(backends[0]!.path, 'utf8');
  }

  for (const [variant, bytes] of Object.entries(variants())) {
    describe(variant, () => {
      it('the reference scenario on each site and under siteDefaults, then reset everywhere', async () => {
        for (const site of SITES) {
          const text = await same(bytes, reference(site));
          assert.notEqual(text, bytes.toString('utf8'), 'the change set changed the file');
        }
        const resets = SITES.flatMap((site) => settings.map((s) => change(site, s.name, null)));
        await same(bytes, SITES.flatMap(reference), resets);
      });

      it('prunes a site element and creates one under siteDefaults in the same change set', async () => {
        // Found by the random test below: the test double placed the new <ssl> one element too early.
        await same(
          bytes,
          [change(PUBLIC, 'clientCertAuthentication', true), change(PUBLIC, 'clientCertificatePolicy', 'CertIgnore')],
          [change(null, 'controlChannelPolicy', 'SslAllow'), change(PUBLIC, 'clientCertAuthentication', null)],
        );
      });

      it('edits in place, appends, removes, prunes, and creates elements in the order first named', async () => {
        await same(
          bytes,
          [change(PARTNER, 'validationFlags', null), change(PARTNER, 'revocationFreshnessTime', '2.00:00:00'), change(PARTNER, 'useActiveDirectoryMapping', true)],
          [change(PARTNER, 'serverCertHash', null), change(PARTNER, 'controlChannelPolicy', null), change(PARTNER, 'dataChannelPolicy', null)],
          [change(null, 'revocationFreshnessTime', null)],
          [change(PUBLIC, 'clientCertAuthentication', null), change(PUBLIC, 'clientCertificatePolicy', 'CertAllow'), change(PUBLIC, 'ssl128', true), change(PUBLIC, 'clientCertAuthentication', true)],
        );
      });
    });
  }

  it('siteDefaults-only values, pins equal to siteDefaults and resets: the same values, sources and bytes', async () => {
    await runLevelSteps(backends);
  });

  it('random change sets on random sites give the same bytes (fast-check)', async () => {
    const start = readFileSync(FIXTURE);
    await fc.assert(
      fc.asyncProperty(arbitraryChangeSets(), async (sets) => {
        await same(start, ...sets);
      }),
      { numRuns: 40, ...(process.env["IIS_FTPS_FC_SEED"] ? { seed: Number(process.env["IIS_FTPS_FC_SEED"]) } : {}) },
    );
  });
});
