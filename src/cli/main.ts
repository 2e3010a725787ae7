#!/usr/bin/env node
// The CLI from its modules (`tsx src/cli/main.ts`, or tsc's dist/cli/main.js). As installed,
// `iis-ftps` is dist/cli/bin.cjs, which runs the same `run` from one bundle (scripts/bundle-cli.mjs).
import { keepYoungGenerationSmall } from './heap.js';
import { processIo, run } from './run.js';

keepYoungGenerationSmall(process.argv.slice(2));

process.exitCode = await run(process.argv.slice(2), processIo());
