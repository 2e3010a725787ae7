import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XmlBackend } from '../../src/backends/xml/index.js';
import { acquireLock, lockDirFor, withFileLock } from '../../src/backends/xml/file/lock.js';
import { HOST_TAG } from '../../src/backends/xml/file/write.js';
import { getFtpsSetting, resetFtpsSetting, setFtpsSetting } from '../../src/api/cmdlets.js';
import { applyFtpsState } from '../../src/api/apply.js';
import { rotateFtpsCertificate } from '../../src/api/rotate.js';
import { OLD, THIRD, writeRenewalConfig } from '../support/renewal.js';
import { type ConflictRetry, LIVE_CONFLICT_ATTEMPTS } from '../../src/api/connection.js';
import { retryOnConflict } from '../../src/api/restore.js';
import { FtpsSession } from '../../src/session/session.js';
import { InterferingBackendDouble } from '../doubles/interfering-backend.js';
import { expectError } from '../support/expect.js';
import { copyFixture, readBytes, readText } from '../support/fixture.js';

const PARTNER = 'Partner Exchange';
const PUBLIC = 'Public Drop';

/** An owner file of a live writer (this process) in a file's lock folder, as if it held the lock. */
function holdLockAs(file: string, token: string): string {
  const dir = lockDirFor(file);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${process.pid}-${HOST_TAG}.${token}.owner`);
  writeFileSync(path, JSON.stringify({ pid: process.pid, host: `holder-${token}`, since: new Date().toISOString() }));
  return path;
}

describe('one-shot writes on a file', function () {
  this.timeout(60_000);

  it('set, reset, apply and rotate-cert hold the store from their read to their commit; get and what-if do not hold it', async () => {
    const path = copyFixture();
    const backend = new InterferingBackendDouble(path, { interferences: 0, holdable: true });
    const calls = async (work: () => Promise<unknown>): Promise<string[]> => {
      backend.calls.length = 0;
      await work();
      return [...backend.calls];
    };
    const held = ['hold', 'read', 'commit', 'release'];
    assert.deepEqual(await calls(() => setFtpsSetting({ backend, site: PARTNER, settings: { ssl128: true } })), held);
    assert.deepEqual(await calls(() => resetFtpsSetting({ backend, site: PARTNER, settings: ['ssl128'] })), held);
    assert.deepEqual(await calls(() => applyFtpsState({ backend, desired: { sites: { [PARTNER]: { ssl128: true } } } })), held);
    assert.deepEqual(await calls(() => setFtpsSetting({ backend, site: PARTNER, settings: { ssl128: false }, whatIf: true })), ['read']);
    const renewal = new InterferingBackendDouble(writeRenewalConfig(), { interferences: 0, holdable: true });
    const rotate = async (whatIf: boolean): Promise<string[]> => {
      renewal.calls.length = 0;
      await rotateFtpsCertificate({ backend: renewal, from: OLD, to: THIRD.replace(/3/g, '4'), whatIf });
      return [...renewal.calls];
    };
    assert.deepEqual(await rotate(true), ['read']);
    assert.deepEqual(await rotate(false), held);
    assert.deepEqual(await calls(() => getFtpsSetting({ backend, site: PARTNER })), ['read']);
  });

  it('a write waiting for the lock plans on what the holder wrote', async () => {
    const path = copyFixture();
    const backend = new XmlBackend({ path });
    let inside!: () => void;
    const entered = new Promise<void>((r) => (inside = r));
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    // A first writer holds the file and changes it while the second is already waiting.
    const first = backend.exclusive(async () => {
      inside();
      await released;
      await setFtpsSetting({ backend, site: PARTNER, settings: { serverCertStoreName: 'FIRST' } });
    });
    await entered;
    const second = setFtpsSetting({ config: path, site: PUBLIC, settings: { serverCertStoreName: 'SECOND' } });
    await new Promise((r) => setTimeout(r, 30));
    release();
    await first;
    const report = await second;
    assert.equal(report.written, true);
    const text = readText(path);
    assert.match(text, /serverCertStoreName="FIRST"/);
    assert.match(text, /serverCertStoreName="SECOND"/);
  });

  it('set, reset and apply wait for the lock; get and --what-if take none', async () => {
    const path = copyFixture();
    const before = readBytes(path);
    holdLockAs(path, 'a1b2c3d4e5f6');
    const lock = { timeoutMs: 50 };
    await expectError(setFtpsSetting({ config: path, site: PARTNER, settings: { ssl128: true }, lock }), 'LOCK_TIMEOUT', /holder-a1b2c3d4e5f6/);
    await expectError(resetFtpsSetting({ config: path, site: PARTNER, lock }), 'LOCK_TIMEOUT');
    await expectError(applyFtpsState({ config: path, desired: { sites: { [PARTNER]: { ssl128: true } } }, lock }), 'LOCK_TIMEOUT');
    // Reads and previews go on while another writer holds the file.
    assert.equal((await getFtpsSetting({ config: path, site: PARTNER, lock })).settings.ssl['ssl128']!.value, false);
    const preview = await setFtpsSetting({ config: path, site: PARTNER, settings: { ssl128: true }, whatIf: true, lock });
    assert.equal(preview.changes.length, 1);
    assert.match(preview.diff ?? '', /ssl128="true"/);
    assert.deepEqual(readBytes(path), before);
  });

  it('a session keeps ServerManager\'s rule: changes staged on a read are refused when the file changed before commitChanges()', async () => {
    const path = copyFixture();
    const session = await FtpsSession.open(new XmlBackend({ path }), { targets: [{ site: PARTNER }] });
    session.set({ site: PARTNER }, { ssl128: true });
    await setFtpsSetting({ config: path, site: PUBLIC, settings: { serverCertStoreName: 'OTHER' } });
    const after = readBytes(path);
    await expectError(session.commitChanges(), 'CONFLICT', /changed on disk/);
    assert.deepEqual(readBytes(path), after);
  });

  it('a writer that takes no lock is still caught as CONFLICT, and --retry reads again', async () => {
    const path = copyFixture();
    const backend = new InterferingBackendDouble(path, { interferences: 1, holdable: true });
    await expectError(setFtpsSetting({ backend, site: PARTNER, settings: { ssl128: true } }), 'CONFLICT', /changed on disk/);
    assert.doesNotMatch(readText(path), /ssl128="true"/);
    assert.equal(backend.commits, 1, 'a file backend does not retry by itself: the lock already keeps its own writers apart');
    const again = new InterferingBackendDouble(path, { interferences: 1, holdable: true });
    const report = await retryOnConflict(1, () => setFtpsSetting({ backend: again, site: PARTNER, settings: { ssl128: true } }));
    assert.equal(report.written, true);
    assert.match(readText(path), /ssl128="true"/);
    assert.match(readText(path), /edited by another tool/);
  });

  it('releases the lock when the work fails, and lets work under it take it again at once', async () => {
    const path = copyFixture();
    await assert.rejects(withFileLock(path, {}, async () => {
      // Re-entered: a commit inside a held write does not wait for itself.
      await withFileLock(path, { timeoutMs: 10 }, async () => undefined);
      throw new Error('work failed');
    }), /work failed/);
    (await acquireLock(path, { timeoutMs: 10 })).release();
  });
});

describe('one-shot writes on a store that cannot be held (live IIS)', () => {
  it('read again and retry by themselves when another writer changed the store, and say so', async () => {
    const path = copyFixture();
    const backend = new InterferingBackendDouble(path, { interferences: 2, holdable: false });
    const retries: ConflictRetry[] = [];
    const report = await setFtpsSetting({ backend, site: PARTNER, settings: { ssl128: true }, onRetry: (r) => retries.push(r) });
    assert.equal(report.written, true);
    assert.equal(backend.commits, 3);
    assert.deepEqual(retries.map((r) => [r.attempt, r.attempts, r.error.code]), [[2, LIVE_CONFLICT_ATTEMPTS, 'CONFLICT'], [3, LIVE_CONFLICT_ATTEMPTS, 'CONFLICT']]);
    assert.match(readText(path), /ssl128="true"/);
  });

  it('give up after a bounded number of tries, naming how often they tried, with nothing written', async () => {
    const path = copyFixture();
    const backend = new InterferingBackendDouble(path, { interferences: 100, holdable: false });
    const e = await expectError(resetFtpsSetting({ backend, site: PARTNER }), 'CONFLICT', new RegExp(`tried ${LIVE_CONFLICT_ATTEMPTS} times`));
    assert.equal(backend.commits, LIVE_CONFLICT_ATTEMPTS);
    assert.ok(e.cause, 'the last CONFLICT is kept as the cause');
    assert.match(readText(path), /clientCertificatePolicy="CertAllow"/, 'the reset was not written');
  });

  it('a what-if and a read never retry: they commit nothing', async () => {
    const path = copyFixture();
    const backend = new InterferingBackendDouble(path, { interferences: 100, holdable: false });
    await setFtpsSetting({ backend, site: PARTNER, settings: { ssl128: true }, whatIf: true });
    await getFtpsSetting({ backend, site: PARTNER });
    assert.equal(backend.commits, 0);
  });
});

describe('the lock wait', function () {
  this.timeout(60_000);

  it('goes on while other writers keep taking turns, and runs out only on one holder that keeps it', async () => {
    const path = copyFixture();
    // Holders take turns, each well within the wait's bound; together they hold it far longer.
    const timeoutMs = 3000;
    const turns = 8;
    let owner = holdLockAs(path, '000000000000');
    const waiting = acquireLock(path, { timeoutMs });
    for (let i = 1; i <= turns; i++) {
      await new Promise((r) => setTimeout(r, 500));
      const next = holdLockAs(path, String(i).padStart(12, '0'));
      const { unlinkSync } = await import('node:fs');
      unlinkSync(owner);
      owner = next;
    }
    const { unlinkSync } = await import('node:fs');
    unlinkSync(owner);
    (await waiting).release();
    // One holder that stays past the bound: LOCK_TIMEOUT naming it.
    holdLockAs(path, 'ffffffffffff');
    await expectError(acquireLock(path, { timeoutMs: 200 }), 'LOCK_TIMEOUT', /holder-ffffffffffff/);
  });
});
