/**
 * The offline backend on the steps around siteDefaults (test/support/differential.ts LEVEL_STEPS):
 * the reference the live backends' differential suites compare with.
 */
import { join } from 'node:path';
import { XmlBackend } from '../../src/backends/xml/index.js';
import { tempDir } from '../support/fixture.js';
import { runLevelSteps } from '../support/levels.js';

describe('siteDefaults-only values, pins equal to siteDefaults and resets (offline backend)', () => {
  it('read with the sources IIS gives them, pin, and reset as expected', async () => {
    const path = join(tempDir(), 'applicationHost.config');
    await runLevelSteps([{ name: 'xml', path, backend: new XmlBackend({ path, backup: false }) }]);
  });
});
