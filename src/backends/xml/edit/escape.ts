import { IisFtpsError } from '../../../errors/errors.js';

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

/** Characters XML 1.0 cannot hold in any form: a file containing them no longer loads. */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;

/**
 * Escapes text for an attribute value delimited by `quote`; the other quote stays literal.
 * Refuses text an XML file cannot hold, so a change can never leave a file IIS cannot load.
 */
export function escapeAttribute(value: string, quote: '"' | "'"): string {
  const bad = NOT_XML.exec(value);
  if (bad) {
    const code = bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    throw new IisFtpsError('INVALID_VALUE', `${JSON.stringify(value)} contains the character U+${code}, which an XML file cannot hold; nothing was written`, { value });
  }
  const other = quote === '"' ? "'" : '"';
  return value.replace(/[&<>"'\t\n\r]/g, (c) => (c === other ? c : ESCAPES[c]!));
}
