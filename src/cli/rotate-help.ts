/** rotate-cert's usage line and help, kept apart from the command's code (help.ts generates the rest of the help). */

export const ROTATE_USAGE = 'iis-ftps rotate-cert [--config FILE] --from OLD (--to NEW | --to-file FILE) [--store-name NAME] [--also-site NAME]... [--what-if] [--force] [--json]';

export const ROTATE_HELP = `${ROTATE_USAGE}
    [--backup | --no-backup] [--backup-keep N] [--backup-dir DIR] [--retry N]

Certificate renewal: binds the new FTP server certificate everywhere the old one is used, in
one atomic commit. It replaces ssl.serverCertHash OLD -> NEW in siteDefaults and in every site
that sets OLD itself, whatever its bindings (FTP-only and mixed web+FTP sites alike), and writes
ssl.serverCertStoreName beside each replaced hash, so IIS finds the certificate in its store.
Sites that inherit the hash from siteDefaults stay inheriting (they follow siteDefaults).
The report lists every level changed and, apart, the FTP sites that use neither OLD nor NEW
(a site forgotten at an earlier renewal, or one on another certificate on purpose).

Thumbprints may carry spaces and the invisible mark the certificate dialog copies; they compare
case-insensitively and are written as 40 upper-case hex digits.

Options:
  --from OLD         the thumbprint being replaced (may be left out with --also-site, to bind
                     a first certificate to named sites)
  --to NEW           the thumbprint of the renewed certificate
  --to-file FILE     the renewed certificate as a .cer, .crt or .pem file (DER or PEM): NEW is
                     its SHA-1 thumbprint, and its validity dates and key usage are checked
  --store-name NAME  the store NEW is in, written as ssl.serverCertStoreName (My, WebHosting).
                     Default: where live IIS finds it (My, then WebHosting); offline My
  --also-site NAME   bind NEW to this site as well, whatever it holds now (repeatable)
  --what-if          show every change (old -> new) and a diff of the file, write nothing
  --force            bind NEW although it fails a certificate check. A RISK: an expired,
                     not yet valid or client-only certificate, or one without its private key,
                     makes the FTP service refuse TLS, so clients that require it cannot log on

Certificate checks (nothing is written when one fails, each with its own error code):
  On live IIS, NEW must be in LocalMachine\\STORE (CERTIFICATE_NOT_FOUND), with its private key
  (CERTIFICATE_NO_PRIVATE_KEY), within its validity period (CERTIFICATE_EXPIRED,
  CERTIFICATE_NOT_YET_VALID) and usable for server authentication: the Server Authentication
  EKU 1.3.6.1.5.5.7.3.1, or no EKU at all (CERTIFICATE_NOT_FOR_SERVER_AUTH). Offline (--config)
  the store cannot be seen: --to-file runs the date and EKU checks on the file.

Exit codes, for the script step of an ACME client:
  0  NEW is in place: written now, or already (a rerun writes nothing and says so)
  1  OLD is bound nowhere and NEW neither (OLD_CERTIFICATE_NOT_FOUND), NEW failed a check,
     a site of --also-site does not exist, or the file could not be read or written
  2  invalid input: a thumbprint that is not 40 hex digits, a missing --from/--to

Examples:
  iis-ftps rotate-cert --from 0123...CDEF --to 89AB...4567 --store-name WebHosting
  iis-ftps rotate-cert --config applicationHost.config --from 0123...CDEF --to-file new.cer --what-if
  iis-ftps rotate-cert --from 0123...CDEF --to 89AB...4567 --also-site "Partner Exchange" --json

See docs/certificate-renewal.md for win-acme, Posh-ACME and scheduled-task recipes.`;
