import type { CertificateInfo } from '../contract/index.js';
import { EXPIRY_WARNING_DAYS, daysLeft, judgeCertificate } from '../certificates/judge.js';
import { say } from '../codecs/index.js';
import { type SettingName, findSetting } from '../schema/index.js';
import type { EffectiveSettings } from '../session/session.js';

export type Severity = 'error' | 'warning';

/** What a rule may know besides the settings: which level it looks at, and the bound certificate as the store has it. */
export interface DoctorContext {
  /** The level checked (a site unless told otherwise). */
  readonly level?: 'site' | 'siteDefaults';
  /** False for a site without an ftp binding (a web-only site); FTP-only rules pass such a site by. */
  readonly ftp?: boolean;
  /**
   * The bound certificate (ssl.serverCertHash, in ssl.serverCertStoreName) as the machine's store
   * has it: null when it is not there; undefined when the store cannot be seen (offline).
   */
  readonly certificate?: CertificateInfo | null;
  /** The time certificate dates are judged at (default: now). */
  readonly now?: Date;
}

/**
 * One test on one setting's effective value. `equals` / `notEquals` compare strictly;
 * `includes` holds when the value is a list (flags) with that name in it; `isEmpty` holds when
 * the value is null or the empty text (`false`: when it is neither). `problems` holds when any
 * stored value cannot be read.
 */
export type Condition =
  | { readonly setting: SettingName; readonly equals: string | boolean }
  | { readonly setting: SettingName; readonly notEquals: string | boolean }
  | { readonly setting: SettingName; readonly includes: string }
  | { readonly setting: SettingName; readonly isEmpty: boolean }
  | { readonly problems: true };

/**
 * A doctor rule as data: broken when every condition of `when` holds; its message is a template
 * where `{setting}` is that setting's effective value as text and `{problems}` the list of stored
 * values that cannot be read. `npm run build:schema` writes these rules into the PowerShell
 * module's schema.json, whose one generic routine checks them as this file does.
 */
export interface RuleData {
  readonly id: string;
  readonly severity: Severity;
  readonly description: string;
  readonly when: readonly Condition[];
  readonly message: string;
}

/** One rule of the doctor: the spec's dependency rules for client-certificate authentication, and advice. */
export interface Rule {
  readonly id: string;
  readonly severity: Severity;
  readonly description: string;
  /** A message when the rule is broken by these settings (in this context), else null. */
  check(s: EffectiveSettings, context: DoctorContext): string | null;
}

/** How `{problems}` lists the stored values that cannot be read. */
export const PROBLEM_LIST = { item: '{element}.{attribute} ({source}): {problem}', separator: '; ' } as const;

export const ruleData: readonly RuleData[] = [
  {
    id: 'cca-needs-server-certificate',
    severity: 'error',
    description: 'Client-certificate authentication needs a server certificate (ssl.serverCertHash).',
    when: [{ setting: 'clientCertAuthentication', equals: true }, { setting: 'serverCertHash', isEmpty: true }],
    message: 'clientCertAuthentication is enabled but no serverCertHash is bound, so TLS is off; set --server-cert-hash',
  },
  {
    id: 'cca-needs-client-certificates',
    severity: 'error',
    description: 'Client-certificate authentication needs clientCertificatePolicy CertAllow or CertRequire.',
    when: [{ setting: 'clientCertAuthentication', equals: true }, { setting: 'clientCertificatePolicy', equals: 'CertIgnore' }],
    message: 'clientCertAuthentication is enabled but clientCertificatePolicy is CertIgnore, so no certificate is ever negotiated; set CertRequire or CertAllow',
  },
  {
    id: 'cca-needs-ad-mapping',
    severity: 'error',
    description: 'Client-certificate authentication needs useActiveDirectoryMapping.',
    when: [{ setting: 'clientCertAuthentication', equals: true }, { setting: 'useActiveDirectoryMapping', notEquals: true }],
    message: 'clientCertAuthentication is enabled but useActiveDirectoryMapping is false, so certificates map to no account; set --use-active-directory-mapping true',
  },
  {
    id: 'cca-needs-tls-channels',
    severity: 'error',
    description: 'Client-certificate authentication needs channels that allow TLS (dataChannelPolicy not SslDeny).',
    when: [{ setting: 'clientCertAuthentication', equals: true }, { setting: 'dataChannelPolicy', equals: 'SslDeny' }],
    message: 'clientCertAuthentication is enabled but dataChannelPolicy is SslDeny, which forbids TLS on the data channel; set SslRequire or SslAllow',
  },
  {
    id: 'stored-value-invalid',
    severity: 'error',
    description: 'A stored value that IIS would not accept.',
    when: [{ problems: true }],
    message: '{problems}',
  },
  {
    id: 'no-revocation-check',
    severity: 'warning',
    description: 'validationFlags includes NoRevocationCheck: revoked client certificates are accepted.',
    when: [{ setting: 'validationFlags', includes: 'NoRevocationCheck' }],
    message: 'validationFlags includes NoRevocationCheck, so revoked client certificates are accepted; Microsoft advises against it',
  },
  {
    id: 'client-certificates-without-tls',
    severity: 'warning',
    description: 'A clientCertificatePolicy other than CertIgnore does nothing without a server certificate.',
    when: [{ setting: 'clientCertificatePolicy', notEquals: 'CertIgnore' }, { setting: 'serverCertHash', isEmpty: true }],
    message: 'clientCertificatePolicy is {clientCertificatePolicy} but no serverCertHash is bound, so TLS (and with it any client certificate) is off',
  },
  {
    id: 'cert-require-with-optional-tls',
    severity: 'warning',
    description: 'CertRequire with controlChannelPolicy SslAllow: clients that skip TLS are never asked for a certificate.',
    when: [
      { setting: 'clientCertificatePolicy', equals: 'CertRequire' },
      { setting: 'controlChannelPolicy', equals: 'SslAllow' },
      { setting: 'serverCertHash', isEmpty: false },
    ],
    message: 'clientCertificatePolicy is CertRequire but controlChannelPolicy is SslAllow, so a client that does not start TLS is never asked for a certificate; set SslRequire',
  },
];

/** A setting's effective value at a level (undefined when the level does not have it). */
function valueOf(s: EffectiveSettings, name: string): unknown {
  const def = findSetting(name);
  if (!def) throw new Error(`doctor rule names an unknown setting ${name}`);
  return s[def.element]?.[def.attribute]?.value;
}

/** The stored values that cannot be read, as `{problems}` lists them. */
function problems(s: EffectiveSettings): string[] {
  return Object.entries(s).flatMap(([element, attrs]) =>
    Object.entries(attrs)
      .filter(([, e]) => e.problem)
      .map(([attribute, e]) => say(PROBLEM_LIST.item, { element, attribute, source: e.source, problem: e.problem! })),
  );
}

function holds(c: Condition, s: EffectiveSettings): boolean {
  if ('problems' in c) return problems(s).length > 0;
  const v = valueOf(s, c.setting);
  if ('equals' in c) return v === c.equals;
  if ('notEquals' in c) return v !== c.notEquals;
  if ('includes' in c) return Array.isArray(v) && v.includes(c.includes);
  return (v === null || v === undefined || v === '') === c.isEmpty;
}

/** The message of a broken rule: `{problems}`, and `{setting}` as the setting's value in text. */
function messageOf(rule: RuleData, s: EffectiveSettings): string {
  return rule.message.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'problems' ? problems(s).join(PROBLEM_LIST.separator) : String(valueOf(s, name))));
}


const v = (s: EffectiveSettings, element: keyof EffectiveSettings, attribute: string): unknown => s[element][attribute]?.value;
/** A site with an ftp binding (siteDefaults is no server of its own; a web-only site has no FTP to refuse). */
const ftpSite = (c: DoctorContext): boolean => c.level !== 'siteDefaults' && c.ftp !== false;

/**
 * The server certificate rules (certificate renewal): sites without a certificate, and the bound
 * certificate as the machine's store has it. They read the context (the level, and the store's
 * answer), which the data rules above cannot express yet, so they are written as code here and
 * in the module's Private/Doctor.ps1, and a Pester test compares the two.
 */
export const certificateRules: readonly Rule[] = [
  // ---- Server certificate rules (certificate renewal) ------------------------------------
  // Sites without a certificate, and the bound certificate as the machine's store has it.
  // Kept together, apart from the client-certificate rules above.
  {
    id: 'tls-required-without-certificate',
    severity: 'error',
    description: 'A channel policy requires TLS but no server certificate (ssl.serverCertHash) is set or inherited: the FTP service refuses the clients.',
    check: (s, c) => {
      if (!ftpSite(c) || v(s, 'ssl', 'serverCertHash')) return null;
      const control = v(s, 'ssl', 'controlChannelPolicy');
      const data = v(s, 'ssl', 'dataChannelPolicy');
      if (control === 'SslRequire' || control === 'SslRequireCredentialsOnly') {
        return `no serverCertHash is set or inherited but controlChannelPolicy is ${String(control)}, so the FTP service refuses every client at login; bind a certificate with --server-cert-hash (or allow plain FTP with --control-channel-policy SslAllow)`;
      }
      if (data === 'SslRequire') {
        return 'no serverCertHash is set or inherited but dataChannelPolicy is SslRequire, so every listing and transfer is refused after login; bind a certificate with --server-cert-hash (or --data-channel-policy SslAllow)';
      }
      return null;
    },
  },
  {
    id: 'plain-ftp-without-certificate',
    severity: 'warning',
    description: 'No server certificate is bound and the control channel allows plain FTP: user names and passwords cross the network in clear text.',
    check: (s, c) => (ftpSite(c) && !v(s, 'ssl', 'serverCertHash') && v(s, 'ssl', 'controlChannelPolicy') === 'SslAllow' ? 'no serverCertHash is set or inherited and controlChannelPolicy is SslAllow, so user names and passwords cross the network in clear text; bind a certificate with --server-cert-hash' : null),
  },
  {
    id: 'server-certificate-not-in-store',
    severity: 'error',
    description: 'The bound server certificate is not in the machine certificate store it names (checked where the store can be seen: live IIS).',
    check: (s, c) => (c.certificate === null && v(s, 'ssl', 'serverCertHash') ? `serverCertHash ${String(v(s, 'ssl', 'serverCertHash'))} is not in LocalMachine\\${String(v(s, 'ssl', 'serverCertStoreName'))}, so TLS fails for every client; import the certificate there, or bind one that is (iis-ftps rotate-cert)` : null),
  },
  {
    id: 'server-certificate-unusable',
    severity: 'error',
    description: 'The bound server certificate cannot serve TLS: no private key, outside its validity period, or not for server authentication (checked where the store can be seen).',
    check: (s, c) => {
      if (!c.certificate || !v(s, 'ssl', 'serverCertHash')) return null;
      const problems = judgeCertificate(c.certificate, c.now);
      return problems.length ? `the server ${problems.map((p) => `${p.message} (${p.code})`).join('; ')}; renew it (iis-ftps rotate-cert)` : null;
    },
  },
  {
    id: 'server-certificate-expires-soon',
    severity: 'warning',
    description: `The bound server certificate ends within ${EXPIRY_WARNING_DAYS} days (checked where the store can be seen).`,
    check: (s, c) => {
      if (!c.certificate || !v(s, 'ssl', 'serverCertHash')) return null;
      const left = daysLeft(c.certificate, c.now);
      return left >= 0 && left < EXPIRY_WARNING_DAYS ? `the server certificate ${c.certificate.thumbprint} expires in ${left} day(s), on ${c.certificate.notAfter}; renew it and run iis-ftps rotate-cert` : null;
    },
  },
];

/** Every rule: the data rules, then the server certificate rules. */
export const rules: readonly Rule[] = [
  ...ruleData.map((r): Rule => ({ id: r.id, severity: r.severity, description: r.description, check: (s) => (r.when.every((c) => holds(c, s)) ? messageOf(r, s) : null) })),
  ...certificateRules,
];

export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
}

export function diagnose(s: EffectiveSettings, context: DoctorContext = {}): Finding[] {
  return rules.flatMap((r) => {
    const message = r.check(s, context);
    return message === null ? [] : [{ rule: r.id, severity: r.severity, message }];
  });
}
