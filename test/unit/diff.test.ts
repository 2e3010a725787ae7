import { strict as assert } from 'node:assert';
import { unifiedDiff } from '../../src/edits/diff.js';
import { type Edit, applyEdits } from '../../src/edits/edits.js';
import { prng } from '../../bench/generate.js';

const lines = (s: string): string[] => (s === '' ? [] : s.replace(/\r?\n$/, '').split(/\r?\n/));

/**
 * Applies a unified diff to the lines of `before` the way `patch` does, strictly: each hunk's
 * old start and count must match the context and removed lines there, and its new start must be
 * where its lines land in the result. Throws on any hunk that does not fit.
 */
function patch(before: string, diff: string): string[] {
  const old = lines(before);
  const out: string[] = [];
  let copied = 0;
  const body = diff.split('\n');
  assert.match(body[0]!, /^--- /);
  assert.match(body[1]!, /^\+\+\+ /);
  for (let i = 2; i < body.length && body[i] !== ''; ) {
    const h = /^@@ -(\d+),(\d+) \+(\d+),(\d+) @@$/.exec(body[i]!);
    assert.ok(h, `a hunk header at line ${i + 1} of the diff: ${body[i]}`);
    const [oldStart, oldCount, newStart, newCount] = h.slice(1).map(Number) as [number, number, number, number];
    assert.ok(oldStart - 1 >= copied, `hunk ${body[i]} starts before the end of the one before it`);
    out.push(...old.slice(copied, oldStart - 1));
    assert.equal(out.length + 1, newStart, `hunk ${body[i]}: its new start is where its lines land`);
    let o = oldStart - 1;
    let seenOld = 0;
    let seenNew = 0;
    for (i++; i < body.length && /^[ +-]/.test(body[i]!); i++) {
      const line = body[i]!;
      const text = line.slice(1);
      if (line[0] !== '+') {
        assert.equal(old[o], text, `line ${o + 1} of the old text is the hunk's ${line[0] === '-' ? 'removed' : 'context'} line`);
        o++;
        seenOld++;
      }
      if (line[0] !== '-') {
        out.push(text);
        seenNew++;
      }
    }
    assert.equal(seenOld, oldCount, 'the old count is the lines the hunk shows of the old text');
    assert.equal(seenNew, newCount, 'the new count is the lines the hunk shows of the new text');
    copied = o;
  }
  out.push(...old.slice(copied));
  return out;
}

/** A text of `n` lines, CRLF or LF. */
function text(n: number, eol: string, next: () => number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(`line ${i + 1} ${'x'.repeat(Math.floor(next() * 12))}`);
  return out.join(eol) + eol;
}

/** Non-overlapping edits: replacements inside a line, whole lines removed, lines inserted. */
function edits(before: string, count: number, next: () => number): Edit[] {
  const out: Edit[] = [];
  let at = 0;
  // Where the last edit ended: the next one starts no earlier.
  let floor = 0;
  for (let k = 0; k < count && at < before.length; k++) {
    at += 1 + Math.floor(next() * (before.length / count) * 1.5);
    if (at >= before.length) break;
    const kind = next();
    if (kind < 0.4) {
      const end = Math.min(before.length, at + Math.floor(next() * 6));
      out.push({ start: at, end, text: 'EDIT' });
      at = floor = end;
    } else if (kind < 0.7) {
      const start = Math.max(floor, before.lastIndexOf('\n', at - 1) + 1);
      const nl = before.indexOf('\n', at);
      const end = nl < 0 ? before.length : nl + 1;
      out.push({ start, end, text: '' });
      at = floor = end;
    } else {
      const start = Math.max(floor, before.lastIndexOf('\n', at - 1) + 1);
      out.push({ start, end: start, text: `inserted ${k}\r\nand another\r\n` });
      at = floor = start;
    }
  }
  return out;
}

describe('unifiedDiff', () => {
  it('is empty when nothing changes', () => {
    assert.equal(unifiedDiff('f', 'a\nb\n', []), '');
  });

  it('numbers one hunk by the lines it shows, with two lines of context on each side', () => {
    const before = 'a\r\nb\r\nc\r\nd\r\ne\r\nf\r\ng\r\n';
    const at = before.indexOf('d');
    assert.equal(unifiedDiff('f.config', before, [{ start: at, end: at + 1, text: 'D' }]), ['--- f.config', '+++ f.config (after)', '@@ -2,5 +2,5 @@', ' b', ' c', '-d', '+D', ' e', ' f', ''].join('\n'));
  });

  it('numbers each of many hunks where the file has it: the result patches the old text into the new one', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const next = prng(seed);
      const before = text(200 + Math.floor(next() * 600), next() < 0.5 ? '\r\n' : '\n', next);
      const changes = edits(before, 5 + Math.floor(next() * 60), next);
      const diff = unifiedDiff('f', before, changes);
      const hunks = diff.split('\n').filter((l) => l.startsWith('@@')).length;
      assert.ok(hunks >= 1, `seed ${seed}: at least one hunk`);
      assert.deepEqual(patch(before, diff), lines(applyEdits(before, changes)), `seed ${seed}: ${hunks} hunk(s) patch the old text into the new`);
    }
  });

  it('numbers hunks after an edit that adds or removes lines by the new text in "+"', () => {
    const before = Array.from({ length: 30 }, (_, i) => `l${i + 1}`).join('\n') + '\n';
    const third = before.indexOf('l3\n');
    const twentieth = before.indexOf('l20\n');
    const diff = unifiedDiff('f', before, [
      { start: third, end: third, text: 'new1\nnew2\nnew3\n' },
      { start: twentieth, end: twentieth + 'l20\n'.length, text: '' },
    ]);
    assert.deepEqual(
      diff.split('\n').filter((l) => l.startsWith('@@')),
      // The insertion shows the line it comes before as context, with two more after it.
      ['@@ -1,5 +1,8 @@', '@@ -18,5 +21,4 @@'],
    );
  });

  it('a patcher that checks line numbers refuses a hunk put at the wrong line (the check above can fail)', () => {
    const before = 'a\nb\nc\nd\ne\nf\ng\nh\n';
    const at = before.indexOf('f');
    const diff = unifiedDiff('f', before, [{ start: at, end: at + 1, text: 'F' }]);
    assert.doesNotThrow(() => patch(before, diff));
    const shifted = diff.replace(/^@@ -(\d+),(\d+) \+(\d+),/m, (_all, o: string, n: string, p: string) => `@@ -${Number(o) - 1},${n} +${Number(p) - 1},`);
    assert.notEqual(shifted, diff);
    assert.throws(() => patch(before, shifted), /old text/);
  });
});
