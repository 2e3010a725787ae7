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
    const kind = s.def.codec.accepts.join(' ').includes('hexadecimal') ? 'thumbprint' : s.def.type === 'string' ? 'string' : s.def.type;
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
