import type { FileBytes } from '../../src/backends/xml/file/read.js';
import { piecesOf } from '../../src/backends/xml/file/read.js';

/** A content as one buffer, each piece copied as it comes (a piece is valid only until the next); null stays null. */
export function contentBytes(content: FileBytes | null): Buffer | null {
  if (content === null) return null;
  const copies: Buffer[] = [];
  for (const piece of piecesOf(content)) copies.push(Buffer.from(piece));
  return Buffer.concat(copies);
}

/** The bytes a file holds for a text, built apart from the code under test: UTF-8, after a BOM when the file has one. */
export function fileBytes(file: { readonly bom: boolean }, text: string): Buffer {
  const body = Buffer.from(text, 'utf8');
  return file.bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
}
