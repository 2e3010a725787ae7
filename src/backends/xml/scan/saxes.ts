import { createRequire } from 'node:module';
import type * as Saxes from 'saxes';

/**
 * saxes, loaded with `require`: it is a CommonJS package, and Node's `import` of a CommonJS
 * module first scans the module's whole source for the names it exports, which cost about as
 * much CPU as starting Node itself (measured on the CLI's `get`). `require` skips that scan.
 */
export const { SaxesParser } = createRequire(import.meta.url)('saxes') as typeof Saxes;
export type { SaxesTagPlain } from 'saxes';
