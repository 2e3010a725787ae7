import { strict as assert } from 'node:assert';
import { readdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { XmlBackend } from '../../src/backends/xml/index.js';
import { writeFileAtomic } from '../../src/backends/xml/file/write.js';
import { isIisFtpsError } from '../../src/errors/errors.js';
import { expectError } from '../support/expect.js';
import { elementPaths } from '../../src/schema/index.js';
import { change } from '../support/changes.js';
import { FIXTURE, changedLines, copyFixture, mtimeOf, readBytes, readText, writeTemp } from '../support/fixture.js';

const PARTNER = { name: 'Partner Exchange', id: 3 };
const PUBLIC = { name: 'Public Drop', id: 2 };
const OBRIEN = { name: 'O\'Brien & Sons "Archive"', id: 7 };

async function commit(path: string, ...changes: ReturnType<typeof change>[]) {
  const b = new XmlBackend({ path });
  const snap = await b.read({ elements: elementPaths });
  return b.commit({ version: snap.version, changes });
}

/** A small configuration in the shape IIS writes, with LF or CRLF, tabs or spaces. */
function config(body: string, nl = '\n', indent = '    '): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<configuration>',
    `${indent}<system.applicationHost>`,
    `${indent}${indent}<sites>`,
    ...body.split('\n').map((l) => `${indent}${indent}${indent}${l.replace(/ {4}/g, indent)}`),
    `${indent}${indent}</sites>`,
    `${indent}</system.applicationHost>`,
    '</configuration>',
    '',
  ];
  return lines.join(nl);
}

describe('xml backend', () => {
  describe('reading', () => {
    it('reads raw attributes of sites found by name in any case, by id, and with escaped names', async () => {
      const b = new XmlBackend({ path: FIXTURE });
      const snap = await b.read({ elements: elementPaths, sites: [{ name: 'PARTNER exchange' }, { id: 7 }, { name: `o'brien & sons "archive"` }] });
      assert.equal(snap.sites[0]!.name, 'Partner Exchange');
      assert.deepEqual(snap.sites[0]!.elements['sslClientCertificates'], {
        clientCertificatePolicy: 'CertAllow',
        validationFlags: 'CertChainCacheOnlyUrlRetrieval',
        revocationUrlRetrievalTimeout: '00:00:30',
      });
      assert.equal(snap.sites[1]!.name, OBRIEN.name);
      assert.equal(snap.sites[2]!.id, 7);
      assert.deepEqual(snap.siteDefaults['sslClientCertificates'], { revocationFreshnessTime: '01:00:00' });
      assert.deepEqual(snap.sites[0]!.protocols, ['ftp']);
    });
    it('lists every site with its binding protocols', async () => {
      const snap = await new XmlBackend({ path: FIXTURE }).read({ elements: elementPaths, allSites: true });
      assert.deepEqual(snap.sites.map((s) => [s.name, s.id, s.protocols]), [
        ['Default Web Site', 1, ['http']], ['Public Drop', 2, ['ftp']], ['Partner Exchange', 3, ['ftp']], [OBRIEN.name, 7, ['ftp']],
      ]);
    });
    it('refuses a site it cannot find and lists the sites there are', async () => {
      const e = await expectError(new XmlBackend({ path: FIXTURE }).read({ elements: elementPaths, sites: [{ name: 'Nope' }] }), 'SITE_NOT_FOUND', /No site named "Nope"/);
      assert.match(e.message, /"Partner Exchange" \(id 3\)/);
      await expectError(new XmlBackend({ path: FIXTURE }).read({ elements: elementPaths, sites: [{ id: 99 }] }), 'SITE_NOT_FOUND', /id 99/);
    });
  });

  describe('refusing documents', () => {
    const cases: [string, string | Buffer, string, RegExp][] = [
      ['a DTD with an entity bomb', '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>\n<configuration>&lol2;</configuration>', 'XML_DTD', /line 2, column 1/],
      ['an external entity', '<!DOCTYPE x SYSTEM "file:///etc/passwd">\n<configuration/>', 'XML_DTD', /line 1, column 1/],
      ['a mismatched end tag', '<configuration>\n  <system.applicationHost>\n  </sites>\n</configuration>', 'XML_MALFORMED', /line 3/],
      ['a truncated file', '<configuration>\n  <system.applicationHost>\n', 'XML_MALFORMED', /not well-formed/],
      ['an undefined entity', '<configuration a="&foo;"/>', 'XML_MALFORMED', /line 1/],
      ['invalid UTF-8', Buffer.concat([Buffer.from('<configuration>\n<a b="'), Buffer.from([0xc3, 0x28]), Buffer.from('"/></configuration>')]), 'XML_ENCODING', /line 2/],
      ['UTF-16', Buffer.from('\ufeff<configuration/>', 'utf16le'), 'XML_ENCODING', /UTF-16/],
      ['a NUL character', '<configuration>\0</configuration>', 'XML_MALFORMED', /NUL/],
      ['another declared encoding', '<?xml version="1.0" encoding="ISO-8859-1"?><configuration/>', 'XML_ENCODING', /ISO-8859-1/],
      ['no sites section', '<configuration><system.webServer/></configuration>', 'SECTION_NOT_FOUND', /no <system.applicationHost><sites>/],
    ];
    for (const [what, content, code, message] of cases) {
      it(`refuses ${what} with ${code}, leaving the file as it was`, async () => {
        const path = writeTemp(content);
        const before = readBytes(path);
        const e = await expectError(new XmlBackend({ path }).read({ elements: elementPaths }), code, message);
        if (code !== 'SECTION_NOT_FOUND' && code !== 'XML_ENCODING') assert.ok(e.details.position, 'carries a position');
        assert.deepEqual(readBytes(path), before);
      });
    }
    it('shows an excerpt with a caret under the problem', async () => {
      const path = writeTemp('<configuration>\n  <sites>\n  </site>\n</configuration>');
      const e = await expectError(new XmlBackend({ path }).read({ elements: elementPaths }), 'XML_MALFORMED');
      const position = e.details.position as { line: number; excerpt: string };
      assert.equal(position.line, 3);
      assert.match(position.excerpt, /<\/site>\n +\^/);
    });
    it('says what to do for a missing file and a folder', async () => {
      await expectError(new XmlBackend({ path: '/nonexistent/applicationHost.config' }).read({ elements: elementPaths }), 'FILE_READ', /does not exist/);
      await expectError(new XmlBackend({ path: dirname(copyFixture()) }).read({ elements: elementPaths }), 'FILE_READ', /is a folder/);
    });
  });

  describe('editing in place', () => {
    it('replaces one value and changes nothing else, CRLF and all', async () => {
      const path = copyFixture();
      const before = readText(path);
      const r = await commit(path, change(PARTNER, 'clientCertificatePolicy', 'CertRequire'));
      assert.equal(r.written, true);
      const after = readText(path);
      const d = changedLines(before, after);
      assert.deepEqual(d.removed.map((l) => l.trim()), ['<sslClientCertificates clientCertificatePolicy="CertAllow" validationFlags="CertChainCacheOnlyUrlRetrieval" revocationUrlRetrievalTimeout="00:00:30" />']);
      assert.deepEqual(d.added.map((l) => l.trim()), ['<sslClientCertificates clientCertificatePolicy="CertRequire" validationFlags="CertChainCacheOnlyUrlRetrieval" revocationUrlRetrievalTimeout="00:00:30" />']);
      assert.ok(d.added[0]!.endsWith('\r'), 'keeps the CRLF line ending');
      assert.equal(after.split('\r\n').length, before.split('\r\n').length);
    });

    it('writes nothing at all when every value is already so (same bytes, same mtime)', async () => {
      const path = copyFixture();
      const bytes = readBytes(path);
      const mtime = mtimeOf(path);
      await new Promise((r) => setTimeout(r, 20));
      const r = await commit(path, change(PARTNER, 'clientCertificatePolicy', 'CertAllow'), change(PARTNER, 'revocationUrlRetrievalTimeout', '00:00:30'), change(PUBLIC, 'ssl128', null));
      assert.equal(r.written, false);
      assert.deepEqual(readBytes(path), bytes);
      assert.equal(mtimeOf(path), mtime);
    });

    it('appends a new attribute after the last one', async () => {
      const path = copyFixture();
      await commit(path, change(PARTNER, 'ssl128', true));
      assert.match(readText(path), /<ssl serverCertHash="9f8e7d6c5b4a39281706f5e4d3c2b1a098765432" controlChannelPolicy="SslRequire" dataChannelPolicy="SslRequire" ssl128="true" \/>\r\n/);
    });

    it('writes a new attribute that was removed, then set, in one change set after those named since (as Delete() then SetAttributeValue())', async () => {
      const site = { name: 'Default Web Site', id: 1 };
      const path = copyFixture();
      await commit(path, change(site, 'dataChannelPolicy', null), change(site, 'controlChannelPolicy', 'SslAllow'), change(site, 'dataChannelPolicy', 'SslAllow'));
      assert.match(readText(path), /<ssl controlChannelPolicy="SslAllow" dataChannelPolicy="SslAllow" \/>/);
      // Set, then set again: the attribute keeps the place of its first mention.
      const again = copyFixture();
      await commit(again, change(site, 'dataChannelPolicy', 'SslRequire'), change(site, 'controlChannelPolicy', 'SslAllow'), change(site, 'dataChannelPolicy', 'SslAllow'));
      assert.match(readText(again), /<ssl dataChannelPolicy="SslAllow" controlChannelPolicy="SslAllow" \/>/);
    });

    it('opens an empty-element parent and creates the missing path, indented like its neighbours', async () => {
      const path = copyFixture();
      await commit(path, change(PUBLIC, 'serverCertHash', 'ABCDEF0123456789ABCDEF0123456789ABCDEF01'), change(PUBLIC, 'clientCertAuthentication', true));
      const expected = [
        '                <ftpServer serverAutoStart="true">',
        '                    <security>',
        '                        <ssl serverCertHash="ABCDEF0123456789ABCDEF0123456789ABCDEF01" />',
        '                        <authentication>',
        '                            <clientCertAuthentication enabled="true" />',
        '                        </authentication>',
        '                    </security>',
        '                </ftpServer>',
        '            </site>',
      ].join('\r\n');
      assert.ok(readText(path).includes(expected), readText(path));
    });

    it('adds a missing element beside existing ones, before the parent\'s end tag', async () => {
      const path = copyFixture();
      await commit(path, change(PARTNER, 'clientCertAuthentication', true));
      assert.ok(readText(path).includes([
        '                            <basicAuthentication enabled="true" />',
        '                            <clientCertAuthentication enabled="true" />',
        '                        </authentication>',
      ].join('\r\n')));
    });

    it('creates ftpServer in a site that has none, after the site\'s last child', async () => {
      const path = copyFixture();
      await commit(path, change(OBRIEN, 'clientCertificatePolicy', 'CertAllow'));
      assert.ok(readText(path).includes([
        '                </bindings>',
        '                <ftpServer>',
        '                    <security>',
        '                        <sslClientCertificates clientCertificatePolicy="CertAllow" />',
        '                    </security>',
        '                </ftpServer>',
        '            </site>',
      ].join('\r\n')));
    });

    it('removes an attribute with the blank before it', async () => {
      const path = copyFixture();
      await commit(path, change(PARTNER, 'validationFlags', null));
      assert.match(readText(path), /<sslClientCertificates clientCertificatePolicy="CertAllow" revocationUrlRetrievalTimeout="00:00:30" \/>\r\n/);
    });

    it('removes an emptied element, and its emptied parents, with their lines', async () => {
      const path = copyFixture();
      const before = readText(path);
      await commit(path, change(null, 'revocationFreshnessTime', null));
      const after = readText(path);
      assert.ok(after.includes('            <siteDefaults>\r\n                <logFile logFormat="W3C" directory="%SystemDrive%\\inetpub\\logs\\LogFiles" />\r\n                <ftpServer>\r\n                    <logFile directory="%SystemDrive%\\inetpub\\logs\\FTPLogs" />'), after);
      assert.deepEqual(changedLines(before, after).added, []);
    });

    it('leaves an element that was already empty alone when asked to remove an attribute it does not have', async () => {
      const text = config(`<site name="a" id="1">\n    <ftpServer>\n        <security>\n            <ssl />\n        </security>\n    </ftpServer>\n</site>`);
      const path = writeTemp(text);
      const r = await commit(path, change({ name: 'a', id: 1 }, 'ssl128', null));
      assert.equal(r.written, false);
      assert.equal(readText(path), text);
    });

    it('round-trips: set on a bare site, then reset, gives back the original bytes', async () => {
      const path = copyFixture();
      const original = readBytes(path);
      await commit(path, change(OBRIEN, 'clientCertificatePolicy', 'CertRequire'), change(OBRIEN, 'serverCertHash', 'ABCDEF0123456789ABCDEF0123456789ABCDEF01'), change(OBRIEN, 'clientCertAuthentication', true));
      assert.notDeepEqual(readBytes(path), original);
      await commit(path, change(OBRIEN, 'clientCertificatePolicy', null), change(OBRIEN, 'serverCertHash', null), change(OBRIEN, 'clientCertAuthentication', null));
      assert.deepEqual(readBytes(path), original);
    });

    it('keeps the quote character of a single-quoted value and escapes for it', async () => {
      const path = writeTemp(config(`<site name='a' id='1'>\n    <ftpServer>\n        <security>\n            <ssl serverCertStoreName='MY' />\n        </security>\n    </ftpServer>\n</site>`));
      await commit(path, change({ name: 'a', id: 1 }, 'serverCertStoreName', `it's "mine" & <yours>`));
      assert.match(readText(path), /<ssl serverCertStoreName='it&apos;s "mine" &amp; &lt;yours&gt;' \/>/);
      const snap = await new XmlBackend({ path }).read({ elements: elementPaths, sites: [{ name: 'a' }] });
      assert.equal(snap.sites[0]!.elements['ssl']!['serverCertStoreName'], `it's "mine" & <yours>`);
    });

    it('finds every attribute of a start tag spread over lines, with blanks around = and both quotes, and where its attributes end', async () => {
      const tag = `<sslClientCertificates\r\n\t clientCertificatePolicy = 'CertAllow'\tvalidationFlags="CertChainCacheOnlyUrlRetrieval"\r\n  revocationUrlRetrievalTimeout  =\r\n  "00:00:30"   />`;
      const site = `<site name="a" id="1"><ftpServer><security>\n${tag}\n</security></ftpServer></site>\n<site name="b"\tid="2"  serverAutoStart="true"\r\n   />`;
      const path = writeTemp(`<configuration><system.applicationHost><sites>\n${site}\n</sites></system.applicationHost></configuration>\n`);
      await commit(
        path,
        change({ name: 'a', id: 1 }, 'clientCertificatePolicy', 'CertRequire'),
        change({ name: 'a', id: 1 }, 'revocationUrlRetrievalTimeout', '00:01:00'),
        change({ name: 'a', id: 1 }, 'useActiveDirectoryMapping', true),
        change({ name: 'b', id: 2 }, 'ssl128', true),
      );
      const text = readText(path);
      assert.ok(
        text.includes(`<sslClientCertificates\r\n\t clientCertificatePolicy = 'CertRequire'\tvalidationFlags="CertChainCacheOnlyUrlRetrieval"\r\n  revocationUrlRetrievalTimeout  =\r\n  "00:01:00" useActiveDirectoryMapping="true"   />`),
        text,
      );
      // A self-closing site is opened right after its last attribute; the blanks before `/>` go with the `/`.
      assert.ok(text.includes(`<site name="b"\tid="2"  serverAutoStart="true">`), text);
      assert.ok(!text.includes('serverAutoStart="true"\r\n   />'), text);
      const snap = await new XmlBackend({ path }).read({ elements: elementPaths, sites: [{ name: 'a' }] });
      assert.deepEqual(snap.sites[0]!.elements['sslClientCertificates'], {
        clientCertificatePolicy: 'CertRequire',
        validationFlags: 'CertChainCacheOnlyUrlRetrieval',
        revocationUrlRetrievalTimeout: '00:01:00',
        useActiveDirectoryMapping: 'true',
      });
    });

    it('keeps LF endings, tabs and a byte-order mark', async () => {
      const text = config(`<site name="a" id="1">\n    <ftpServer />\n</site>`, '\n', '\t');
      const path = writeTemp(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
      await commit(path, change({ name: 'a', id: 1 }, 'ssl128', true));
      const bytes = readBytes(path);
      assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
      const after = bytes.subarray(3).toString('utf8');
      assert.ok(!after.includes('\r'));
      assert.ok(after.includes('\t\t\t\t<ftpServer>\n\t\t\t\t\t<security>\n\t\t\t\t\t\t<ssl ssl128="true" />\n\t\t\t\t\t</security>\n\t\t\t\t</ftpServer>\n'), JSON.stringify(after));
    });

    it('creates siteDefaults when the file has none', async () => {
      const path = writeTemp(config(`<site name="a" id="1" />`));
      await commit(path, change(null, 'clientCertificatePolicy', 'CertRequire'));
      assert.ok(readText(path).includes([
        '            <site name="a" id="1" />',
        '            <siteDefaults>',
        '                <ftpServer>',
        '                    <security>',
        '                        <sslClientCertificates clientCertificatePolicy="CertRequire" />',
        '                    </security>',
        '                </ftpServer>',
        '            </siteDefaults>',
        '        </sites>',
      ].join('\n')), readText(path));
    });

    it('leaves every other byte of a large edit set alone: only edited lines differ', async () => {
      const path = copyFixture();
      const before = readText(path).split('\r\n');
      await commit(path, change(PARTNER, 'clientCertificatePolicy', 'CertRequire'), change(PARTNER, 'ssl128', true), change(null, 'revocationFreshnessTime', '02:00:00'));
      const after = readText(path).split('\r\n');
      assert.equal(after.length, before.length);
      const differing = before.map((l, i) => (l === after[i] ? -1 : i + 1)).filter((i) => i > 0);
      assert.deepEqual(differing, [67, 68, 89]);
    });
  });

  describe('atomic commits', () => {
    it('refuses to commit over a file changed on disk since it was read, and writes nothing', async () => {
      const path = copyFixture();
      const b = new XmlBackend({ path });
      const snap = await b.read({ elements: elementPaths });
      const edited = readText(path).replace('CertAllow', 'CertRequire');
      writeFileSync(path, edited);
      await expectError(b.commit({ version: snap.version, changes: [change(PARTNER, 'ssl128', true)] }), 'CONFLICT', /changed on disk/);
      assert.equal(readText(path), edited);
    });
    it('writes nothing when one change of the set cannot be made', async () => {
      const path = copyFixture();
      const before = readBytes(path);
      const b = new XmlBackend({ path });
      const snap = await b.read({ elements: elementPaths });
      await expectError(b.commit({ version: snap.version, changes: [change(PARTNER, 'ssl128', true), change({ name: 'Gone', id: 9 }, 'ssl128', true)] }), 'SITE_NOT_FOUND');
      assert.deepEqual(readBytes(path), before);
    });
    it('leaves no temporary file behind', async () => {
      const path = copyFixture();
      await commit(path, change(PARTNER, 'ssl128', true));
      // Beside the file: only the backup folder (test/unit/reliability.test.ts covers backups).
      assert.deepEqual(readdirSync(dirname(path)).sort(), ['.iis-ftps-history', 'applicationHost.config']);
    });
    it('reports a write that fails, removes its temporary file, and names the cause', () => {
      const dir = dirname(copyFixture());
      const path = `${dir}/missing-folder/applicationHost.config`;
      assert.throws(() => writeFileAtomic(path, Buffer.from('x')), (e: unknown) => isIisFtpsError(e) && e.code === 'FILE_WRITE' && /unchanged/.test(e.message));
      assert.deepEqual(readdirSync(dir), ['applicationHost.config']);
    });
  });
});
