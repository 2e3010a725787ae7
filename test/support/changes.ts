import type { Change } from '../../src/contract/index.js';
import { findSetting } from '../../src/schema/index.js';

/** Builds a contract-level change for a setting, encoding the value through the schema's codec. */
export function change(site: { name: string; id: number | null } | null, setting: string, value: unknown): Change {
  const def = findSetting(setting);
  if (!def) throw new Error(`test: no setting ${setting}`);
  const codec = def.def.codec;
  let encoded: string | null = null;
  let number: number | undefined;
  if (value !== null) {
    const r = codec.decode(value);
    if (!r.ok) throw new Error(`test: bad value ${String(value)}`);
    encoded = codec.encode(r.value);
    if (codec.toNumber) number = codec.toNumber(r.value);
  }
  return {
    level: site ? 'site' : 'siteDefaults',
    site,
    element: def.element,
    path: def.path,
    attribute: def.attribute,
    type: codec.type,
    value: encoded,
    ...(number === undefined ? {} : { number }),
  };
}

/** The reference scenario as settings: TLS required on both channels, client certificates required and used for logon. */
export const REFERENCE_SETTINGS = {
  serverCertHash: '57686f6120447564652c2049495320526f636b73',
  controlChannelPolicy: 'SslRequire',
  dataChannelPolicy: 'SslRequire',
  clientCertificatePolicy: 'CertRequire',
  useActiveDirectoryMapping: true,
  clientCertAuthentication: true,
} as const;
