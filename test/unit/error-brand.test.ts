import { strict as assert } from 'node:assert';
import { IisFtpsError, isIisFtpsError } from '../../src/errors/errors.js';

describe('isIisFtpsError', () => {
  it('knows an error of another copy of the module by its registered symbol', () => {
    class Copy extends Error {
      get [Symbol.for('iis-ftps.IisFtpsError')](): true {
        return true;
      }
    }
    assert.equal(isIisFtpsError(new IisFtpsError('USAGE', 'x')), true);
    assert.equal(isIisFtpsError(new Copy('x')), true);
  });

  it('refuses other errors and plain objects that only carry the symbol', () => {
    assert.equal(isIisFtpsError(new Error('x')), false);
    assert.equal(isIisFtpsError({ [Symbol.for('iis-ftps.IisFtpsError')]: true }), false);
    assert.equal(isIisFtpsError(undefined), false);
  });
});
