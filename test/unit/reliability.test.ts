import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { XmlBackend } from '../../src/backends/xml/index.js';
import { acquireLock, lockDirFor } from '../../src/backends/xml/file/lock.js';
import { BACKUP_DIR_NAME } from '../../src/backends/xml/file/backup.js';
import { HOST_TAG, TEMP_PREFIX, cleanStaleTemps } from '../../src/backends/xml/file/write.js';
import { elementPaths } from '../../src/schema/index.js';
import { run } from '../../src/cli/run.js';
import { getFtpsSetting, setFtpsSetting } from '../../src/api/cmdlets.js';
import { listFtpsBackups, restoreFtpsBackup } from '../../src/api/restore.js';
import { FailingWriteFsDouble, type FailingStep } from '../doubles/failing-fs.js';
import { PhaseWriteFsDouble } from '../doubles/phase-fs.js';
import { change } from '../support/changes.js';
import { expectError } from '../support/expect.js';
import { copyFixture, readBytes, readText, tempDir, writeTemp } from '../support/fixture.js';
import { generateConfig, siteName } from '../support/generate.js';
import { startWorker, workerCommand } from '../support/workers.js';
import { crashValue } from '../support/workers/crash-value.js';

const PARTNER = { name: 'Partner Exchange', id: 3 };
const SOAK = process.env['IIS_FTPS_SOAK'] === '1';

async function commit(backend: XmlBackend, ...changes: ReturnType<typeof change>[]) {
  const snap = await backend.read({ elements: elementPaths });
  return backend.commit({ version: snap.version, changes });
}

/** Runs the CLI in-process. */
async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

/** A pid that is certainly not running: a child that has exited and been reaped. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

/** Leaves an owner file in a lock folder, as a crashed (or live) writer would. */
function plantOwner(file: string, pid: number, hostTag = HOST_TAG, ageMs = 0): string {
  const dir = lockDirFor(file);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${pid}-${hostTag}.abcdef012345.owner`);
  writeFileSync(path, JSON.stringify({ pid, host: 'planted-host', since: new Date(Date.now() - ageMs).toISOString() }));
  if (ageMs) utimesSync(path, new Date(Date.now() - ageMs), new Date(Date.now() - ageMs));
  return path;
}

const temps = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).filter((n) => n.startsWith(TEMP_PREFIX) && n.endsWith('.tmp')) : []);
const backupsIn = (path: string): string[] => {
  const dir = join(dirname(path), BACKUP_DIR_NAME);
  return existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.bak')).sort((a, b) => Number(a.split('.').at(-2)) - Number(b.split('.').at(-2))) : [];
};

describe('reliability of the offline backend', function () {
  // These tests start hundreds of processes: bounded by their counts, with room for a slow machine.
  this.timeout(600_000);

  describe('the lock', () => {
    it('makes a second writer wait until the first releases', async () => {
      const path = copyFixture();
      const first = await acquireLock(path);
      const events: string[] = [];
      const second = acquireLock(path, { timeoutMs: 10_000 }).then((l) => {
        events.push('second has it');
        return l;
      });
      await new Promise((r) => setTimeout(r, 50));
      events.push('first releases');
      first.release();
      (await second).release();
      assert.deepEqual(events, ['first releases', 'second has it']);
      assert.equal(existsSync(lockDirFor(path)), false, 'the lock folder goes when the last writer releases');
    });

    it('gives up with LOCK_TIMEOUT naming the holder, and a commit then writes nothing', async () => {
      const path = copyFixture();
      const before = readBytes(path);
      plantOwner(path, process.pid);
      const e = await expectError(acquireLock(path, { timeoutMs: 100 }), 'LOCK_TIMEOUT', new RegExp(`locked by process ${process.pid} on planted-host`));
      assert.match(e.message, /Run again when that writer is done/);
      const b = new XmlBackend({ path, lock: { timeoutMs: 100 } });
      await expectError(commit(b, change(PARTNER, 'ssl128', true)), 'LOCK_TIMEOUT');
      assert.deepEqual(readBytes(path), before);
      assert.deepEqual(backupsIn(path), []);
      const r = await cli('set', '--config', path, '--site', PARTNER.name, '--ssl128', 'true');
      assert.equal(r.code, 1);
      assert.match(r.stderr, /locked by process/);
    });

    it('recovers the lock of a writer that died, on this machine', async () => {
      const path = copyFixture();
      const stale = plantOwner(path, deadPid());
      const lock = await acquireLock(path, { timeoutMs: 100 });
      assert.equal(existsSync(stale), false);
      lock.release();
    });

    it('recovers a lock older than the bound, whoever held it, and waits for a young one of another machine', async () => {
      const path = copyFixture();
      const young = plantOwner(path, 1, 'ffffffff');
      await expectError(acquireLock(path, { timeoutMs: 100, staleMs: 60_000 }), 'LOCK_TIMEOUT', /process 1 on planted-host/);
      utimesSync(young, new Date(Date.now() - 120_000), new Date(Date.now() - 120_000));
      (await acquireLock(path, { timeoutMs: 100, staleMs: 60_000 })).release();
      assert.equal(existsSync(young), false);
    });

    it('lets exactly one process at a time hold it, when many processes race for it and for a stale lock', async () => {
      const path = writeTemp('x');
      const log = join(dirname(path), 'log');
      writeFileSync(log, '');
      plantOwner(path, deadPid());
      const workers = await Promise.all(Array.from({ length: 8 }, (_, i) => startWorker('lock-holder', [path, log, String(i), '30'])));
      const results = await Promise.all(workers.map((w) => w.done));
      for (const r of results) assert.equal(r.code, 0, r.stderr);
      const lines = readFileSync(log, 'utf8').trim().split('\n').map((l) => l.trim().split(' '));
      assert.equal(lines.length, 8 * 30 * 2);
      for (let i = 0; i < lines.length; i += 2) {
        assert.deepEqual([lines[i]![0], lines[i + 1]![0], lines[i + 1]![1]], ['in', 'out', lines[i]![1]], `holders overlapped at line ${i + 1}`);
      }
    });
  });

  describe('concurrent writers', () => {
    it('16 processes x 25 one-shot writes on distinct sites of one file, through the API and the CLI, none retrying: every change lands', async () => {
      const processes = 16;
      const changes = SOAK ? 100 : 25;
      const path = writeTemp(generateConfig(processes * changes).text);
      await workerCommand('writer');
      const workers = await Promise.all(
        Array.from({ length: processes }, (_, i) => startWorker('writer', [i % 2 ? 'cli' : 'api', path, String(i * changes + 1), String(changes), `P${i}`])),
      );
      const results = await Promise.all(workers.map((w) => w.done));
      for (const r of results) assert.equal(r.code, 0, r.stderr);
      const snap = await new XmlBackend({ path }).read({ elements: elementPaths, allSites: true });
      assert.equal(snap.sites.length, processes * changes);
      for (let i = 0; i < processes; i++) {
        for (let j = 0; j < changes; j++) {
          const site = snap.sites.find((s) => s.name === siteName(i * changes + j + 1))!;
          assert.equal(site.elements['ssl']!['serverCertStoreName'], `P${i}-${j}`, `change ${j} of process ${i}`);
        }
      }
      assert.equal(existsSync(lockDirFor(path)), false, 'no lock left behind');
      assert.deepEqual(temps(dirname(path)), []);
      assert.equal(backupsIn(path).length, 10, 'the last 10 versions are kept');
    });

    it('8 provisioning jobs at once, each running `iis-ftps set` 8 times as its own process with no option: all 64 land, none fails', async () => {
      const jobs = 8;
      const runs = SOAK ? 32 : 8;
      const path = writeTemp(generateConfig(jobs * runs).text);
      await workerCommand('cli');
      const value = (i: number, j: number): string => `0${i}:${String(j).padStart(2, '0')}:${String((i * runs + j) % 60).padStart(2, '0')}`;
      const job = async (i: number): Promise<string[]> => {
        const failures: string[] = [];
        for (let j = 0; j < runs; j++) {
          const site = siteName(i * runs + j + 1);
          const w = await startWorker('cli', ['set', '--config', path, '--site', site, '--revocation-freshness-time', value(i, j)]);
          const r = await w.done;
          if (r.code !== 0) failures.push(`job ${i} run ${j} (${site}): exit ${r.code}: ${r.stderr}`);
        }
        return failures;
      };
      const failures = (await Promise.all(Array.from({ length: jobs }, (_, i) => job(i)))).flat();
      assert.deepEqual(failures, []);
      const snap = await new XmlBackend({ path }).read({ elements: elementPaths, allSites: true });
      for (let i = 0; i < jobs; i++) {
        for (let j = 0; j < runs; j++) {
          const site = snap.sites.find((s) => s.name === siteName(i * runs + j + 1))!;
          assert.equal(site.elements['sslClientCertificates']!['revocationFreshnessTime'], value(i, j), `run ${j} of job ${i}`);
        }
      }
      assert.equal(existsSync(lockDirFor(path)), false, 'no lock left behind');
    });
  });

  describe('crashes', () => {
    it('a writer killed at random moments, hundreds of times, leaves the old or the new file, byte for byte', async function () {
      // Hundreds of processes: however slow the machine, the test is bounded by its count, not a clock.
      this.timeout(0);
      const kills = SOAK ? 1000 : 200;
      const lanes = 2;
      // A multi-megabyte file: 2,800 FTP sites.
      const base = generateConfig(2800).text;
      assert.ok(base.length > 2_000_000);
      await workerCommand('crash-writer');
      const perLane = Math.ceil(kills / lanes);
      const stats = await Promise.all(Array.from({ length: lanes }, () => crashLane(base, perLane)));
      const total = stats.reduce((a, s) => ({ kills: a.kills + s.kills, midWrite: a.midWrite + s.midWrite, staleLocks: a.staleLocks + s.staleLocks, commits: a.commits + s.commits }));
      assert.ok(total.kills >= kills, `${total.kills} kills`);
      // The kills must have hit the dangerous moments, or the test proves nothing.
      assert.ok(total.midWrite > 0, `no kill landed while a new version was being written (${JSON.stringify(total)})`);
      assert.ok(total.staleLocks > 0, `no kill landed while the lock was held (${JSON.stringify(total)})`);
      assert.ok(total.commits > 0, `no commit completed (${JSON.stringify(total)})`);
    });

    it('cleans a dead writer\'s temporary files on the next run, and never a live writer\'s', async () => {
      const path = copyFixture();
      const dir = dirname(path);
      const dead = join(dir, `${TEMP_PREFIX}applicationHost.config.${deadPid()}-${HOST_TAG}.0badf00d.tmp`);
      const live = join(dir, `${TEMP_PREFIX}applicationHost.config.${process.pid}-${HOST_TAG}.0badf00d.tmp`);
      const otherHost = join(dir, `${TEMP_PREFIX}applicationHost.config.${deadPid()}-ffffffff.0badf00d.tmp`);
      const old = join(dir, `${TEMP_PREFIX}applicationHost.config.0123456789abcdef.tmp`);
      for (const p of [dead, live, otherHost, old]) writeFileSync(p, 'partial');
      utimesSync(old, new Date(Date.now() - 2 * 3600_000), new Date(Date.now() - 2 * 3600_000));
      await commit(new XmlBackend({ path }), change(PARTNER, 'ssl128', true));
      assert.deepEqual(temps(dir).sort(), [live, otherHost].map((p) => p.slice(dir.length + 1)).sort());
      assert.deepEqual(cleanStaleTemps(dir), []);
    });
  });

  describe('write failures', () => {
    const cases: [FailingStep, 'ENOSPC' | 'EACCES' | 'EROFS' | 'EIO', RegExp][] = [
      ['write', 'ENOSPC', /the disk is full/],
      ['open', 'EACCES', /permission denied/],
      ['fsync', 'EIO', /EIO/],
      ['rename', 'EROFS', /read-only/],
      ['rename', 'EACCES', /permission denied/],
    ];
    for (const [step, code, message] of cases) {
      it(`${code} at ${step} of the new file: FILE_WRITE, original intact, no temporary file`, async () => {
        const path = copyFixture();
        const before = readBytes(path);
        const io = new FailingWriteFsDouble({ step, code, afterBytes: 1000, when: (p) => !p.includes(BACKUP_DIR_NAME) });
        const e = await expectError(commit(new XmlBackend({ path, writeFs: io }), change(PARTNER, 'ssl128', true)), 'FILE_WRITE', message);
        assert.match(e.message, /The file is unchanged/);
        assert.deepEqual(readBytes(path), before);
        assert.deepEqual(temps(dirname(path)), []);
        assert.ok(io.calls.some((c) => c.startsWith('open')), 'the double was used');
      });
    }

    it('a backup that cannot be written stops the commit before the file is touched', async () => {
      const path = copyFixture();
      const before = readBytes(path);
      const io = new FailingWriteFsDouble({ step: 'write', code: 'ENOSPC', afterBytes: 10, when: (p) => p.includes(BACKUP_DIR_NAME) });
      const e = await expectError(commit(new XmlBackend({ path, writeFs: io }), change(PARTNER, 'ssl128', true)), 'FILE_WRITE', /Could not keep a backup .* the disk is full\. Nothing was written/);
      assert.match(e.message, /--no-backup/);
      assert.deepEqual(readBytes(path), before);
      assert.deepEqual(temps(join(dirname(path), BACKUP_DIR_NAME)), []);
      assert.deepEqual(backupsIn(path), []);
    });

    it('a folder the user may not write: FILE_WRITE through the CLI, original intact (real permissions)', async () => {
      const path = copyFixture();
      const dir = dirname(path);
      const before = readBytes(path);
      chmodSync(dir, 0o555);
      const root = process.getuid?.() === 0;
      try {
        if (root) process.seteuid!(65534);
        const r = await cli('set', '--config', path, '--site', PARTNER.name, '--ssl128', 'true');
        assert.equal(r.code, 1, r.stderr);
        assert.match(r.stderr, /permission denied/);
        assert.match(r.stderr, /FILE_WRITE/);
      } finally {
        if (root) process.seteuid!(0);
        chmodSync(dir, 0o700);
      }
      assert.deepEqual(readBytes(path), before);
      assert.deepEqual(readdirSync(dir), ['applicationHost.config']);
    });
  });

  describe('backups', () => {
    it('keeps the version before every write, the last 10, named with time and counter', async () => {
      const path = copyFixture();
      const versions = [readBytes(path)];
      const b = new XmlBackend({ path });
      for (let i = 0; i < 12; i++) {
        await commit(b, change(PARTNER, 'serverCertStoreName', `STORE${i}`));
        versions.push(readBytes(path));
      }
      const names = backupsIn(path);
      assert.equal(names.length, 10);
      names.forEach((n, k) => {
        assert.match(n, /^applicationHost\.config\.\d{8}T\d{6}\.\d{3}Z\.\d+\.bak$/);
        assert.equal(Number(n.split('.').at(-2)), k + 3);
        assert.deepEqual(readFileSync(join(dirname(path), BACKUP_DIR_NAME, n)), versions[k + 2], `backup ${n} is the version before write ${k + 3}`);
      });
    });

    it('keeps the replaced version as a hard link, not a copy: the rename leaves it alone', async () => {
      const path = copyFixture();
      const before = readBytes(path);
      const inode = statSync(path).ino;
      await commit(new XmlBackend({ path }), change(PARTNER, 'ssl128', true));
      const [name] = backupsIn(path);
      const kept = join(dirname(path), BACKUP_DIR_NAME, name!);
      assert.deepEqual(readFileSync(kept), before);
      assert.equal(statSync(kept).ino, inode, 'the backup is the old file itself');
      assert.equal(statSync(kept).nlink, 1, 'and the only name it has left');
      assert.notEqual(statSync(path).ino, inode);
    });

    it('copies instead where a link cannot be made, or the file has another name already', async () => {
      const path = copyFixture();
      const before = readBytes(path);
      const io = new FailingWriteFsDouble({ step: 'link', code: 'EXDEV' });
      await commit(new XmlBackend({ path, writeFs: io }), change(PARTNER, 'ssl128', true));
      assert.ok(io.calls.some((c) => c.startsWith('link')), 'a link was tried');
      const [first] = backupsIn(path);
      assert.deepEqual(readFileSync(join(dirname(path), BACKUP_DIR_NAME, first!)), before);
      assert.equal(statSync(join(dirname(path), BACKUP_DIR_NAME, first!)).nlink, 1);

      const other = join(dirname(path), 'second-name.config');
      linkSync(path, other);
      const middle = readBytes(path);
      await commit(new XmlBackend({ path }), change(PARTNER, 'ssl128', false));
      const second = join(dirname(path), BACKUP_DIR_NAME, backupsIn(path)[1]!);
      assert.deepEqual(readFileSync(second), middle);
      assert.notEqual(statSync(second).ino, statSync(other).ino, 'a file with two names is copied: its other name could change it later');
    });

    it('removes a linked backup when the write after it fails, and the file stays as it was', async () => {
      const path = copyFixture();
      const before = readBytes(path);
      const io = new FailingWriteFsDouble({ step: 'rename', code: 'EROFS', links: true, when: (p) => !p.includes(BACKUP_DIR_NAME) });
      await expectError(commit(new XmlBackend({ path, writeFs: io }), change(PARTNER, 'ssl128', true)), 'FILE_WRITE', /read-only/);
      assert.ok(io.calls.some((c) => c.startsWith('link')), 'the backup was a link');
      assert.deepEqual(readBytes(path), before);
      assert.deepEqual(backupsIn(path), [], 'no second name of the live file is left in the history');
      assert.equal(statSync(path).nlink, 1);
    });

    it('keeps none when nothing is written, none with --no-backup, N with --backup-keep, in --backup-dir', async () => {
      const path = copyFixture();
      assert.equal((await cli('set', '--config', path, '--site', PARTNER.name, '--client-certificate-policy', 'CertAllow')).code, 0);
      assert.deepEqual(backupsIn(path), [], 'no write, no backup');
      assert.equal((await cli('set', '--config', path, '--site', PARTNER.name, '--ssl128', 'true', '--no-backup')).code, 0);
      assert.deepEqual(backupsIn(path), []);
      const other = join(tempDir(), 'history');
      for (const v of ['A', 'B', 'C', 'D']) {
        const r = await cli('set', '--config', path, '--site', PARTNER.name, '--server-cert-store-name', v, '--backup-keep', '2', '--backup-dir', other);
        assert.equal(r.code, 0, r.stderr);
      }
      assert.equal(readdirSync(other).length, 2);
      assert.deepEqual(backupsIn(path), []);
      const bad = await cli('set', '--config', path, '--site', PARTNER.name, '--ssl128', 'false', '--backup-keep', '0');
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /--backup-keep takes a whole number of at least 1/);
      assert.equal((await cli('set', '--config', path, '--site', PARTNER.name, '--ssl128', 'false', '--backup', '--no-backup')).code, 2);
    });

    it('restore lists the copies and puts one back atomically, keeping the current version first', async () => {
      const path = copyFixture();
      const original = readBytes(path);
      await setFtpsSetting({ config: path, site: PARTNER.name, settings: { clientCertificatePolicy: 'CertRequire' } });
      const changed = readBytes(path);
      const list = await cli('restore', '--config', path);
      assert.equal(list.code, 0);
      assert.match(list.stdout, /^\s+1 {2}\d{4}-\d\d-\d\dT.* applicationHost\.config\.\d{8}T\d{6}\.\d{3}Z\.1\.bak$/m);
      const r = await cli('restore', '--config', path, '--from', 'latest');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Restored .* from backup 1 .* kept as 2/);
      assert.deepEqual(readBytes(path), original);
      const entries = await listFtpsBackups({ config: path });
      assert.deepEqual(entries.map((e) => e.counter), [1, 2]);
      assert.deepEqual(readFileSync(entries[1]!.path), changed, 'the restore kept the version it replaced');
      const again = await restoreFtpsBackup({ config: path, from: '2' });
      assert.equal(again.written, true);
      assert.deepEqual(readBytes(path), changed);
      assert.equal((await getFtpsSetting({ config: path, site: PARTNER.name })).settings.sslClientCertificates['clientCertificatePolicy']!.value, 'CertRequire');
    });

    it('restore refuses an unknown copy, a broken copy, and waits for the lock', async () => {
      const path = copyFixture();
      await setFtpsSetting({ config: path, site: PARTNER.name, settings: { ssl128: true } });
      const current = readBytes(path);
      const unknown = await cli('restore', '--config', path, '--from', '99');
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, /No backup "99"\. Backups: 1 applicationHost\.config\./);
      const [entry] = await listFtpsBackups({ config: path });
      const whole = readFileSync(entry!.path);
      writeFileSync(entry!.path, whole.subarray(0, whole.length >> 1));
      const broken = await cli('restore', '--config', path, '--from', 'latest');
      assert.equal(broken.code, 1);
      assert.match(broken.stderr, /not well-formed/);
      assert.match(broken.stderr, /\.bak/);
      assert.deepEqual(readBytes(path), current);
      plantOwner(path, process.pid);
      await expectError(restoreFtpsBackup({ config: path, from: 'latest', lock: { timeoutMs: 50 } }), 'LOCK_TIMEOUT');
      assert.deepEqual(readBytes(path), current);
      assert.equal((await cli('restore', '--site', 'x')).code, 2);
    });
  });

  describe('configSource and shared configuration', () => {
    function withConfigSource(): { main: string; sites: string } {
      const fixture = readText(copyFixture());
      const start = fixture.indexOf('<sites>');
      const end = fixture.indexOf('</sites>') + '</sites>'.length;
      const main = writeTemp(`${fixture.slice(0, start)}<sites configSource="sites.config" />${fixture.slice(end)}`);
      const sites = join(dirname(main), 'sites.config');
      writeFileSync(sites, `<?xml version="1.0" encoding="UTF-8"?>\r\n${fixture.slice(start, end)}\r\n`);
      return { main, sites };
    }

    it('writes the configSource file under the lock of applicationHost.config, with a backup, and refuses a stale version', async () => {
      const { main, sites } = withConfigSource();
      const mainBytes = readBytes(main);
      const sitesBefore = readBytes(sites);
      const b = new XmlBackend({ path: main });
      await commit(b, change(PARTNER, 'ssl128', true));
      assert.deepEqual(readBytes(main), mainBytes, 'applicationHost.config itself is untouched');
      assert.match(readText(sites), /ssl128="true"/);
      const [entry] = await listFtpsBackups({ config: main });
      assert.equal(entry!.name.startsWith('sites.config.'), true);
      assert.deepEqual(readFileSync(entry!.path), sitesBefore);
      const snap = await b.read({ elements: elementPaths });
      writeFileSync(sites, readText(sites).replace('CertAllow', 'CertRequire'));
      await expectError(b.commit({ version: snap.version, changes: [change(PARTNER, 'ssl128', false)] }), 'CONFLICT');
      plantOwner(main, process.pid);
      await expectError(commit(new XmlBackend({ path: main, lock: { timeoutMs: 50 } }), change(PARTNER, 'ssl128', false)), 'LOCK_TIMEOUT');
      const r = await restoreFtpsBackup({ config: main, from: 'latest', lock: { timeoutMs: 50 } }).catch((e: Error) => e);
      assert.match(String(r), /LOCK_TIMEOUT|locked/);
    });

    it('follows redirection.config to the shared applicationHost.config and leaves the local copy alone', async () => {
      const local = copyFixture();
      const localBytes = readBytes(local);
      const share = dirname(copyFixture());
      const shared = join(share, 'applicationHost.config');
      writeFileSync(join(dirname(local), 'redirection.config'), `<?xml version="1.0" encoding="UTF-8"?>\r\n<configuration>\r\n    <configSections>\r\n        <section name="configurationRedirection" />\r\n    </configSections>\r\n    <configurationRedirection enabled="true" path="${share}" />\r\n</configuration>\r\n`);
      const r = await cli('set', '--config', local, '--site', PARTNER.name, '--ssl128', 'true');
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(readBytes(local), localBytes);
      assert.match(readText(shared), /ssl128="true"/);
      assert.equal(backupsIn(shared).length, 1);
    });

    it('reports shared configuration it cannot reach, and a broken redirection.config, instead of editing the local copy', async () => {
      const local = copyFixture();
      const before = readBytes(local);
      const redirection = join(dirname(local), 'redirection.config');
      writeFileSync(redirection, '<configuration><configurationRedirection enabled="true" path="\\\\fileserver\\iisconfig" /></configuration>');
      const r = await cli('set', '--config', local, '--site', PARTNER.name, '--ssl128', 'true');
      assert.equal(r.code, 1);
      assert.match(r.stderr, /enables shared configuration: the applicationHost.config IIS uses is \\\\fileserver\\iisconfig\\applicationHost.config, which cannot be reached from here/);
      const g = await cli('get', '--config', local, '--site', PARTNER.name);
      assert.equal(g.code, 1, 'reads are redirected too');
      writeFileSync(redirection, '<configuration><configurationRedirection enabled="true" path="/x" </configuration>');
      const broken = await cli('get', '--config', local, '--site', PARTNER.name);
      assert.equal(broken.code, 1);
      assert.match(broken.stderr, /redirection\.config is not well-formed XML: .* \(line 1, column \d+\)/);
      writeFileSync(redirection, '<configuration><configurationRedirection enabled="false" path="\\\\fileserver\\iisconfig" /></configuration>');
      assert.equal((await cli('set', '--config', local, '--site', PARTNER.name, '--ssl128', 'true')).code, 0, 'disabled: the local file is the live one');
      assert.notDeepEqual(readBytes(local), before);
    });
  });
});

/** Waits until a worker's output matches `pattern`, or it exits (then throws with what it said). */
async function outputMatching(w: Awaited<ReturnType<typeof startWorker>>, pattern: RegExp): Promise<void> {
  let exited = false;
  void w.done.then(() => (exited = true));
  for (;;) {
    if (pattern.test(w.stdout())) return;
    if (exited) throw new Error(`the writer ended by itself: ${(await w.done).stderr}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/**
 * One lane of the crash test: a file of its own, and a writer process killed with SIGKILL again
 * and again. After each kill the file must be exactly the version of the last commit the writer
 * reported, or of the one it was making.
 *
 * Where the kills land does not depend on the machine's speed. Half of them stop the writer just
 * before one of its file operations, chosen at random over its next two commits and a half
 * (test/doubles/phase-fs.ts): with the lock held, while a backup or the new version is part
 * written, flushed or renamed. The other half come at a random moment within three of the
 * writer's own commits, as measured on this machine (between operations too).
 */
async function crashLane(base: string, kills: number): Promise<{ kills: number; midWrite: number; staleLocks: number; commits: number }> {
  const path = writeTemp(base);
  const dir = dirname(path);
  const site = siteName(1400);
  const ref = { name: site, id: 1401 };
  // How many file operations, and how long, one commit of this file takes here, measured on a copy.
  const probe = new PhaseWriteFsDouble(0);
  const probeFile = writeTemp(base);
  const began = performance.now();
  await commit(new XmlBackend({ path: probeFile, backup: { keep: 3 }, writeFs: probe }), change(ref, 'serverCertStoreName', crashValue(0)));
  let cycleMs = performance.now() - began;
  const opsPerCommit = probe.count;
  assert.ok(opsPerCommit >= 10, `a commit makes ${opsPerCommit} file operations`);
  // The first version holds v0, so every later one differs from it only in that value.
  await commit(new XmlBackend({ path, backup: false }), change(ref, 'serverCertStoreName', crashValue(0)));
  const text = readText(path);
  const at = text.indexOf(`serverCertStoreName="${crashValue(0)}"`) + 'serverCertStoreName="'.length;
  const prefix = text.slice(0, at);
  const suffix = text.slice(at + crashValue(0).length);
  const version = (n: number): Buffer => Buffer.from(prefix + crashValue(n) + suffix);
  let last = 0;
  let midWrite = 0;
  let staleLocks = 0;
  let commits = 0;
  for (let k = 0; k < kills; k++) {
    const phased = k % 2 === 0;
    const stopAt = phased ? 1 + Math.floor(Math.random() * opsPerCommit * 2.5) : 0;
    const w = await startWorker('crash-writer', [path, site, String(last + 1), String(stopAt)]);
    if (phased) await outputMatching(w, /^stop /m);
    else {
      await outputMatching(w, /^ready$/m);
      await new Promise((r) => setTimeout(r, Math.random() * 3 * cycleMs));
    }
    w.child.kill('SIGKILL');
    const finished = await w.done;
    if (finished.signal !== 'SIGKILL') throw new Error(`the writer ended by itself: ${finished.stderr}`);
    const done = [...finished.stdout.matchAll(/^done (\d+) ([\d.]+)/gm)];
    commits += done.length;
    if (done.length) last = Number(done[done.length - 1]![1]);
    // The writer's own commits say how long a commit takes in a process of its own here.
    for (const d of done) cycleMs = Math.max(cycleMs, Number(d[2]));
    const bytes = readFileSync(path);
    if (bytes.equals(version(last + 1))) last += 1;
    else assert.ok(bytes.equals(version(last)), `after kill ${k + 1} the file is neither version ${last} nor ${last + 1} (${bytes.length} bytes)`);
    if (temps(dir).length || temps(join(dir, BACKUP_DIR_NAME)).length) midWrite++;
    if (existsSync(lockDirFor(path)) && readdirSync(lockDirFor(path)).length) staleLocks++;
  }
  // The next run cleans up after the crashed writers and writes normally.
  await commit(new XmlBackend({ path, backup: { keep: 3 } }), change(ref, 'serverCertStoreName', crashValue(last + 1)));
  assert.deepEqual(readFileSync(path), version(last + 1));
  assert.deepEqual(temps(dir), [], 'temporary files left after the next run');
  assert.deepEqual(temps(join(dir, BACKUP_DIR_NAME)), []);
  assert.equal(existsSync(lockDirFor(path)), false, 'stale lock left after the next run');
  for (const name of backupsIn(path)) {
    const copy = readFileSync(join(dir, BACKUP_DIR_NAME, name));
    const value = /serverCertStoreName="(v\d+x*)"/.exec(copy.subarray(at - 40, at + 40).toString())?.[1];
    assert.ok(value && copy.equals(version(Number(/^v(\d+)/.exec(value)![1]))), `backup ${name} is a whole version`);
  }
  return { kills, midWrite, staleLocks, commits };
}
