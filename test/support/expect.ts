import { strict as assert } from 'node:assert';
import { type IisFtpsError, isIisFtpsError } from '../../src/errors/errors.js';

/** Awaits a promise (or calls a function) that must fail with an IisFtpsError of `code`, and returns the error. */
export async function expectError(p: Promise<unknown> | (() => unknown), code: string, message?: RegExp): Promise<IisFtpsError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    assert.ok(isIisFtpsError(e), `expected IisFtpsError ${code}, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (message) assert.match(e.message, message);
    return e;
  }
  return assert.fail(`expected an IisFtpsError with code ${code}, but it succeeded`);
}
