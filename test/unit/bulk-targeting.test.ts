import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { getFtpsSettings, resetFtpsSetting, setFtpsSetting } from '../../src/api/cmdlets.js';
import type { Progress } from '../../src/api/progress.js';
import { wildcard } from '../../src/api/selection.js';
import type { Backend, ChangeSet } from '../../src/contract/index.js';
import { XmlBackend } from '../../src/backends/xml/index.js';
import { run } from '../../src/cli/run.js';
import { progressBar } from '../../src/cli/progress.js';
import { generateConfig } from '../../bench/generate.js';
import { expectError } from '../support/expect.js';
import { FIXTURE, copyFixture, mtimeOf, readBytes, readText, writeTemp } from '../support/fixture.js';

async function cli(args: string[], tty = false): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(args, { stdout: (t) => (out += t), stderr: (t) => (err += t), stderrIsTTY: tty });
  return { code, out, err };
}

/** An XmlBackend that counts its commits. */
function counting(path: string): { backend: Backend; commits: ChangeSet[] } {
  const commits: ChangeSet[] = [];
  const inner = new XmlBackend({ path, backup: false });
  const backend: Backend = {
    name: 'xml',
    read: (q) => inner.read(q),
    commit: (c) => (commits.push(c), inner.commit(c)),
    preview: (c) => inner.preview(c),
    close: () => inner.close(),
  };
  return { backend, commits };
}

const policyOf = async (config: string, site: string) =>
  (await getFtpsSettings({ config, sites: [site] }))[0]!.settings.sslClientCertificates['clientCertificatePolicy']!;

describe('bulk targeting', () => {
  describe('wildcards like PowerShell -like', () => {
    it('matches * and ? and [sets], case-insensitively, the whole name, everything else literally', () => {
      assert.ok(wildcard('ftp*').test('FTP-customer-1'));
      assert.ok(wildcard('*drop').test('Public Drop'));
      assert.ok(!wildcard('drop').test('Public Drop'));
      assert.ok(wildcard('site-?').test('site-7'));
      assert.ok(!wildcard('site-?').test('site-17'));
      assert.ok(wildcard('site-[0-4]').test('site-3'));
      assert.ok(!wildcard('site-[0-4]').test('site-5'));
      assert.ok(wildcard("O'Brien & Sons (*)").test("o'brien & sons (old)"));
      assert.ok(wildcard('a`*b').test('a*b') && !wildcard('a`*b').test('axb'));
      assert.ok(wildcard('a.b').test('a.b') && !wildcard('a.b').test('axb'));
    });
  });

  describe('API', () => {
    it('unites sites, ids and patterns, each site once, named ones first; all in one commit', async () => {
      const path = copyFixture();
      const { backend, commits } = counting(path);
      const r = await setFtpsSetting({ backend, sites: ['partner exchange', 'Public Drop'], siteIds: [3], siteLike: ['public*', '*sons*'], settings: { ssl128: true } });
      assert.equal(commits.length, 1);
      assert.deepEqual(r.changes.map((c) => c.target.name), ['Partner Exchange', 'Public Drop', 'O\'Brien & Sons "Archive"']);
      assert.equal(r.written, true);
      assert.equal(readText(path).split('ssl128="true"').length - 1, 3);
    });

    it('allFtpSites selects every site with an ftp binding and no http-only site', async () => {
      const g = generateConfig({ sites: 400 });
      const path = writeTemp(g.text);
      const { backend, commits } = counting(path);
      const r = await setFtpsSetting({ backend, allFtpSites: true, settings: { clientCertificatePolicy: 'CertRequire' } });
      assert.equal(commits.length, 1);
      const touched = new Set(r.changes.map((c) => c.target.name));
      assert.ok(touched.size > 0 && touched.size <= g.ftpSites);
      assert.ok([...touched].every((n) => !n!.startsWith('www-')), 'web-only sites are never selected');
      const reports = await getFtpsSettings({ config: path, allFtpSites: true });
      assert.equal(reports.length, g.ftpSites);
      assert.ok(reports.every((x) => x.target.protocols.includes('ftp')));
      assert.ok(reports.every((x) => x.settings.sslClientCertificates['clientCertificatePolicy']!.value === 'CertRequire'));
      const web = (await getFtpsSettings({ config: path, siteLike: 'www-*' }))[0]!;
      assert.deepEqual(web.settings.sslClientCertificates['clientCertificatePolicy'], { value: 'CertIgnore', source: 'default' });
    });

    it('a pattern that matches nothing is SITE_NOT_FOUND naming it, and nothing is written, even with other matches', async () => {
      const path = copyFixture();
      const before = readBytes(path);
      const mtime = mtimeOf(path);
      const e = await expectError(setFtpsSetting({ config: path, sites: ['Public Drop'], siteLike: ['nothing-like-*'], settings: { ssl128: true } }), 'SITE_NOT_FOUND', /"nothing-like-\*"/);
      assert.equal(e.details.site, 'nothing-like-*');
      assert.ok(readBytes(path).equals(before));
      assert.equal(mtimeOf(path), mtime);
      await expectError(setFtpsSetting({ config: path, sites: ['Public Drop', 'No Such Site'], settings: { ssl128: true } }), 'SITE_NOT_FOUND', /No Such Site/);
      assert.ok(readBytes(path).equals(before));
    });

    it('refuses siteDefaults mixed with sites, and an empty selection', async () => {
      await expectError(setFtpsSetting({ config: FIXTURE, siteDefaults: true, allFtpSites: true, settings: { ssl128: true } }), 'USAGE', /siteDefaults/);
      await expectError(setFtpsSetting({ config: FIXTURE, sites: [], settings: { ssl128: true } }), 'USAGE', /at least one site/);
    });

    it('resets on many sites in one commit, and reports progress through the callback', async () => {
      const g = generateConfig({ sites: 300 });
      const path = writeTemp(g.text);
      await setFtpsSetting({ config: path, allFtpSites: true, settings: { ssl128: true } });
      const events: Progress[] = [];
      const { backend, commits } = counting(path);
      const r = await resetFtpsSetting({ backend, siteLike: 'ftp-*', settings: ['ssl128'], onProgress: (p) => events.push(p) });
      assert.equal(commits.length, 1);
      assert.ok(r.changes.length > 100);
      assert.equal(readText(path).includes('ssl128'), false);
      assert.deepEqual(events[0], { phase: 'read', done: 0, total: 1 });
      const stages = events.filter((e) => e.phase === 'stage');
      assert.ok(stages.length >= 2);
      assert.equal(stages[stages.length - 1]!.done, stages[0]!.total);
      assert.ok(stages.every((e, i) => i === 0 || e.done > stages[i - 1]!.done));
      assert.deepEqual(events[events.length - 1], { phase: 'commit', done: 1, total: 1 });
    });

    it('keeps single-target calls as they were', async () => {
      const path = copyFixture();
      await setFtpsSetting({ config: path, site: 'Public Drop', settings: { clientCertificatePolicy: 'CertAllow' } });
      assert.deepEqual(await policyOf(path, 'Public Drop'), { value: 'CertAllow', source: 'site' });
    });
  });

  describe('CLI', () => {
    it('--site repeats, --site-like and --all-ftp-sites unite; one commit; --what-if writes nothing', async () => {
      const path = copyFixture();
      const before = readBytes(path);
      const w = await cli(['set', '--config', path, '--site', 'Public Drop', '--site-like', 'partner*', '--ssl128', 'true', '--what-if']);
      assert.equal(w.code, 0, w.err);
      assert.match(w.out, /What if: 2 change\(s\)/);
      assert.ok(readBytes(path).equals(before));
      const r = await cli(['set', '--config', path, '--all-ftp-sites', '--site', 'Public Drop', '--ssl128', 'true']);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /Wrote 3 change\(s\) .* in one commit/);
      assert.doesNotMatch(r.out, /Default Web Site/);
    });

    it('get of several sites prints each; --json gives { results: [{ target, settings }] }', async () => {
      const text = await cli(['get', '--config', FIXTURE, '--site', 'Public Drop', '--site', 'Partner Exchange']);
      assert.equal(text.code, 0, text.err);
      assert.match(text.out, /^site "Public Drop" \(id 2\)[\s\S]*\nsite "Partner Exchange" \(id 3\)/);
      const j = JSON.parse((await cli(['get', '--config', FIXTURE, '--all-ftp-sites', '--json'])).out);
      assert.deepEqual(j.results.map((x: { target: { name: string } }) => x.target.name), ['Public Drop', 'Partner Exchange', 'O\'Brien & Sons "Archive"']);
      assert.deepEqual(j.results[1].settings.sslClientCertificates.revocationFreshnessTime, { value: '01:00:00', source: 'siteDefaults' });
      // One --site keeps the single-site shape, with its target as in the list.
      const one = JSON.parse((await cli(['get', '--config', FIXTURE, '--site', 'Public Drop', '--json'])).out);
      assert.deepEqual(Object.keys(one), ['target', 'sslClientCertificates', 'ssl', 'clientCertAuthentication']);
      assert.deepEqual(one.target, j.results[0].target);
    });

    it('a --site-like that matches nothing exits 1 naming the pattern and writes nothing', async () => {
      const path = copyFixture();
      const before = readBytes(path);
      const r = await cli(['set', '--config', path, '--site-like', 'zz*', '--all-ftp-sites', '--ssl128', 'true']);
      assert.equal(r.code, 1);
      assert.match(r.err, /No site name matches "zz\*"/);
      assert.match(r.err, /SITE_NOT_FOUND/);
      assert.ok(readBytes(path).equals(before));
      assert.deepEqual(readdirSync(dirname(path)).filter((f) => !f.startsWith('.iis-ftps-history')), ['applicationHost.config']);
    });

    it('--site-defaults does not combine with sites', async () => {
      const r = await cli(['set', '--config', FIXTURE, '--site-defaults', '--all-ftp-sites', '--ssl128', 'true']);
      assert.equal(r.code, 2);
      assert.match(r.err, /one target only/);
    });

    it('draws a progress bar on a terminal for thousands of sites, never with --json nor off a terminal', async () => {
      const path = writeTemp(generateConfig({ sites: 1500 }).text);
      const tty = await cli(['set', '--config', path, '--all-ftp-sites', '--ssl128', 'true'], true);
      assert.equal(tty.code, 0, tty.err);
      assert.match(tty.err, /staging +\[#+\.*\] +\d+% \d+\/\d+ sites/);
      assert.ok(tty.err.endsWith('\r\x1b[K'), 'the bar is cleared at the end');
      const json = await cli(['set', '--config', path, '--all-ftp-sites', '--ssl128', 'false', '--json'], true);
      assert.equal(json.code, 0, json.err);
      assert.equal(json.err, '');
      assert.equal(JSON.parse(json.out).written, true);
      const pipe = await cli(['set', '--config', path, '--all-ftp-sites', '--ssl128', 'true'], false);
      assert.equal(pipe.err, '');
    });

    it('the bar stays silent for short work and throttles redraws', () => {
      let t = 0;
      let out = '';
      const bar = progressBar((s) => (out += s), { now: () => t });
      bar.onProgress({ phase: 'read', done: 1, total: 1 });
      bar.onProgress({ phase: 'stage', done: 10, total: 10 });
      bar.end();
      assert.equal(out, '');
      t = 400;
      bar.onProgress({ phase: 'stage', done: 1, total: 10 });
      bar.onProgress({ phase: 'stage', done: 2, total: 10 });
      t = 500;
      bar.onProgress({ phase: 'stage', done: 10, total: 10 });
      bar.end();
      assert.equal(out.split('\r').filter(Boolean).length, 3, JSON.stringify(out));
    });
  });
});
