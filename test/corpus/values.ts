import { settings } from '../../src/schema/index.js';
import type { HostileCase } from './case.js';

/**
 * Invalid values of every setting, by the kind of value the schema gives it: each is refused
 * with INVALID_VALUE (exit 2) naming the setting, and nothing is written.
 */
const THUMB = '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432';

function invalidValues(kind: string, names: readonly string[]): string[] {
  switch (kind) {
    case 'enum':
      return ['', ' ', 'Nope', `${names[0]}x`, String(names.length), '-1', '1.5', '0x1', '\uFF11', names.join(','), `${names[0]}\u0000`];
    case 'flags':
      return ['Bogus', String(2 ** names.length), '-1', `${names[0]},Bogus`, '1.5', `${names[0]};${names[1] ?? names[0]}`, '0x3', 'None,Bogus'];
    case 'timeSpan':
      return ['-00:00:01', 'abc', '00:60:00', '00:00:60', '1:2', '1.2.3:00:00', '', '99999999999999:00:00', '00:00:00.12345678', '１:00:00'];
    case 'bool':
      return ['yes', 'no', '1', '0', 'truee', '', 'on', 'tru e'];
    case 'thumbprint':
      return ['abc', 'g'.repeat(40), THUMB.slice(1), `${THUMB}0`, '', 'é'.repeat(40), `${THUMB.slice(0, 39)}\u0000`];
    default:
      return ['', 'A\u0001B', 'x\uFFFE', 'lone \uD800 surrogate', 'nul\u0000', 'esc\u001B[31m'];
  }
}

/** Values of the wrong JSON type for the desired state of `apply`. */
function wrongTypes(kind: string): unknown[] {
  return kind === 'bool' ? ['maybe', 2, {}] : kind === 'flags' ? [{}, [7.5], true] : [{}, [], true];
}

export function valueCases(): HostileCase[] {
  const out: HostileCase[] = [];
  for (const s of settings) {
    const kind = s.def.format;
    for (const value of invalidValues(kind, s.def.names ?? [])) {
      out.push({
        group: 'invalid value',
        name: `--${s.option} ${JSON.stringify(value)}`,
        // --option=VALUE, so that values starting with a dash reach the setting.
        setup: (c) => ({ argv: ['set', '--config', c.fixture(), '--site', 'Partner Exchange', `--${s.option}=${value}`] }),
        exit: 2,
        code: 'INVALID_VALUE',
        message: new RegExp(`Invalid value for ${s.name}`),
      });
    }
    for (const value of wrongTypes(kind)) {
      out.push({
        group: 'invalid value',
        name: `apply ${s.name}: ${JSON.stringify(value)} (${typeof value})`,
        setup: (c) => {
          const config = c.fixture();
          const desired = c.write('desired.json', JSON.stringify({ sites: { 'Partner Exchange': { [s.name]: value } } }));
          return { argv: ['apply', '--config', config, '--desired', desired] };
        },
        exit: 2,
        code: 'INVALID_VALUE',
        message: new RegExp(`sites\\["Partner Exchange"\\]: Invalid value for ${s.name}`),
      });
    }
  }
  return out;
}

/** One value for one setting, as the conformance suite runs it through every validator. */
export interface ConformanceValue {
  readonly setting: string;
  /** Any JSON value: what a desired state, a CLI option (a string) or a PowerShell parameter can carry. */
  readonly value: unknown;
}

/** Every C0 control character, DEL, C1's NEL, and the noncharacters and surrogates XML cannot hold. */
const CONTROL = [...Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)), '\u007F', '\u0085', '\uFFFE', '\uFFFF'];
/** White space that JavaScript's trim() and .NET's Trim() or \\s do not agree on, and kin. */
const SPACES = ['\u00A0', '\u0085', '\u1680', '\u2000', '\u2028', '\u2029', '\u202F', '\u205F', '\u3000', '\uFEFF', '\u200B', '\u180E', '\u000B', '\u000C'];
/** Digits that are not ASCII, and letters whose case mapping differs between languages and runtimes. */
const LOOKALIKES = ['\uFF11', '\u0662', '\u0967', '\u00B2', '\u0131', '\u017F', '\u212A', '\u00DF', '\u0130', '\uFB00'];
const SURROGATES = ['\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uD83D\uDE80', '\uDE80\uD83D', '\uD83D\uD83D\uDE80', '\uD83D\uDE80\uDE80'];

function around(word: string): string[] {
  const out = [word, word.toLowerCase(), word.toUpperCase(), ` ${word} `, `\t${word}\r\n`];
  for (const c of [...SPACES, ...CONTROL.slice(0, 3), '\u0000']) out.push(`${c}${word}`, `${word}${c}`);
  for (const c of LOOKALIKES) out.push(word.replace(/[iIsSkK]/, c), `${word}${c}`);
  return out;
}

/** JSON values of every type, for any setting. */
const ANY_TYPE: unknown[] = [null, true, false, 0, 1, 2, 3, -1, 1.5, 2.0000001, 1e3, 4294967297, 9007199254740993, {}, { Ticks: 0 }, [], [1], ['a'], [null], [true], [[1]], '', ' ', ',', 'null', 'undefined', '[]', '{}'];

/**
 * The conformance corpus: for every setting, its valid values in every spelling the codecs take,
 * the invalid values of the hostile corpus, and the edges where two implementations of one rule
 * drift apart (control characters, lone surrogates, overlong text, Unicode white space and
 * digits, case mappings, numbers at the limits, every JSON type). The TypeScript codecs and the
 * PowerShell module must agree on each: accepted or refused, and the same canonical value.
 */
export function conformanceValues(): ConformanceValue[] {
  const out: ConformanceValue[] = [];
  const add = (setting: string, values: readonly unknown[]) => {
    for (const value of values) out.push({ setting, value });
  };
  for (const s of settings) {
    const names = s.def.names ?? [];
    add(s.name, ANY_TYPE);
    add(s.name, invalidValues(s.def.format, names));
    add(s.name, CONTROL.map((c) => `a${c}b`));
    add(s.name, SURROGATES.map((c) => `x${c}y`));
    add(s.name, SURROGATES);
    add(s.name, LOOKALIKES);
    switch (s.def.format) {
      case 'enum': {
        const numbers = names.map((_, i) => i);
        for (const n of names) add(s.name, around(n));
        add(s.name, [...numbers, ...numbers.map(String), ...numbers.map((n) => ` ${n} `), '00', '01', '+1', '1e0', '0x0', '１', '٢', String(names.length), `${names[0]} ${names[1]}`, `${names[0]},`, Object.keys(s.def.notHere ?? {})[0] ?? 'X']);
        add(s.name, Object.keys(s.def.notHere ?? {}).flatMap(around));
        break;
      }
      case 'flags': {
        for (const n of names) add(s.name, around(n));
        add(s.name, ['None', 'none', ' NONE ', '0', '15', '16', '31', '-0', '07', ' 8 ', ',', ' , ', 'None,None', `${names[0]},,${names[3]}`, `${names[3]}, ${names[0]}`, `${names[0]}, ${names[0]}`, `${names[0]};`, `${names[0]} ${names[1]}`, names.join(','), names.join(' , '), `${names[0]},0`, `${names[0]},16`, '4294967297', '4294967296', '2147483648', '99999999999999999999']);
        add(s.name, [[], [''], ['None'], [1, 2], [names[0], 8], [names[0], 'bogus'], [16], [-1], [1.5], [0], ['1', '2'], [' 4 '], [{}], [[names[0]]], [names.join(',')]]);
        break;
      }
      case 'timeSpan':
        add(s.name, ['00:00:00', '0:0:0', '23:59:59', '24:00:00', '29:00:00', '1.00:00:00', '0.00:00:00', '01.02:03:04', '00:00:00.1', '00:00:00.0000001', '00:00:00.1234567', '00:00:00.12345678', '00:00:00.', '00:00:00.0', '10675199.02:48:05.4775807', '10675199.02:48:05.4775808', '10675.00:00:00', '104249991.00:00:00', '104249992.00:00:00', '2501999792:00:00', '150119987579:00', '00:00:900719925', ' 01:00:00 ', '\u00A001:00:00', '01:00:00\u0085', '\uFEFF01:00:00', '1:2:3', '01:2:03', '001:02:03', '1:002:03', '-0:00:00', '+01:00:00', '-00:00:00', ' -00:00:01', '1.2:3:4.5', '1..2:00:00', '1.:00:00', '.1:00:00', '00:00', '00:00:00:00', '1d', 'PT1H', '01:00:00Z', '１:00:00', '0٢:00:00']);
        add(s.name, [{ Ticks: 0 }, { Ticks: 1 }, { Ticks: 36_000_000_000 }, { Ticks: -1 }, { Ticks: 1.5 }, { Ticks: 2 ** 53 }, { Ticks: 2 ** 53 - 1 }, { Ticks: '5' }, { Ticks: null }, { ticks: 5 }, { Ticks: 5, Days: 1 }]);
        break;
      case 'bool':
        add(s.name, around('true'));
        add(s.name, around('false'));
        add(s.name, ['TRUE', 'False', 'tRuE', 'yes', 'on', '1', '0', 't', 'f', 'truefalse', 'true,false', '"true"']);
        break;
      case 'thumbprint': {
        const t = '57686f6120447564652c2049495320526f636b73';
        const pairs = t.match(/../g)!;
        add(s.name, [t, t.toUpperCase(), pairs.join(' '), `\u200E${pairs.join(' ')}`, `\u200E${t}`, `${t}\u200F`, `\uFEFF${t}`, pairs.join('\u00A0'), pairs.join('\u3000'), pairs.join('\u0085'), pairs.join('\u2060'), pairs.join('\u202A'), pairs.join('\t'), pairs.join('\r\n'), pairs.join(':'), pairs.join('-'), `0x${t}`, t.slice(0, 39), `${t}0`, t.replace('5', '\uFF15'), t.replace('5', '\u0665'), `${t.slice(0, 39)}\uD83D\uDE80`, `${t.slice(0, 39)}\uD800`, `\u200B${' '.repeat(100)}${t}`, t.repeat(2), 'G'.repeat(40)]);
        break;
      }
      default:
        add(s.name, ['MY', 'My', 'WebHosting', 'Remote Desktop', 'a b', ' padded ', '\t', '\r\n', 'é', '名前', '\uD83D\uDE80', 'a&b<c>"d\'e', '&amp;', '<![CDATA[x]]>', '%SystemDrive%', 'x'.repeat(10_000), 'y'.repeat(100_000), `${'z'.repeat(50_000)}\u0001`, `${'w'.repeat(50_000)}\uD800`, 'a\u0001b', 'a\u001Fb', 'a\u0009b', 'a\u000Ab', 'a\u000Db', 'a\uFFFDb', 'a\uFFFEb', 'a\u007Fb', 'a\u0085b', 'a\u2028b']);
    }
  }
  return out;
}
