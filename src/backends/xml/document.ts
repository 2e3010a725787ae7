import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { IisFtpsError } from '../../errors/errors.js';
import { changedWhileRead, readConfigFile, readConfigFileInChunks } from './file/read.js';
import type { FileSource } from './file/source.js';
import type { SpanIndex } from './scan/spans.js';
import { type PathTrie, SITES_AS_ROOT, type ScanOptions, ScanRefused, createScanner, scan } from './scan/scan.js';

/** The file that holds `<sites>`: applicationHost.config, or the file its `configSource` names. */
export interface SitesDocument {
  /** applicationHost.config as scanned. */
  readonly main: FileSource;
  /** The file edits go to (the same as `main` unless the section is moved out). */
  readonly file: FileSource;
  readonly index: SpanIndex;
  /** The version token: the hash of every file read. */
  readonly version: string;
}

/** Resolves `configSource` inside the config file's folder; a path that leaves the folder is refused. */
export function resolveConfigSource(configPath: string, source: string): string {
  const dir = dirname(resolve(configPath));
  // IIS runs on Windows, where a backslash separates folders too.
  const portable = source.replace(/\\/g, '/');
  const target = resolve(dir, portable);
  const outside = (from: string, to: string): boolean => {
    const rel = relative(from, to);
    return rel === '' || rel.startsWith('..') || isAbsolute(rel);
  };
  // A symbolic link beside the file may lead elsewhere: what counts is where it ends.
  const real = (p: string): string => {
    try {
      return realpathSync(p);
    } catch {
      return p;
    }
  };
  if (isAbsolute(portable) || /^[A-Za-z]:/.test(portable) || outside(dir, target) || outside(real(dir), real(target))) {
    throw new IisFtpsError(
      'FILE_READ',
      `<sites configSource="${source}"> points outside the folder of ${configPath}; IIS only reads configSource files beside the configuration file`,
    );
  }
  return target;
}

/**
 * Scans a file read in chunks: the text is never held whole. A document the scan refuses is
 * read and scanned whole once more, for the error's line and column.
 */
export function scanFile(path: string, trie: PathTrie, options: ScanOptions = {}): { source: FileSource; index: SpanIndex } {
  const scanner = createScanner(trie, { ...options, file: path });
  try {
    const source = readConfigFileInChunks(path, (text) => scanner.write(text));
    return { source, index: scanner.close(source) };
  } catch (e) {
    if (!(e instanceof ScanRefused)) throw e;
    scan(readConfigFile(path).text, trie, { ...options, file: path });
    throw changedWhileRead(path);
  }
}

/** Reads and indexes the document that holds the sites section (nodes for the sites a filter names, or every site). */
export function loadSites(path: string, trie: PathTrie, options: Pick<ScanOptions, 'siteFilter'> = {}): SitesDocument {
  const { source: main, index } = scanFile(path, trie, options);
  if (!index.configSource) {
    if (index.sitesNode < 0) throw new IisFtpsError('SECTION_NOT_FOUND', `${path} has no <system.applicationHost><sites> section; is it applicationHost.config?`);
    return { main, file: main, index, version: main.file.hash };
  }
  const sourcePath = resolveConfigSource(path, index.configSource);
  const { source: file, index: sourceIndex } = scanFile(sourcePath, trie, { ...options, sitesPath: SITES_AS_ROOT });
  if (sourceIndex.sitesNode < 0) throw new IisFtpsError('SECTION_NOT_FOUND', `${sourcePath} (the configSource of <sites>) has no <sites> root element`);
  return { main, file, index: sourceIndex, version: `${main.file.hash}:${file.file.hash}` };
}
