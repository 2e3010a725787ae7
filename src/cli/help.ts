import { settings } from '../schema/index.js';
import { backendNames } from '../backends/registry.js';
import { ROTATE_HELP, ROTATE_USAGE } from './rotate-help.js';
import { REMOTE_HELP } from '../remote/help.js';

const wrap = (text: string, indent: string, width = 100): string => {
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && (indent + line + ' ' + w).length > width) {
      lines.push(indent + line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(indent + line);
  return lines.join('\n');
};

/** The settings table, generated from the schema. */
export function settingsHelp(): string {
  return settings
    .map((s) => {
      const values =
        s.def.names && s.def.type === 'enum' ? `one of ${s.def.names.join(' | ')}`
        : s.def.names && s.def.type === 'flags' ? `flags, comma-separated: ${s.def.names.join(', ')} (or None, or their sum)`
        : s.def.type === 'timeSpan' ? 'time span hh:mm:ss or d.hh:mm:ss'
        : s.def.type === 'bool' ? 'true | false'
        : s.def.format === 'thumbprint' ? '40 hex digits'
        : 'text';
      const def = s.def.default === null ? 'none' : Array.isArray(s.def.default) ? s.def.default.join(', ') || 'none' : String(s.def.default);
      return `  --${s.option} VALUE\n${wrap(`${s.element}.${s.attribute}: ${values}. Default: ${def}. ${s.def.description}`, '      ')}`;
    })
    .join('\n');
}

const TARGET = '(--site NAME... | --site-id N... | --site-like PATTERN... | --all-ftp-sites | --site-defaults)';

const BULK_HELP = `Several sites at once: repeat --site and --site-id, add --site-like PATTERN (PowerShell
-like wildcards: * any text, ? one character, [a-z] a set; case-insensitive) and --all-ftp-sites
(every site with an ftp binding, never a web-only site). They unite, each site counted once, and
every selected site changes in one atomic commit. A pattern that matches no site is an error
(SITE_NOT_FOUND) and nothing is written. On a terminal, long work shows a progress bar on stderr
(never with --json).`;

export const commandHelp: Record<string, string> = {
  'rotate-cert': ROTATE_HELP,
  servers: REMOTE_HELP,
  get: `iis-ftps get [--config FILE] ${TARGET} [--json]

Shows the effective TLS settings of one FTP site, or of siteDefaults, and where each value comes
from: "site" (set on the site), "siteDefaults" (inherited from the defaults of every site) or
"default" (IIS's own default).

Examples:
  iis-ftps get --config applicationHost.config --site "Partner Exchange"
  iis-ftps get --config applicationHost.config --site-id 3 --json
  iis-ftps get --site-defaults                 # live IIS (Windows)
  iis-ftps get --config applicationHost.config --site-like "ftp-*" --json

With --json, one target prints { "target": { "level", "name", "id", "protocols" }, and one key
per element: { "ATTRIBUTE": { "value", "source" } } }.

${BULK_HELP} With several sites, --json prints { "results": [{ "target": { ... }, "settings": {
... one key per element, as for one site ... } }] }.`,

  set: `iis-ftps set [--config FILE] ${TARGET} SETTING... [--what-if] [--json]
    [--backup | --no-backup] [--backup-keep N] [--backup-dir DIR] [--retry N]

Sets settings on one site, or on siteDefaults, in one atomic commit: all of them or none.
A setting already set to that value at that level changes nothing; when nothing changes, the
file is not written. Setting a value pins it at that level even if it equals the inherited one.
--what-if shows each change (old -> new) and a diff of the file, and writes nothing.

${BULK_HELP}

Settings:
${settingsHelp()}

Examples (the reference scenario: require TLS and client certificates):
  iis-ftps set --config applicationHost.config --site "Partner Exchange" \\
    --server-cert-hash "57686f6120447564652c2049495320526f636b73" \\
    --control-channel-policy SslRequire --data-channel-policy SslRequire \\
    --client-certificate-policy CertRequire --use-active-directory-mapping true \\
    --client-cert-authentication true
  iis-ftps set --config applicationHost.config --site-defaults --validation-flags CertChainCacheOnlyUrlRetrieval --what-if
  iis-ftps set --config applicationHost.config --all-ftp-sites --client-certificate-policy CertRequire`,

  reset: `iis-ftps reset [--config FILE] ${TARGET} [--setting NAME]... [--what-if] [--json]
    [--backup | --no-backup] [--backup-keep N] [--backup-dir DIR] [--retry N]

Removes settings from one site, or from siteDefaults, so that they inherit again (all of them when
no --setting is given). NAME is a setting name (clientCertificatePolicy) or its option name
(client-certificate-policy).

Examples:
  iis-ftps reset --config applicationHost.config --site "Partner Exchange" --setting revocationUrlRetrievalTimeout
  iis-ftps reset --config applicationHost.config --site "Partner Exchange" --what-if`,

  apply: `iis-ftps apply [--config FILE] --desired FILE.json [--what-if] [--json]
    [--backup | --no-backup] [--backup-keep N] [--backup-dir DIR] [--retry N]

Makes sites and siteDefaults match a desired state: changes only what differs, in one commit, and
writes nothing when everything is already so, so provisioning can run it on every boot.
FILE.json (or - for standard input):
  {
    "siteDefaults": { "validationFlags": [] },
    "sites": {
      "Partner Exchange": { "clientCertificatePolicy": "CertRequire", "revocationFreshnessTime": null }
    }
  }
A value sets the setting at that level; null makes it inherit; settings not named are left alone.
Setting names are those of 'iis-ftps set --help' without the dashes, in camelCase.

Example:
  iis-ftps apply --config applicationHost.config --desired ftps.json --what-if`,

  test: `iis-ftps test [--config FILE] --desired FILE.json [--json]

Compares sites and siteDefaults with a desired state, the document 'iis-ftps apply' takes, and
writes nothing. A setting differs when what its level sets itself is not the desired value: a value
only inherited from siteDefaults is not set there, and null wants nothing set there. So the
settings listed are exactly those 'apply' with the same file would change. Exits with 0 when none
differs, 1 when some do (drift), 2 when the document is invalid.

With --json: { "inDesiredState": true | false, "checked": N, "differences": [{ "target": { "level",
"name", "id", "protocols" }, "setting", "actual", "desired" }] } ("actual": null when the level sets
nothing; "problem" when its stored value cannot be read).
With --computer SERVER...: the same test on each server, a drift report per server ('iis-ftps help
servers').

Examples:
  iis-ftps test --config applicationHost.config --desired ftps.json
  iis-ftps test --desired ftps.json --computer ftp01 --computer ftp02 --json`,

  restore: `iis-ftps restore --config FILE [--from N | --from NAME | --from latest] [--backup-dir DIR] [--no-backup] [--json]

Every write to a configuration file first keeps a copy of the version it replaces (by default the
last 10 per file, in .iis-ftps-history/ beside the file, named FILE.YYYYMMDDTHHMMSS.mmmZ.N.bak).
Without --from, lists the copies, oldest first. With --from, puts one back (its number N, its
file name, or latest): an atomic write under the file's lock like any other, which itself keeps a
copy of the version it replaces first, so a restore can be undone. A copy that is not a
well-formed configuration with a sites section is refused.

Examples:
  iis-ftps restore --config applicationHost.config
  iis-ftps restore --config applicationHost.config --from latest`,

  doctor: `iis-ftps doctor [--config FILE] [--site NAME | --site-id N | --site-defaults] [--json]

Checks the rules client-certificate authentication depends on (a server certificate, a
clientCertificatePolicy other than CertIgnore, Active Directory mapping, channels that allow TLS),
and warns about NoRevocationCheck and other weak spots. Without a target: siteDefaults and every
site with an FTP binding. Exits with 1 when a rule is broken.

Example:
  iis-ftps doctor --config applicationHost.config`,
};

export function mainHelp(): string {
  return `iis-ftps: read and change the TLS client-certificate settings of IIS FTP sites

Usage:
  iis-ftps get    [--config FILE] ${TARGET} [--json]
  iis-ftps set    [--config FILE] ${TARGET} SETTING... [--what-if] [--json]
  iis-ftps reset  [--config FILE] ${TARGET} [--setting NAME]... [--what-if] [--json]
  iis-ftps apply  [--config FILE] --desired FILE.json [--what-if] [--json]
  iis-ftps test   [--config FILE] --desired FILE.json [--json]      drift from a desired state
  iis-ftps doctor [--config FILE] [--site NAME] [--json]
  iis-ftps restore --config FILE [--from N | NAME | latest] [--json]
  ${ROTATE_USAGE}
  iis-ftps help COMMAND          more about one command, with examples

Many servers, through PowerShell remoting ('iis-ftps help servers'):
  iis-ftps (get | set | reset | apply | test | doctor) --computer SERVER... [options as above]
DSC v3 resource IisFtps/Setting: iis-ftps dsc (get | set | test | export) (docs/dsc.md)

Common options:
  --config FILE     work on this applicationHost.config (any OS). Without it, the live IIS
                    configuration of this machine through the best backend available.
  --backend NAME    ${backendNames().join(' | ')} (default auto)
  --site NAME       a site by name (case-insensitive); --site-id N by id; --site-defaults for
                    the defaults every site inherits; repeat --site/--site-id, or add
                    --site-like PATTERN and --all-ftp-sites, to select many sites at once
  --json            machine-readable output on stdout (errors as JSON on stderr)
  --what-if         show what would change, write nothing

Writing to a file (set, reset, apply, restore):
  --backup          keep a copy of the file before each write (the default)
  --no-backup       write without keeping a copy
  --backup-keep N   how many copies to keep per file (default 10)
  --backup-dir DIR  where the copies go (default .iis-ftps-history beside the file)
  --retry N         when a writer that takes no lock (IIS, appcmd, an editor) changed the file
                    since it was read (CONFLICT), read it again and retry, up to N times
  Writes are atomic (a crash leaves the old or the new file). set, reset, apply and restore
  hold a lock beside the file from their read to their write, so commands run at once on one
  file take turns and never fail each other; a waiting command waits while writers keep taking
  turns, and up to 30 s for any one of them (LOCK_TIMEOUT after that). On live IIS, a write
  that meets another writer's change reads again by itself, up to 5 tries.
  -h, --help        help; --version prints the version

Exit codes: 0 success (also when nothing needed changing), 1 failure (site not found, the file
changed on disk, unreadable file, doctor found a broken rule, test found drift), 2 invalid input or usage.

Run 'iis-ftps set --help' for every setting and its values.`;
}
