/**
 * Fan-out over SSH: wall time of one Set-IisFtpsSetting across 1, 4 and 16 stand-in servers
 * (sshd processes on loopback ports, test/support/sshd.ts), each run changing every server (the
 * value alternates). Not a test: it prints a table. Time per server should fall as servers are
 * added, up to the throttle limit, since the servers run at once.
 *
 *   npm run bench:remoting [-- --runs N]
 *
 * Needs pwsh, Debian's openssh-server and the Microsoft.Web.Administration test double (built by
 * test/doubles/mwa/build.sh). The times are taken inside one pwsh, around the cmdlet alone.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolvePowerShell } from '../src/backends/powershell/executable.js';
import { sshdMissing, startStandIns } from '../test/support/sshd.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 3;
const sizes = [1, 4, 16];

const missing = sshdMissing();
const pwsh = resolvePowerShell(process.env['IIS_FTPS_TEST_PWSH']);
if (missing || !pwsh) {
  console.log(`bench:remoting skipped: ${missing ?? 'pwsh was not found'}`);
  process.exit(0);
}
const mwa = execFileSync('bash', [join(repo, 'test', 'doubles', 'mwa', 'build.sh')], { encoding: 'utf8' }).trim().split('\n').pop()!;
const standIns = await startStandIns({ count: Math.max(...sizes), pwsh: pwsh.path, mwa });
try {
  // Fixed script; the servers and settings arrive as JSON on stdin.
  const script = `
$ErrorActionPreference = 'Stop'
$in = [Console]::In.ReadToEnd() | ConvertFrom-Json
Import-Module (Join-Path $in.repo 'Manifest.psd1')
$opt = @{ StrictHostKeyChecking = 'yes'; UserKnownHostsFile = $in.knownHosts }
$rows = foreach ($n in $in.sizes) {
    $hosts = @($in.ports | Select-Object -First $n | ForEach-Object { '127.0.0.1:{0}' -f $_ })
    $times = foreach ($run in 1..$in.runs) {
        $value = @('CertAllow', 'CertRequire')[$run % 2]
        $sw = [System.Diagnostics.Stopwatch]::StartNew()
        $r = @(Set-IisFtpsSetting -SiteName 'Public Drop' -ClientCertificatePolicy $value -ConfigPath '~/applicationHost.config' -HostName $hosts -UserName $in.user -KeyFilePath $in.key -SSHOption $opt -ThrottleLimit 32)
        $sw.Stop()
        if (@($r | Where-Object Succeeded).Count -ne $n) { throw ('{0} of {1} servers failed' -f ($n - @($r | Where-Object Succeeded).Count), $n) }
        $sw.Elapsed.TotalMilliseconds
    }
    $median = @($times | Sort-Object)[[int][math]::Floor($in.runs / 2)]
    [pscustomobject]@{ servers = $n; ms = [math]::Round($median); msPerServer = [math]::Round($median / $n) }
}
$rows | ConvertTo-Json -Compress
`;
  const input = JSON.stringify({ repo, sizes, runs, user: standIns.user, key: standIns.key, knownHosts: standIns.knownHosts, ports: standIns.servers.map((s) => s.port) });
  const out = execFileSync(pwsh.path, ['-NoProfile', '-NonInteractive', '-Command', script], { input, encoding: 'utf8', maxBuffer: 16 << 20, timeout: 1_800_000 });
  const rows = JSON.parse(out.trim().split('\n').pop()!) as { servers: number; ms: number; msPerServer: number }[];
  console.log(`Set-IisFtpsSetting over SSH (one commit per server, throttle 32, median of ${runs} runs)\n`);
  console.log('| servers | wall ms | ms per server |');
  console.log('| ---: | ---: | ---: |');
  for (const r of rows) console.log(`| ${r.servers} | ${r.ms} | ${r.msPerServer} |`);
} finally {
  await standIns.stop();
}
