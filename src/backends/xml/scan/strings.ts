/**
 * A copy of a string that holds nothing else alive. The parser's strings may be slices of the
 * piece of text it was given; kept as they are, each would keep its whole piece in memory.
 */
export function own(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}
