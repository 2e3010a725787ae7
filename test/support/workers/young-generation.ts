/**
 * A process that keeps what it allocates, as a bulk change does, and reports the size of V8's
 * young generation before and after (test/unit/cli-heap.test.ts):
 *
 *   node --import tsx young-generation.ts kept|default
 *
 * With `kept` it first calls the CLI's `keepYoungGenerationSmall`; with `default` it leaves V8 as it is.
 * Prints one line of JSON: `{ before, after, kept }` (bytes, bytes, objects kept).
 */
import { getHeapSpaceStatistics } from 'node:v8';
import { keepYoungGenerationSmall } from '../../../src/cli/heap.js';

const youngGeneration = (): number => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_size;

if (process.argv[2] === 'kept') keepYoungGenerationSmall();
const before = youngGeneration();
// About 30 MB of small objects that all live on: more than the young generation's largest size.
const kept: { readonly i: number; readonly name: string }[] = [];
for (let i = 0; i < 400_000; i++) kept.push({ i, name: `site-${i}` });
process.stdout.write(`${JSON.stringify({ before, after: youngGeneration(), kept: kept.length })}\n`);
