import { setFlagsFromString } from 'node:v8';

/**
 * How the `iis-ftps` process sets V8's young generation: it stays at the size it starts with.
 *
 * V8 doubles its young generation (two semi-spaces of 1 MB each at start, up to 16 MB each on
 * 64-bit) whenever more than its size has survived scavenges since it last grew. A bulk change
 * keeps most of what it allocates until the process exits (its changes, their edits, the
 * report), so the young generation grows to its full 32 MB, most of it empty, in a peak of about
 * 140 MB. Kept at its start, the same change peaks about 28 MB lower, in the same time (Node 20,
 * `npm run bench`): what lives on is promoted to the old generation as before, only sooner, and
 * the scavenges, more of them, are each as much shorter.
 *
 * The flag is read by V8 each time the young generation grows, not when the heap is set up, so
 * setting it in a running process takes effect: V8's src/heap/new-spaces.cc,
 * `SemiSpaceNewSpace::Grow`, makes the new capacity `semi_space_growth_factor` times the current
 * one (at most the maximum), and a factor of 1 leaves it as it is. It is set only for the V8
 * versions of the Node releases the package supports (V8 11 to 13, Node 20 to 24); any other V8
 * is left as it is, since V8 reports a flag it does not know on stderr. A V8 that holds the
 * factor at 2 or more (later sources carry that implication) keeps its default growth.
 */
export const YOUNG_GENERATION_FLAGS: readonly string[] = ['--semi-space-growth-factor=1'];

/** The V8 majors whose sources read the flag as above. */
const CHECKED_V8 = { from: 11, to: 13 };

/** The flags for a V8 version (`process.versions.v8`): YOUNG_GENERATION_FLAGS, or none outside the checked range. */
export function youngGenerationFlags(v8Version: string): readonly string[] {
  const major = Number(/^(\d+)\./.exec(v8Version)?.[1]);
  return major >= CHECKED_V8.from && major <= CHECKED_V8.to ? YOUNG_GENERATION_FLAGS : [];
}

/**
 * Keeps this process's young generation at its starting size (see above). For the CLI's own
 * process only, never the library's: it changes the whole process. Called once the CLI's code
 * is compiled, since V8 accepts a code cache only with the flags that made it (bin.cts).
 */
export function keepYoungGenerationSmall(v8Version: string = process.versions.v8): void {
  for (const flag of youngGenerationFlags(v8Version)) setFlagsFromString(flag);
}
