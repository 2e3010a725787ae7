/**
 * Runs LEVEL_STEPS (test/support/differential.ts) through the API on several backends, each on its
 * own copy of the fixture, and checks after every step: the same bytes everywhere, the same values
 * and sources on read everywhere, and the values and sources the step expects.
 */
import { strict as assert } from 'node:assert';
import { copyFileSync, readFileSync } from 'node:fs';
import type { Backend } from '../../src/contract/index.js';
import { getFtpsSetting, resetFtpsSetting, setFtpsSetting } from '../../src/api/cmdlets.js';
import { settings as allSettings } from '../../src/schema/index.js';
import { LEVEL_NAMES, LEVEL_STEPS, type LevelStep } from './differential.js';
import { FIXTURE } from './fixture.js';

export interface NamedBackend {
  readonly name: string;
  readonly path: string;
  readonly backend: Backend;
}

/** Every level's settings as setting -> [value, source], as the API reads them. */
export async function readLevels(backend: Backend): Promise<Record<string, Record<string, [unknown, string]>>> {
  const out: Record<string, Record<string, [unknown, string]>> = {};
  for (const name of LEVEL_NAMES) {
    const report = await getFtpsSetting({ backend, ...(name === 'siteDefaults' ? { siteDefaults: true as const } : { site: name }) });
    const flat: Record<string, [unknown, string]> = {};
    for (const s of allSettings) {
      const v = report.settings[s.element as keyof typeof report.settings]![s.attribute]!;
      flat[s.name] = [v.value, v.source];
    }
    out[name] = flat;
  }
  return out;
}

/** Checks a read against what a step expects. */
export function expectLevels(read: Record<string, Record<string, [unknown, string]>>, step: LevelStep, who: string): void {
  for (const [level, expected] of Object.entries(step.expect)) {
    for (const [setting, want] of Object.entries(expected)) {
      assert.deepEqual(read[level]![setting], [...want], `${who}, after "${step.title}": ${level} ${setting}`);
    }
  }
}

/** Applies one step through the API on one backend; returns whether it wrote. */
export async function applyStep(backend: Backend, step: LevelStep): Promise<boolean> {
  const target = step.site === null ? { siteDefaults: true as const } : { site: step.site };
  if (step.op === 'set') return (await setFtpsSetting({ backend, ...target, settings: step.settings as Record<string, unknown> })).written;
  const names = step.settings as readonly string[];
  return (await resetFtpsSetting({ backend, ...target, ...(names.length ? { settings: names } : {}) })).written;
}

/** Runs every step on every backend from fresh copies of the fixture; the first backend is the reference. */
export async function runLevelSteps(backends: readonly NamedBackend[]): Promise<void> {
  for (const b of backends) copyFileSync(FIXTURE, b.path);
  const before = await readLevels(backends[0]!.backend);
  for (const b of backends.slice(1)) assert.deepEqual(await readLevels(b.backend), before, `${b.name} reads the fixture differently`);
  for (const step of LEVEL_STEPS) {
    for (const b of backends) assert.equal(await applyStep(b.backend, step), step.written, `${b.name}: "${step.title}" written`);
    const expected = readFileSync(backends[0]!.path);
    const reference = await readLevels(backends[0]!.backend);
    expectLevels(reference, step, backends[0]!.name);
    for (const b of backends.slice(1)) {
      const bytes = readFileSync(b.path);
      assert.equal(bytes.toString('utf8'), expected.toString('utf8'), `after "${step.title}": ${b.name} and ${backends[0]!.name} give different files`);
      assert.ok(bytes.equals(expected), `after "${step.title}": ${b.name} and ${backends[0]!.name} give different bytes`);
      const read = await readLevels(b.backend);
      expectLevels(read, step, b.name);
      assert.deepEqual(read, reference, `after "${step.title}": ${b.name} reads values or sources differently`);
    }
  }
}
