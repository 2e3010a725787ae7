/** The UTF-8 byte-order mark, kept aside when a file is read and written back before its text. */
export const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** True for the first code unit of a surrogate pair: a text is never cut after one. */
export const isHighSurrogate = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
