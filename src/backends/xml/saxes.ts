import { createRequire } from 'node:module';
import type * as Saxes from 'saxes';

/**
 * saxes, the XML parser every read of a file goes through, loaded with `require` where it can be.
 * Node's `import` of a CommonJS package first runs a lexer over its whole source for the names
 * it exports, which costs a process that reads one small file about a third of its start-up.
 * A bundled program has no saxes to require beside it: there `loadSaxes` imports the copy its
 * bundler followed. No top-level await, so that `require` of the package still works.
 */
let loaded: typeof Saxes | undefined;

function required(): typeof Saxes | undefined {
  try {
    return createRequire(import.meta.url)('saxes') as typeof Saxes;
  } catch {
    return undefined;
  }
}

/** Makes sure saxes is loaded: the offline backend awaits this before it reads or writes. */
export async function loadSaxes(): Promise<void> {
  loaded ??= required() ?? (await import('saxes'));
}

/** The saxes module: required on first use, or the one `loadSaxes` imported. */
export function saxes(): typeof Saxes {
  loaded ??= required();
  if (!loaded) throw new Error('internal: saxes could not be required; await loadSaxes() before parsing');
  return loaded;
}

export type { SaxesTagPlain } from 'saxes';
