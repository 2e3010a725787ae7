/**
 * The PowerShell module (Manifest.psd1, module/) in a real pwsh: the generated schema file, then
 * the Pester suite IisFtps.Tests.ps1 on both paths (ServerManager through the
 * Microsoft.Web.Administration test double, and the Node CLI). Without CI a missing pwsh, .NET
 * SDK or Pester skips the suite with the reason; with CI=true it fails it.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { SCHEMA_JSON, schemaText } from '../../../scripts/build-schema.js';
import { pesterSuite } from './run-pester.js';

describe('PowerShell module: schema data', () => {
  it('module/Private/schema.json is what `npm run build:schema` writes from src/schema', () => {
    assert.equal(readFileSync(SCHEMA_JSON, 'utf8'), schemaText(), 'module/Private/schema.json is stale: run npm run build:schema');
  });
});

pesterSuite({ title: 'PowerShell module (real pwsh, Pester)', file: 'IisFtps.Tests.ps1', minimum: 30 });
