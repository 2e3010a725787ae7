/**
 * A process that keeps what it allocates, as a bulk change does, and reports the size of V8's
 * young generation at its start, after the CLI's setting, and after the work
 * (test/unit/cli-heap.test.ts):
 *
 *   node --import tsx young-generation.ts kept|default|other-v8
 *
 * `kept` calls the CLI's `keepYoungGenerationSmall` for a `set` command line first, `other-v8`
 * the same as if on a V8 outside the range it knows, `default` nothing. Prints one line of JSON:
 * `{ started, before, after, kept }` (bytes, bytes, bytes, objects kept).
 */
import { keepYoungGenerationSmall, youngGenerationBytes } from '../../../src/cli/heap.js';

const started = youngGenerationBytes();
if (process.argv[2] === 'kept') keepYoungGenerationSmall(['set', '--all-ftp-sites']);
if (process.argv[2] === 'other-v8') keepYoungGenerationSmall(['set', '--all-ftp-sites'], '14.1.146.11-node.14');
const before = youngGenerationBytes();
// About 30 MB of small objects that all live on: more than the young generation's largest size.
const kept: { readonly i: number; readonly name: string }[] = [];
for (let i = 0; i < 400_000; i++) kept.push({ i, name: `site-${i}` });
process.stdout.write(`${JSON.stringify({ started, before, after: youngGenerationBytes(), kept: kept.length })}\n`);
