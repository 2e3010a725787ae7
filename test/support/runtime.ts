/**
 * A suite's runtime (pwsh, edge-js, ...), prepared once per process. From a mocha `before` hook it
 * returns the runtime, or skips the suite with the reason; with CI=true a missing runtime fails
 * instead, so a machine that lacks it can never pass by skipping.
 */
export function suiteRuntime<T>(what: string, prepare: () => T): (ctx: Mocha.Context) => T {
  let ready: T | undefined;
  let problem: string | undefined;
  return (ctx) => {
    if (ready === undefined && problem === undefined) {
      try {
        ready = prepare();
      } catch (e) {
        problem = (e as Error).message;
      }
    }
    if (ready !== undefined) return ready;
    if (process.env['CI'] === 'true') throw new Error(`CI=true and ${what} cannot run: ${problem}`);
    console.log(`      skipped: ${problem}`);
    ctx.skip();
    throw new Error('unreachable');
  };
}
