import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, SHARED_FIXTURE } from '../support/fixture.js';

describe('example configuration', () => {
  it('is byte-identical to the shared reference fixture it was copied from', function () {
    if (!existsSync(SHARED_FIXTURE)) {
      // A clone without shared/ beside it: the example is the only copy there is, so there is nothing to compare.
      assert.ok(existsSync(join(REPO, 'examples', 'applicationHost.config')));
      return;
    }
    assert.deepEqual(readFileSync(join(REPO, 'examples', 'applicationHost.config')), readFileSync(SHARED_FIXTURE));
  });
});
