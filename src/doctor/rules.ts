import { say } from '../codecs/index.js';
import { type SettingName, findSetting } from '../schema/index.js';
import type { EffectiveSettings } from '../session/session.js';

export type Severity = 'error' | 'warning';

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
export interface Rule extends RuleData {
  /** A message when the rule is broken by these settings, else null. */
  check(s: EffectiveSettings): string | null;
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

export const rules: readonly Rule[] = ruleData.map((r) => ({ ...r, check: (s) => (r.when.every((c) => holds(c, s)) ? messageOf(r, s) : null) }));

export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
}

export function diagnose(s: EffectiveSettings): Finding[] {
  return rules.flatMap((r) => {
    const message = r.check(s);
    return message === null ? [] : [{ rule: r.id, severity: r.severity, message }];
  });
}
