#!/usr/bin/env node
/**
 * The `iis-ftps` command as installed (package.json `bin`). It runs the CLI from one CommonJS
 * bundle beside it, `bundle.cjs`, compiled with the V8 code cache the build made for it,
 * `bundle.cjs.cache` (both from scripts/bundle-cli.mjs). A process that starts for one small
 * command then reads two files, and neither resolves a module graph nor parses and compiles
 * the code the command runs: that was most of its start-up.
 *
 * The cache is V8's own format, from the same source: V8 accepts it only for the V8 version and
 * flags that made it, and otherwise compiles the bundle as usual (`cachedDataRejected`). A
 * missing cache, or one this Node does not accept, costs start-up time and nothing else. This
 * file writes nothing: the cache is made once, at build time.
 */
import { readFileSync } from 'node:fs';
import Module = require('node:module');
import { dirname, join } from 'node:path';
import { Script, constants } from 'node:vm';

/** What bundle.cjs exports: src/cli/run.ts's `run` and `processIo`, src/cli/heap.ts's `keepYoungGenerationSmall`. */
export interface CliBundle {
  run(argv: readonly string[], io: unknown): Promise<number>;
  processIo(): unknown;
  keepYoungGenerationSmall(argv: readonly string[]): void;
}

export const BUNDLE = join(__dirname, 'bundle.cjs');
export const CACHE = `${BUNDLE}.cache`;

function readCache(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Compiles and runs the bundle as a CommonJS module of its own file (its `require`, `__filename`
 * and `__dirname` are the bundle's), with `cache` when given. Returns its exports and the script,
 * whose `cachedDataRejected` tells whether the cache was used, and which the build asks for the cache.
 */
export function loadBundle(file: string = BUNDLE, cache: Buffer | undefined = readCache(CACHE)): { readonly bundle: CliBundle; readonly script: Script } {
  const script = new Script(Module.wrap(readFileSync(file, 'utf8')), {
    filename: file,
    ...(cache ? { cachedData: cache } : {}),
    // `import()` in the bundle (of a package `require` cannot load) goes to Node's own loader.
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const module = { exports: {} as CliBundle };
  const init = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  init.call(module.exports, module.exports, Module.createRequire(file), module, file, dirname(file));
  return { bundle: module.exports, script };
}

if (require.main === module) {
  const { bundle } = loadBundle();
  // After the compile: V8 takes the code cache only with the flags that made it (src/cli/heap.ts).
  bundle.keepYoungGenerationSmall(process.argv.slice(2));
  void bundle.run(process.argv.slice(2), bundle.processIo()).then((code) => {
    process.exitCode = code;
  });
}
