import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, readdirSync, renameSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { XmlBackend } from '../../src/backends/xml/index.js';
import { scanFile } from '../../src/backends/xml/document.js';
import { editedContent } from '../../src/backends/xml/edit/bytes.js';
import { planEdits } from '../../src/backends/xml/edit/plan.js';
import { OffsetMap } from '../../src/backends/xml/file/offsets.js';
import { FileSource, stampOf } from '../../src/backends/xml/file/source.js';
import { StringSource } from '../../src/backends/xml/file/text.js';
import { pathTrie, scan } from '../../src/backends/xml/scan/scan.js';
import { type NodeId, type SpanIndex, linePrefix } from '../../src/backends/xml/scan/spans.js';
import { applyEdits } from '../../src/edits/edits.js';
import { elementPaths } from '../../src/schema/index.js';
import { generateConfig } from '../../bench/generate.js';
import { contentBytes, fileBytes } from '../support/bytes.js';
import { change } from '../support/changes.js';
import { expectError } from '../support/expect.js';
import { FIXTURE, copyFixture, mtimeOf, readBytes, writeTemp } from '../support/fixture.js';

/**
 * The offline backend does not hold a file's text: the scan is fed the file in chunks, the
 * planner reads what it needs back from the file (`FileSource`), and a commit copies the file's
 * own bytes around the edits, checking the file's hash as it goes. These tests hold each piece
 * against the same work done on the text in memory.
 */
const trie = pathTrie(elementPaths.map((e) => e.path));

/** Gives a file a whole-second modification time, which can be given back exactly after the file is rewritten. */
const SECONDS = 1_700_000_000;
const pinTime = (path: string): void => utimesSync(path, SECONDS, SECONDS);
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Text with characters of every UTF-8 length: 2 bytes (é), 3 bytes (✓, 日), 4 bytes (𝄞, a surrogate pair). */
const mixedChar = fc.constantFrom('a', ' ', '\n', '\r\n', '<', 'é', 'Ö', '✓', '日', '𝄞', '😀');
const mixedText = fc.array(mixedChar, { maxLength: 400 }).map((cs) => cs.join(''));

/** The offsets of a text that fall between characters (never inside a surrogate pair). */
function boundaries(text: string): number[] {
  const out = [0];
  for (let i = 0; i < text.length; ) {
    const c = text.codePointAt(i)!;
    i += c > 0xffff ? 2 : 1;
    out.push(i);
  }
  return out;
}

/** A generated configuration of several 64 KB chunks, with non-ASCII site names and comments spread through it. */
function largeMixedConfig(): string {
  const g = generateConfig({ sites: 900, seed: 21 });
  let n = 0;
  return g.text
    .replace(/<site name="([^"]*)"/g, (m, name: string) => (n++ % 7 === 0 ? `<site name="${name}-Ö✓𝄞"` : m))
    .replace(/<bindings>/g, (m) => (n++ % 5 === 0 ? `<!-- 日本語 𝄞 -->${m}` : m));
}

/** Every tracked node's spans and values, to compare two scans of the same text. */
function spansOf(index: SpanIndex): unknown[] {
  const out: unknown[] = [];
  for (let n: NodeId = 0; n < index.nodeCount; n++) {
    const attrs: unknown[] = [];
    const first = index.firstAttr(n);
    for (let a = first; a < first + index.attrCountOf(n); a++) attrs.push([index.attrName(a), index.attrStart(a), index.valueStart(a), index.valueEnd(a), index.value(a), index.quote(a)]);
    out.push([index.name(n), index.start(n), index.startTagEnd(n), index.endTagStart(n), index.end(n), index.parentStart(n), index.firstChildStart(n), index.attrsEnd(n), attrs]);
  }
  return out;
}

describe('offline backend without the text in memory', () => {
  describe('offset map', () => {
    it('maps every character boundary to its UTF-8 byte offset and back, however the text is split', () => {
      fc.assert(
        fc.property(mixedText, fc.array(fc.nat(), { maxLength: 6 }), (text, cuts) => {
          const at = boundaries(text);
          const splits = [...new Set(cuts.map((c) => at[c % at.length]!))].sort((a, b) => a - b);
          const map = new OffsetMap();
          let from = 0;
          for (const s of [...splits, text.length]) {
            map.add(text.slice(from, s));
            from = s;
          }
          for (const c of at) {
            const b = Buffer.byteLength(text.slice(0, c));
            assert.equal(map.toByte(c), b, `toByte(${c})`);
            assert.equal(map.toChar(b), c, `toChar(${b})`);
          }
        }),
      );
    });

    it('has no entries for an ASCII text', () => {
      const map = new OffsetMap();
      map.add('<a b="c"/>\r\n');
      assert.equal(map.count, 0);
      assert.equal(map.toByte(7), 7);
    });
  });

  describe('file source', () => {
    it('reads back the same characters, slices and line starts as the text, across blocks, with a BOM and non-ASCII text', () => {
      const text = largeMixedConfig();
      assert.ok(Buffer.byteLength(text) > 4 * 65536, 'several blocks');
      const path = writeTemp(Buffer.concat([BOM, Buffer.from(text)]));
      const { source } = scanFile(path, trie);
      assert.equal(source.length, text.length);
      assert.equal(source.file.bom, true);
      const at = boundaries(text);
      fc.assert(
        fc.property(fc.nat(at.length - 1), fc.nat(300), (k, len) => {
          const start = at[k]!;
          const end = at[Math.min(at.length - 1, k + len)]!;
          assert.equal(source.slice(start, end), text.slice(start, end));
          assert.equal(source.charCodeAt(start), text.charCodeAt(start));
          assert.equal(source.charCodeAt(end - 1), text.charCodeAt(end - 1), 'a low surrogate too');
          assert.equal(source.lastIndexOf('\n', start), text.lastIndexOf('\n', start));
          assert.equal(source.lastIndexOf('<', start), text.lastIndexOf('<', start));
        }),
        { numRuns: 300 },
      );
      assert.ok(Number.isNaN(source.charCodeAt(text.length)));
      assert.equal(source.lastIndexOf('\n', -1), -1);
    });

    it('tells the same line prefix (line start, indentation, only blanks before) from the file as from the text', () => {
      // The reference, by its definition: the line's leading blanks, and whether nothing else stands before the offset.
      const expected = (text: string, offset: number) => {
        const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
        const indent = /^[ \t]*/.exec(text.slice(lineStart))![0].slice(0, offset - lineStart);
        return { lineStart, indent, startsLine: lineStart + indent.length === offset };
      };
      // Indentation longer than one peek at the line (256 characters), tabs, and text before the `<`.
      const extra = `${' '.repeat(300)}<deep />\r\n\t\t<tabbed />  x <after />\r\n</configuration>`;
      const text = `${largeMixedConfig().replace(/<\/configuration>\s*$/, extra)}\r\n${' '.repeat(600)}`;
      // With and without a byte-order mark: the file's bytes are walked, offsets are the text's.
      for (const bom of [false, true]) {
        const path = writeTemp(bom ? Buffer.concat([BOM, Buffer.from(text)]) : Buffer.from(text));
        const { source } = scanFile(path, trie);
        const at = boundaries(text);
        const cases = [0, text.indexOf('<deep'), text.indexOf('<tabbed'), text.indexOf('<after'), text.length - 300, text.length];
        for (const offset of cases) {
          assert.deepEqual(linePrefix(new StringSource(text), offset), expected(text, offset), `text, offset ${offset}`);
          assert.deepEqual(linePrefix(source, offset), expected(text, offset), `file, offset ${offset}`);
        }
        assert.equal(linePrefix(source, text.indexOf('<deep')).indent.length, 300);
        assert.equal(linePrefix(source, text.indexOf('<after')).startsLine, false);
        fc.assert(
          fc.property(fc.nat(at.length - 1), (k) => {
            assert.deepEqual(linePrefix(source, at[k]!), expected(text, at[k]!));
          }),
          { numRuns: 300 },
        );
      }
    });

    it('holdingOpen reads the same as without it, and closes the file when its work ends, also on an error', () => {
      const text = largeMixedConfig();
      const path = writeTemp(Buffer.from(text));
      const { source } = scanFile(path, trie);
      const openFds = (): number => readdirSync('/proc/self/fd').length;
      const linux = existsSync('/proc/self/fd');
      const before = linux ? openFds() : 0;
      const offsets = [0, 70_000, 140_000, text.length - 10];
      const inside = source.holdingOpen(() => {
        if (linux) assert.equal(openFds(), before + 1, 'one file held open');
        return offsets.map((o) => source.slice(o, o + 10));
      });
      assert.deepEqual(inside, offsets.map((o) => text.slice(o, o + 10)));
      assert.throws(() => source.holdingOpen(() => {
        throw new Error('work failed');
      }), /work failed/);
      if (linux) assert.equal(openFds(), before, 'closed after the work and after the error');
      assert.equal(source.holdingOpen(() => source.holdingOpen(() => source.slice(0, 5))), text.slice(0, 5), 'nested: held once');
    });

    it('a copy of the file fails with CONFLICT when its bytes are not the version scanned, even with the same size and time', () => {
      const path = copyFixture();
      pinTime(path);
      const { source } = scanFile(path, trie);
      const bytes = Buffer.concat([...source.bytes([[0, source.length]], source.file.bom)].map((p) => Buffer.from(p)));
      assert.ok(bytes.equals(readBytes(path)), 'an unchanged file copies to its own bytes');
      writeFileSync(path, readFileSync(path, 'utf8').replace('CertAllow', 'CertAlloW'));
      pinTime(path);
      assert.equal(source.looksUnchanged(), true, 'size and time cannot tell');
      assert.throws(() => [...source.bytes([[0, source.length]], source.file.bom)], { code: 'CONFLICT' });
      assert.throws(() => source.verify(), { code: 'CONFLICT' });
      writeFileSync(path, `${readFileSync(path, 'utf8')} `);
      assert.equal(source.looksUnchanged(), false);
    });
 
    it('a stamp proves a file unchanged only when its change time is well before the stamp', () => {
      const path = copyFixture();
      const st = statSync(path, { bigint: true });
      const changedMs = Number(st.ctimeNs / 1_000_000n);
      assert.equal(stampOf(st, changedMs + 5).racy, true, 'changed 5 ms before: a write in the same clock tick could leave the same times');
      assert.equal(stampOf(st, changedMs + 60_000).racy, false, 'changed a minute before');
      const coarse = { ...st, mtimeNs: 1_700_000_000_000_000_000n, ctimeNs: 1_700_000_000_000_000_000n } as typeof st;
      assert.equal(stampOf(coarse, 1_700_000_000_000 + 1_000).racy, true, 'whole-second times: a wider margin');
      assert.equal(stampOf(coarse, 1_700_000_000_000 + 10_000).racy, false);
    });

    it('verifyUnchanged: an old stamp proves the file unchanged without reading it; any write, even with the time pinned, is a CONFLICT', () => {
      const path = copyFixture();
      pinTime(path);
      const { source } = scanFile(path, trie);
      // As if scanned a minute after the file's last change: the stamp alone decides.
      const st = statSync(path, { bigint: true });
      const old = new FileSource({ ...source.file, stamp: stampOf(st, Number(st.ctimeNs / 1_000_000n) + 60_000) }, source.length, new OffsetMap());
      old.verifyUnchanged();
      writeFileSync(path, readFileSync(path, 'utf8').replace('CertAllow', 'CertAlloW'));
      pinTime(path);
      assert.equal(old.looksUnchanged(), true, 'size and modification time cannot tell');
      assert.throws(() => old.verifyUnchanged(), { code: 'CONFLICT' }, 'the change time moved on');
      // A racy stamp falls back to the hash: same stamp fields, different bytes, still a CONFLICT.
      const racy = new FileSource({ ...source.file, stamp: { ...stampOf(statSync(path, { bigint: true })), racy: true } }, source.length, new OffsetMap());
      assert.throws(() => racy.verifyUnchanged(), { code: 'CONFLICT' });
    });

    it('a copy: an old stamp that still holds stands in for the hash; a racy stamp, a write before the copy or a file put in place during it is a CONFLICT', () => {
      const path = writeTemp(generateConfig({ sites: 4000, seed: 5 }).text);
      const { source } = scanFile(path, trie);
      const st = statSync(path, { bigint: true });
      // Each piece is copied before the next is asked for (pieces share one buffer).
      const copy = (s: FileSource): Buffer => {
        const out: Buffer[] = [];
        for (const p of s.bytes([[0, s.length]], false)) out.push(Buffer.from(p));
        return Buffer.concat(out);
      };
      // The recorded hash is wrong on purpose: only the stamp can let these copies through.
      const wrongHash = { ...source.file, hash: '0'.repeat(64) };
      const old = new FileSource({ ...wrongHash, stamp: stampOf(st, Number(st.ctimeNs / 1_000_000n) + 60_000) }, source.length, new OffsetMap());
      assert.ok(copy(old).equals(readBytes(path)), 'the stamp proves the version: the bytes are copied without the hash');
      const racy = new FileSource({ ...wrongHash, stamp: { ...stampOf(st), racy: true } }, source.length, new OffsetMap());
      assert.throws(() => copy(racy), { code: 'CONFLICT' }, 'a racy stamp proves nothing: the hash decides');

      // Put in place during the copy (another writer's rename): the path's stamp at the end tells.
      const pieces = old.bytes([[0, old.length]], false)[Symbol.iterator]();
      assert.equal(pieces.next().done, false, 'a file of several pieces');
      const other = writeTemp(readFileSync(path), 'other.config');
      renameSync(other, path);
      assert.throws(() => {
        while (!pieces.next().done);
      }, { code: 'CONFLICT' });
      // Written before the copy, with size and time given back: the open file's stamp tells, and the hash then refuses.
      const again = scanFile(path, trie).source;
      const st2 = statSync(path, { bigint: true });
      const proven = new FileSource({ ...again.file, stamp: stampOf(st2, Number(st2.ctimeNs / 1_000_000n) + 60_000) }, again.length, new OffsetMap());
      const { atime, mtime } = statSync(path);
      writeFileSync(path, readFileSync(path, 'utf8').replace('CertAllow', 'CertAlloW'));
      utimesSync(path, atime, mtime);
      assert.throws(() => copy(proven), { code: 'CONFLICT' });
    });
  });

  describe('chunked scan', () => {
    it('finds the same spans, values and sites as a scan of the whole text', () => {
      const text = largeMixedConfig();
      const path = writeTemp(text);
      const whole = scan(text, trie);
      const { index } = scanFile(path, trie);
      assert.deepEqual(spansOf(index), spansOf(whole));
      assert.deepEqual(index.sites.entries(), whole.sites.entries());
      assert.deepEqual(
        index.sites.entries().map((_, s) => index.sites.protocols(s)),
        whole.sites.entries().map((_, s) => whole.sites.protocols(s)),
      );
      assert.ok(index.sites.entries().some((e) => e.name.endsWith('-Ö✓𝄞')));
      assert.equal(index.newline, '\r\n');
    });

    it('reads ASCII chunks and the non-ASCII ones after them alike, with or without a BOM, a character cut between two chunks', async () => {
      const g = generateConfig({ sites: 900, seed: 22 });
      // Every site after the first few chunks has a non-ASCII name; the first one to be so starts
      // where a three-byte character is cut by the end of a 64 KB chunk.
      const at = g.text.indexOf('<site name="', 5 * 65536);
      const base = g.text.slice(0, at);
      const rest = g.text.slice(at).replace(/<site name="([^"]*)"/g, '<site name="$1-✓Ö"');
      const k = Buffer.byteLength(rest.slice(0, rest.indexOf('✓')));
      // The first ✓ (three bytes) starts on the last byte of the sixth chunk.
      const pad = 6 * 65536 - 1 - Buffer.byteLength(base) - '<!---->'.length - k;
      assert.ok(pad > 0);
      const text = `${base}<!--${'x'.repeat(pad)}-->${rest}`;
      assert.equal(Buffer.byteLength(text.slice(0, text.indexOf('✓'))), 6 * 65536 - 1, 'the first ✓ straddles a chunk boundary');
      for (const bom of ['', '\uFEFF']) {
        const path = writeTemp(bom + text);
        const { source, index } = scanFile(path, trie);
        const whole = scan(text, trie);
        assert.deepEqual(spansOf(index), spansOf(whole));
        assert.deepEqual(index.sites.entries(), whole.sites.entries());
        assert.equal(source.length, text.length);
        assert.equal(source.slice(text.length - 200, text.length), text.slice(-200));
        const s = index.sites.entries().findIndex((e) => e.name.endsWith('-✓Ö'));
        assert.ok(s > 0, 'a site with a non-ASCII name after ASCII chunks');
        const start = index.start(index.sites.node(s));
        assert.equal(source.slice(start, start + 80), text.slice(start, start + 80));
      }
      // A character's first byte ends a chunk, a chunk of ASCII follows, then the character's last
      // two bytes: not UTF-8 (those two bytes are not read as the end of the first one).
      const bytes = Buffer.from(text);
      const broken = Buffer.concat([bytes.subarray(0, 6 * 65536 - 1), Buffer.from([0xe2]), Buffer.from('x'.repeat(65536)), bytes.subarray(6 * 65536)]);
      await expectError(() => scanFile(writeTemp(broken), trie), 'XML_ENCODING', new RegExp(`not valid UTF-8 at byte ${6 * 65536 - 1}\\b`));
    });

    it('tells LF files from CRLF ones, also when the first line break starts a chunk', () => {
      const lf = readFileSync(FIXTURE, 'utf8').replace(/\r\n/g, '\n');
      assert.equal(scanFile(writeTemp(lf), trie).index.newline, '\n');
      // The first line ends exactly at the first chunk's end: its CR is the chunk's last character.
      const decl = '<?xml version="1.0" encoding="UTF-8"?>';
      const head = `${decl}<!--${'x'.repeat(65535 - decl.length - 7)}-->`;
      assert.equal(Buffer.byteLength(head) + 1, 65536);
      const crlf = `${head}\r\n${readFileSync(FIXTURE, 'utf8').replace(/^<\?xml[^>]*>\r\n/, '')}`;
      assert.equal(scanFile(writeTemp(crlf), trie).index.newline, '\r\n');
    });

    it('reports a malformed document with the line and column a whole-text scan gives', async () => {
      const text = largeMixedConfig();
      const broken = text.replace('<ftpServer>', '<ftpServer><oops a="1" a="2"/>');
      const path = writeTemp(broken);
      const inMemory = (() => {
        try {
          scan(broken, trie, { file: path });
        } catch (e) {
          return e as Error;
        }
        return assert.fail('the whole-text scan must refuse it');
      })();
      await expectError(() => scanFile(path, trie), 'XML_MALFORMED', new RegExp(inMemory.message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    });
  });

  describe('edits written from the file', () => {
    it('give the same bytes as applying the edits to the text in memory, with a BOM and non-ASCII text', () => {
      const text = largeMixedConfig();
      const path = writeTemp(Buffer.concat([BOM, Buffer.from(text)]));
      const { source, index } = scanFile(path, trie);
      const sites = index.sites.entries();
      const changes = sites.flatMap((e, i) => [
        change(e, 'clientCertificatePolicy', i % 2 ? 'CertRequire' : null),
        change(e, 'serverCertStoreName', i % 3 ? `Zertifikate ü ${i}` : null),
      ]);
      const edits = planEdits(index, changes);
      assert.ok(edits.length > sites.length);
      // The same plan on the text in memory.
      assert.deepEqual(planEdits(scan(text, trie), changes), edits);
      const expected = fileBytes({ bom: true }, applyEdits(text, edits));
      assert.ok(contentBytes(editedContent({ bom: true, source }, edits))!.equals(expected));
      assert.ok(contentBytes(editedContent({ bom: true, source: new StringSource(text) }, edits))!.equals(expected));
    });

    it('a commit whose file changed after the plan (same size and time) is a CONFLICT: nothing written, no backup kept', async () => {
      const path = copyFixture();
      pinTime(path);
      const b = new XmlBackend({ path });
      const snap = await b.read({ elements: elementPaths, sites: [{ name: 'Partner Exchange' }] });
      const tampered = readFileSync(path, 'utf8').replace('CertAllow', 'CertAlloW');
      writeFileSync(path, tampered);
      pinTime(path);
      const before = mtimeOf(path);
      await expectError(b.commit({ version: snap.version, changes: [change({ name: 'Partner Exchange', id: 3 }, 'ssl128', true)] }), 'CONFLICT', /changed on disk/);
      assert.equal(readFileSync(path, 'utf8'), tampered);
      assert.equal(mtimeOf(path), before);
      const history = join(dirname(path), '.iis-ftps-history');
      const kept = (() => {
        try {
          return readdirSync(history);
        } catch {
          return [];
        }
      })();
      assert.deepEqual(kept.filter((n) => !n.startsWith('.')), [], 'no backup of a version that was never read');
      assert.deepEqual(readdirSync(dirname(path)).filter((n) => n.endsWith('.tmp')), []);
    });

    it('a commit with nothing to write still refuses a version that is no longer on disk', async () => {
      const path = copyFixture();
      pinTime(path);
      const b = new XmlBackend({ path, backup: false });
      const snap = await b.read({ elements: elementPaths, sites: [{ name: 'Partner Exchange' }] });
      writeFileSync(path, readFileSync(path, 'utf8').replace('CertAllow', 'CertAlloW'));
      pinTime(path);
      // Removing an attribute the site does not have: no edits.
      await expectError(b.commit({ version: snap.version, changes: [change({ name: 'Partner Exchange', id: 3 }, 'serverCertStoreName', null)] }), 'CONFLICT');
      // And on an unchanged file the same commit writes nothing and succeeds.
      const clean = copyFixture();
      const c = new XmlBackend({ path: clean, backup: false });
      const v = (await c.read({ elements: elementPaths, sites: [{ name: 'Partner Exchange' }] })).version;
      assert.deepEqual(await c.commit({ version: v, changes: [change({ name: 'Partner Exchange', id: 3 }, 'serverCertStoreName', null)] }), { written: false, version: v });
    });
  });
});
