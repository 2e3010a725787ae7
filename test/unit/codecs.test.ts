import { strict as assert } from 'node:assert';
import { LEXICAL, boolCodec, enumCodec, flagsCodec, formatTimeSpan, parseTimeSpan, stringCodec, thumbprintCodec, timeSpanCodec } from '../../src/codecs/index.js';
import { findSetting } from '../../src/schema/index.js';
import { validateValue } from '../../src/schema/validate.js';

const ok = <T>(r: { ok: boolean; value?: T }): T => {
  assert.equal(r.ok, true, `expected success, got ${JSON.stringify(r)}`);
  return r.value as T;
};
const no = (r: { ok: boolean }) => assert.equal(r.ok, false, `expected a refusal, got ${JSON.stringify(r)}`);

describe('codecs', () => {
  describe('enum (clientCertificatePolicy)', () => {
    const c = enumCodec({ CertIgnore: 0, CertAllow: 1, CertRequire: 2 });
    const table: [unknown, string][] = [
      ['CertIgnore', 'CertIgnore'], ['CertAllow', 'CertAllow'], ['CertRequire', 'CertRequire'],
      ['certrequire', 'CertRequire'], ['CERTALLOW', 'CertAllow'], [' CertIgnore ', 'CertIgnore'],
      [0, 'CertIgnore'], [1, 'CertAllow'], [2, 'CertRequire'], ['2', 'CertRequire'], ['0', 'CertIgnore'],
    ];
    for (const [input, expected] of table) it(`reads ${JSON.stringify(input)} as ${expected}`, () => assert.equal(ok(c.decode(input)), expected));
    for (const bad of ['CertDeny', '', '3', 7, -1, true, null, 'Cert Require']) it(`refuses ${JSON.stringify(bad)}`, () => no(c.decode(bad)));
    // Canonical names are looked up as they are: only the enum's own names, never what every object has.
    for (const inherited of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) it(`refuses ${JSON.stringify(inherited)}, a name every object has`, () => no(c.decode(inherited)));
    it('names the input in a refusal', () => {
      const r = c.decode('CertDeny');
      assert.ok(!r.ok && r.refusal.reason.includes('"CertDeny"'), !r.ok ? r.refusal.reason : 'decoded');
    });
    it('writes the canonical name and its number', () => {
      assert.equal(c.encode('CertRequire'), 'CertRequire');
      assert.equal(c.toNumber!('CertRequire'), 2);
    });
    it('names every allowed value with its number in a refusal', () => {
      const r = c.decode('nope');
      assert.ok(!r.ok && r.refusal.allowed.includes('CertRequire (2)'));
    });
  });

  describe('enum values valid for one attribute only', () => {
    const control = findSetting('controlChannelPolicy')!;
    const data = findSetting('dataChannelPolicy')!;
    it('refuses SslDeny on the control channel and says where it belongs', () => {
      const r = validateValue(control, 'SslDeny');
      assert.ok(!r.ok);
      assert.equal(r.error.code, 'INVALID_VALUE');
      assert.match(r.error.message, /controlChannelPolicy/);
      assert.match(r.error.message, /dataChannelPolicy only/);
      assert.match(r.error.message, /SslRequireCredentialsOnly/);
    });
    it('accepts SslDeny on the data channel', () => assert.deepEqual(validateValue(data, 'ssldeny'), { ok: true, value: 'SslDeny' }));
    it('refuses SslRequireCredentialsOnly on the data channel', () => {
      const r = validateValue(data, 'SslRequireCredentialsOnly');
      assert.ok(!r.ok && /controlChannelPolicy only/.test(r.error.message));
    });
    it('accepts SslRequireCredentialsOnly on the control channel, also as 2', () => {
      assert.deepEqual(validateValue(control, 'SslRequireCredentialsOnly'), { ok: true, value: 'SslRequireCredentialsOnly' });
      assert.deepEqual(validateValue(control, 2), { ok: true, value: 'SslRequireCredentialsOnly' });
    });
    it('reads 2 as different names on the two channels', () => {
      assert.deepEqual(validateValue(data, '2'), { ok: true, value: 'SslDeny' });
    });
  });

  describe('flags (validationFlags)', () => {
    const c = flagsCodec({ NoRevocationCheck: 1, CertChainRevocationCheckCacheOnly: 2, CertChainCacheOnlyUrlRetrieval: 4, CertNoUsageCheck: 8 });
    const table: [unknown, string[]][] = [
      ['NoRevocationCheck, CertNoUsageCheck', ['NoRevocationCheck', 'CertNoUsageCheck']],
      ['CertNoUsageCheck,NoRevocationCheck', ['NoRevocationCheck', 'CertNoUsageCheck']],
      ['certnousagecheck , norevocationcheck', ['NoRevocationCheck', 'CertNoUsageCheck']],
      [9, ['NoRevocationCheck', 'CertNoUsageCheck']],
      ['9', ['NoRevocationCheck', 'CertNoUsageCheck']],
      [15, ['NoRevocationCheck', 'CertChainRevocationCheckCacheOnly', 'CertChainCacheOnlyUrlRetrieval', 'CertNoUsageCheck']],
      ['', []], ['None', []], ['none', []], ['0', []], [0, []], [[], []],
      [['CertChainCacheOnlyUrlRetrieval', 'NoRevocationCheck'], ['NoRevocationCheck', 'CertChainCacheOnlyUrlRetrieval']],
      ['4,4', ['CertChainCacheOnlyUrlRetrieval']],
    ];
    for (const [input, expected] of table) it(`reads ${JSON.stringify(input)}`, () => assert.deepEqual(ok(c.decode(input)), expected));
    for (const bad of [16, '17', -1, 'NoSuchFlag', 'NoRevocationCheck, Bogus', true, 1.5]) it(`refuses ${JSON.stringify(bad)}`, () => no(c.decode(bad)));
    it('writes names joined by ", " in ascending bit order', () => {
      assert.equal(c.encode(['CertNoUsageCheck', 'NoRevocationCheck']), 'NoRevocationCheck, CertNoUsageCheck');
      assert.equal(c.encode([]), '');
      assert.equal(c.toNumber!(['CertNoUsageCheck', 'NoRevocationCheck']), 9);
    });
  });

  describe('timeSpan', () => {
    const c = timeSpanCodec();
    const table: [unknown, string][] = [
      ['00:00:00', '00:00:00'], ['00:01:00', '00:01:00'], ['0:1:0', '00:01:00'], ['01:00:00', '01:00:00'],
      ['1.00:00:00', '1.00:00:00'], ['29:00:00', '1.05:00:00'], ['24:00:00', '1.00:00:00'], ['48:30:15', '2.00:30:15'],
      ['10.02:03:04', '10.02:03:04'], ['00:00:00.5', '00:00:00.5000000'],
      [{ Ticks: 600_000_000 }, '00:01:00'], [{ Ticks: 864_000_000_000 }, '1.00:00:00'], [{ Ticks: 0 }, '00:00:00'],
    ];
    for (const [input, expected] of table) it(`reads ${JSON.stringify(input)} as ${expected}`, () => assert.equal(ok(c.decode(input)), expected));
    for (const bad of ['-00:00:01', '-1.00:00:00', '00:60:00', '00:00:60', '1 day', '', '12', 60, { Ticks: -1 }, null]) {
      it(`refuses ${JSON.stringify(bad)}`, () => no(c.decode(bad)));
    }
    it('parses and formats ticks symmetrically', () => {
      for (const t of ['00:00:30', '23:59:59', '1.00:00:00', '3.12:00:01']) assert.equal(formatTimeSpan(parseTimeSpan(t)!), t);
    });
  });

  describe('bool', () => {
    const c = boolCodec();
    for (const [input, expected] of [['true', true], ['False', false], ['TRUE', true], [' false ', false], [true, true], [false, false]] as const) {
      it(`reads ${JSON.stringify(input)}`, () => assert.equal(ok(c.decode(input)), expected));
    }
    for (const bad of ['yes', '1', 1, '', null]) it(`refuses ${JSON.stringify(bad)}`, () => no(c.decode(bad)));
    it('writes lower-case', () => {
      assert.equal(c.encode(true), 'true');
      assert.equal(c.encode(false), 'false');
    });
  });

  describe('string', () => {
    it('keeps text as given and refuses empty text', () => {
      assert.equal(ok(stringCodec().decode('WebHosting')), 'WebHosting');
      no(stringCodec().decode(''));
      no(stringCodec().decode(5));
    });
  });

  describe('thumbprint (serverCertHash)', () => {
    const c = thumbprintCodec();
    const clean = '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432';
    it('removes spaces between byte pairs and a leading left-to-right mark', () => {
      assert.equal(ok(c.decode('\u200e9f 8e 7d 6c 5b 4a 39 28 17 06 f5 e4 d3 c2 b1 a0 98 76 54 32')), clean);
    });
    it('keeps the case of the digits', () => assert.equal(ok(c.decode(clean.toUpperCase())), clean.toUpperCase()));
    it('refuses 39 digits and says how many remained after cleaning', () => {
      const r = c.decode(`\u200e${clean.slice(1)}`);
      assert.ok(!r.ok && /39 hex digits after removing/.test(r.refusal.reason));
    });
    it('refuses a non-hex character and names it', () => {
      const r = c.decode(clean.slice(0, 39) + 'g');
      assert.ok(!r.ok && /"g" \(U\+0067\)/.test(r.refusal.reason));
    });
    it('refuses 41 digits', () => no(c.decode(clean + '0')));
  });
});

describe('codec rules as data (what schema.json carries to the PowerShell module)', () => {
  it('spells white space as exactly the set JavaScript\'s \\s and trim() take', () => {
    const ws = new RegExp(`^${LEXICAL.whitespace}$`);
    for (let c = 0; c <= 0xffff; c++) {
      const ch = String.fromCharCode(c);
      assert.equal(ws.test(ch), /^\s$/.test(ch), `U+${c.toString(16)}`);
      assert.equal(ws.test(ch), ch.trim() === '', `U+${c.toString(16)} trim`);
    }
  });

  it('takes ASCII digits only as numbers', () => {
    const c = enumCodec({ A: 0, B: 1 });
    no(c.decode('\uFF11'));
    no(c.decode('\u0661'));
    assert.equal(ok(c.decode(' 1 ')), 'B');
  });

  it('folds the case of ASCII letters only: no ß for SS, no dotless ı for I, no long ſ for S', () => {
    const c = enumCodec({ SslAllow: 0, CertIgnore: 1 });
    assert.equal(ok(c.decode('SSLALLOW')), 'SslAllow');
    assert.equal(ok(c.decode('certignore')), 'CertIgnore');
    for (const bad of ['Certıgnore', 'ſslAllow', 'ßlAllow']) no(c.decode(bad));
    no(boolCodec().decode('truE\u0130'));
  });

  it('refuses flag sums beyond the flags, also past 32 bits (2^32 + 1 is not NoRevocationCheck)', () => {
    const c = flagsCodec({ NoRevocationCheck: 1, CertNoUsageCheck: 8 });
    for (const bad of [4294967297, '4294967297', '4294967296', 2 ** 53, 16, '2147483648']) no(c.decode(bad));
    assert.deepEqual(ok(c.decode('9')), ['NoRevocationCheck', 'CertNoUsageCheck']);
  });

  it('words every refusal from the spec the module reads', () => {
    for (const [codec, input] of [[enumCodec({ A: 0 }), 'x'], [flagsCodec({ A: 1 }), 'x'], [timeSpanCodec(), 'x'], [boolCodec(), 'x'], [stringCodec(), 'a\u0001'], [thumbprintCodec(), 'x']] as const) {
      const r = codec.decode(input);
      assert.ok(!r.ok);
      const templates = Object.values(codec.spec.messages).map((t) => new RegExp(`^${t.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '.*')}$`, 's'));
      assert.ok(templates.some((t) => t.test(r.refusal.reason)), `${codec.spec.format}: ${r.refusal.reason}`);
      assert.deepEqual(r.refusal.allowed, codec.spec.accepts);
    }
  });
});
