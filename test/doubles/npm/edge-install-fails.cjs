// Test double of a machine where edge-js cannot be installed (as on Windows without the .NET SDK,
// where its install script dies spawning `dotnet`): preloaded into every node process through
// NODE_OPTIONS=--require, it makes edge-js's install script (edge-js/tools/install.js) exit 1
// before it starts, noting that in $IIS_FTPS_TEST_DOUBLE_LOG when set. Every other process runs
// untouched.
const { appendFileSync } = require('node:fs');
const { sep } = require('node:path');

const script = process.argv[1] ?? '';
if (script.endsWith(['edge-js', 'tools', 'install.js'].join(sep))) {
  if (process.env.IIS_FTPS_TEST_DOUBLE_LOG) appendFileSync(process.env.IIS_FTPS_TEST_DOUBLE_LOG, `edge-js install failed: ${script}\n`);
  process.stderr.write('edge-js install (test double): cannot build here\n');
  process.exit(1);
}
