import type { TextEdit } from '../contract/index.js';

export type Edit = TextEdit;

/** Orders edits by position; at one position an insertion comes before a replacement. */
export function sortEdits(edits: readonly Edit[]): Edit[] {
  const byPlace = (a: Edit, b: Edit): number => a.start - b.start || a.end - b.end;
  // A plan makes its edits site by site in file order: most come sorted, and are only checked.
  let sorted = true;
  for (let i = 1; i < edits.length && sorted; i++) sorted = byPlace(edits[i - 1]!, edits[i]!) <= 0;
  return sorted ? edits.slice() : [...edits].sort(byPlace);
}

/** Applies non-overlapping edits to the original text in one pass. */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  const sorted = sortEdits(edits);
  const parts: string[] = [];
  let cursor = 0;
  for (const e of sorted) {
    if (e.start < cursor) throw new Error(`internal: overlapping edits at ${e.start}`);
    parts.push(text.slice(cursor, e.start), e.text);
    cursor = e.end;
  }
  parts.push(text.slice(cursor));
  return parts.join('');
}
