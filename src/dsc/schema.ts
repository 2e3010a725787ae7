import { z } from 'zod';
import { type SettingDef, type SettingName, settings } from '../schema/index.js';

/**
 * The instance of the DSC resource `IisFtps/Setting`: a target (`site`, `siteId` or
 * `siteDefaults: true`), an optional `configPath`, and any of the settings by their schema names.
 * A value sets the setting at that level; `null` makes it inherit; a setting left out is not managed.
 *
 * This zod schema is built from src/schema and is the one truth for both sides of the contract:
 * the CLI parses every instance with it, and the manifest's embedded JSON Schema is
 * `z.toJSONSchema` of it (scripts/build-dsc-manifest.ts). Values are the canonical forms the
 * codecs write: enum names, flag names as a list, time spans as text, booleans, text.
 */

/** Metadata of the schemas below (titles, descriptions, and the ids that name settings' definitions in `$defs`). */
const registry = z.registry<z.GlobalMeta>();
const meta = <T extends z.ZodType>(schema: T, m: z.GlobalMeta): T => {
  registry.add(schema as z.ZodType, m);
  return schema;
};

/** The JSON Schema of one setting's canonical value, from its codec and names. */
function canonicalValue(def: SettingDef): z.ZodType {
  const codec = def.def.codec;
  const names = (def.def.names ?? []) as [string, ...string[]];
  const value: z.ZodType =
    codec.type === 'enum' ? z.enum(names)
    : codec.type === 'flags' ? z.array(z.enum(names))
    : codec.type === 'bool' ? z.boolean()
    : codec.pattern !== undefined ? z.string().regex(new RegExp(codec.pattern))
    : z.string().min(1);
  const where = `${def.element}/@${def.attribute}`;
  const dflt = def.def.default === null ? 'IIS has no default' : `IIS's default: ${JSON.stringify(def.def.default)}`;
  return meta(value.nullable(), { id: def.name, title: where, description: `${def.def.description} null: not set at this level, so it inherits (${dflt}).` }).optional();
}

const settingShape = Object.fromEntries(settings.map((s) => [s.name, canonicalValue(s)])) as Record<SettingName, z.ZodType>;

const common = {
  configPath: meta(z.string().min(1), { description: 'An applicationHost.config file to read and change instead of the live IIS configuration.' }).optional(),
  ...settingShape,
  _inDesiredState: meta(z.boolean(), { readOnly: true, description: 'In the output of test: whether every managed setting is as desired.' }).optional(),
};

const site = meta(z.string().min(1), { description: 'The FTP site by name (compared case-insensitively, as IIS does).' });
const siteId = meta(z.int().min(0), { description: 'The FTP site by its id.' });
const siteDefaults = meta(z.literal(true), { description: 'The siteDefaults element, which every site inherits where it sets nothing itself.' });

/** The keys that name a target; an instance has exactly one. */
export const TARGET_KEYS = ['site', 'siteId', 'siteDefaults'] as const;

/**
 * One instance: exactly one target, then configPath and settings. The one-target rule is a check
 * (zod has no keyword for it) and, for JSON Schema, a `oneOf` of `required` made from the same
 * list of keys, so that both say the same.
 */
export const instanceSchema = meta(
  z.strictObject({ site: site.optional(), siteId: siteId.optional(), siteDefaults: siteDefaults.optional(), ...common }).check((ctx) => {
    const given = TARGET_KEYS.filter((k) => ctx.value[k] !== undefined);
    if (given.length !== 1) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        path: given.length ? [given[1]!] : [],
        message: `name exactly one target: site, siteId or siteDefaults${given.length ? ` (got ${given.join(' and ')})` : ''}`,
      });
    }
  }),
  {
    title: 'IisFtps/Setting',
    description:
      'The TLS client-certificate settings of one IIS FTP site, or of siteDefaults: sslClientCertificates, ssl and authentication/clientCertAuthentication. Name one target: site, siteId or siteDefaults; a setting left out is not managed, null makes it inherit.',
    oneOf: TARGET_KEYS.map((k) => ({ required: [k] })),
  },
);

export type Instance = z.infer<typeof instanceSchema>;

/** The input of export: where to list from (the live IIS when empty). */
export const exportInputSchema = z.strictObject({ configPath: common.configPath });

/** The embedded instance schema of the manifest (JSON Schema 2020-12), generated from `instanceSchema`. */
export function instanceJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(instanceSchema, { target: 'draft-2020-12', metadata: registry, reused: 'inline' }) as Record<string, unknown>;
}
