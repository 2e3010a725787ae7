/**
 * The `iis-ftps` command as its own process, for tests that start many of them at once (as
 * parallel provisioning jobs do): bundled like the other workers, so that it starts fast.
 *
 *   node --import tsx cli.ts ARGS...
 */
import '../../../src/cli/main.js';
