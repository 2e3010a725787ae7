import { z } from 'zod';
import type { AttributeDef } from './attribute.js';
import { type SettingName, type SettingValues, settings } from './index.js';

/**
 * The schema as zod schemas, for callers who compose them with their own (the desired state of
 * `apply`, a caller's config files). Kept apart from the schema itself so that loading the schema
 * does not load zod; each attribute's schema is built once, when first asked for, from its parse.
 */
const built = new WeakMap<AttributeDef<unknown>, z.ZodType<unknown, unknown>>();

/** The zod schema of one attribute: any accepted input -> the canonical value, refusals as issues with `params.allowed`. */
export function settingInput<T>(def: AttributeDef<T>): z.ZodType<T, unknown> {
  let schema = built.get(def as AttributeDef<unknown>);
  if (!schema) {
    schema = z.unknown().transform((value, ctx) => {
      const r = def.parse(value);
      if (r.ok) return r.value;
      ctx.issues.push({ code: 'custom', message: r.refusal.reason, input: value, params: { allowed: r.refusal.allowed } });
      return z.NEVER;
    });
    built.set(def as AttributeDef<unknown>, schema);
  }
  return schema as z.ZodType<T, unknown>;
}

/** zod schema for a partial set of settings, by flat name: the desired state of one site. */
export const settingValuesSchema = z
  .object(Object.fromEntries(settings.map((s) => [s.name, settingInput(s.def).optional()])) as Record<SettingName, z.ZodOptional<z.ZodType<unknown, unknown>>>)
  .strict() as unknown as z.ZodType<Partial<SettingValues>, unknown>;
