import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURE } from '../support/fixture.js';
import type { CaseContext, HostileCase } from './case.js';
import type { ErrorCode } from '../../src/errors/errors.js';

/**
 * The configuration path is not a plain readable file, or `configSource` leads out of the
 * configuration's folder. A symbolic link is followed: the new version is written atomically to
 * the file it points to, and the link stays a link.
 */
const set = (config: string) => ['set', '--config', config, '--site', 'Partner Exchange', '--ssl128', 'true'];

function fileCase(name: string, make: (c: CaseContext) => string, code: HostileCase['code'], message: RegExp | string, extra: Partial<HostileCase> = {}): HostileCase {
  return { group: 'file', name, setup: (c) => ({ argv: set(make(c)) }), exit: 1, ...(code ? { code } : {}), message, ...extra };
}

/** A configuration whose `<sites>` lives in `source`. */
function withSource(c: CaseContext, source: string): string {
  const t = readFileSync(FIXTURE, 'utf8');
  const start = t.indexOf('<sites>');
  const end = t.indexOf('</sites>') + '</sites>'.length;
  const attr = source.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  c.write('sites.config', `<?xml version="1.0" encoding="UTF-8"?>\r\n${t.slice(start, end)}\r\n`, 'elsewhere');
  return c.write('applicationHost.config', `${t.slice(0, start)}<sites configSource="${attr}" />${t.slice(end)}`);
}

export function fileCases(): HostileCase[] {
  const out: HostileCase[] = [
    fileCase('a folder', (c) => c.dir, 'FILE_READ', /is a folder; pass the path of applicationHost.config itself/),
    fileCase('a missing file', (c) => join(c.dir, 'applicationHost.config'), 'FILE_READ', /does not exist; check the path/),
    fileCase('a file in a missing folder', (c) => join(c.dir, 'nope', 'applicationHost.config'), 'FILE_READ', /does not exist/),
    fileCase('a path through a file', (c) => join(c.fixture(), 'applicationHost.config'), 'FILE_READ', /does not exist: a part of its path is a file/),
    fileCase('a character device', () => '/dev/null', 'FILE_READ', /not a regular file/),
    fileCase('a named pipe (which would block a reader forever)', (c) => {
      const fifo = join(c.dir, 'applicationHost.config');
      const r = spawnSync('mkfifo', [fifo]);
      if (r.status !== 0) throw new Error(`mkfifo failed: ${r.stderr}`);
      return fifo;
    }, 'FILE_READ', /not a regular file/),
    fileCase('a file the user may not read', (c) => {
      const path = c.fixture();
      chmodSync(path, 0o000);
      chmodSync(c.dir, 0o755);
      return path;
    }, 'FILE_READ', /cannot be read: permission denied/, { unprivileged: true }),
    fileCase('a dangling symbolic link', (c) => {
      const link = join(c.dir, 'applicationHost.config');
      symlinkSync(join(c.elsewhere, 'gone.config'), link);
      return link;
    }, 'FILE_READ', /does not exist/),
    fileCase('a loop of symbolic links', (c) => {
      symlinkSync(join(c.dir, 'b.config'), join(c.dir, 'applicationHost.config'));
      symlinkSync(join(c.dir, 'applicationHost.config'), join(c.dir, 'b.config'));
      return join(c.dir, 'applicationHost.config');
    }, 'FILE_READ', /loop of symbolic links/),
    fileCase('a symbolic link to a folder', (c) => {
      symlinkSync(c.elsewhere, join(c.dir, 'applicationHost.config'));
      return join(c.dir, 'applicationHost.config');
    }, 'FILE_READ', /is a folder/),
    {
      group: 'file',
      name: 'a symbolic link to a file elsewhere: written through, atomically, the link kept',
      setup: (c) => {
        const target = c.fixture('applicationHost.config', 'elsewhere');
        const link = join(c.dir, 'applicationHost.config');
        symlinkSync(target, link);
        return { argv: set(link) };
      },
      exit: 0,
      message: 'Wrote 1 change(s)',
      after(c) {
        const link = join(c.dir, 'applicationHost.config');
        assert.ok(lstatSync(link).isSymbolicLink(), 'the link is still a link');
        assert.match(readFileSync(join(c.elsewhere, 'applicationHost.config'), 'utf8'), /dataChannelPolicy="SslRequire" ssl128="true"/);
      },
    },
  ];
  const sources: [string, (c: CaseContext) => string][] = [
    ['a parent folder', () => '../elsewhere/sites.config'],
    ['an absolute path', (c) => join(c.elsewhere, 'sites.config')],
    ['/etc/passwd', () => '/etc/passwd'],
    ['a Windows parent path', () => '..\\elsewhere\\sites.config'],
    ['a Windows drive path', () => 'C:\\Windows\\System32\\inetsrv\\config\\sites.config'],
    ['a path that leaves through a subfolder', () => 'sub/../../elsewhere/sites.config'],
    ['the folder itself', () => '.'],
    ['a link beside the file that leads out', (c) => {
      symlinkSync(join(c.elsewhere, 'sites.config'), join(c.dir, 'link.config'));
      return 'link.config';
    }],
    ['a folder link beside the file that leads out', (c) => {
      symlinkSync(c.elsewhere, join(c.dir, 'linked'));
      return 'linked/sites.config';
    }],
  ];
  for (const [what, source] of sources) {
    out.push({
      group: 'configSource',
      name: `configSource pointing outside the folder: ${what}`,
      setup: (c) => ({ argv: set(withSource(c, source(c))) }),
      exit: 1,
      code: 'FILE_READ',
      message: /points outside the folder of .*IIS only reads configSource files beside the configuration file/,
    });
  }
  const inside: [string, (c: CaseContext) => string, ErrorCode, RegExp][] = [
    ['missing', () => 'missing.config', 'FILE_READ', /missing\.config does not exist/],
    ['a folder', (c) => {
      mkdirSync(join(c.dir, 'sub'));
      return 'sub';
    }, 'FILE_READ', /is a folder/],
    ['malformed', (c) => {
      c.write('bad.config', '<sites>\r\n  <site name="a" id="1">\r\n</sites>\r\n');
      return 'bad.config';
    }, 'XML_MALFORMED', /not well-formed XML: .*\(line 3, column \d+\)\n {2}at .*bad\.config:3:/],
    ['with a DTD', (c) => {
      c.write('dtd.config', '<!DOCTYPE sites [<!ENTITY x "y">]>\r\n<sites>&x;</sites>\r\n');
      return 'dtd.config';
    }, 'XML_DTD', /has a DTD/],
    ['without a sites root', (c) => {
      c.write('other.config', '<other />\r\n');
      return 'other.config';
    }, 'SECTION_NOT_FOUND', /has no <sites> root element/],
  ];
  for (const [what, source, code, message] of inside) {
    out.push({ group: 'configSource', name: `configSource file ${what}`, setup: (c) => ({ argv: set(withSource(c, source(c))) }), exit: 1, code, message });
  }
  return out;
}
