import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { XmlBackend } from '../../src/backends/xml/index.js';
import { DocumentCache } from '../../src/backends/xml/cache.js';
import { editedContent } from '../../src/backends/xml/edit/bytes.js';
import { planEdits } from '../../src/backends/xml/edit/plan.js';
import { decodeFile, piecesOf } from '../../src/backends/xml/file/read.js';
import { pathTrie, scan } from '../../src/backends/xml/scan/scan.js';
import type { NodeId, SpanIndex } from '../../src/backends/xml/scan/spans.js';
import { applyEdits } from '../../src/edits/edits.js';
import { elementPaths } from '../../src/schema/index.js';
import { generateConfig } from '../../bench/generate.js';
import { contentBytes, fileBytes } from '../support/bytes.js';
import { change } from '../support/changes.js';
import { expectError } from '../support/expect.js';
import { FIXTURE, copyFixture, mtimeOf, readBytes, writeTemp } from '../support/fixture.js';

const trie = pathTrie(elementPaths.map((e) => e.path));
/** What edits apply to, for a text scanned in memory. */
const fromText = (file: { readonly bom: boolean }, index: SpanIndex) => ({ bom: file.bom, source: index.source });
const PARTNER = { name: 'Partner Exchange', id: 3 };

describe('offline backend at scale', () => {
  describe('scan with a site filter', () => {
    it('builds nodes only for the sites named, lists every site, and finds the same spans as a full scan', () => {
      const text = readFileSync(FIXTURE, 'utf8');
      const full = scan(text, trie);
      const one = scan(text, trie, { siteFilter: { names: new Set(['PARTNER EXCHANGE']), ids: new Set([7]) } });
      const built = (index: SpanIndex) => index.sites.entries().filter((_, s) => index.sites.node(s) >= 0).map((e) => e.name);
      assert.deepEqual(built(one), ['Partner Exchange', 'O\'Brien & Sons "Archive"']);
      assert.deepEqual(built(full), full.sites.entries().map((e) => e.name));
      assert.deepEqual(one.sites.entries(), full.sites.entries());
      // The same spans and values below the site, and the same siteDefaults.
      const spans = (index: SpanIndex, node: NodeId): unknown[] => {
        const out: unknown[] = [];
        for (let n = node; n < index.nodeCount && index.start(n) < index.end(node); n++) {
          out.push([index.name(n), index.start(n), index.startTagEnd(n), index.endTagStart(n), index.end(n), index.attrValues(n)]);
        }
        return out;
      };
      const partner = (index: SpanIndex) => index.sites.node(index.sites.find({ name: 'partner exchange' }));
      assert.deepEqual(spans(one, partner(one)), spans(full, partner(full)));
      assert.ok(spans(full, partner(full)).length >= 5);
      assert.deepEqual(spans(one, one.siteDefaults), spans(full, full.siteDefaults));
      assert.equal(one.sites.find({ name: 'Public Drop' }), -1, 'a site the filter left out is listed, not found');
    });

    it('keeps spans exact past the first pages of its columns (tens of thousands of elements)', () => {
      const g = generateConfig({ sites: 6000, seed: 11 });
      const full = scan(g.text, trie);
      assert.ok(full.nodeCount > 1 << 14, `expected more than one page of nodes, got ${full.nodeCount}`);
      // The last sites, built alone (their nodes on the first page), against the same sites in the full scan.
      const last = full.sites.entries().slice(-3);
      const alone = scan(g.text, trie, { siteFilter: { names: new Set(last.map((e) => e.name.toUpperCase())), ids: new Set() } });
      const subtree = (index: SpanIndex, node: NodeId): unknown[] => {
        const out: unknown[] = [];
        for (let n = node; n < index.nodeCount && index.start(n) < index.end(node); n++) {
          out.push([index.name(n), index.start(n), index.endTagStart(n), index.end(n), index.attrsEnd(n), index.firstChildStart(n), index.attrValues(n)]);
        }
        return out;
      };
      for (const e of last) {
        const a = subtree(full, full.sites.node(full.sites.find(e)));
        assert.deepEqual(subtree(alone, alone.sites.node(alone.sites.find(e))), a);
        assert.ok(a.length >= 1);
      }
    });

    it('keeps attribute values as the parser decoded them, whatever their text', () => {
      const text = readFileSync(FIXTURE, 'utf8').replace('clientCertificatePolicy="CertAllow"', 'clientCertificatePolicy="Cert&#65;llow"');
      const index = scan(text, trie);
      const site = index.sites.node(index.sites.find({ id: 3 }));
      const certs = index.child(index.child(index.child(site, 'ftpServer'), 'security'), 'sslClientCertificates');
      const a = index.attr(certs, 'clientCertificatePolicy');
      assert.equal(index.value(a), 'CertAllow');
      assert.equal(text.slice(index.valueStart(a), index.valueEnd(a)), 'Cert&#65;llow');
      assert.equal(index.value(index.attr(certs, 'validationFlags')), 'CertChainCacheOnlyUrlRetrieval');
    });

    it('an unknown site still gets SITE_NOT_FOUND with the sites the file has', async () => {
      const b = new XmlBackend({ path: FIXTURE });
      await expectError(b.read({ elements: elementPaths, sites: [{ name: 'nope' }] }), 'SITE_NOT_FOUND', /Sites in the file: "Default Web Site" \(id 1\)/);
    });
  });

  describe('edits applied to bytes', () => {
    it('gives the same bytes as applying the edits to the text and encoding it, with a BOM and non-ASCII text', () => {
      const text = readFileSync(FIXTURE, 'utf8').replace('Public Drop', 'Öffentliche Ablage ✓').replace('<!--', '<!-- 日本語 𝄞');
      const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
      const file = decodeFile('x.config', bytes);
      const index = scan(file.text, trie);
      const site = { name: 'Öffentliche Ablage ✓', id: 2 };
      const edits = planEdits(index, [
        change(site, 'clientCertificatePolicy', 'CertRequire'),
        change(PARTNER, 'validationFlags', null),
        change(PARTNER, 'serverCertHash', 'ABCDEF0123456789ABCDEF0123456789ABCDEF01'),
        change(null, 'serverCertStoreName', 'Zertifikate ü'),
      ]);
      assert.ok(edits.length >= 4);
      const expected = fileBytes(file, applyEdits(file.text, edits));
      assert.ok(contentBytes(editedContent(fromText(file, index), edits))!.equals(expected));
    });

    it('gathers the pieces of a bulk change into a few large writes', () => {
      const g = generateConfig({ sites: 3000, seed: 5 });
      const file = decodeFile('x.config', Buffer.from(g.text));
      const index = scan(file.text, trie);
      const changes = index.sites.entries().map((e) => change(e, 'clientCertificatePolicy', 'CertRequire'));
      const edits = planEdits(index, changes);
      assert.ok(edits.length > 2000);
      const content = editedContent(fromText(file, index), edits)!;
      // A piece is valid until the next is asked for: each is copied as it comes.
      const pieces: Buffer[] = [];
      for (const piece of piecesOf(content)) pieces.push(Buffer.from(piece));
      assert.ok(pieces.length <= Math.ceil(file.size / (1 << 18)) + 2, `${pieces.length} pieces for ${edits.length} edits`);
      assert.ok(Buffer.concat(pieces).equals(fileBytes(file, applyEdits(file.text, edits))));
    });

    it('returns null when nothing changes', () => {
      const file = decodeFile('x.config', readFileSync(FIXTURE));
      const from = fromText(file, scan(file.text, trie));
      assert.equal(contentBytes(editedContent(from, [])), null);
      assert.equal(contentBytes(editedContent(from, [{ start: 10, end: 12, text: file.text.slice(10, 12) }])), null);
      // Edits that each change the text but together give it back.
      const [a, b] = [file.text.slice(100, 104), file.text.slice(104, 108)];
      assert.equal(contentBytes(editedContent(from, [{ start: 100, end: 104, text: a + b }, { start: 104, end: 108, text: '' }])), null);
      assert.notEqual(contentBytes(editedContent(from, [{ start: 100, end: 104, text: b + a }, { start: 104, end: 108, text: '' }])), null);
    });
  });

  describe('a commit reuses the read', () => {
    it('keeps the scanned document while the file is unchanged, and scans again when it changed', () => {
      const path = copyFixture();
      const cache = new DocumentCache();
      const read = cache.read(path, { elements: elementPaths, sites: [{ name: PARTNER.name }] });
      const changes = { version: read.version, changes: [change(PARTNER, 'ssl128', true)] };
      assert.equal(cache.forChanges(path, changes), read);
      // A change naming a site the read did not build: scanned again, fully.
      const other = cache.forChanges(path, { version: read.version, changes: [change({ name: 'Public Drop', id: 2 }, 'ssl128', true)] });
      assert.notEqual(other, read);
      assert.ok(other.index.sites.entries().every((_, s) => other.index.sites.node(s) >= 0));
    });

    it('a read of every site serves changes to any of them, and a site not in the file is still refused', async () => {
      const path = copyFixture();
      const cache = new DocumentCache();
      const read = cache.read(path, { elements: elementPaths, allSites: true });
      const many = { version: read.version, changes: [change(PARTNER, 'ssl128', true), change({ name: 'Public Drop', id: 2 }, 'ssl128', true)] };
      assert.equal(cache.forChanges(path, many), read);
      const b = new XmlBackend({ path, backup: false });
      const snap = await b.read({ elements: elementPaths, allSites: true });
      const before = readFileSync(path);
      await expectError(b.commit({ version: snap.version, changes: [change({ name: 'Nowhere', id: 99 }, 'ssl128', true)] }), 'SITE_NOT_FOUND');
      assert.deepEqual(readFileSync(path), before);
    });

    it('a same-size change on disk between read and commit is a CONFLICT, and nothing is written', async () => {
      const path = copyFixture();
      const b = new XmlBackend({ path, backup: false });
      const snap = await b.read({ elements: elementPaths, sites: [{ name: PARTNER.name }] });
      const tampered = readFileSync(path, 'utf8').replace('CertAllow', 'CertAlloW');
      writeFileSync(path, tampered);
      const before = mtimeOf(path);
      await expectError(b.commit({ version: snap.version, changes: [change(PARTNER, 'ssl128', true)] }), 'CONFLICT');
      assert.equal(readFileSync(path, 'utf8'), tampered);
      assert.equal(mtimeOf(path), before);
    });

    it('read then commit on the same backend writes exactly what a fresh backend writes', async () => {
      const a = copyFixture();
      const b = copyFixture();
      const changes = [change(PARTNER, 'clientCertificatePolicy', 'CertRequire'), change(PARTNER, 'revocationUrlRetrievalTimeout', null)];
      const kept = new XmlBackend({ path: a, backup: false });
      const snap = await kept.read({ elements: elementPaths, sites: [{ name: PARTNER.name }] });
      await kept.commit({ version: snap.version, changes });
      const fresh = new XmlBackend({ path: b, backup: false });
      const version = (await fresh.read({ elements: elementPaths, allSites: true })).version;
      await new XmlBackend({ path: b, backup: false }).commit({ version, changes });
      assert.ok(readBytes(a).equals(readBytes(b)));
    });
  });

  describe('one change set over thousands of sites', () => {
    it('plans the same bytes whether a site\'s changes come together or interleaved with other sites\'', () => {
      const g = generateConfig({ sites: 300, seed: 3 });
      const file = decodeFile('x.config', Buffer.from(g.text));
      const index = scan(file.text, trie);
      const sites = index.sites.entries();
      const grouped = sites.flatMap((e, i) => [
        change(e, 'clientCertificatePolicy', i % 2 ? 'CertRequire' : null),
        change(e, 'ssl128', true),
        change(e, 'clientCertAuthentication', i % 3 === 0 ? null : true),
      ]);
      // The same changes, every site's spread over the whole set.
      const interleaved = [0, 1, 2].flatMap((k) => grouped.filter((_, j) => j % 3 === k));
      const a = contentBytes(editedContent(fromText(file, index), planEdits(index, grouped)))!;
      assert.ok(contentBytes(editedContent(fromText(file, index), planEdits(index, interleaved)))!.equals(a));
      assert.ok(!a.equals(Buffer.from(g.text)));
    });

    it('reads every site without building its attributes until asked, and gives plain data as JSON', async () => {
      const path = copyFixture();
      const snap = await new XmlBackend({ path, backup: false }).read({ elements: elementPaths, allSites: true });
      const partner = snap.sites.find((s) => s.name === PARTNER.name)!;
      assert.equal(Object.keys(partner).length, 0, 'no per-site data is held on the object itself');
      assert.equal(partner.elements['sslClientCertificates']!['clientCertificatePolicy'], 'CertAllow');
      const plain = JSON.parse(JSON.stringify(partner));
      assert.deepEqual(Object.keys(plain), ['name', 'id', 'protocols', 'elements']);
      assert.deepEqual(plain.elements, partner.elements);
      assert.deepEqual(plain.protocols, ['ftp']);
    });

    it('answers one attribute of a site as its elements record has it, and undefined where it is not set', async () => {
      const snap = await new XmlBackend({ path: copyFixture(), backup: false }).read({ elements: elementPaths, allSites: true });
      let compared = 0;
      for (const site of snap.sites) {
        const elements = site.elements;
        for (const { element } of elementPaths) {
          for (const attribute of [...Object.keys(elements[element] ?? {}), 'nope']) {
            assert.equal(site.attribute!(element, attribute), elements[element]?.[attribute], `${site.name} ${element}@${attribute}`);
            if (elements[element]?.[attribute] !== undefined) compared++;
          }
        }
        assert.equal(site.attribute!('noSuchElement', 'enabled'), undefined);
      }
      assert.ok(compared >= 5, `only ${compared} set attributes compared`);
    });

    it('sets and then resets a setting on every FTP site: each site changes once, pruning leaves the file as it was', async () => {
      const g = generateConfig({ sites: 2000, seed: 7 });
      const path = writeTemp(g.text);
      const b = new XmlBackend({ path, backup: false });
      const snap = await b.read({ elements: elementPaths, allSites: true });
      const ftp = snap.sites.filter((s) => s.protocols.includes('ftp'));
      assert.equal(ftp.length, g.ftpSites);
      const set = ftp.map((s) => change({ name: s.name, id: s.id }, 'ssl128', true));
      const r = await b.commit({ version: snap.version, changes: set });
      assert.equal(r.written, true);
      const after = readFileSync(path, 'utf8');
      assert.equal(after.split('ssl128="true"').length - 1, g.ftpSites);
      const reset = ftp.map((s) => change({ name: s.name, id: s.id }, 'ssl128', null));
      await b.commit({ version: r.version, changes: reset });
      // Elements created for the setting are pruned again; an <ftpServer /> that was opened for them stays open.
      const reopened = /<ftpServer serverAutoStart="true">\r\n {16}<\/ftpServer>/g;
      assert.equal(readFileSync(path, 'utf8').replace(reopened, '<ftpServer serverAutoStart="true" />'), g.text);
    });
  });
});
