import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostileCase } from './case.js';
import { oneSite, xmlAttr } from './case.js';

/** Site names that must be found exactly, written around, and echoed back as data, never as markup or code. */
const NAMES: readonly [string, string][] = [
  ['quotes', `O'Brien "Archive"`],
  ['an ampersand', 'Smith & Sons'],
  ['an entity lookalike', 'AT&amp;T'],
  ['angle brackets', '<script>alert(1)</script>'],
  ['a CDATA end', 'a ]]> b'],
  ['a tab', 'tab\there'],
  ['a line break', 'line\nbreak'],
  ['a carriage return', 'cr\rlf'],
  ['non-BMP characters', '📁 Ünïcødé 𝔘𝔫𝔦 😀'],
  ['a right-to-left override', '\u202Egnp.exe'],
  ['spaces around it', '  spaced  '],
  ['10,000 characters', 'x'.repeat(10_000)],
  ['shell syntax', '$(rm -rf /); `id` %SystemDrive%'],
  ['a UNC path', '\\\\server\\share'],
  ['JSON', '{"site": [1, 2]}'],
];

/** Names that cannot be in an XML file at all, or are not there: looked up, not found, echoed safely. */
const ABSENT: readonly [string, string][] = [
  ...NAMES,
  ['a control character', 'bell\u0007'],
  ['a NUL', 'nul\u0000x'],
  ['a lone surrogate', 'half \uD800'],
];

export function nameCases(): HostileCase[] {
  const out: HostileCase[] = [];
  for (const [what, name] of NAMES) {
    out.push({
      group: 'site name',
      name: `a site named with ${what} is found and written around`,
      setup: (c) => ({ argv: ['set', '--config', c.write('applicationHost.config', oneSite(xmlAttr(name))), '--site', name, '--ssl128', 'true', '--no-backup'] }),
      exit: 0,
      message: 'Wrote 1 change(s)',
      after(c) {
        const after = readFileSync(join(c.dir, 'applicationHost.config'), 'utf8');
        assert.equal(after, oneSite(xmlAttr(name)).replace('<ssl serverCertStoreName="MY" />', '<ssl serverCertStoreName="MY" ssl128="true" />'));
      },
    });
  }
  for (const [what, name] of ABSENT) {
    out.push({
      group: 'site name',
      name: `--site with ${what} that no site has`,
      setup: (c) => ({ argv: ['get', '--config', c.fixture(), '--site', name] }),
      exit: 1,
      code: 'SITE_NOT_FOUND',
      message: `No site named ${JSON.stringify(name)}`,
    });
  }
  return out;
}
