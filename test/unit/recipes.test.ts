/**
 * The command lines of docs/certificate-renewal.md that call the CLI directly, run as written
 * (placeholders filled in as win-acme fills them). The PowerShell recipes in docs/recipes/ run in
 * the module's Pester suite.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../src/cli/run.js';
import { REPO, readBytes } from '../support/fixture.js';
import { OLD, writeRenewalConfig } from '../support/renewal.js';

const DOC = readFileSync(join(REPO, 'docs', 'certificate-renewal.md'), 'utf8');
const NEW = 'ABCDEF0123456789ABCDEF0123456789ABCDEF01';

async function cli(args: string[]) {
  let out = '';
  let err = '';
  const code = await run(args, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

describe('recipes: docs/certificate-renewal.md', () => {
  it('win-acme runs the CLI as its script: the documented --scriptparameters rotate, rerun without a change, and fail on a wrong OLD', async () => {
    const m = /--script "[^"]*iis-ftps\.cmd" --scriptparameters "([^"]+)"/.exec(DOC);
    assert.ok(m, 'the win-acme CLI recipe is in the document');
    const fill = (old: string, store: string) => m[1]!.replace('{OldCertThumbprint}', old).replace('{CertThumbprint}', NEW).replace('{StorePath}', store).split(' ');
    const config = writeRenewalConfig();
    const r = await cli([...fill(OLD, 'WebHosting'), '--config', config]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Wrote 6 change\(s\) at 3 level\(s\)/);
    const bytes = readBytes(config);
    const again = await cli([...fill(OLD, 'WebHosting'), '--config', config]);
    assert.equal(again.code, 0, again.err);
    assert.match(again.out, /already in place/);
    assert.deepEqual(readBytes(config), bytes);
    const wrong = await cli([...fill('2'.repeat(40), 'My'), '--config', writeRenewalConfig()]);
    assert.equal(wrong.code, 1);
    assert.match(wrong.err, /OLD_CERTIFICATE_NOT_FOUND/);
  });

  it('documents the scheduled task CLI call the script makes', () => {
    const script = readFileSync(join(REPO, 'docs', 'recipes', 'scheduled-task-ftps.ps1'), 'utf8');
    assert.match(DOC, /iis-ftps rotate-cert --from LAST --to-file \S+ --store-name My --json/);
    assert.match(script, /'rotate-cert', '--from', \$last, '--to-file', \$CertificateFile, '--store-name', \$StoreName, '--json'/);
  });
});
