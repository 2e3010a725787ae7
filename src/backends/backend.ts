/**
 * @deprecated The contract moved to src/contract/. This re-export keeps code written against the
 * old path compiling until every import names src/contract/ instead; it is then removed.
 */
export type * from '../contract/index.js';
