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
 * One test of a rule. On one setting's effective value: `equals` / `notEquals` compare strictly,
 * `oneOf` holds when the value is one of the texts, `includes` when the value is a list (flags)
 * with that name in it, `isEmpty` when the value is null or the empty text (`false`: when it is
 * neither). `problems` holds when any stored value cannot be read. On the context:
 * `ftpSite` holds for a site with an ftp binding (not siteDefaults, not a web-only site);
 * `certificateMissing` when the machine's store was looked at and the bound certificate is not
 * there; `certificateUnusable` when it is there and `judgeCertificate` finds a problem;
 * `certificateExpiresSoon` when it ends within `EXPIRY_WARNING_DAYS` days.
 */
export type Condition =
  | { readonly setting: SettingName; readonly equals: string | boolean }
  | { readonly setting: SettingName; readonly notEquals: string | boolean }
  | { readonly setting: SettingName; readonly oneOf: readonly string[] }
  | { readonly setting: SettingName; readonly includes: string }
  | { readonly setting: SettingName; readonly isEmpty: boolean }
  | { readonly problems: true }
  | { readonly context: 'ftpSite' | 'certificateMissing' | 'certificateUnusable' | 'certificateExpiresSoon' };

/** One way a rule is broken: when every condition holds, with this message. */
export interface RuleCase {
  readonly when: readonly Condition[];
  readonly message: string;
}

/**
 * A doctor rule as data: broken when every condition of one of its cases holds, with the message
 * of the first such case. A message is a template: `{setting}` is that setting's effective value
 * as text, `{problems}` the list of stored values that cannot be read, and, of the bound
 * certificate, `{certificateProblems}` (what `judgeCertificate` finds), `{certificateThumbprint}`,
 * `{certificateNotAfter}` and `{certificateDaysLeft}`. `npm run build:schema` writes these rules
 * into the PowerShell module's schema.json, whose one generic routine checks them as this file does.
 */
export interface RuleData {
  readonly id: string;
  readonly severity: Severity;
  readonly description: string;
  readonly cases: readonly RuleCase[];
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
/** How `{certificateProblems}` lists what `judgeCertificate` finds. */
export const CERTIFICATE_PROBLEM_LIST = { item: '{message} ({code})', separator: '; ' } as const;

export const ruleData: readonly RuleData[] = [
  {
    id: 'cca-needs-server-certificate',
    severity: 'error',
    description: 'Client-certificate authentication needs a server certificate (ssl.serverCertHash).',
    cases: [{ when: [{ setting: 'clientCertAuthentication', equals: true }, { setting: 'serverCertHash', isEmpty: true }], message: 'clientCertAuthentication is enabled but no serverCertHash is bound, so TLS is off; set --server-cert-hash' }],
  },
  {
    id: 'cca-needs-client-certificates',
    severity: 'error',
    description: 'Client-certificate authentication needs clientCertificatePolicy CertAllow or CertRequire.',
    cases: [{ when: [{ setting: 'clientCertAuthentication', equals: true }, { setting: 'clientCertificatePolicy', equals: 'CertIgnore' }], message: 'clientCertAuthentication is enabled but clientCertificatePolicy is CertIgnore, so no certificate is ever negotiated; set CertRequire or CertAllow' }],
  },
  {
    id: 'cca-needs-ad-mapping',
    severity: 'error',
    description: 'Client-certificate authentication needs useActiveDirectoryMapping.',
    cases: [{ when: [{ setting: 'clientCertAuthentication', equals: true }, { setting: 'useActiveDirectoryMapping', notEquals: true }], message: 'clientCertAuthentication is enabled but useActiveDirectoryMapping is false, so certificates map to no account; set --use-active-directory-mapping true' }],
  },
  {
    id: 'cca-needs-tls-channels',
    severity: 'error',
    description: 'Client-certificate authentication needs channels that allow TLS (dataChannelPolicy not SslDeny).',
    cases: [{ when: [{ setting: 'clientCertAuthentication', equals: true }, { setting: 'dataChannelPolicy', equals: 'SslDeny' }], message: 'clientCertAuthentication is enabled but dataChannelPolicy is SslDeny, which forbids TLS on the data channel; set SslRequire or SslAllow' }],
  },
  {
    id: 'stored-value-invalid',
    severity: 'error',
    description: 'A stored value that IIS would not accept.',
    cases: [{ when: [{ problems: true }], message: '{problems}' }],
  },
  {
    id: 'no-revocation-check',
    severity: 'warning',
    description: 'validationFlags includes NoRevocationCheck: revoked client certificates are accepted.',
    cases: [{ when: [{ setting: 'validationFlags', includes: 'NoRevocationCheck' }], message: 'validationFlags includes NoRevocationCheck, so revoked client certificates are accepted; Microsoft advises against it' }],
  },
  {
    id: 'client-certificates-without-tls',
    severity: 'warning',
    description: 'A clientCertificatePolicy other than CertIgnore does nothing without a server certificate.',
    cases: [{ when: [{ setting: 'clientCertificatePolicy', notEquals: 'CertIgnore' }, { setting: 'serverCertHash', isEmpty: true }], message: 'clientCertificatePolicy is {clientCertificatePolicy} but no serverCertHash is bound, so TLS (and with it any client certificate) is off' }],
  },
  {
    id: 'cert-require-with-optional-tls',
    severity: 'warning',
    description: 'CertRequire with controlChannelPolicy SslAllow: clients that skip TLS are never asked for a certificate.',
    cases: [
      {
        when: [
          { setting: 'clientCertificatePolicy', equals: 'CertRequire' },
          { setting: 'controlChannelPolicy', equals: 'SslAllow' },
          { setting: 'serverCertHash', isEmpty: false },
        ],
        message: 'clientCertificatePolicy is CertRequire but controlChannelPolicy is SslAllow, so a client that does not start TLS is never asked for a certificate; set SslRequire',
      },
    ],
  },
  // ---- Server certificate rules (certificate renewal) ------------------------------------
  // Sites without a certificate, and the bound certificate as the machine's store has it
  // (seen on live IIS only: offline the certificate conditions never hold).
  {
    id: 'tls-required-without-certificate',
    severity: 'error',
    description: 'A channel policy requires TLS but no server certificate (ssl.serverCertHash) is set or inherited: the FTP service refuses the clients.',
    cases: [
      {
        when: [{ context: 'ftpSite' }, { setting: 'serverCertHash', isEmpty: true }, { setting: 'controlChannelPolicy', oneOf: ['SslRequire', 'SslRequireCredentialsOnly'] }],
        message: 'no serverCertHash is set or inherited but controlChannelPolicy is {controlChannelPolicy}, so the FTP service refuses every client at login; bind a certificate with --server-cert-hash (or allow plain FTP with --control-channel-policy SslAllow)',
      },
      {
        when: [{ context: 'ftpSite' }, { setting: 'serverCertHash', isEmpty: true }, { setting: 'dataChannelPolicy', equals: 'SslRequire' }],
        message: 'no serverCertHash is set or inherited but dataChannelPolicy is SslRequire, so every listing and transfer is refused after login; bind a certificate with --server-cert-hash (or --data-channel-policy SslAllow)',
      },
    ],
  },
  {
    id: 'plain-ftp-without-certificate',
    severity: 'warning',
    description: 'No server certificate is bound and the control channel allows plain FTP: user names and passwords cross the network in clear text.',
    cases: [
      {
        when: [{ context: 'ftpSite' }, { setting: 'serverCertHash', isEmpty: true }, { setting: 'controlChannelPolicy', equals: 'SslAllow' }],
        message: 'no serverCertHash is set or inherited and controlChannelPolicy is SslAllow, so user names and passwords cross the network in clear text; bind a certificate with --server-cert-hash',
      },
    ],
  },
  {
    id: 'server-certificate-not-in-store',
    severity: 'error',
    description: 'The bound server certificate is not in the machine certificate store it names (checked where the store can be seen: live IIS).',
    cases: [
      {
        when: [{ setting: 'serverCertHash', isEmpty: false }, { context: 'certificateMissing' }],
        message: 'serverCertHash {serverCertHash} is not in LocalMachine\\{serverCertStoreName}, so TLS fails for every client; import the certificate there, or bind one that is (iis-ftps rotate-cert)',
      },
    ],
  },
  {
    id: 'server-certificate-unusable',
    severity: 'error',
    description: 'The bound server certificate cannot serve TLS: no private key, outside its validity period, or not for server authentication (checked where the store can be seen).',
    cases: [{ when: [{ setting: 'serverCertHash', isEmpty: false }, { context: 'certificateUnusable' }], message: 'the server {certificateProblems}; renew it (iis-ftps rotate-cert)' }],
  },
  {
    id: 'server-certificate-expires-soon',
    severity: 'warning',
    description: `The bound server certificate ends within ${EXPIRY_WARNING_DAYS} days (checked where the store can be seen).`,
    cases: [
      {
        when: [{ setting: 'serverCertHash', isEmpty: false }, { context: 'certificateExpiresSoon' }],
        message: 'the server certificate {certificateThumbprint} expires in {certificateDaysLeft} day(s), on {certificateNotAfter}; renew it and run iis-ftps rotate-cert',
      },
    ],
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

/** What `judgeCertificate` finds in the bound certificate (none when the store was not seen or has no such certificate). */
const certificateProblems = (c: DoctorContext) => (c.certificate ? judgeCertificate(c.certificate, c.now) : []);

function holds(c: Condition, s: EffectiveSettings, ctx: DoctorContext): boolean {
  if ('problems' in c) return problems(s).length > 0;
  if ('context' in c) {
    switch (c.context) {
      case 'ftpSite':
        return ctx.level !== 'siteDefaults' && ctx.ftp !== false;
      case 'certificateMissing':
        return ctx.certificate === null;
      case 'certificateUnusable':
        return certificateProblems(ctx).length > 0;
      case 'certificateExpiresSoon': {
        if (!ctx.certificate) return false;
        const left = daysLeft(ctx.certificate, ctx.now);
        return left >= 0 && left < EXPIRY_WARNING_DAYS;
      }
    }
  }
  const v = valueOf(s, c.setting);
  if ('equals' in c) return v === c.equals;
  if ('notEquals' in c) return v !== c.notEquals;
  if ('oneOf' in c) return typeof v === 'string' && c.oneOf.includes(v);
  if ('includes' in c) return Array.isArray(v) && v.includes(c.includes);
  return (v === null || v === undefined || v === '') === c.isEmpty;
}

/** The text of one placeholder of a message. */
function placeholder(name: string, s: EffectiveSettings, ctx: DoctorContext): string {
  switch (name) {
    case 'problems':
      return problems(s).join(PROBLEM_LIST.separator);
    case 'certificateProblems':
      return certificateProblems(ctx).map((p) => say(CERTIFICATE_PROBLEM_LIST.item, { message: p.message, code: p.code })).join(CERTIFICATE_PROBLEM_LIST.separator);
    case 'certificateThumbprint':
      return String(ctx.certificate?.thumbprint);
    case 'certificateNotAfter':
      return String(ctx.certificate?.notAfter);
    case 'certificateDaysLeft':
      return ctx.certificate ? String(daysLeft(ctx.certificate, ctx.now)) : 'null';
    default:
      return String(valueOf(s, name));
  }
}

/** Every rule, in the order `doctor` reports them: the client-certificate rules, then the server certificate rules. */
export const rules: readonly Rule[] = ruleData.map(
  (r): Rule => ({
    id: r.id,
    severity: r.severity,
    description: r.description,
    check: (s, ctx) => {
      const c = r.cases.find((x) => x.when.every((w) => holds(w, s, ctx)));
      return c ? c.message.replace(/\{(\w+)\}/g, (_, name: string) => placeholder(name, s, ctx)) : null;
    },
  }),
);

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
