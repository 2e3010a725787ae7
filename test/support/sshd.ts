/**
 * Stand-in servers for the remoting suites and bench: sshd processes on loopback ports, each with
 * its own host key, configuration and home folder (holding its own applicationHost.config), and
 * the PowerShell subsystem. A `SetEnv` line tells each one's sessions who they are: HOME (so
 * `~/applicationHost.config` is that server's file), PSModulePath (where the IisFtps module is
 * installed, or a folder without it) and IIS_FTPS_MWA_PATH (the Microsoft.Web.Administration test
 * double, so the module edits the file through ServerManager(path)).
 *
 * Needs Debian's openssh-server (`apt-get install -y openssh-server`). The processes run in the
 * foreground (-D) as children of this process and are stopped by pid.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { type AddressInfo, connect, createServer } from 'node:net';
import { pathToFileURL } from 'node:url';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { FIXTURE, REPO, tempDir } from './fixture.js';

export const SSHD = '/usr/sbin/sshd';

export interface StandIn {
  readonly name: string;
  readonly port: number;
  /** Its home folder; its configuration file is `${home}/applicationHost.config`. */
  readonly home: string;
  readonly config: string;
  readonly hasModule: boolean;
  readonly process: ChildProcess;
}

export interface StandIns {
  readonly user: string;
  /** The private key the client logs on with. */
  readonly key: string;
  /** known_hosts with every stand-in's host key, for StrictHostKeyChecking. */
  readonly knownHosts: string;
  readonly servers: readonly StandIn[];
  /** A loopback port where nothing listens: an unreachable server. */
  readonly unreachablePort: number;
  stop(): Promise<void>;
}

/** Why sshd cannot run here, or undefined. */
export function sshdMissing(): string | undefined {
  if (process.platform === 'win32') return 'the stand-in servers are OpenSSH sshd processes on Linux';
  if (!existsSync(SSHD)) return `${SSHD} is missing: install Debian's openssh-server (apt-get install -y openssh-server)`;
  return undefined;
}

/** A free loopback port (asked of the kernel, then released). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function listening(port: number, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = connect(port, '127.0.0.1');
      c.once('connect', () => {
        c.destroy();
        resolve(true);
      });
      c.once('error', () => resolve(false));
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/** A folder that holds the IisFtps module as installed: IisFtps/IisFtps.psd1 with module/ and ps/ beside it. */
async function moduleFolder(root: string): Promise<string> {
  // The module as it is published (scripts/build-module.mjs), installed on each stand-in's module path.
  const { buildModule } = (await import(pathToFileURL(join(REPO, 'scripts', 'build-module.mjs')).href)) as { buildModule: (outDir: string) => string };
  const modules = join(root, 'modules');
  buildModule(modules);
  return modules;
}

/**
 * Starts `count` stand-in servers (the first `withoutModule` of them lack the module), each on a
 * copy of the fixture. `pwsh` is the PowerShell their subsystem runs; `mwa` the test double.
 */
export async function startStandIns(options: { count: number; pwsh: string; mwa: string; withoutModule?: number }): Promise<StandIns> {
  const root = tempDir();
  const user = userInfo().username;
  const key = join(root, 'client_key');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'iis-ftps-test', '-f', key]);
  const authorized = join(root, 'authorized_keys');
  copyFileSync(`${key}.pub`, authorized);
  const modules = await moduleFolder(root);
  const noModules = join(root, 'no-modules');
  mkdirSync(noModules);
  // sshd run by root needs its privilege separation folder.
  if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true });
  const servers: StandIn[] = [];
  const known: string[] = [];
  const stop = async () => {
    for (const s of servers) {
      if (s.process.exitCode === null && s.process.signalCode === null) {
        const ended = new Promise((r) => s.process.once('exit', r));
        s.process.kill('SIGTERM');
        await ended;
      }
    }
  };
  try {
    for (let i = 0; i < options.count; i++) {
      const name = `server${i + 1}`;
      const dir = join(root, name);
      const home = join(dir, 'home');
      mkdirSync(home, { recursive: true });
      const config = join(home, 'applicationHost.config');
      copyFileSync(FIXTURE, config);
      const hostKey = join(dir, 'host_key');
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', hostKey]);
      const port = await freePort();
      const hasModule = i >= (options.withoutModule ?? 0);
      const sshdConfig = join(dir, 'sshd_config');
      writeFileSync(
        sshdConfig,
        [
          `Port ${port}`,
          'ListenAddress 127.0.0.1',
          `HostKey ${hostKey}`,
          `PidFile ${join(dir, 'sshd.pid')}`,
          `AuthorizedKeysFile ${authorized}`,
          'StrictModes no',
          'UsePAM no',
          'PasswordAuthentication no',
          'KbdInteractiveAuthentication no',
          'PubkeyAuthentication yes',
          'PermitRootLogin prohibit-password',
          `AllowUsers ${user}`,
          'MaxStartups 64',
          `Subsystem powershell ${options.pwsh} -sshs -NoLogo`,
          `SetEnv HOME=${home} PSModulePath=${hasModule ? modules : noModules} IIS_FTPS_MWA_PATH=${options.mwa}`,
          '',
        ].join('\n'),
      );
      const child = spawn(SSHD, ['-D', '-e', '-f', sshdConfig], { stdio: ['ignore', 'ignore', 'pipe'] });
      let log = '';
      child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
      servers.push({ name, port, home, config, hasModule, process: child });
      if (!(await listening(port, 30_000))) throw new Error(`sshd for ${name} did not listen on port ${port}: ${log.trim()}`);
      known.push(`[127.0.0.1]:${port} ${readFileSync(`${hostKey}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ')}`);
    }
  } catch (e) {
    await stop();
    throw e;
  }
  const knownHosts = join(root, 'known_hosts');
  writeFileSync(knownHosts, `${known.join('\n')}\n`);
  return { user, key, knownHosts, servers, unreachablePort: await freePort(), stop };
}
