import { z } from 'zod';
import { IisFtpsError } from '../errors/errors.js';
import { say } from '../codecs/index.js';
import { INVALID_VALUE_MESSAGES, type ValidatedSettings, validateChanges } from '../schema/validate.js';
import type { Target } from '../session/target.js';
import { type ConnectionOptions, withSession, writeMode } from './connection.js';
import { type ChangeReport, finish } from './commit.js';

/**
 * A desired state: settings that sites and siteDefaults must have. A value sets the setting at
 * that level; null makes it inherit (removes it there); a setting not named is left alone.
 *
 * ```json
 * { "siteDefaults": { "validationFlags": [] },
 *   "sites": { "Partner Exchange": { "clientCertificatePolicy": "CertRequire", "revocationFreshnessTime": null } } }
 * ```
 */
export const desiredStateSchema = z
  .object({
    $schema: z.string().optional(),
    siteDefaults: z.record(z.string(), z.unknown()).optional(),
    sites: z.record(z.string().min(1), z.record(z.string(), z.unknown())).optional(),
  })
  .strict();

export type DesiredState = z.input<typeof desiredStateSchema>;

/** A desired state as validated: per level, the values to set and the settings to reset, each in the order given. */
export interface ValidatedDesiredState {
  readonly entries: readonly { readonly target: Target; readonly sets: ValidatedSettings; readonly resets: ValidatedSettings }[];
}

/** Validates a desired state in full before any backend is touched. */
export function parseDesiredState(input: unknown): ValidatedDesiredState {
  const r = desiredStateSchema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const where = issue.path.length ? issue.path.map(String).join('.') : 'the document';
    throw new IisFtpsError('INVALID_DESIRED_STATE', say(INVALID_VALUE_MESSAGES.invalidDesiredState, { where, reason: issue.message }));
  }
  const entries: ValidatedDesiredState['entries'][number][] = [];
  const add = (where: string, target: Target, raw: Record<string, unknown>) => {
    const v = validateChanges(raw);
    if (!v.ok) throw new IisFtpsError(v.error.code, `${where}: ${v.error.message}`, v.error.details);
    entries.push({ target, sets: v.value.sets, resets: v.value.resets });
  };
  if (r.data.siteDefaults) add('siteDefaults', { siteDefaults: true }, r.data.siteDefaults);
  for (const [name, raw] of Object.entries(r.data.sites ?? {})) add(`sites[${JSON.stringify(name)}]`, { site: name }, raw);
  return { entries };
}

/**
 * Applies a desired state: changes only what differs, all in one commit, and writes nothing
 * when everything is already so (safe to run on every boot).
 */
export async function applyFtpsState(options: ConnectionOptions & { readonly desired: unknown; readonly whatIf?: boolean }): Promise<ChangeReport> {
  const desired = parseDesiredState(options.desired);
  return withSession(options, { targets: desired.entries.map((e) => e.target) }, async (session) => {
    // The session stages what parseDesiredState validated; it does not check it again.
    for (const { target, sets, resets } of desired.entries) {
      if (sets.size) session.stage(target, sets);
      if (resets.size) session.stage(target, resets);
    }
    return finish(session, options.whatIf ?? false);
  }, writeMode(options.whatIf));
}
