const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#x9;',
  '\n': '&#xA;',
  '\r': '&#xD;',
};

/** Escapes text for an attribute value delimited by `quote`; the other quote stays literal. */
export function escapeAttribute(value: string, quote: '"' | "'"): string {
  const other = quote === '"' ? "'" : '"';
  return value.replace(/[&<>"'\t\n\r]/g, (c) => (c === other ? c : ESCAPES[c]!));
}
