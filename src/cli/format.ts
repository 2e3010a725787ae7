import type { ChangeReport } from '../api/commit.js';
import type { TestReport } from '../api/cmdlets.js';
import type { DriftReport, SettingDrift } from '../api/drift.js';
import type { EffectiveSettings, SettingsReport, SiteIdentity } from '../session/session.js';

/** A canonical value as people read it. */
export function show(value: unknown): string {
  if (value === null || value === undefined) return '(none)';
  if (Array.isArray(value)) return value.length ? value.join(', ') : '(none)';
  return String(value);
}

export function label(t: Pick<SiteIdentity, 'level' | 'name' | 'id'>): string {
  return t.level === 'siteDefaults' ? 'siteDefaults' : `site ${JSON.stringify(t.name)}${t.id === null ? '' : ` (id ${t.id})`}`;
}

/** `get --json`: one key per element, each attribute as `{ value, source }`. */
export function settingsJson(s: EffectiveSettings): Record<string, Record<string, { value: unknown; source: string; problem?: string }>> {
  return Object.fromEntries(
    Object.entries(s).map(([el, attrs]) => [
      el,
      Object.fromEntries(Object.entries(attrs).map(([a, e]) => [a, e.problem ? { value: e.value, source: e.source, problem: e.problem } : { value: e.value, source: e.source }])),
    ]),
  );
}

/**
 * `get --json` of one target: `target` ({ level, name, id, protocols }, as in a list of several),
 * then one key per element as `settingsJson`.
 */
export function settingsReportJson(report: SettingsReport): Record<string, unknown> {
  return { target: report.target, ...settingsJson(report.settings) };
}

/** `get --json` of several sites: `{ "results": [{ "target": { level, name, id, protocols }, "settings": { ...as for one site } }] }`. */
export function settingsListJson(reports: readonly SettingsReport[]): { results: { target: SiteIdentity; settings: ReturnType<typeof settingsJson> }[] } {
  return { results: reports.map((r) => ({ target: r.target, settings: settingsJson(r.settings) })) };
}

export function formatSettings(report: SettingsReport): string {
  const lines = [label(report.target), ''];
  const rows = Object.entries(report.settings).flatMap(([el, attrs]) => Object.entries(attrs).map(([a, e]) => [el, a, show(e.value), e.source + (e.problem ? `  ! ${e.problem}` : '')] as const));
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  let current = '';
  for (const [el, a, v, src] of rows) {
    if (el !== current) {
      lines.push(`${el}`);
      current = el;
    }
    lines.push(`  ${a.padEnd(w[1]!)}  ${v.padEnd(w[2]!)}  ${src}`);
  }
  return `${lines.join('\n')}\n`;
}

export function formatChanges(report: ChangeReport, file?: string): string {
  let out = '';
  writeChanges(report, file, (text) => (out += text));
  return out;
}

/** Text written to the output at a time by `writeChanges`. */
const OUTPUT_CHUNK = 1 << 16;

/** A long text handed to `write` a piece at a time, never cutting a surrogate pair in two. */
function writeInPieces(text: string, write: (text: string) => void): void {
  for (let i = 0; i < text.length; ) {
    let end = Math.min(text.length, i + OUTPUT_CHUNK);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    write(text.slice(i, end));
    i = end;
  }
}

/**
 * `formatChanges`, handed to `write` a piece at a time: a bulk change of tens of thousands of
 * settings is never held as one text (nor as one line each) before it is written.
 */
export function writeChanges(report: ChangeReport, file: string | undefined, write: (text: string) => void): void {
  if (report.changes.length === 0) {
    write('Nothing to change: every value is already so. Nothing was written.\n');
    return;
  }
  // The pieces of the lines not yet written, joined once per piece of output: no string is built
  // per line (nor per change), and a site's label and each setting's name are made once.
  const parts: string[] = [];
  let pending = 0;
  let target: ChangeReport['changes'][number]['target'] | null = null;
  let name = '';
  const keys = new Map<string, string>();
  for (const c of report.changes) {
    if (c.target !== target) {
      target = c.target;
      name = label(target);
    }
    let key = keys.get(c.setting);
    if (key === undefined) keys.set(c.setting, (key = `: ${c.element}.${c.attribute}: `));
    const before = c.old === null ? '(not set)' : show(c.old);
    const after = c.new === null ? `(inherits ${show(c.effective.value)} from ${c.effective.source})` : show(c.new);
    parts.push(name, key, before, ' -> ', after, '\n');
    pending += name.length + key.length + before.length + after.length + 5;
    if (pending >= OUTPUT_CHUNK) {
      write(parts.join(''));
      parts.length = 0;
      pending = 0;
    }
  }
  write(`${parts.join('')}\n`);
  // The diff (it ends with a line end) is written as it is, a blank line after it: for a bulk change it is long.
  if (report.whatIf && report.diff) {
    writeInPieces(report.diff, write);
    write('\n');
  }
  const done = report.whatIf
    ? `What if: ${report.changes.length} change(s); nothing was written.`
    : report.written
      ? `Wrote ${report.changes.length} change(s)${file ? ` to ${file}` : ''} in one commit.`
      : 'Nothing was written.';
  write(`${done}\n`);
}

export function formatTest(report: TestReport): string {
  const lines: string[] = [];
  for (const r of report.results) {
    lines.push(`${label(r.target)}: ${r.findings.length ? '' : 'ok'}`.trimEnd());
    for (const f of r.findings) lines.push(`  ${f.severity === 'error' ? 'ERROR  ' : 'warning'} ${f.rule}: ${f.message}`);
  }
  const errors = report.results.reduce((n, r) => n + r.findings.filter((f) => f.severity === 'error').length, 0);
  const warnings = report.results.reduce((n, r) => n + r.findings.filter((f) => f.severity === 'warning').length, 0);
  lines.push('', `${errors} error(s), ${warnings} warning(s).`);
  return `${lines.join('\n')}\n`;
}

/** One drifted setting as people read it: "site "X" (id 2): clientCertificatePolicy is CertAllow, should be CertRequire". */
export function driftLine(d: Omit<SettingDrift, 'target' | 'setting'> & { readonly setting: string; readonly target: Pick<SiteIdentity, 'level' | 'name' | 'id'> }): string {
  const is = d.problem !== undefined ? `an invalid stored value (${d.problem})` : d.actual === null ? '(not set)' : show(d.actual);
  return `${label(d.target)}: ${d.setting} is ${is}, should be ${d.desired === null ? '(inherit)' : show(d.desired)}`;
}

export function formatDrift(report: DriftReport): string {
  const lines = report.differences.map(driftLine);
  if (lines.length) lines.push('');
  lines.push(report.inDesiredState ? `In the desired state: all ${report.checked} setting(s) it names are so.` : `Not in the desired state: ${report.differences.length} of ${report.checked} setting(s) differ ('iis-ftps apply' with the same file changes them).`);
  return `${lines.join('\n')}\n`;
}
