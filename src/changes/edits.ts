/**
 * @deprecated Text edits moved to src/edits/edits.ts. This re-export keeps code written against
 * the old path compiling until every import names src/edits/ instead; it is then removed.
 */
export * from '../edits/edits.js';
