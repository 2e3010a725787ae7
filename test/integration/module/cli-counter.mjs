// The iis-ftps CLI as the module tests run it: logs each run's arguments (one JSON line to
// $IIS_FTPS_TEST_CLI_LOG, when set) so a test can count the writes, then runs the CLI from src/
// (node is started with tsx's loader in NODE_OPTIONS).
import { appendFileSync } from 'node:fs';

if (process.env.IIS_FTPS_TEST_CLI_LOG) appendFileSync(process.env.IIS_FTPS_TEST_CLI_LOG, `${JSON.stringify(process.argv.slice(2))}\n`);
await import('../../../src/cli/main.ts');
