// Test double of node-gyp on a machine without a C++ tool chain: every build fails. npm runs it
// in place of its own node-gyp when npm_config_node_gyp names this file. Each run is noted in
// $IIS_FTPS_TEST_DOUBLE_LOG when set.
const { appendFileSync } = require('node:fs');

const args = process.argv.slice(2).join(' ');
if (process.env.IIS_FTPS_TEST_DOUBLE_LOG) appendFileSync(process.env.IIS_FTPS_TEST_DOUBLE_LOG, `node-gyp failed in ${process.cwd()}: ${args}\n`);
process.stderr.write(`node-gyp (test double): no C++ compiler here; asked for: ${args}\n`);
process.exit(1);
