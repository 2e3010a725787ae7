import type { CertificateInfo, RawSite } from '../contract/index.js';
import { type SettingDef, findSetting } from '../schema/index.js';
import { readCertificateFile } from '../certificates/file.js';
import { type CertificateFacts, type CertificateProblem, judgeCertificate } from '../certificates/judge.js';
import { canonicalThumbprint, sameThumbprint } from '../certificates/thumbprint.js';
import { IisFtpsError } from '../errors/errors.js';
import type { FtpsSession, SiteIdentity } from '../session/session.js';
import type { Target } from '../session/target.js';
import { type ChangeReport, finish } from './commit.js';
import { type ConnectionOptions, withSession, writeMode } from './connection.js';
import { type ProgressOptions, phase } from './progress.js';

/** The store a certificate is taken to be in when none is given and no live store can be asked. */
export const DEFAULT_CERTIFICATE_STORE = 'My';

export interface RotateOptions {
  /** OLD: the thumbprint being replaced. May be omitted only with `alsoSites` (a first installation). */
  readonly from?: string;
  /** NEW: the thumbprint of the renewed certificate. Or give `toFile`. */
  readonly to?: string;
  /** A .cer, .crt or .pem (DER or PEM): NEW is its SHA-1 thumbprint, and its dates and EKU are checked. */
  readonly toFile?: string;
  /** The store NEW is in (`My`, `WebHosting`, ...): written as ssl/@serverCertStoreName. Default: where a live backend finds it, else `My`. */
  readonly storeName?: string;
  /** Sites to bind NEW to as well, whatever they hold now. Each must exist. */
  readonly alsoSites?: readonly string[];
  /** Describe what would change (and a diff, on a file), write nothing. Certificate checks still run. */
  readonly whatIf?: boolean;
  /** Go on although NEW fails a certificate check (or is not in the store). A risk: FTPS may stop working. */
  readonly force?: boolean;
  /** The time the certificate's validity is judged at (default: now). */
  readonly now?: Date;
}

/** Why a level is in the report. */
export type RotationReason = 'held-old' | 'also-site' | 'store-name';

export interface RotatedLevel {
  readonly target: SiteIdentity;
  readonly reason: RotationReason;
  /** The hash this level held itself before (null: it inherited). */
  readonly oldHash: string | null;
  readonly oldStore: string | null;
}

export interface UnrelatedSite {
  readonly target: SiteIdentity;
  /** The effective hash (null: no certificate at all). */
  readonly serverCertHash: string | null;
  readonly source: 'site' | 'siteDefaults' | 'default';
}

export interface CertificateCheck {
  /** `store`: looked up in the machine's store through the live backend; `file`: read from `toFile`; `none`: not checked (offline, no file). */
  readonly checked: 'store' | 'file' | 'none';
  readonly certificate: CertificateFacts | null;
  /** Problems that `force` overrode (empty without force: any problem refuses the rotation). */
  readonly overridden: readonly { readonly code: string; readonly message: string }[];
}

export interface RotateReport extends ChangeReport {
  readonly from: string | null;
  readonly to: string;
  readonly store: string;
  /** `rotated`: NEW was written; `already`: NEW was in place, nothing held OLD, nothing written; `what-if`: nothing written on purpose. */
  readonly status: 'rotated' | 'already' | 'what-if';
  /** Every level changed (or, with whatIf, to change), in file order, siteDefaults first. */
  readonly levels: readonly RotatedLevel[];
  /** Levels that already held NEW themselves. */
  readonly alreadyNew: readonly SiteIdentity[];
  /** FTP sites that inherit the hash from siteDefaults and so follow it without a change. */
  readonly inheriting: readonly SiteIdentity[];
  /** FTP sites that use neither OLD nor NEW: likely forgotten at an earlier renewal, or on purpose on another certificate. */
  readonly unrelated: readonly UnrelatedSite[];
  readonly check: CertificateCheck;
}

interface LevelSsl {
  readonly hash: { readonly value: string | null; readonly source: 'site' | 'siteDefaults' | 'default'; readonly own: boolean };
  readonly store: { readonly value: string; readonly own: boolean };
}

/** A level's ssl hash and store name, effective, and whether the level sets each itself, from what the session holds (staged values included). */
function sslAt(session: FtpsSession, t: Target): LevelSsl {
  const ssl = session.get(t).settings.ssl;
  const mine = (source: string) => ('siteDefaults' in t ? source === 'siteDefaults' : source === 'site');
  const hash = ssl['serverCertHash']!;
  const store = ssl['serverCertStoreName']!;
  return {
    hash: { value: typeof hash.value === 'string' ? hash.value : null, source: hash.source, own: mine(hash.source) },
    store: { value: typeof store.value === 'string' ? store.value : '', own: mine(store.source) },
  };
}

const HASH = findSetting('serverCertHash')!;
const STORE = findSetting('serverCertStoreName')!;

/**
 * The same for a site as read, without staged values: the two attributes straight from the
 * backend's site (one lookup each where the site answers lazily), so a file of fifty thousand
 * sites is gone through without building every setting of every site.
 */
function sslOfSite(site: RawSite, defaults: LevelSsl): LevelSsl {
  const raw = (def: SettingDef): unknown => (site.attribute ? site.attribute(def.element, def.attribute) : site.elements[def.element]?.[def.attribute]);
  const decode = (def: SettingDef, value: unknown): string | null => {
    const r = def.def.codec.decode(value);
    return r.ok && typeof r.value === 'string' ? r.value : null;
  };
  const h = raw(HASH);
  const st = raw(STORE);
  return {
    hash: h === undefined ? { value: defaults.hash.value, source: defaults.hash.source, own: false } : { value: decode(HASH, h), source: 'site', own: true },
    store: st === undefined ? { value: defaults.store.value, own: false } : { value: decode(STORE, st) ?? '', own: true },
  };
}

function refuse(problems: readonly { code: CertificateProblem['code'] | 'CERTIFICATE_NOT_FOUND'; message: string }[]): never {
  const [first, ...more] = problems;
  const rest = more.length ? `; also ${more.map((p) => `${p.message} (${p.code})`).join('; ')}` : '';
  throw new IisFtpsError(first!.code, `The new ${first!.message}${rest}. Nothing was written. Use another certificate, or --force to bind it anyway (a risk: FTPS clients may be refused).`);
}

/**
 * Certificate renewal: replaces ssl/@serverCertHash OLD -> NEW in siteDefaults and in every site
 * whose own value is OLD (whatever its bindings), writes ssl/@serverCertStoreName beside each
 * replaced hash, binds NEW to `alsoSites` too, and commits all of it at once. Sites that inherit
 * the hash stay inheriting. A rerun finds NEW in place and nothing holding OLD, and writes
 * nothing. NEW is checked first (in the live store, or from `toFile`); a failed check refuses
 * the rotation with its own code and writes nothing, unless `force`.
 */
export async function rotateFtpsCertificate(options: ConnectionOptions & ProgressOptions & RotateOptions): Promise<RotateReport> {
  const from = options.from === undefined || options.from === '' ? null : canonicalThumbprint(options.from, 'from (the old certificate)');
  const alsoSites = [...(options.alsoSites ?? [])];
  for (const s of alsoSites) if (typeof s !== 'string' || s === '') throw new IisFtpsError('USAGE', 'alsoSites takes non-empty site names');
  if (from === null && alsoSites.length === 0) throw new IisFtpsError('USAGE', 'Name the certificate being replaced (from, --from OLD), or the sites to bind the new one to (alsoSites, --also-site NAME)');
  const now = options.now ?? new Date();

  let fileFacts: CertificateFacts | null = null;
  if (options.toFile !== undefined) fileFacts = readCertificateFile(options.toFile);
  let to: string;
  if (options.to !== undefined && options.to !== '') {
    to = canonicalThumbprint(options.to, 'to (the new certificate)');
    if (fileFacts && fileFacts.thumbprint !== to) {
      throw new IisFtpsError('USAGE', `to is ${to} but the certificate in ${options.toFile} has the thumbprint ${fileFacts.thumbprint}; give one of them, or the matching pair`);
    }
  } else if (fileFacts) to = fileFacts.thumbprint;
  else throw new IisFtpsError('USAGE', 'Name the new certificate: to (--to NEW, a thumbprint) or toFile (--to-file FILE, a .cer/.crt/.pem)');
  const storeGiven = options.storeName === undefined || options.storeName === '' ? undefined : options.storeName;
  if (storeGiven !== undefined && !/^[\w .-]{1,64}$/u.test(storeGiven)) {
    throw new IisFtpsError('INVALID_VALUE', `storeName ${JSON.stringify(storeGiven)} is not a certificate store name; stores are named like My, WebHosting or Root`, { setting: 'serverCertStoreName', value: storeGiven });
  }
  const force = options.force === true;

  options.onProgress?.({ phase: 'read', done: 0, total: 1 });
  return withSession(options, { allSites: true }, async (session) => {
    options.onProgress?.({ phase: 'read', done: 1, total: 1 });
    // The certificate first: a refused certificate stages nothing.
    const overridden: { code: string; message: string }[] = [];
    let checked: CertificateCheck['checked'] = 'none';
    let certificate: CertificateFacts | null = fileFacts;
    let store = storeGiven ?? DEFAULT_CERTIFICATE_STORE;
    const backend = session.backend;
    // The machine's store is looked at on live IIS only: a configuration file (--config) may be a
    // copy for another machine, so there the file's certificate (--to-file) is what is checked.
    if (backend.findCertificate && options.config === undefined) {
      checked = 'store';
      const found: CertificateInfo | null = await backend.findCertificate(to, storeGiven);
      if (found === null) {
        const where = storeGiven === undefined ? 'LocalMachine\\My or LocalMachine\\WebHosting' : `LocalMachine\\${storeGiven}`;
        const problem = { code: 'CERTIFICATE_NOT_FOUND' as const, message: `certificate ${to} is not in ${where}; import it there first (win-acme and Posh-ACME do), or name its store with --store-name` };
        if (!force) refuse([problem]);
        overridden.push(problem);
      } else {
        certificate = found;
        if (storeGiven === undefined) store = found.store;
      }
    } else if (fileFacts) checked = 'file';
    if (certificate) {
      const problems = judgeCertificate(certificate, now);
      if (problems.length && !force) refuse(problems);
      overridden.push(...problems);
    }

    // Every level's own hash, before any change.
    const sites = session.sites;
    const known = new Map(sites.map((s) => [s.name.toUpperCase(), s.name]));
    const also = new Set<string>();
    for (const name of alsoSites) {
      const stored = known.get(name.toUpperCase());
      if (stored === undefined) {
        const list = sites.map((s) => JSON.stringify(s.name)).join(', ');
        throw new IisFtpsError('SITE_NOT_FOUND', `No site named ${JSON.stringify(name)} (--also-site); sites: ${list || '(none)'}. Nothing was written.`, { site: name });
      }
      also.add(stored);
    }
    const plan: { target: Target; reason: RotationReason; oldHash: string | null; oldStore: string | null }[] = [];
    const alreadyNew: SiteIdentity[] = [];
    const inheriting: SiteIdentity[] = [];
    const unrelated: UnrelatedSite[] = [];
    let heldOld = false;
    const seen = new Set<string>();
    const defaults = sslAt(session, { siteDefaults: true });
    for (let i = 0; i <= sites.length; i++) {
      const site = i === 0 ? null : sites[i - 1]!;
      if (site) {
        const key = site.name.toUpperCase();
        if (seen.has(key)) continue; // two sites of one name: the first, as IIS finds it
        seen.add(key);
      }
      const t: Target = site ? { site: site.name } : { siteDefaults: true };
      const identity: SiteIdentity = site ? { level: 'site', name: site.name, id: site.id, protocols: site.protocols } : { level: 'siteDefaults', name: null, id: null, protocols: [] };
      const { hash, store: st } = site ? sslOfSite(site, defaults) : defaults;
      const storeOk = st.value.toUpperCase() === store.toUpperCase();
      const isAlso = 'site' in t && also.has(t.site);
      // NEW first: a script that reruns with from = to (the last thumbprint it bound) checks that NEW is in place.
      if (hash.own && sameThumbprint(hash.value, to)) {
        alreadyNew.push(identity);
        if (!storeOk || isAlso) plan.push({ target: t, reason: storeOk ? 'also-site' : 'store-name', oldHash: hash.value, oldStore: st.own ? st.value : null });
      } else if (hash.own && from !== null && sameThumbprint(hash.value, from)) {
        heldOld = true;
        plan.push({ target: t, reason: 'held-old', oldHash: hash.value, oldStore: st.own ? st.value : null });
      } else if (isAlso) {
        plan.push({ target: t, reason: 'also-site', oldHash: hash.own ? hash.value : null, oldStore: st.own ? st.value : null });
      } else if (identity.level === 'site') {
        if (!hash.own && identity.protocols.includes('ftp')) inheriting.push(identity);
        // The effective hash: a site that inherits OLD or NEW from siteDefaults follows it and is not listed.
        if (identity.protocols.includes('ftp') && !sameThumbprint(hash.value, from) && !sameThumbprint(hash.value, to)) {
          unrelated.push({ target: identity, serverCertHash: hash.value, source: hash.source });
        }
      }
    }

    if (!heldOld && alreadyNew.length === 0 && also.size === 0) {
      throw new IisFtpsError(
        'OLD_CERTIFICATE_NOT_FOUND',
        `No level holds the old certificate ${from} (neither siteDefaults nor any site sets ssl/@serverCertHash to it), and the new one ${to} is bound nowhere either. Nothing was written. Check --from, or bind the new certificate with --also-site NAME.`,
      );
    }

    const changed: RotatedLevel[] = [];
    await phase('stage', options.onProgress, async () => {
      for (const p of plan) {
        const values: Record<string, string> = {};
        if (!sameThumbprint(p.oldHash, to)) values['serverCertHash'] = to;
        if (!(p.oldStore !== null && p.oldStore.toUpperCase() === store.toUpperCase())) values['serverCertStoreName'] = store;
        if (Object.keys(values).length === 0) continue;
        session.set(p.target, values);
        changed.push({ target: session.identity(p.target), reason: p.reason, oldHash: p.oldHash, oldStore: p.oldStore });
      }
    });
    // The guarantee a renewal script relies on: after this commit no level that held OLD still does (and so no
    // site inherits it). Read back from the staged session, before anything is written.
    if (from !== null && from !== to) {
      const still = [{ siteDefaults: true } as Target, ...plan.filter((p) => p.reason === 'held-old').map((p) => p.target)].filter((t) => sameThumbprint(sslAt(session, t).hash.value, from));
      if (still.length) throw new IisFtpsError('BACKEND_FAILED', `Internal check failed: ${still.length} level(s) would still use ${from}; nothing was written`);
    }
    const report = await phase('commit', options.onProgress, () => finish(session, options.whatIf ?? false));
    const status: RotateReport['status'] = options.whatIf ? 'what-if' : report.changes.length === 0 ? 'already' : 'rotated';
    return {
      ...report,
      from,
      to,
      store,
      status,
      levels: changed,
      alreadyNew,
      inheriting,
      unrelated,
      check: { checked, certificate, overridden },
    };
  }, writeMode(options.whatIf));
}

