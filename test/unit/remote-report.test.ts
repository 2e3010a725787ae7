import { strict as assert } from 'node:assert';
import { REPORT_MARKER, reportOf } from '../../src/remote/fanout.js';

describe('remote: reading the fan-out script report', () => {
  const rows = [{ computer: 'ssh://u@127.0.0.1:1', output: [], errors: [{ code: 'x', message: 'y' }] }];

  it('finds the report after what ssh printed to the same stdout, with or without a line end', () => {
    for (const before of ['', 'ssh: connect to host 127.0.0.1 port 1: Connection refused', 'ssh: connect to host 127.0.0.1 port 1: Connection refused\r\n', '[not, the report]\n']) {
      assert.deepEqual(reportOf(`${before}\r\n${REPORT_MARKER}${JSON.stringify(rows)}\r\n`), rows, JSON.stringify(before));
      assert.deepEqual(reportOf(`${before}${REPORT_MARKER}${JSON.stringify(rows)}`), rows, JSON.stringify(before));
    }
  });

  it('is null without a report, or with one that is not a list', () => {
    assert.equal(reportOf(''), null);
    assert.equal(reportOf(`[${JSON.stringify(rows[0])}]\n`), null, 'a list without the marker is not the report');
    assert.equal(reportOf(`${REPORT_MARKER}{"a":1}\n`), null);
    assert.equal(reportOf(`${REPORT_MARKER}[{"a":\n`), null);
  });
});
