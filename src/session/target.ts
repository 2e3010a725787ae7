import { IisFtpsError } from '../errors/errors.js';

/** What a call is about: one site by name or id, or the defaults of every site. */
export type Target = { readonly siteDefaults: true } | { readonly site: string } | { readonly siteId: number };

export const isSiteDefaults = (t: Target): t is Extract<Target, { readonly siteDefaults: true }> => 'siteDefaults' in t;

/** Checks a target given by callers that are not type-checked (JSON, the CLI, JavaScript). */
export function checkTarget(t: unknown): Target {
  const o = (typeof t === 'object' && t !== null ? t : {}) as Record<string, unknown>;
  const given = ['site', 'siteId', 'siteDefaults'].filter((k) => o[k] !== undefined && o[k] !== false);
  if (given.length !== 1) {
    throw new IisFtpsError('USAGE', `Name exactly one target: a site (site: "NAME"), a site id (siteId: N) or the defaults (siteDefaults: true); got ${given.length ? given.join(' and ') : 'none'}`);
  }
  if (o['site'] !== undefined && (typeof o['site'] !== 'string' || o['site'] === '')) throw new IisFtpsError('USAGE', 'site must be a non-empty site name');
  if (o['siteId'] !== undefined && !(Number.isInteger(o['siteId']) && (o['siteId'] as number) >= 0)) {
    throw new IisFtpsError('USAGE', `siteId must be a whole number of 0 or more; got ${JSON.stringify(o['siteId'])}`);
  }
  if (o['siteDefaults'] !== undefined && o['siteDefaults'] !== true) throw new IisFtpsError('USAGE', 'siteDefaults must be true');
  return given[0] === 'site' ? { site: o['site'] as string } : given[0] === 'siteId' ? { siteId: o['siteId'] as number } : { siteDefaults: true };
}

export function describeTarget(t: Target): string {
  return isSiteDefaults(t) ? 'siteDefaults' : 'site' in t ? `site ${JSON.stringify(t.site)}` : `site id ${t.siteId}`;
}
