/**
 * A process for the mutual-exclusion test: takes the lock on FILE `rounds` times and, holding
 * it, appends `in ID` and `out ID` to LOG (O_APPEND) with some work between, so overlapping
 * holders would show as interleaved lines.
 *
 *   node --import tsx lock-holder.ts FILE LOG ID ROUNDS
 */
import { appendFileSync } from 'node:fs';
import { acquireLock } from '../../../src/backends/xml/file/lock.js';

const [file, log, id, rounds] = process.argv.slice(2) as [string, string, string, string];
for (let i = 0; i < Number(rounds); i++) {
  const lock = await acquireLock(file, { timeoutMs: 60_000 });
  appendFileSync(log, `in ${id}\n`);
  let x = 0;
  for (let k = 0; k < 20_000; k++) x += Math.sqrt(k);
  appendFileSync(log, `out ${id} ${x > 0 ? '' : '!'}\n`);
  lock.release();
}
