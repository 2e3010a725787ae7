import { createRequire } from 'node:module';
import type * as Saxes from 'saxes';

/**
 * saxes, the XML parser every read of a file goes through, loaded with `require` where it can be.
 * Node's `import` of a CommonJS package first runs a lexer over its whole source for the names
 * it exports, which costs a process that reads one small file about a third of its start-up.
 * A bundled program has no saxes to require beside it: there the `import` below is the one the
 * bundler followed and bundled, and it is used instead.
 */
function required(): typeof Saxes | undefined {
  try {
    return createRequire(import.meta.url)('saxes') as typeof Saxes;
  } catch {
    return undefined;
  }
}

export const { SaxesParser } = required() ?? (await import('saxes'));
export type { SaxesTagPlain } from 'saxes';
