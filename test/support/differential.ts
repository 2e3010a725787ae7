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

/**
 * Steps through the API (one commit each) around what siteDefaults holds. In IIS, siteDefaults is
 * the collection default of <sites> and ServerManager merges it into every site's element, so
 * a live backend must tell "set on the site" from "set in siteDefaults" by the file. The fixture's
 * siteDefaults sets revocationFreshnessTime to 01:00:00; every other site leaves it alone.
 */
export interface LevelStep {
  readonly title: string;
  readonly op: 'set' | 'reset';
  /** A site's name, or null for siteDefaults. */
  readonly site: string | null;
  /** For `set`: setting -> value; for `reset`: the settings to reset (all when empty). */
  readonly settings: Record<string, unknown> | readonly string[];
  /** Whether the step writes the file. */
  readonly written: boolean;
  /** What reading afterwards must give: site (or 'siteDefaults') -> setting -> [value, source]. */
  readonly expect: Record<string, Record<string, readonly [unknown, 'site' | 'siteDefaults' | 'default']>>;
}

export const LEVEL_STEPS: readonly LevelStep[] = [
  {
    title: 'a value only siteDefaults sets is read with source siteDefaults',
    op: 'set',
    site: 'Partner Exchange',
    settings: { clientCertificatePolicy: 'CertAllow' },
    written: false,
    expect: {
      'Public Drop': { revocationFreshnessTime: ['01:00:00', 'siteDefaults'], clientCertificatePolicy: ['CertIgnore', 'default'] },
      'Partner Exchange': { revocationFreshnessTime: ['01:00:00', 'siteDefaults'], clientCertificatePolicy: ['CertAllow', 'site'] },
      siteDefaults: { revocationFreshnessTime: ['01:00:00', 'siteDefaults'] },
    },
  },
  {
    title: 'a set equal to the siteDefaults value pins the site',
    op: 'set',
    site: 'Public Drop',
    settings: { revocationFreshnessTime: '01:00:00' },
    written: true,
    expect: { 'Public Drop': { revocationFreshnessTime: ['01:00:00', 'site'] }, "O'Brien & Sons \"Archive\"": { revocationFreshnessTime: ['01:00:00', 'siteDefaults'] } },
  },
  {
    title: 'the same set again is already so',
    op: 'set',
    site: 'Public Drop',
    settings: { revocationFreshnessTime: '01:00:00' },
    written: false,
    expect: { 'Public Drop': { revocationFreshnessTime: ['01:00:00', 'site'] } },
  },
  {
    title: 'a new siteDefaults value reaches the sites that do not pin it, not the pinned one',
    op: 'set',
    site: null,
    settings: { revocationFreshnessTime: '02:00:00', validationFlags: ['CertNoUsageCheck'] },
    written: true,
    expect: {
      'Public Drop': { revocationFreshnessTime: ['01:00:00', 'site'], validationFlags: [['CertNoUsageCheck'], 'siteDefaults'] },
      "O'Brien & Sons \"Archive\"": { revocationFreshnessTime: ['02:00:00', 'siteDefaults'] },
      'Partner Exchange': { validationFlags: [['CertChainCacheOnlyUrlRetrieval'], 'site'] },
    },
  },
  {
    title: 'flags equal to siteDefaults pin a site too',
    op: 'set',
    site: "O'Brien & Sons \"Archive\"",
    settings: { validationFlags: ['CertNoUsageCheck'], ssl128: false },
    written: true,
    expect: { "O'Brien & Sons \"Archive\"": { validationFlags: [['CertNoUsageCheck'], 'site'], ssl128: [false, 'site'] } },
  },
  {
    title: 'a reset removes the site attribute: the site inherits siteDefaults again',
    op: 'reset',
    site: 'Public Drop',
    settings: ['revocationFreshnessTime'],
    written: true,
    expect: { 'Public Drop': { revocationFreshnessTime: ['02:00:00', 'siteDefaults'] } },
  },
  {
    title: 'a reset of a value only siteDefaults sets changes nothing',
    op: 'reset',
    site: 'Public Drop',
    settings: ['revocationFreshnessTime', 'validationFlags'],
    written: false,
    expect: { 'Public Drop': { revocationFreshnessTime: ['02:00:00', 'siteDefaults'], validationFlags: [['CertNoUsageCheck'], 'siteDefaults'] } },
  },
  {
    title: 'a reset of every setting of a site with its own values',
    op: 'reset',
    site: 'Partner Exchange',
    settings: [],
    written: true,
    expect: {
      'Partner Exchange': {
        clientCertificatePolicy: ['CertIgnore', 'default'],
        validationFlags: [['CertNoUsageCheck'], 'siteDefaults'],
        revocationFreshnessTime: ['02:00:00', 'siteDefaults'],
        controlChannelPolicy: ['SslRequire', 'default'],
        serverCertHash: [null, 'default'],
      },
    },
  },
  {
    title: 'a reset of siteDefaults leaves the pinned site as it is',
    op: 'reset',
    site: null,
    settings: ['validationFlags', 'revocationFreshnessTime'],
    written: true,
    expect: {
      "O'Brien & Sons \"Archive\"": { validationFlags: [['CertNoUsageCheck'], 'site'], revocationFreshnessTime: ['00:00:00', 'default'] },
      'Partner Exchange': { validationFlags: [[], 'default'] },
      siteDefaults: { revocationFreshnessTime: ['00:00:00', 'default'] },
    },
  },
];

/** Every level of the fixture, by the name LevelStep uses. */
export const LEVEL_NAMES = ['Default Web Site', 'Public Drop', 'Partner Exchange', "O'Brien & Sons \"Archive\"", 'siteDefaults'] as const;
