import { IisFtpsError } from '../errors/errors.js';
import type { FtpsSession, SessionOptions, SiteIdentity } from '../session/session.js';
import { type Target, checkTarget } from '../session/target.js';

/**
 * Which sites a call is about. Either one target as before (`site`, `siteId` or `siteDefaults`),
 * or any union of several sites: named (`sites`, `siteIds`, and `site`/`siteId` too), by
 * wildcard (`siteLike`), or every site with an FTP binding (`allFtpSites`). Duplicates count once.
 */
export interface SelectionOptions {
  readonly site?: string;
  readonly siteId?: number;
  readonly siteDefaults?: true;
  /** Sites by name (case-insensitive); each must exist. */
  readonly sites?: readonly string[];
  /** Sites by id; each must exist. */
  readonly siteIds?: readonly number[];
  /** Site name patterns as PowerShell's `-like`: `*` any run, `?` one character, `[a-z]` a set, case-insensitive. Each must match a site. */
  readonly siteLike?: string | readonly string[];
  /** Every site with an `ftp` binding. */
  readonly allFtpSites?: boolean;
}

/** A selection checked for shape, not yet matched against a file. */
export interface Selection {
  /** Named targets (sites by name or id, or siteDefaults), in the order given. */
  readonly targets: readonly Target[];
  readonly patterns: readonly string[];
  readonly allFtpSites: boolean;
  /** True when the caller named several sites or used a pattern: results come as a list. */
  readonly bulk: boolean;
  /** allFtpSites in a file without FTP sites selects nothing instead of failing (doctor's default). */
  readonly noFtpSitesOk?: boolean;
}

const BULK_KEYS = ['sites', 'siteIds', 'siteLike', 'allFtpSites'] as const;

/** True when options select sites in bulk (anything beyond one `site`, `siteId` or `siteDefaults`). */
export function isBulkSelection(options: object): boolean {
  const o = options as Record<string, unknown>;
  return BULK_KEYS.some((k) => o[k] !== undefined && o[k] !== false) || (o['site'] !== undefined && o['siteId'] !== undefined);
}

/** Checks a selection given by callers that are not type-checked; one target alone keeps the single-target rules. */
export function checkSelection(options: SelectionOptions): Selection {
  if (!isBulkSelection(options)) return { targets: [checkTarget(options)], patterns: [], allFtpSites: false, bulk: false };
  const o = options as Record<string, unknown>;
  if (o['siteDefaults'] !== undefined && o['siteDefaults'] !== false) {
    throw new IisFtpsError('USAGE', 'siteDefaults is a target of its own; do not combine it with sites, siteIds, siteLike or allFtpSites');
  }
  const list = (key: string): unknown[] => {
    const v = o[key];
    if (v === undefined) return [];
    if (!Array.isArray(v)) throw new IisFtpsError('USAGE', `${key} must be a list; got ${JSON.stringify(v)}`);
    return v;
  };
  const targets: Target[] = [];
  for (const name of [...(o['site'] === undefined ? [] : [o['site']]), ...list('sites')]) targets.push(checkTarget({ site: name }));
  for (const id of [...(o['siteId'] === undefined ? [] : [o['siteId']]), ...list('siteIds')]) targets.push(checkTarget({ siteId: id }));
  const like = o['siteLike'];
  const patterns = like === undefined ? [] : typeof like === 'string' ? [like] : list('siteLike');
  for (const p of patterns) if (typeof p !== 'string' || p === '') throw new IisFtpsError('USAGE', `siteLike takes non-empty name patterns; got ${JSON.stringify(p)}`);
  const all = o['allFtpSites'];
  if (all !== undefined && typeof all !== 'boolean') throw new IisFtpsError('USAGE', `allFtpSites must be true or false; got ${JSON.stringify(all)}`);
  if (targets.length === 0 && patterns.length === 0 && all !== true) throw new IisFtpsError('USAGE', 'Name at least one site: sites, siteIds, siteLike or allFtpSites');
  return { targets, patterns: patterns as string[], allFtpSites: all === true, bulk: true };
}

/** What a session must load for a selection: the named sites, and every site when a pattern or allFtpSites needs matching. */
export function sessionOptionsFor(selection: Selection): SessionOptions {
  return { targets: selection.targets, allSites: selection.patterns.length > 0 || selection.allFtpSites };
}

/** PowerShell's `-like` as a regular expression: `*`, `?`, `[...]` sets, a backtick escapes; case-insensitive, whole name. */
export function wildcard(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '`' && i + 1 < pattern.length) re += escapeRegExp(pattern[++i]!);
    else if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) re += '\\[';
      else {
        const body = pattern.slice(i + 1, close).replace(/[\\\]^]/g, (m) => `\\${m}`);
        re += `[${body}]`;
        i = close;
      }
    } else re += escapeRegExp(c);
  }
  return new RegExp(`^${re}$`, 'isu');
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The sites a selection names in a session's file, as the session's identities of them: named
 * sites first, in the order given, then sites matched by pattern or binding, in file order; each
 * site once. A site found by pattern or binding is handed over as found, never looked up again by
 * its name. A pattern that matches no site, or allFtpSites in a file without FTP sites, is
 * SITE_NOT_FOUND.
 */
export function resolveSelection(session: FtpsSession, selection: Selection): SiteIdentity[] {
  const out: SiteIdentity[] = [];
  // A session has one identity per site (or siteDefaults): the same object however the site is named.
  const seen = new Set<SiteIdentity>();
  const add = (identity: SiteIdentity) => {
    if (!seen.has(identity)) {
      seen.add(identity);
      out.push(identity);
    }
  };
  for (const t of selection.targets) add(session.identity(t));
  if (selection.patterns.length === 0 && !selection.allFtpSites) return out;
  const sites = session.sites;
  for (const pattern of selection.patterns) {
    const re = wildcard(pattern);
    let matched = 0;
    sites.forEach((s, i) => {
      if (!re.test(s.name)) return;
      matched++;
      add(session.identityAt(i));
    });
    if (matched === 0) {
      throw new IisFtpsError('SITE_NOT_FOUND', `No site name matches ${JSON.stringify(pattern)} (wildcards: * any text, ? one character, [a-z] a set; case-insensitive); nothing was changed`, { site: pattern });
    }
  }
  if (selection.allFtpSites) {
    let ftp = 0;
    sites.forEach((s, i) => {
      if (!s.protocols.includes('ftp')) return;
      ftp++;
      add(session.identityAt(i));
    });
    if (ftp === 0 && !selection.noFtpSitesOk) throw new IisFtpsError('SITE_NOT_FOUND', 'No site in the file has an ftp binding; nothing was changed', { site: '*' });
  }
  return out;
}
