/**
 * What the differential suites draw from: the fixture's sites, the reference scenario, a pool of
 * values per setting, and variants of the fixture's formatting. The live backends (PowerShell,
 * edge) must write the same bytes as the offline backend for all of them.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import type { Change } from '../../src/contract/index.js';
import { settings } from '../../src/schema/index.js';
import { change } from './changes.js';
import { FIXTURE } from './fixture.js';

export type Site = { name: string; id: number } | null;
export const DEFAULT = { name: 'Default Web Site', id: 1 };
export const PUBLIC = { name: 'Public Drop', id: 2 };
export const PARTNER = { name: 'Partner Exchange', id: 3 };
export const OBRIEN = { name: 'O\'Brien & Sons "Archive"', id: 7 };
/** Every site of the fixture, and `null` for siteDefaults. */
export const SITES: Site[] = [PUBLIC, PARTNER, OBRIEN, DEFAULT, null];
export const THUMB = 'ABCDEF0123456789ABCDEF0123456789ABCDEF01';

/** The reference scenario's change set for one site (or siteDefaults). */
export const reference = (site: Site): Change[] => [
  change(site, 'serverCertHash', THUMB),
  change(site, 'controlChannelPolicy', 'SslRequire'),
  change(site, 'dataChannelPolicy', 'SslRequire'),
  change(site, 'clientCertificatePolicy', 'CertRequire'),
  change(site, 'clientCertAuthentication', true),
];

/** Values to draw for each setting (null resets). */
export const POOL: Record<string, unknown[]> = {
  clientCertificatePolicy: ['CertIgnore', 'CertAllow', 'CertRequire', null],
  validationFlags: [[], ['NoRevocationCheck'], ['CertNoUsageCheck', 'CertChainRevocationCheckCacheOnly'], 'CertChainCacheOnlyUrlRetrieval', null],
  revocationFreshnessTime: ['00:00:00', '01:00:00', '1.00:00:00', '2.03:04:05', null],
  revocationUrlRetrievalTimeout: ['00:00:30', '00:01:00', '00:10:00', null],
  useActiveDirectoryMapping: [true, false, null],
  controlChannelPolicy: ['SslAllow', 'SslRequire', 'SslRequireCredentialsOnly', null],
  dataChannelPolicy: ['SslAllow', 'SslRequire', 'SslDeny', null],
  serverCertHash: [THUMB, '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432', null],
  serverCertStoreName: ['MY', 'WebHosting', `A&B <"quoted"> 'single'\tTab`, null],
  ssl128: [true, false, null],
  clientCertAuthentication: [true, false, null],
};

/** Random change sets: 1 to 3 sets of 1 to 8 changes on random sites, values from POOL. */
export function arbitraryChangeSets(): fc.Arbitrary<Change[][]> {
  const names = settings.map((s) => s.name);
  const one = fc.record({ site: fc.constantFrom(...SITES), setting: fc.constantFrom(...names), pick: fc.nat() });
  return fc
    .array(fc.array(one, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 3 })
    .map((sets) => sets.map((set) => set.map(({ site, setting, pick }) => change(site, setting, POOL[setting]![pick % POOL[setting]!.length]))));
}

/** Variants of the fixture: as shipped (CRLF, spaces), LF with tabs, with a BOM, single-quoted. */
export function variants(): Record<string, Buffer> {
  const crlf = readFileSync(FIXTURE, 'utf8');
  const lfTabs = crlf.replace(/\r\n/g, '\n').replace(/^((?: {4})+)/gm, (m) => '\t'.repeat(m.length / 4));
  const singleQuoted = crlf.replace(/<ssl serverCertHash="([^"]*)" controlChannelPolicy="([^"]*)"/, "<ssl serverCertHash='$1' controlChannelPolicy='$2'");
  assert.notEqual(singleQuoted, crlf);
  return {
    fixture: Buffer.from(crlf),
    'LF and tabs': Buffer.from(lfTabs),
    BOM: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(crlf)]),
    'single quotes': Buffer.from(singleQuoted),
  };
}
