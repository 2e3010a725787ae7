/**
 * `iis-ftps COMMAND --computer ...` against stand-in servers (sshd on loopback ports, see
 * test/support/sshd.ts): one local pwsh runs the module's cmdlet on each server, the CLI prints a
 * report per server and exits 0 only when every server succeeded.
 */
import { strict as assert } from 'node:assert';
import { copyFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { run } from '../../../src/cli/run.js';
import { FIXTURE, writeTemp } from '../../support/fixture.js';
import { type BridgeRuntime, USE_REAL_IIS, bridgeRuntime } from '../../support/powershell.js';
import { type StandIns, sshdMissing, startStandIns } from '../../support/sshd.js';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(args, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

describe('CLI --computer: the command on each server through PowerShell remoting (real sshd, pwsh)', function () {
  this.timeout(900_000);
  let rt: BridgeRuntime;
  let s: StandIns | undefined;
  let ssh: string[];
  let pwshBefore: string | undefined;
  const address = (port: number) => `ssh://${s!.user}@127.0.0.1:${port}`;

  before(async function () {
    if (USE_REAL_IIS) this.skip();
    rt = bridgeRuntime(this);
    const missing = sshdMissing();
    if (missing) {
      if (process.env['CI'] === 'true') throw new Error(missing);
      console.log(`      skipped: ${missing}`);
      this.skip();
    }
    s = await startStandIns({ count: 2, pwsh: rt.exe.path, mwa: rt.mwaPath! });
    // The CLI's local pwsh: the one the suite found, whether or not it is on PATH.
    pwshBefore = process.env['IIS_FTPS_PWSH'];
    process.env['IIS_FTPS_PWSH'] = rt.exe.path;
    ssh = ['--ssh-key', s.key, '--ssh-option', 'StrictHostKeyChecking=yes', '--ssh-option', `UserKnownHostsFile=${s.knownHosts}`, '--config', '~/applicationHost.config'];
  });
  after(async () => {
    if (pwshBefore === undefined) delete process.env['IIS_FTPS_PWSH'];
    else process.env['IIS_FTPS_PWSH'] = pwshBefore;
    await s?.stop();
  });
  const servers = () => s!.servers.flatMap((x) => ['--computer', address(x.port)]);

  it('set --what-if: a report per server, nothing written on any', async () => {
    const r = await cli(['set', ...servers(), ...ssh, '--site', 'Public Drop', '--client-certificate-policy', 'CertRequire', '--what-if', '--json']);
    assert.equal(r.code, 0, r.err + r.out);
    const j = JSON.parse(r.out) as { servers: { computer: string; ok: boolean; whatIf: boolean; changes: string[] }[] };
    assert.deepEqual(j.servers.map((x) => x.computer), s!.servers.map((x) => address(x.port)));
    for (const x of j.servers) assert.deepEqual({ ok: x.ok, whatIf: x.whatIf, changes: x.changes }, { ok: true, whatIf: true, changes: ['site "Public Drop" (id 2): clientCertificatePolicy: (not set) -> CertRequire'] });
    for (const x of s!.servers) assert.equal(readFileSync(x.config, 'utf8'), readFileSync(FIXTURE, 'utf8'));
  });

  it('set on every server, each in its own commit; get reads each back', async () => {
    const r = await cli(['set', ...servers(), ...ssh, '--site', 'Public Drop', '--client-certificate-policy', 'CertRequire']);
    assert.equal(r.code, 0, r.err + r.out);
    assert.match(r.out, /2 of 2 server\(s\) succeeded/);
    for (const x of s!.servers) assert.match(readFileSync(x.config, 'utf8'), /clientCertificatePolicy="CertRequire"/);
    const g = await cli(['get', ...servers(), ...ssh, '--site', 'Public Drop', '--json']);
    assert.equal(g.code, 0, g.err);
    const j = JSON.parse(g.out) as { servers: { ok: boolean; results: Record<string, unknown>[] }[] };
    for (const x of j.servers) assert.equal(x.results[0]!['ClientCertificatePolicy'], 'CertRequire');
  });

  it('an unreachable server fails alone and makes the exit code 1', async () => {
    const r = await cli(['reset', ...servers(), '--computer', address(s!.unreachablePort), ...ssh, '--site', 'Public Drop', '--setting', 'clientCertificatePolicy', '--json']);
    assert.equal(r.code, 1, r.err);
    const j = JSON.parse(r.out) as { servers: { computer: string; ok: boolean; error?: { code: string } }[] };
    assert.deepEqual(j.servers.map((x) => x.ok), [true, true, false]);
    assert.equal(j.servers[2]!.error!.code, 'BACKEND_UNAVAILABLE');
    for (const x of s!.servers) assert.doesNotMatch(readFileSync(x.config, 'utf8'), /clientCertificatePolicy="CertRequire"/);
  });

  it('test --desired: a drift report per server; apply --desired makes each match in one commit; test again: none drifts', async () => {
    for (const x of s!.servers) copyFileSync(FIXTURE, x.config);
    // The second server already requires client certificates on the site.
    const second = s!.servers[1]!;
    writeFileSync(second.config, readFileSync(FIXTURE, 'utf8').replace('clientCertificatePolicy="CertAllow"', 'clientCertificatePolicy="CertRequire"'));
    const desired = writeTemp(JSON.stringify({ siteDefaults: { controlChannelPolicy: 'SslRequire' }, sites: { 'Partner Exchange': { clientCertificatePolicy: 'CertRequire' } } }), 'baseline.json');
    const mtimes = s!.servers.map((x) => statSync(x.config).mtimeMs);

    const t = await cli(['test', ...servers(), ...ssh, '--desired', desired, '--json']);
    assert.equal(t.code, 1, t.err + t.out);
    const report = JSON.parse(t.out) as { servers: { computer: string; ok: boolean; inDesiredState: boolean; differences: { target: { level: string; name: string | null; id: number | null }; setting: string; actual: unknown; desired: unknown }[] }[] };
    assert.deepEqual(report.servers.map((x) => x.computer), s!.servers.map((x) => address(x.port)));
    assert.deepEqual(report.servers[0]!.differences, [
      { target: { level: 'siteDefaults', name: null, id: null }, setting: 'controlChannelPolicy', actual: null, desired: 'SslRequire' },
      { target: { level: 'site', name: 'Partner Exchange', id: 3 }, setting: 'clientCertificatePolicy', actual: 'CertAllow', desired: 'CertRequire' },
    ]);
    assert.deepEqual(report.servers[1]!.differences.map((d) => d.setting), ['controlChannelPolicy']);
    assert.deepEqual(report.servers.map((x) => [x.ok, x.inDesiredState]), [[false, false], [false, false]]);
    assert.deepEqual(s!.servers.map((x) => statSync(x.config).mtimeMs), mtimes, 'test writes nothing');

    const plain = await cli(['test', ...servers(), ...ssh, '--desired', desired]);
    assert.match(plain.out, /site "Partner Exchange" \(id 3\): clientCertificatePolicy is CertAllow, should be CertRequire/);
    assert.match(plain.out, /0 of 2 server\(s\) in the desired state/);

    const whatIf = await cli(['apply', ...servers(), ...ssh, '--desired', desired, '--what-if', '--json']);
    assert.equal(whatIf.code, 0, whatIf.err + whatIf.out);
    assert.deepEqual((JSON.parse(whatIf.out) as { servers: { changes: string[] }[] }).servers.map((x) => x.changes.length), [2, 1]);
    assert.deepEqual(s!.servers.map((x) => statSync(x.config).mtimeMs), mtimes, 'apply --what-if writes nothing');

    const a = await cli(['apply', ...servers(), ...ssh, '--desired', desired, '--json']);
    assert.equal(a.code, 0, a.err + a.out);
    assert.deepEqual((JSON.parse(a.out) as { servers: { ok: boolean; changes: string[] }[] }).servers.map((x) => [x.ok, x.changes]), [
      [true, ['siteDefaults: controlChannelPolicy: (not set) -> SslRequire', 'site "Partner Exchange" (id 3): clientCertificatePolicy: CertAllow -> CertRequire']],
      [true, ['siteDefaults: controlChannelPolicy: (not set) -> SslRequire']],
    ]);
    const again = await cli(['test', ...servers(), ...ssh, '--desired', desired]);
    assert.equal(again.code, 0, again.out);
    assert.match(again.out, /2 of 2 server\(s\) in the desired state/);
  });

  it('apply and test --computer refuse a missing or invalid desired state, and a --site, before contacting any server', async () => {
    const none = await cli(['test', '--computer', 'ftp01']);
    assert.equal(none.code, 2);
    assert.match(none.err, /test needs --desired/);
    const site = await cli(['apply', '--computer', 'ftp01', '--desired', '-', '--site', 'x']);
    assert.equal(site.code, 2);
    assert.match(site.err, /takes its targets from the desired state/);
    const bad = writeTemp(JSON.stringify({ sites: { x: { clientCertificatePolicy: 'Sometimes' } } }), 'bad.json');
    const r = await cli(['apply', '--computer', 'ftp01', '--desired', bad]);
    assert.equal(r.code, 2);
    assert.match(r.err, /sites\["x"\]: Invalid value for clientCertificatePolicy/);
  });

  it('refuses a bad value before contacting any server', async () => {
    const r = await cli(['set', '--computer', 'ftp01', '--site', 'x', '--control-channel-policy', 'SslDeny']);
    assert.equal(r.code, 2);
    assert.match(r.err, /controlChannelPolicy/);
  });
});
