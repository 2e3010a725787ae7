/**
 * The contract every layer shares: what a backend is asked and answers (raw values, snapshots,
 * change sets, commit results, text edits), and how a backend is found and made. It imports
 * nothing of the product, so the schema, the codecs, the text edits and every backend can
 * depend on it without depending on each other.
 */
export type * from './backend.js';
export type * from './factory.js';
