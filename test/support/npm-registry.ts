/**
 * A test double of the npm registry: serves a fixed set of package tarballs on loopback, with the
 * packuments npm asks for (GET /<name>, scoped names as @scope%2fname) built from each tarball's
 * own package.json, and the tarballs themselves (GET /<name>/-/<file>.tgz). npm installs from it
 * exactly as from registry.npmjs.org, with no other network. A request for anything it does not
 * hold is answered 404 and recorded in `missing`.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface TarEntry {
  readonly path: string;
  readonly data: Buffer;
}

/** The files of a .tgz (ustar, as npm packs): path and content of each regular file. */
export function readTarball(file: string): TarEntry[] {
  const tar = gunzipSync(readFileSync(file));
  const entries: TarEntry[] = [];
  let longName: string | undefined;
  for (let at = 0; at + 512 <= tar.length; ) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const text = (from: number, len: number): string => header.subarray(from, from + len).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(text(124, 12).trim() || '0', 8);
    const type = text(156, 1) || '0';
    const prefix = text(345, 155);
    const data = tar.subarray(at + 512, at + 512 + size);
    const name = longName ?? (prefix ? `${prefix}/${text(0, 100)}` : text(0, 100));
    longName = undefined;
    if (type === 'L') longName = data.toString('utf8').replace(/\0.*$/s, '');
    else if (type === '0' || type === '\0') entries.push({ path: name, data: Buffer.from(data) });
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return entries;
}

/** The package.json at the top of a tarball (npm's tarballs hold one folder, usually package/). */
export function tarballManifest(file: string): Record<string, unknown> & { name: string; version: string } {
  const entry = readTarball(file).find((e) => /^[^/]+\/package\.json$/.test(e.path));
  if (!entry) throw new Error(`${file} holds no package.json at its top`);
  return JSON.parse(entry.data.toString('utf8')) as Record<string, unknown> & { name: string; version: string };
}

export interface TestRegistry {
  readonly url: string;
  /** Paths asked for that the registry does not hold. */
  readonly missing: string[];
  /** Packuments served, by package name. */
  readonly served: Set<string>;
  close(): Promise<void>;
}

const newer = (a: string, b: string): boolean => {
  const pa = a.split(/[.+-]/).map(Number);
  const pb = b.split(/[.+-]/).map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) > (pb[i] ?? 0);
  return false;
};

/** Starts a registry on 127.0.0.1 serving these tarballs. */
export async function startRegistry(tarballs: readonly string[]): Promise<TestRegistry> {
  const files = new Map<string, Buffer>();
  const packages = new Map<string, { manifest: Record<string, unknown>; file: string; data: Buffer }[]>();
  for (const file of tarballs) {
    const manifest = tarballManifest(file);
    const data = readFileSync(file);
    const list = packages.get(manifest.name) ?? [];
    list.push({ manifest, file: `${manifest.name.replace(/^@[^/]+\//, '')}-${manifest.version}.tgz`, data });
    packages.set(manifest.name, list);
  }
  const missing: string[] = [];
  const served = new Set<string>();
  let base = '';
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    const tgz = files.get(path);
    if (tgz) {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': tgz.length });
      res.end(tgz);
      return;
    }
    const list = packages.get(path.slice(1));
    if (!list) {
      missing.push(path);
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":"Not found"}');
      return;
    }
    served.add(path.slice(1));
    const versions: Record<string, unknown> = {};
    let latest = list[0]!.manifest['version'] as string;
    for (const { manifest, file, data } of list) {
      const version = manifest['version'] as string;
      if (newer(version, latest)) latest = version;
      versions[version] = {
        ...manifest,
        _id: `${manifest['name'] as string}@${version}`,
        dist: {
          tarball: `${base}/${manifest['name'] as string}/-/${file}`,
          integrity: `sha512-${createHash('sha512').update(data).digest('base64')}`,
          shasum: createHash('sha1').update(data).digest('hex'),
        },
      };
    }
    const body = JSON.stringify({ name: path.slice(1), 'dist-tags': { latest }, versions });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const [name, list] of packages) for (const { file, data } of list) files.set(`/${name}/-/${file}`, data);
  return {
    url: `${base}/`,
    missing,
    served,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

