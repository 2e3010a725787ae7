import type { CertificateInfo } from '../contract/index.js';
import type { FtpsSession, SettingsReport } from '../session/session.js';
import type { DoctorContext } from './rules.js';

/**
 * The doctor's context for each level a session reports: its level and binding, and the bound
 * certificate as the machine's store has it where the backend can look (a live backend's
 * `findCertificate`; offline the store cannot be seen and certificate rules stay silent). Each
 * certificate is looked up once per call, however many sites share it.
 */
export function doctorContexts(session: FtpsSession, now: Date = new Date()): (report: SettingsReport) => Promise<DoctorContext> {
  const backend = session.backend;
  const cache = new Map<string, Promise<CertificateInfo | null>>();
  return async (report) => {
    const base = { level: report.target.level, ftp: report.target.level === 'site' && report.target.protocols.includes('ftp'), now };
    const hash = report.settings.ssl['serverCertHash']?.value;
    if (!backend.findCertificate || typeof hash !== 'string' || hash === '') return base;
    const store = report.settings.ssl['serverCertStoreName']?.value;
    const storeName = typeof store === 'string' && store !== '' ? store : undefined;
    const key = `${hash.toUpperCase()}\u0000${(storeName ?? '').toUpperCase()}`;
    let found = cache.get(key);
    if (!found) cache.set(key, (found = backend.findCertificate(hash.toUpperCase(), storeName)));
    return { ...base, certificate: await found };
  };
}
