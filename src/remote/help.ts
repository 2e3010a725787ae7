/** The help of `--computer` (iis-ftps help servers), kept apart from its code so that help loads none of it. */

export const REMOTE_HELP = `iis-ftps (get | set | reset | doctor) --computer SERVER... [--ssh-user USER] [--ssh-key FILE]
    [--ssh-option NAME=VALUE]... [--throttle-limit N] [--config FILE] (--site NAME... | --site-defaults)
    [SETTING...] [--setting NAME]... [--what-if] [--json]
iis-ftps (apply | test) --computer SERVER... --desired FILE.json [--what-if] [--json] [the options above]

Runs the command on each SERVER through PowerShell remoting, from one local PowerShell 7 (pwsh)
with one session per server; the IisFtps module must be installed on each. SERVER is a name for
WinRM, or ssh://[user@]host[:port] for SSH. Each server commits its own changes in one commit; one
server's failure is reported for that server and never stops the others; --what-if writes nothing
anywhere. --config is resolved on each server (~/ is that server's home). Exit code 0 only when
every server succeeded. apply and test take their targets from the desired state (the document of
'iis-ftps apply --help'), read and checked here and sent to each server as data: apply makes each
server match it in one commit; test reports, per server, the settings that differ from it (its
drift) and succeeds only for a server in the desired state.

With --json: { "servers": [{ "computer", "ok", ... }] }, one object per server, in the order given:
"changes" (set, reset, apply: "target: setting: old -> new" lines) and "whatIf"; "results" (get:
the settings of each target; doctor: its findings); "inDesiredState" and "differences" (test:
{ "target": { "level", "name", "id" }, "setting", "actual", "desired" }); or "error" ({ "code",
"message" }) for a server that failed.

Examples:
  iis-ftps set --computer ftp01 --computer ftp02 --site-defaults --control-channel-policy SslRequire --what-if
  iis-ftps get --computer ssh://admin@ftp03 --ssh-key ~/.ssh/id_ed25519 --site "Partner Exchange" --json
  iis-ftps test --computer ftp01 --computer ftp02 --desired ftps-baseline.json
  iis-ftps apply --computer ftp01 --computer ftp02 --desired ftps-baseline.json --what-if
`;
