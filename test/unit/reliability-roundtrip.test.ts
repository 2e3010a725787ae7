import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { Change, RawSnapshot } from '../../src/contract/index.js';
import { XmlBackend } from '../../src/backends/xml/index.js';
import { type SettingDef, elementPaths, settings } from '../../src/schema/index.js';
import { tempDir } from '../support/fixture.js';

/**
 * Round-trip identity, fuzzed: configurations with arbitrary white space, comments, attribute
 * order, quotes, character references, line endings and byte-order mark survive a read and a
 * no-op commit byte for byte, and a set followed by its undo gives back the same attributes.
 * IIS_FTPS_SOAK=1 runs many more cases.
 */
const RUNS = process.env['IIS_FTPS_SOAK'] === '1' ? 3000 : 60;

interface Style {
  readonly nl: string;
  readonly bom: boolean;
  readonly quote: '"' | "'";
}

/** Text between markup: the line break and indentation, sometimes odd. */
const gap = (nl: string) => fc.constantFrom(`${nl}    `, nl, ' ', '\t', `${nl}\t\t`, `  ${nl}  `, '');
const blanks = fc.constantFrom(' ', '  ', '\t', ' \r\n ', '\n\t');

/** A value written with character references for some characters, as hand-edited files have. */
function encodeValue(raw: string, quote: '"' | "'", refs: readonly boolean[]): string {
  return [...raw]
    .map((ch, i) => {
      if (ch === '&') return '&amp;';
      if (ch === '<') return '&lt;';
      if (ch === quote) return quote === '"' ? '&quot;' : '&apos;';
      if (ch === '\t' || ch === '\n' || ch === '\r') return `&#x${ch.charCodeAt(0).toString(16)};`;
      if (refs[i % refs.length]) return ch === '>' ? '&gt;' : `&#${ch.codePointAt(0)};`;
      return ch;
    })
    .join('');
}

const hostileText = fc.constantFrom('MY', 'My Store', `it's "x" & <y>`, 'tab\tand\nline', '📁 𝔘', 'a>b', 'WebHosting');
const thumb = fc.stringMatching(/^[0-9a-fA-F]{40}$/);

/** A valid stored value for a setting, sometimes in a lenient (non-canonical) spelling. */
function storedValue(s: SettingDef): fc.Arbitrary<string> {
  const names = s.def.names ?? [];
  switch (s.def.type) {
    case 'enum':
      return fc.constantFrom(...names, ...names.map((n) => n.toLowerCase()));
    case 'flags':
      return fc.subarray([...names]).chain((picked) => fc.constantFrom(picked.join(', '), picked.join(','), picked.reverse().join(', ')));
    case 'timeSpan':
      return fc.constantFrom('00:00:00', '00:01:00', '01:30:00', '1.00:00:00', '29:00:00', '00:00:30');
    case 'bool':
      return fc.constantFrom('true', 'false', 'True', 'False');
    default:
      return s.attribute === 'serverCertHash' ? thumb : hostileText;
  }
}

/** A canonical value to set, as the API takes it. */
function newValue(s: SettingDef): fc.Arbitrary<unknown> {
  const names = s.def.names ?? [];
  switch (s.def.type) {
    case 'enum':
      return fc.constantFrom(...names);
    case 'flags':
      return fc.subarray([...names]);
    case 'timeSpan':
      return fc.constantFrom('00:00:05', '02:00:00', '3.04:05:06');
    case 'bool':
      return fc.boolean();
    default:
      return s.attribute === 'serverCertHash' ? thumb : hostileText;
  }
}

const byElement = new Map<string, SettingDef[]>();
for (const s of settings) byElement.set(s.element, [...(byElement.get(s.element) ?? []), s]);

/** Attributes of one element, in a random order, some of them unknown to the schema. */
const elementAttrs = (element: string) =>
  fc
    .tuple(
      fc.subarray(byElement.get(element)!).chain((defs) => fc.tuple(...defs.map((d) => storedValue(d).map((v) => [d.attribute, v] as [string, string])))),
      fc.option(fc.constant(['vendorExtra', 'keep & me'] as [string, string])),
    )
    .chain(([known, extra]) => fc.shuffledSubarray([...known, ...(extra ? [extra] : [])], { minLength: known.length + (extra ? 1 : 0) }));

/** The FTP security block below a site or siteDefaults: any subset of the schema's elements. */
const securityModel = fc.record({
  ssl: fc.option(elementAttrs('ssl')),
  sslClientCertificates: fc.option(elementAttrs('sslClientCertificates')),
  clientCertAuthentication: fc.option(elementAttrs('clientCertAuthentication')),
  comment: fc.option(fc.constantFrom('<!-- security -->', '<!-- TLS: see runbook & change 42 -->')),
  ftpServerAttrs: fc.boolean(),
});

const siteModel = fc.record({
  name: fc.constantFrom('Public Drop', `O'Brien & Sons "Archive"`, 'Ünïcødé 📁', 'a<b>c', 'tab\tname'),
  security: fc.option(securityModel),
});

const configModel = fc.record({
  nl: fc.constantFrom('\n', '\r\n'),
  bom: fc.boolean(),
  quote: fc.constantFrom<'"' | "'">('"', "'"),
  refs: fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }),
  sites: fc.uniqueArray(siteModel, { minLength: 1, maxLength: 4, selector: (s) => s.name }),
  defaults: fc.option(securityModel),
  gaps: fc.array(gap('\n'), { minLength: 8, maxLength: 8 }),
  spaces: fc.array(blanks, { minLength: 4, maxLength: 4 }),
  selfClose: fc.constantFrom(' />', '/>', '></x>'),
  topComment: fc.boolean(),
});

type Model = typeof configModel extends fc.Arbitrary<infer T> ? T : never;

function render(m: Model): { bytes: Buffer; style: Style } {
  const { nl, quote } = m;
  const g = (i: number) => m.gaps[i % m.gaps.length]!.replace(/\n/g, nl);
  const sp = (i: number) => m.spaces[i % m.spaces.length]!.replace(/\r?\n/g, nl);
  const attrs = (list: readonly (readonly [string, string])[]) => list.map(([n, v], i) => `${sp(i)}${n}=${quote}${encodeValue(v, quote, m.refs)}${quote}`).join('');
  const empty = (name: string, list: readonly (readonly [string, string])[]) => `<${name}${attrs(list)}${m.selfClose === '></x>' ? `></${name}>` : m.selfClose}`;
  const security = (s: NonNullable<Model['defaults']>) => {
    const parts: string[] = [];
    if (s.comment) parts.push(s.comment);
    if (s.ssl) parts.push(empty('ssl', s.ssl));
    if (s.sslClientCertificates) parts.push(empty('sslClientCertificates', s.sslClientCertificates));
    if (s.clientCertAuthentication) parts.push(`<authentication>${g(1)}<basicAuthentication enabled="true" />${g(2)}${empty('clientCertAuthentication', s.clientCertAuthentication)}${g(3)}</authentication>`);
    return `<ftpServer${s.ftpServerAttrs ? ` serverAutoStart=${quote}true${quote}` : ''}>${g(4)}<security>${g(5)}${parts.join(g(6))}${g(7)}</security>${g(0)}</ftpServer>`;
  };
  const sites = m.sites.map((s, i) => {
    const head = `<site name=${quote}${encodeValue(s.name, quote, m.refs)}${quote}${sp(i)}id=${quote}${i + 1}${quote}>`;
    const binding = `<bindings><binding protocol="ftp" bindingInformation="*:${21 + i}:" /></bindings>`;
    return `${head}${g(i)}${binding}${s.security ? g(i + 1) + security(s.security) : ''}${g(i + 2)}</site>`;
  });
  const defaults = m.defaults ? [`<siteDefaults>${g(3)}${security(m.defaults)}${g(4)}</siteDefaults>`] : [];
  const text = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    ...(m.topComment ? ['<!-- applicationHost.config, generated: a < b & c -->'] : []),
    '<configuration>',
    '<system.applicationHost>',
    `<sites>${g(0)}${[...sites, ...defaults].join(g(5))}${g(6)}</sites>`,
    '</system.applicationHost>',
    '</configuration>',
    '',
  ].join(nl);
  const body = Buffer.from(text, 'utf8');
  return { bytes: m.bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body, style: { nl, bom: m.bom, quote } };
}

const readAll = (b: XmlBackend): Promise<RawSnapshot> => b.read({ elements: elementPaths, allSites: true });

/** What a snapshot holds, without its version. */
const attributesOf = (s: RawSnapshot) => ({ siteDefaults: s.siteDefaults, sites: s.sites });

function rawChange(snap: RawSnapshot, target: number, def: SettingDef, value: string | null): Change {
  const site = target < 0 ? null : snap.sites[target]!;
  return { level: site ? 'site' : 'siteDefaults', site: site ? { name: site.name, id: site.id } : null, element: def.element, path: def.path, attribute: def.attribute, type: def.def.codec.type, value };
}

describe('round-trip identity, fuzzed', function () {
  this.timeout(120_000);
  const dir = tempDir();
  let n = 0;
  const fileFor = (bytes: Buffer) => {
    const path = join(dir, `applicationHost.${n++}.config`);
    writeFileSync(path, bytes);
    return path;
  };

  it('read, then a commit of every attribute at the text it has, writes nothing: byte-identical', async () => {
    await fc.assert(
      fc.asyncProperty(configModel, async (m) => {
        const { bytes } = render(m);
        const path = fileFor(bytes);
        const b = new XmlBackend({ path, backup: false });
        const snap = await readAll(b);
        const changes: Change[] = [];
        const levels = [-1, ...snap.sites.map((_, i) => i)];
        for (const t of levels) {
          const elements = t < 0 ? snap.siteDefaults : snap.sites[t]!.elements;
          for (const def of settings) {
            const raw = elements[def.element]?.[def.attribute];
            if (typeof raw === 'string') changes.push(rawChange(snap, t, def, raw));
            else changes.push(rawChange(snap, t, def, null));
          }
        }
        const r = await b.commit({ version: snap.version, changes });
        assert.equal(r.written, false);
        assert.deepEqual(readFileSync(path), bytes);
      }),
      { numRuns: RUNS },
    );
  });

  it('read, set, then undo: the attributes are as they were, and the values set read back exactly', async () => {
    const plan = configModel.chain((m) =>
      fc.record({
        m: fc.constant(m),
        edits: fc.uniqueArray(
          fc.record({ target: fc.integer({ min: -1, max: m.sites.length - 1 }), setting: fc.constantFrom(...settings) }).chain((e) => newValue(e.setting).map((value) => ({ ...e, value }))),
          { minLength: 1, maxLength: 6, selector: (e) => `${e.target}:${e.setting.name}` },
        ),
      }),
    );
    await fc.assert(
      fc.asyncProperty(plan, async ({ m, edits }) => {
        const { bytes, style } = render(m);
        const path = fileFor(bytes);
        const b = new XmlBackend({ path, backup: false });
        const before = await readAll(b);
        const encode = (def: SettingDef, v: unknown) => {
          const d = def.def.codec.decode(v);
          assert.ok(d.ok);
          return def.def.codec.encode(d.value);
        };
        await b.commit({ version: before.version, changes: edits.map((e) => rawChange(before, e.target, e.setting, encode(e.setting, e.value))) });
        const mid = await readAll(b);
        for (const e of edits) {
          const level = e.target < 0 ? mid.siteDefaults : mid.sites[e.target]!.elements;
          assert.equal(level[e.setting.element]![e.setting.attribute], encode(e.setting, e.value));
        }
        const written = readFileSync(path);
        assert.equal(written.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), style.bom, 'keeps the byte-order mark or its absence');
        if (style.nl === '\n') assert.ok(!written.includes('\r\n'), 'keeps LF line endings');
        const undo = edits.map((e) => {
          const level = e.target < 0 ? before.siteDefaults : before.sites[e.target]!.elements;
          const raw = level[e.setting.element]?.[e.setting.attribute];
          return rawChange(mid, e.target, e.setting, typeof raw === 'string' ? raw : null);
        });
        await b.commit({ version: mid.version, changes: undo });
        assert.deepEqual(attributesOf(await readAll(b)), attributesOf(before));
      }),
      { numRuns: RUNS },
    );
  });
});
