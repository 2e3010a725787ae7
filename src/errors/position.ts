import type { SourcePosition } from './errors.js';

/**
 * Turns a character offset into a 1-based line and column with a one-line excerpt and a caret.
 * Lines end at LF; a CR before it is not shown.
 */
export function positionAt(text: string, offset: number, file?: string): SourcePosition {
  const at = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  let lineEnd = text.indexOf('\n', lineStart);
  if (lineEnd === -1) lineEnd = text.length;
  if (lineEnd > lineStart && text[lineEnd - 1] === '\r') lineEnd--;
  const column = at - lineStart + 1;
  const raw = text.slice(lineStart, lineEnd);
  // Keep long lines readable: show up to 60 characters either side of the column.
  const from = Math.max(0, column - 1 - 60);
  const shown = raw.slice(from, column - 1 + 60).replace(/\t/g, ' ');
  const caret = ' '.repeat(column - 1 - from) + '^';
  const excerpt = `${from > 0 ? '…' : ''}${shown}\n${from > 0 ? ' ' : ''}${caret}`;
  return file === undefined ? { offset: at, line, column, excerpt } : { file, offset: at, line, column, excerpt };
}

/** `file:line:column` for messages. */
export function formatPosition(p: SourcePosition): string {
  return `${p.file ?? '<input>'}:${p.line}:${p.column}`;
}
