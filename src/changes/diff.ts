/**
 * @deprecated The unified diff moved to src/edits/diff.ts. This re-export keeps code written
 * against the old path compiling until every import names src/edits/ instead; it is then removed.
 */
export * from '../edits/diff.js';
