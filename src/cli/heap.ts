import { statSync } from 'node:fs';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/**
 * How the `iis-ftps` process sizes V8's young generation: for a large configuration file it
 * grows once, to 4 MB a semi-space (8 MB in all); for a small one it stays at its start (1 MB a
 * semi-space); in both cases it grows no further.
 *
 * V8 doubles its young generation (two semi-spaces of 1 MB each at start, up to 16 MB each on
 * 64-bit) whenever more than its size has survived scavenges since it last grew. A bulk change
 * keeps most of what it allocates until the process exits (its changes, their edits, the
 * report), so the young generation grew to its full 32 MB, most of it empty, in a peak of about
 * 145 MB for a 34 MB file. At 8 MB the same change peaks about 25 MB lower (Node 20,
 * `npm run bench`): what lives on is promoted to the old generation as before, only sooner.
 * Smaller still (1 MB, never grown) saves 5 MB more but takes about ten times as many
 * scavenges on a large file, some 70 ms more of a bulk change's pauses.
 *
 * V8 has no setting for the young generation's size once the process runs, but it reads
 * `--semi-space-growth-factor` each time the young generation grows (src/heap/new-spaces.cc,
 * `SemiSpaceNewSpace::Grow`: the new capacity is that factor times the current one, at most the
 * maximum). So, for a large file, the factor is set to 4 and the young generation made to grow
 * once by keeping about 1 MB across a scavenge (3 to 5 ms); then, for any file, the factor is
 * set to 1, which leaves it as it is. This is done only for the V8 versions of the Node
 * releases the package supports (V8 11 to 13, Node 20 to 24): any other V8 is left alone, since
 * V8 reports a flag it does not know on stderr. A V8 that holds the factor at 2 or more (later
 * sources carry that implication) keeps its default growth.
 */
const YOUNG_GENERATION_FLAGS = { grow: '--semi-space-growth-factor=4', keep: '--semi-space-growth-factor=1' } as const;

/** The V8 majors whose sources read the flag as above. */
const CHECKED_V8 = { from: 11, to: 13 };

/** True for a V8 version (`process.versions.v8`) in the checked range. */
export function youngGenerationSettable(v8Version: string): boolean {
  const major = Number(/^(\d+)\./.exec(v8Version)?.[1]);
  return major >= CHECKED_V8.from && major <= CHECKED_V8.to;
}

const newSpace = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');

/** Bytes V8 holds for its young generation (both semi-spaces, as committed). */
export function youngGenerationBytes(): number {
  return newSpace()?.space_size ?? 0;
}

/** What one semi-space holds when full (used and available): it grows when the young generation does. */
function semiSpaceCapacity(): number {
  const s = newSpace();
  return s ? s.space_used_size + s.space_available_size : 0;
}

/** At most this many 64 KB arrays are kept to make the young generation grow (4 MB, twice a semi-space that has grown once by two): a V8 that does not grow on them is left as it is. */
const MAX_ARRAYS = 64;

/**
 * A configuration file smaller than this is read and changed with the young generation as V8
 * starts it (1 MB a semi-space): too little of it lives on to make growing it worth the few
 * milliseconds, which a command on a small file would notice.
 */
export const LARGE_FILE_BYTES = 4 << 20;

/** The size of a file, or 0 when it cannot be read (the command itself then says why). */
function sizeOfFile(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** The `--config` a command line names (`--config PATH` or `--config=PATH`), if any. */
export function configOf(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--config') return argv[i + 1];
    if (a.startsWith('--config=')) return a.slice('--config='.length);
  }
  return undefined;
}

/**
 * Sizes this process's young generation as above, for a command line that does work (not one
 * that only asks for help or the version): grown once when it names a configuration file of at
 * least LARGE_FILE_BYTES, and in every case kept from growing further. For the CLI's own
 * process only, never the library's: it changes the whole process. Called once the CLI's code
 * is compiled, since V8 accepts a code cache only with the flags that made it (bin.cts).
 */
export function keepYoungGenerationSmall(argv: readonly string[], v8Version: string = process.versions.v8, sizeOf: (path: string) => number = sizeOfFile): void {
  if (!doesWork(argv) || !youngGenerationSettable(v8Version)) return;
  const config = configOf(argv);
  if (config !== undefined && sizeOf(config) >= LARGE_FILE_BYTES) {
    const started = semiSpaceCapacity();
    setFlagsFromString(YOUNG_GENERATION_FLAGS.grow);
    // Kept until the young generation has grown (at a scavenge they live across).
    const kept: number[][] = [];
    for (let i = 0; i < MAX_ARRAYS && semiSpaceCapacity() <= started; i++) kept.push(new Array<number>(8000).fill(0));
  }
  setFlagsFromString(YOUNG_GENERATION_FLAGS.keep);
}

/** False for a command line that only asks for help or the version. */
export function doesWork(argv: readonly string[]): boolean {
  return argv.length > 0 && argv[0] !== 'help' && !argv.some((a) => a === '--help' || a === '-h' || a === '--version');
}
