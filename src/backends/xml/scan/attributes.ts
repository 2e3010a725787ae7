import type { XmlAttr } from './nodes.js';

const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';

/**
 * Finds the source spans of the attributes of a start tag that the XML parser has already
 * accepted as well-formed, so a plain scan is exact here. `decoded` holds the parser's values;
 * names and values go through `intern`, so that thousands of sites share their strings.
 */
export function lexAttributes(
  text: string,
  nameEnd: number,
  tagEnd: number,
  decoded: Readonly<Record<string, string>>,
  intern: (s: string) => string = (s) => s,
): XmlAttr[] {
  const attrs: XmlAttr[] = [];
  let i = nameEnd;
  for (;;) {
    while (i < tagEnd && isBlank(text[i])) i++;
    const c = text[i];
    if (i >= tagEnd || c === '>' || c === '/') return attrs;
    const start = i;
    while (i < tagEnd && text[i] !== '=' && !isBlank(text[i])) i++;
    const name = intern(text.slice(start, i));
    while (text[i] !== '=') i++;
    i++;
    while (isBlank(text[i])) i++;
    const quote = text[i] as '"' | "'";
    const valueStart = i + 1;
    const valueEnd = text.indexOf(quote, valueStart);
    attrs.push({ name, start, valueStart, valueEnd, quote, value: intern(decoded[name] ?? '') });
    i = valueEnd + 1;
  }
}
