import { strict as assert } from 'node:assert';
import { Gather } from '../../src/backends/xml/file/gather.js';
import { type Edit, sortEdits } from '../../src/edits/edits.js';
import { prng } from '../../bench/generate.js';

describe('sortEdits', () => {
  const e = (start: number, end: number, text: string): Edit => ({ start, end, text });

  it('keeps edits that come in order as they are, in a new array', () => {
    const edits = [e(0, 0, 'a'), e(3, 5, 'b'), e(3, 5, 'c'), e(9, 9, 'd')];
    const sorted = sortEdits(edits);
    assert.notEqual(sorted, edits);
    assert.deepEqual(sorted, edits);
  });

  it('sorts edits out of order by start, then end, equal places in the order given, and leaves its input alone', () => {
    const edits = [e(9, 9, 'd'), e(3, 5, 'b'), e(0, 0, 'a'), e(3, 4, 'x'), e(3, 5, 'c')];
    const copy = [...edits];
    assert.deepEqual(sortEdits(edits).map((x) => x.text), ['a', 'x', 'b', 'c', 'd']);
    assert.deepEqual(edits, copy);
  });
});

describe('Gather (the write buffer)', () => {
  type Piece = Uint8Array | string;
  /** The pieces a content gives: through the generators only, or with the direct copies first as FileSource.bytes does. */
  function gathered(parts: readonly Piece[], direct: boolean): Buffer[] {
    const out = new Gather();
    const pieces: Buffer[] = [];
    const take = (it: Iterable<Uint8Array>) => {
      for (const p of it) pieces.push(Buffer.from(p));
    };
    for (const p of parts) {
      if (typeof p === 'string') {
        if (!(direct && out.tryText(p))) take(out.text(p, 0, p.length, 'utf8'));
      } else if (!(direct && out.tryBytes(p))) take(out.bytes(p));
    }
    take(out.flush());
    return pieces;
  }

  it('gives the same pieces with direct copies as through its generators, for ranges and texts of every size', () => {
    const texts = ['', ' sslFlags="Ssl128"', 'é', '\u{1F512} x', 'ü'.repeat(40_000), 'a'.repeat(300_000)];
    for (let seed = 1; seed <= 40; seed++) {
      const next = prng(seed);
      const parts: Piece[] = [];
      for (let i = 0; i < 60; i++) {
        const r = next();
        if (r < 0.45) parts.push(texts[Math.floor(next() * texts.length)]!);
        else {
          // Mostly short ranges; now and then one near the buffer's size or half of it (786,432 and 393,216 bytes).
          const size = r < 0.9 ? Math.floor(next() * 2000) : [393_215, 393_216, 786_431, 786_432, 786_433][Math.floor(next() * 5)]!;
          parts.push(Buffer.alloc(size, Math.floor(next() * 256)));
        }
      }
      const slow = gathered(parts, false);
      const fast = gathered(parts, true);
      assert.deepEqual(fast.map((p) => p.length), slow.map((p) => p.length), `seed ${seed}: the same piece boundaries`);
      assert.ok(Buffer.concat(fast).equals(Buffer.concat(slow)), `seed ${seed}: the same bytes`);
      const expected = Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));
      assert.ok(Buffer.concat(fast).equals(expected), `seed ${seed}: the content itself`);
    }
  });

  it('refuses a direct copy that would fill the room left, or a large range, so the generators flush first', () => {
    const out = new Gather();
    assert.equal(out.tryBytes(Buffer.alloc(393_216)), false, 'half a buffer goes out as it is');
    assert.equal(out.tryBytes(Buffer.alloc(393_215)), true);
    assert.equal(out.tryBytes(Buffer.alloc(393_217)), false, 'more than the room left');
    assert.equal(out.tryText('x'.repeat(131_073)), false, 'three bytes a character may not fit in the room left (393,217 bytes)');
    assert.equal(out.tryText('x'.repeat(131_072)), true);
    assert.equal(out.tryText('x'.repeat(100)), true);
  });
});
