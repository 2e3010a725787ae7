import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURE } from '../support/fixture.js';
import type { HostileCase } from './case.js';

/** Malformed XML, wrong encodings, DTDs and entity bombs, and documents of extreme size or depth. */
const fixture = (): string => readFileSync(FIXTURE, 'utf8');
const POSITION = /\(line \d+, column \d+\)/;

/** Applies a change to the fixture's text and writes it; `set` tries to write it, which must not happen. */
function docCase(group: string, name: string, make: (text: string) => string | Uint8Array, code: HostileCase['code'], message: RegExp | string): HostileCase {
  return {
    group,
    name,
    setup: (c) => ({ argv: ['set', '--config', c.write('applicationHost.config', make(fixture())), '--site', 'Partner Exchange', '--ssl128', 'true'] }),
    exit: 1,
    ...(code ? { code } : {}),
    message,
  };
}

const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');
const withBytes = (text: string, marker: string, bytes: number[]): Buffer => {
  const at = text.indexOf(marker);
  return Buffer.concat([utf8(text.slice(0, at)), Buffer.from(bytes), utf8(text.slice(at))]);
};

export function documentCases(): HostileCase[] {
  const out: HostileCase[] = [];
  const text = fixture();
  const rootEnd = text.lastIndexOf('</configuration>');
  // Cut short at 24 places, from the first byte to inside the last end tag.
  for (let k = 0; k < 24; k++) {
    const at = Math.floor((rootEnd + 10) * (k / 24));
    out.push(docCase('malformed XML', `cut short at byte ${at}`, (t) => t.slice(0, at), 'XML_MALFORMED', /not well-formed XML/));
  }
  const mutations: [string, (t: string) => string][] = [
    ['a mismatched end tag', (t) => t.replace('</bindings>', '</binding>')],
    ['an end tag with no start', (t) => t.replace('<configHistory />', '<configHistory /></extra>')],
    ['an unclosed attribute quote', (t) => t.replace('id="3"', 'id="3')],
    ['a duplicate attribute', (t) => t.replace('id="3"', 'id="3" id="4"')],
    ['attributes run together', (t) => t.replace('name="Partner Exchange" id="3"', 'name="Partner Exchange"id="3"')],
    ['an attribute without a value', (t) => t.replace('id="3"', 'id')],
    ['a bare ampersand', (t) => t.replace('Partner Exchange', 'Partner & Exchange')],
    ['a < in an attribute', (t) => t.replace('Partner Exchange', 'Partner < Exchange')],
    ['an undefined entity', (t) => t.replace('Partner Exchange', 'Partner &nbsp; Exchange')],
    ['a reference to U+0000', (t) => t.replace('Partner Exchange', 'Partner &#0; Exchange')],
    ['a reference to a lone surrogate', (t) => t.replace('Partner Exchange', 'Partner &#xD800; Exchange')],
    ['a reference beyond Unicode', (t) => t.replace('Partner Exchange', 'Partner &#x110000; Exchange')],
    ['a raw control character', (t) => t.replace('Partner Exchange', 'Partner \u0007 Exchange')],
    ['a name starting with a digit', (t) => t.replace('<configHistory />', '<1history />')],
    ['two root elements', (t) => `${t}<configuration />\r\n`],
    ['text after the root', (t) => `${t}trailing text\r\n`],
    ['an unclosed comment', (t) => t.replace('<configHistory />', '<!-- never closed <configHistory />')],
    ['-- inside a comment', (t) => t.replace('<configHistory />', '<!-- a -- b -->')],
    ['an XML declaration not at the start', (t) => `\r\n${t}`],
    ['a second XML declaration', (t) => t.replace('<configuration>', '<?xml version="1.0"?>\r\n<configuration>')],
    ['CDATA outside the root', (t) => `${t}<![CDATA[x]]>`],
    ['no root element', (t) => t.slice(0, t.indexOf('<configuration>'))],
    ['an empty file', () => ''],
    ['only white space', () => '  \r\n\t\r\n'],
    ['100,000 open elements never closed', (t) => t.replace('<configHistory />', '<a>'.repeat(100_000))],
  ];
  for (const [name, make] of mutations) out.push(docCase('malformed XML', name, make, 'XML_MALFORMED', name === 'an empty file' || name === 'only white space' || name === 'no root element' ? /not well-formed XML/ : POSITION));

  const encodings: [string, () => Uint8Array, RegExp][] = [
    ['UTF-16 LE with a BOM', () => Buffer.from(`\uFEFF${text}`, 'utf16le'), /is UTF-16/],
    ['UTF-16 BE with a BOM', () => Buffer.from(`\uFEFF${text}`, 'utf16le').swap16(), /is UTF-16/],
    ['UTF-16 LE without a BOM', () => Buffer.from(text, 'utf16le'), /NUL character \(line 1, column 2\)/],
    ['UTF-32 LE with a BOM', () => Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), Buffer.from('<', 'utf16le'), Buffer.from([0, 0])]), /UTF-16|NUL/],
    ['a declared ISO-8859-1', () => utf8(text.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')), /declares encoding "ISO-8859-1"/],
    ['a declared windows-1252', () => utf8(text.replace('encoding="UTF-8"', 'encoding="windows-1252"')), /declares encoding "windows-1252"/],
    ['a declared UTF-16 in a UTF-8 file', () => utf8(text.replace('encoding="UTF-8"', 'encoding="UTF-16"')), /declares encoding "UTF-16"/],
    ['a lone continuation byte', () => withBytes(text, 'Partner Exchange', [0x80]), /not valid UTF-8 at byte \d+ \(line \d+, column \d+\)/],
    ['an overlong encoding of "/"', () => withBytes(text, 'Partner Exchange', [0xc0, 0xaf]), /not valid UTF-8/],
    ['an encoded surrogate', () => withBytes(text, 'Partner Exchange', [0xed, 0xa0, 0x80]), /not valid UTF-8/],
    ['a sequence cut short at the end', () => Buffer.concat([utf8(text), Buffer.from([0xe2, 0x82])]), /not valid UTF-8/],
    ['a 0xFF byte', () => withBytes(text, 'Partner Exchange', [0xff]), /not valid UTF-8/],
    ['a code point beyond U+10FFFF', () => withBytes(text, 'Partner Exchange', [0xf5, 0x80, 0x80, 0x80]), /not valid UTF-8/],
    ['Latin-1 text', () => withBytes(text, 'Partner Exchange', [0x45, 0x78, 0xe9]), /not valid UTF-8/],
    ['a NUL at the start', () => Buffer.concat([Buffer.from([0]), utf8(text)]), /NUL character \(line 1, column 1\)/],
    ['a NUL in a value', () => withBytes(text, 'Partner Exchange', [0]), /NUL character \(line \d+, column \d+\)/],
    ['a NUL at the end', () => Buffer.concat([utf8(text), Buffer.from([0])]), /NUL character/],
  ];
  for (const [name, make, message] of encodings) {
    const code = /NUL/.test(message.source) && !/UTF-16/.test(message.source) ? 'XML_MALFORMED' : name.startsWith('UTF-32') ? undefined : 'XML_ENCODING';
    out.push(docCase('encoding', name, () => make(), code, message));
  }

  const doctype = (dtd: string) => (t: string) => t.replace('<configuration>', `${dtd}\r\n<configuration>`);
  const laughs = ['<!ENTITY l0 "lol">', ...Array.from({ length: 10 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`)].join('');
  const dtds: [string, (t: string) => string][] = [
    ['a DOCTYPE with only a name', doctype('<!DOCTYPE configuration>')],
    ['an internal entity used in a site name', (t) => doctype('<!DOCTYPE configuration [<!ENTITY who "Partner">]>')(t).replace('Partner Exchange', '&who; Exchange')],
    ['a billion-laughs entity bomb', (t) => doctype(`<!DOCTYPE configuration [${laughs}]>`)(t).replace('Partner Exchange', '&l10;')],
    ['a quadratic blow-up', (t) => doctype(`<!DOCTYPE configuration [<!ENTITY big "${'B'.repeat(100_000)}">]>`)(t).replace('Partner Exchange', '&big;'.repeat(2_000))],
    ['an external SYSTEM entity (XXE)', (t) => doctype('<!DOCTYPE configuration [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')(t).replace('Partner Exchange', '&xxe;')],
    ['an external DTD by PUBLIC id', doctype('<!DOCTYPE configuration PUBLIC "-//X//DTD X//EN" "http://example.invalid/x.dtd">')],
    ['a parameter entity', doctype('<!DOCTYPE configuration [<!ENTITY % p SYSTEM "http://example.invalid/p.dtd"> %p;]>')],
    ['a DOCTYPE after a comment', (t) => t.replace('<configuration>', '<!-- c -->\r\n<!DOCTYPE configuration>\r\n<configuration>')],
  ];
  for (const [name, make] of dtds) out.push(docCase('DTD', name, make, 'XML_DTD', /has a DTD .* refused, never expanded.*\(line \d+, column \d+\)/));

  const big = (t: string) => t.replace('<configHistory />', `<configHistory note="${'x'.repeat(8_000_000)}" />`);
  const deep = (t: string) => t.replace('<configHistory />', `${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}`);
  const wide = (t: string) => t.replace('<configHistory />', `<configHistory ${Array.from({ length: 50_000 }, (_, i) => `a${i}="${i}"`).join(' ')} />`);
  const partnerBindings = '<bindings>\r\n                    <binding protocol="ftp" bindingInformation="10.0.0.5:990:';
  const deepInSite = (t: string) => t.replace(partnerBindings, `<limits>${'<x>'.repeat(50_000)}${'</x>'.repeat(50_000)}</limits>\r\n                ${partnerBindings}`);
  for (const [name, make] of [
    ['an 8 MB attribute elsewhere', big],
    ['100,000 nested elements elsewhere', deep],
    ['50,000 attributes on one element', wide],
    ['50,000 nested elements inside the site', deepInSite],
  ] as const) {
    out.push({
      group: 'size',
      name: `${name}: read and written around, in bounded time`,
      setup: (c) => ({ argv: ['set', '--config', c.write('applicationHost.config', make(text)), '--site', 'Partner Exchange', '--ssl128', 'true', '--no-backup'] }),
      exit: 0,
      message: 'Wrote 1 change(s)',
      after(c) {
        const after = readFileSync(join(c.dir, 'applicationHost.config'), 'utf8');
        const before = make(text);
        const edited = 'controlChannelPolicy="SslRequire" dataChannelPolicy="SslRequire"';
        assert.equal(after.length, before.length + ' ssl128="true"'.length);
        assert.ok(after.includes(`${edited} ssl128="true" />`));
      },
    });
  }
  return out;
}
