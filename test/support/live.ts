import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Backend } from '../../src/contract/index.js';
import { elementPaths, settings } from '../../src/schema/index.js';
import { change } from './changes.js';
import { USE_REAL_IIS } from './powershell.js';

/** IIS's own configuration file, whose hash the live backends give as the version. */
export const LIVE_CONFIG = join(process.env['windir'] ?? 'C:\\Windows', 'System32', 'inetsrv', 'config', 'applicationHost.config');

/** A certificate thumbprint the live suites set. */
export const THUMB = '0123456789ABCDEF0123456789ABCDEF01234567';

/** The version a live backend should report now: the hash of IIS's configuration file. */
export const liveVersion = (): string => createHash('sha256').update(readFileSync(LIVE_CONFIG)).digest('hex');

/**
 * For a suite against a real IIS: skips it unless IIS_FTPS_TEST_REAL_IIS=1, opens the backend,
 * finds the FTP site IIS_FTPS_TEST_SITE names (one the run may change), and afterwards resets
 * every setting of that site and closes the backend. Call inside `describe`.
 */
export function useLiveSite<B extends Backend>(open: (ctx: Mocha.Context) => B): { readonly backend: B; readonly site: { name: string; id: number } } {
  let backend: B | undefined;
  let site: { name: string; id: number } | undefined;
  before(async function () {
    if (!USE_REAL_IIS) {
      console.log('      skipped: needs Windows with IIS (IIS_FTPS_TEST_REAL_IIS=1); see .github/workflows/windows.yml');
      this.skip();
    }
    const name = process.env['IIS_FTPS_TEST_SITE'];
    if (!name) throw new Error('IIS_FTPS_TEST_SITE must name an FTP site the test may change');
    backend = open(this);
    const snap = await backend.read({ elements: elementPaths, sites: [{ name }] });
    site = { name: snap.sites[0]!.name, id: snap.sites[0]!.id! };
  });
  after(async () => {
    if (!backend || !site) return;
    const snap = await backend.read({ elements: elementPaths, sites: [site] });
    await backend.commit({ version: snap.version, changes: settings.map((s) => change(site!, s.name, null)) });
    await backend.close();
  });
  return {
    get backend() {
      return backend!;
    },
    get site() {
      return site!;
    },
  };
}
