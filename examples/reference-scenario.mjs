#!/usr/bin/env node
// The reference scenario on the example configuration shipped in this repository: require TLS
// on both channels and client certificates on one FTP site, authenticated by certificate.
// It works on a fresh copy each time, so it prints the same every run.
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '..', 'dist', 'cli', 'bin.cjs');
// A fixed work folder (ignored by git), overwritten each run: the output is the same every time.
const work = join(here, '.work');
mkdirSync(work, { recursive: true });
const config = relative(process.cwd(), join(work, 'applicationHost.config')) || 'applicationHost.config';
copyFileSync(join(here, 'applicationHost.config'), config);

const step = (title, args) => {
  console.log(`\n$ iis-ftps ${args.map((a) => (/[\s"']/.test(a) ? JSON.stringify(a) : a)).join(' ')}`);
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  console.log(`(exit ${r.status}: ${title})`);
  return r.status;
};

{
  const site = ['--config', config, '--site', 'Public Drop'];
  console.log(`Working on a copy of examples/applicationHost.config: ${config}`);
  step('before', ['get', ...site]);
  step('what would change', ['set', ...site, '--server-cert-hash', '57686f6120447564652c2049495320526f636b73',
    '--control-channel-policy', 'SslRequire', '--data-channel-policy', 'SslRequire',
    '--client-certificate-policy', 'CertRequire', '--use-active-directory-mapping', 'true',
    '--client-cert-authentication', 'true', '--what-if']);
  step('the reference scenario, one atomic commit', ['set', ...site, '--server-cert-hash', '57686f6120447564652c2049495320526f636b73',
    '--control-channel-policy', 'SslRequire', '--data-channel-policy', 'SslRequire',
    '--client-certificate-policy', 'CertRequire', '--use-active-directory-mapping', 'true',
    '--client-cert-authentication', 'true']);
  step('after', ['get', ...site]);
  step('checks', ['doctor', ...site]);
  const text = readFileSync(config, 'utf8');
  console.log(`\nThe site now reads, in the file (CRLF line endings and comments kept):\n`);
  const from = text.indexOf('<site name="Public Drop"');
  console.log(text.slice(text.lastIndexOf('\n', from) + 1, text.indexOf('</site>', from) + 7).replace(/\r/g, ''));
}
