/**
 * Loaded with `node --import` into every process the bench times (the CLI, the floor, a bare
 * Node): at exit, writes the process's peak RSS (VmHWM on Linux, maxRSS elsewhere) to stderr as
 * one line `IIS_FTPS_BENCH_RSS <bytes> <cpu µs>`, so peak memory is measured from outside, like
 * time, with the CPU time (user + system) the whole process used, start-up included.
 */
import { readFileSync, writeSync } from 'node:fs';

process.on('exit', () => {
  let bytes = process.resourceUsage().maxRSS * 1024;
  try {
    const m = /^VmHWM:\s*(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) bytes = Number(m[1]) * 1024;
  } catch {
    // Not Linux.
  }
  const cpu = process.cpuUsage();
  writeSync(2, `\nIIS_FTPS_BENCH_RSS ${bytes} ${cpu.user + cpu.system}\n`);
});
