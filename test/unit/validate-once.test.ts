import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { XmlBackend } from '../../src/backends/xml/index.js';
import { getFtpsSettings } from '../../src/api/cmdlets.js';
import { applyFtpsState, setFtpsSetting } from '../../src/index.js';
import { resolveSelection, checkSelection } from '../../src/api/selection.js';
import { settings } from '../../src/schema/index.js';
import { validateSettings } from '../../src/schema/validate.js';
import { FtpsSession } from '../../src/session/session.js';
import { StagedValues } from '../../src/session/staged.js';
import { expectError } from '../support/expect.js';
import { FIXTURE, copyFixture, readText } from '../support/fixture.js';

/** Counts how often each setting's value is parsed while `work` runs (every setting's parse, wrapped and put back). */
async function parses(work: () => Promise<unknown>): Promise<number> {
  let count = 0;
  const restore = settings.map((s) => {
    const def = s.def as unknown as { parse: (v: unknown) => unknown };
    const original = def.parse;
    def.parse = (v: unknown) => {
      count++;
      return original(v);
    };
    return () => {
      def.parse = original;
    };
  });
  try {
    await work();
  } finally {
    for (const r of restore) r();
  }
  return count;
}

describe('validate once, pass identities', () => {
  it('setFtpsSetting parses each value once: the session stages what was validated', async () => {
    const config = copyFixture();
    const n = await parses(() => setFtpsSetting({ config, site: 'Public Drop', settings: { ssl128: true, clientCertificatePolicy: 'CertRequire' } }));
    assert.equal(n, 2);
    assert.match(readText(config), /ssl128="true"/);
  });

  it('applyFtpsState parses each value once, sets before resets as before', async () => {
    const config = copyFixture();
    const desired = { sites: { 'Partner Exchange': { revocationUrlRetrievalTimeout: null, ssl128: true } } };
    let report: Awaited<ReturnType<typeof applyFtpsState>> | undefined;
    const n = await parses(async () => {
      report = await applyFtpsState({ config, desired });
    });
    assert.equal(n, 1);
    assert.deepEqual(report!.changes.map((c) => [c.setting, c.new]), [['ssl128', true], ['revocationUrlRetrievalTimeout', null]]);
  });

  it('the session stages only what validation made: a map put together elsewhere is refused', async () => {
    const s = await FtpsSession.open(new XmlBackend({ path: FIXTURE }), { targets: [{ site: 'Public Drop' }] });
    const ssl128 = settings.find((d) => d.name === 'ssl128')!;
    await expectError(() => s.stage({ site: 'Public Drop' }, new Map([[ssl128, 'not a boolean']])), 'USAGE', /validateSettings/);
    assert.equal(s.pendingChanges.length, 0);
    const v = validateSettings({ ssl128: 'TRUE' });
    assert.ok(v.ok);
    s.stage({ site: 'Public Drop' }, v.value);
    assert.deepEqual(s.changeSet.changes.map((c) => [c.attribute, c.value]), [['ssl128', 'true']]);
    s.dispose();
  });

  it('bulk selection hands the session the sites it found, not names to look up again', async () => {
    // Two sites of one name: found by pattern, each is its own site; a lookup by name would find the first twice.
    const config = copyFixture();
    writeFileSync(config, readText(config).replace('<site name="Partner Exchange" id="3"', '<site name="Public Drop" id="3"'));
    const s = await FtpsSession.open(new XmlBackend({ path: config }), { allSites: true });
    const found = resolveSelection(s, checkSelection({ siteLike: 'public*' }));
    assert.deepEqual(found.map((t) => [t.name, t.id]), [['Public Drop', 2], ['Public Drop', 3]]);
    // Each is the session's own identity of that site: handed back, it names the same level.
    for (const t of found) assert.equal(s.identity(t), t);
    s.dispose();
    const reports = await getFtpsSettings({ config, siteLike: 'public*' });
    assert.deepEqual(reports.map((r) => r.target.id), [2, 3]);
  });

  it('an identity is plain data to callers and keeps nothing of the store after the session', async () => {
    const s = await FtpsSession.open(new XmlBackend({ path: FIXTURE }), { targets: [{ site: 'Partner Exchange' }] });
    const report = s.get({ site: 'Partner Exchange' });
    s.dispose();
    assert.equal(JSON.stringify(report.target), JSON.stringify({ level: 'site', name: 'Partner Exchange', id: 3, protocols: ['ftp'] }));
    await expectError(() => s.get(report.target), 'SESSION_CLOSED', /open a new one/);
    const other = await FtpsSession.open(new XmlBackend({ path: FIXTURE }), { targets: [{ site: 'Partner Exchange' }] });
    // Another session's identity names a site by what it holds.
    assert.equal(other.get(JSON.parse(JSON.stringify(report.target))).target.id, 3);
    other.dispose();
  });
});

describe('StagedValues', () => {
  const [a, b, c] = settings;
  it('keeps settings in the order first staged; a value staged again keeps its place', () => {
    const v = new StagedValues(a!, 'x');
    v.set(b!, null);
    v.set(a!, 'y');
    v.set(c!, 3);
    assert.deepEqual(Array.from({ length: v.size }, (_, i) => [v.setting(i).name, v.value(i)]), [[a!.name, 'y'], [b!.name, null], [c!.name, 3]]);
  });
  it('finds and unstages a setting; one not staged is -1 and unstaging it changes nothing', () => {
    const v = new StagedValues(a!, 'x');
    v.set(b!, 'z');
    assert.equal(v.indexOf(b!), 1);
    assert.equal(v.indexOf(c!), -1);
    v.delete(c!);
    assert.equal(v.size, 2);
    v.delete(a!);
    assert.deepEqual([v.size, v.setting(0).name, v.value(0)], [1, b!.name, 'z']);
  });
});
