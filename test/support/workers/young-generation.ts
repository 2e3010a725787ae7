/**
 * A process that keeps what it allocates, as a bulk change does, and reports the size of V8's
 * young generation at its start, after the CLI's setting, and after the work
 * (test/unit/cli-heap.test.ts):
 *
 *   node --import tsx young-generation.ts large|small|default|other-v8
 *
 * `large` and `small` call the CLI's `keepYoungGenerationSmall` first for a `set` command line
 * naming a configuration file of 8 MB or of 1 KB (the sizes are given, no file is read),
 * `other-v8` the same as `large` on a V8 outside the range it knows, `default` nothing. Prints
 * one line of JSON: `{ started, before, after, kept }` (bytes, bytes, bytes, objects kept).
 */
import { keepYoungGenerationSmall, youngGenerationBytes } from '../../../src/cli/heap.js';

const argv = ['set', '--config', 'applicationHost.config', '--all-ftp-sites'];
const started = youngGenerationBytes();
const mode = process.argv[2];
if (mode === 'large') keepYoungGenerationSmall(argv, process.versions.v8, () => 8 << 20);
if (mode === 'small') keepYoungGenerationSmall(argv, process.versions.v8, () => 1024);
if (mode === 'other-v8') keepYoungGenerationSmall(argv, '14.1.146.11-node.14', () => 8 << 20);
const before = youngGenerationBytes();
// About 30 MB of small objects that all live on: more than the young generation's largest size.
const kept: { readonly i: number; readonly name: string }[] = [];
for (let i = 0; i < 400_000; i++) kept.push({ i, name: `site-${i}` });
process.stdout.write(`${JSON.stringify({ started, before, after: youngGenerationBytes(), kept: kept.length })}\n`);
