/**
 * Writes iis-ftps.dsc.resource.json, the Microsoft DSC v3 resource manifest of IisFtps/Setting,
 * from src/dsc (its embedded instance schema is z.toJSONSchema of the zod instance schema, which is
 * built from src/schema). `npm run build:dsc` regenerates it; a test fails when the shipped file
 * differs from what this writes.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DSC_MANIFEST_FILE, dscManifestText } from '../src/dsc/manifest.js';

export const DSC_MANIFEST = fileURLToPath(new URL(`../${DSC_MANIFEST_FILE}`, import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(DSC_MANIFEST, dscManifestText());
  console.log(`wrote ${DSC_MANIFEST}`);
}
