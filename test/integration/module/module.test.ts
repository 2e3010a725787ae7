/**
 * The PowerShell module (Manifest.psd1, module/) in a real pwsh: the generated schema file, then
 * the Pester suite IisFtps.Tests.ps1 on both paths (ServerManager through the
 * Microsoft.Web.Administration test double, and the Node CLI). Without CI a missing pwsh, .NET
 * SDK or Pester skips the suite with the reason; with CI=true it fails it.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMA_JSON, schemaText } from '../../../scripts/build-schema.js';
import { REPO } from '../../support/fixture.js';
import { type BridgeRuntime, USE_REAL_IIS } from '../../support/powershell.js';
import { expectWholeSuite, pesterRuntime, runPester } from './run-pester.js';

const HERE = join(REPO, 'test', 'integration', 'module');

describe('PowerShell module: schema data', () => {
  it('module/Private/schema.json is what `npm run build:schema` writes from src/schema', () => {
    assert.equal(readFileSync(SCHEMA_JSON, 'utf8'), schemaText(), 'module/Private/schema.json is stale: run npm run build:schema');
  });
});

describe('PowerShell module (real pwsh, Pester)', function () {
  this.timeout(600_000);
  let rt: BridgeRuntime;
  let pester: string;

  before(function () {
    if (USE_REAL_IIS) this.skip(); // the suite edits copies of the fixture through the test double
    ({ rt, pester } = pesterRuntime(this));
  });

  it('IisFtps.Tests.ps1 passes on both paths, with no test skipped', () => {
    expectWholeSuite(runPester(rt, pester, join(HERE, 'IisFtps.Tests.ps1')), 30);
  });
});
