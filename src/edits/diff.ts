import type { TextEdit as Edit } from '../contract/index.js';
import { applyEdits, sortEdits } from './edits.js';

const lineStart = (text: string, at: number): number => text.lastIndexOf('\n', at - 1) + 1;
const lineEnd = (text: string, at: number): number => {
  const i = text.indexOf('\n', at);
  return i < 0 ? text.length : i + 1;
};

/**
 * Line numbers of offsets asked for in increasing order: each count goes on from the last one,
 * so numbering every hunk of a file reads the file once, not once per hunk.
 */
class LineCounter {
  readonly #text: string;
  #at = 0;
  #line = 1;
  constructor(text: string) {
    this.#text = text;
  }
  /** The 1-based line of `at`; `at` is never before the last offset asked for. */
  lineOf(at: number): number {
    const text = this.#text;
    for (let i = text.indexOf('\n', this.#at); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) this.#line++;
    this.#at = at;
    return this.#line;
  }
}
/** Text joined at a time while a diff is built. */
const CHUNK = 1 << 16;
const splitLines = (s: string): string[] => (s === '' ? [] : s.replace(/\r?\n$/, '').split(/\r?\n/));

/**
 * A unified diff of what edits do to a text, built from the edits themselves: only the lines
 * around each edit are split and compared, and the hunks' line numbers are counted in one pass
 * over the text. Line endings are not shown.
 */
export function unifiedDiff(file: string, before: string, edits: readonly Edit[], context = 2): string {
  if (edits.length === 0) return '';
  const sorted = sortEdits(edits);
  // Group edits whose context lines touch into hunks.
  const hunks: { from: number; to: number; edits: Edit[] }[] = [];
  for (const e of sorted) {
    let from = lineStart(before, e.start);
    let to = lineEnd(before, Math.max(e.start, e.end - 1));
    if (e.end > e.start && before[e.end - 1] === '\n') to = e.end;
    for (let i = 0; i < context && from > 0; i++) from = lineStart(before, from - 1);
    for (let i = 0; i < context && to < before.length; i++) to = lineEnd(before, to);
    const last = hunks[hunks.length - 1];
    if (last && from <= last.to) {
      last.to = Math.max(last.to, to);
      last.edits.push(e);
    } else hunks.push({ from, to, edits: [e] });
  }
  // The text is joined a piece at a time: a diff of a bulk change is as long as a large part of
  // the file, and a string per line of it would take several times its size.
  const chunks: string[] = [];
  let parts: string[] = [`--- ${file}\n+++ ${file} (after)\n`];
  let pending = 0;
  const put = (mark: string, ls: readonly string[], a: number, b: number): void => {
    for (let k = a; k < b; k++) {
      parts.push(mark, ls[k]!, '\n');
      pending += ls[k]!.length + 2;
    }
  };
  const lines = new LineCounter(before);
  let delta = 0;
  for (const h of hunks) {
    const oldLines = splitLines(before.slice(h.from, h.to));
    const newText = applyEdits(before.slice(h.from, h.to), h.edits.map((e) => ({ start: e.start - h.from, end: e.end - h.from, text: e.text })));
    const newLines = splitLines(newText);
    let p = 0;
    while (p < oldLines.length && p < newLines.length && oldLines[p] === newLines[p]) p++;
    let s = 0;
    while (s < oldLines.length - p && s < newLines.length - p && oldLines[oldLines.length - 1 - s] === newLines[newLines.length - 1 - s]) s++;
    const oLine = lines.lineOf(h.from);
    parts.push(`@@ -${oLine},${oldLines.length} +${oLine + delta},${newLines.length} @@\n`);
    put(' ', oldLines, 0, p);
    put('-', oldLines, p, oldLines.length - s);
    put('+', newLines, p, newLines.length - s);
    put(' ', oldLines, oldLines.length - s, oldLines.length);
    delta += newLines.length - oldLines.length;
    if (pending >= CHUNK) {
      chunks.push(parts.join(''));
      parts = [];
      pending = 0;
    }
  }
  chunks.push(parts.join(''));
  return chunks.join('');
}
