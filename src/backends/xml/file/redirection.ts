import * as fs from 'node:fs';
import { basename, dirname, join, win32 } from 'node:path';
import { XmlSyntaxError, lex } from '../lexer/lexer.js';
import { IisFtpsError } from '../../../errors/errors.js';
import { positionAt } from '../../../errors/position.js';
import { decodeFile } from './read.js';

/**
 * Shared configuration: when `redirection.config` beside applicationHost.config says
 * `<configurationRedirection enabled="true" path="\\server\share" />`, IIS reads the
 * applicationHost.config in that folder, not the local one. Editing the local copy would change
 * nothing IIS uses, so the offline backend follows the redirection, or refuses with a clear
 * error when the folder cannot be reached from here. It never edits the local copy silently.
 */
export interface Redirection {
  /** The redirection.config that was read. */
  readonly from: string;
  /** The folder it names. */
  readonly folder: string;
  /** The applicationHost.config in that folder. */
  readonly config: string;
}

/** The `configurationRedirection` element's attributes, or null when there is none. */
function readRedirection(path: string, bytes: Buffer): Record<string, string> | null {
  const { text } = decodeFile(path, bytes);
  let depth = 0;
  let found: Record<string, string> | null = null;
  try {
    lex(text, {
      openTag(tag) {
        depth++;
        if (depth === 2 && tag.name === 'configurationRedirection' && !found) {
          found = {};
          for (let i = 0; i < tag.count; i++) found[tag.attrName(i)] = tag.value(i);
        }
      },
      closeTag() {
        depth--;
      },
    });
  } catch (e) {
    if (!(e instanceof XmlSyntaxError)) throw e;
    const position = positionAt(text, e.offset, path);
    const message = e.dtd ? `${path} has a DTD (<!DOCTYPE ...>); it is refused, never expanded` : `${path} is not well-formed XML: ${e.message}`;
    throw new IisFtpsError(e.dtd ? 'XML_DTD' : 'XML_MALFORMED', `${message} (line ${position.line}, column ${position.column})`, { position });
  }
  return found;
}

/**
 * Where the live applicationHost.config is for `configPath`: itself, or the file in the folder
 * shared configuration redirects to. Only a file named applicationHost.config is redirected.
 */
export function resolveRedirection(configPath: string): Redirection | null {
  if (basename(configPath).toLowerCase() !== 'applicationhost.config') return null;
  const from = join(dirname(configPath), 'redirection.config');
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(from);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw new IisFtpsError('FILE_READ', `${from} cannot be read (${code ?? String(e)}); it says whether shared configuration redirects applicationHost.config elsewhere, so nothing was done`, {}, { cause: e });
  }
  const attrs = readRedirection(from, bytes);
  if (!attrs || (attrs['enabled'] ?? '').trim().toLowerCase() !== 'true') return null;
  const folder = attrs['path'] ?? '';
  if (folder.trim() === '') {
    throw new IisFtpsError('FILE_READ', `${from} enables shared configuration but names no path; fix it, or set enabled="false"`);
  }
  const windowsOnly = process.platform !== 'win32' && (folder.includes('\\') || /^[A-Za-z]:/.test(folder));
  const config = windowsOnly ? win32.join(folder, 'applicationHost.config') : join(folder, 'applicationHost.config');
  const reachable = !windowsOnly && fs.existsSync(config);
  if (!reachable) {
    throw new IisFtpsError(
      'FILE_READ',
      `${from} enables shared configuration: the applicationHost.config IIS uses is ${config}, which cannot be reached from here, so ${configPath} (the local copy IIS ignores) was not used. Pass --config with the shared file's path, or turn shared configuration off (enabled="false")`,
    );
  }
  return { from, folder, config };
}
