import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../src/clock.js';
import { createIdGenerator, hashSecret, objectIdFloor } from '../src/ids.js';

describe('ids', () => {
  it('makes 24-hex ObjectId-shaped ids whose first 4 bytes are the clock seconds', () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 23));
    const id = createIdGenerator(clock).objectId();
    assert.match(id, /^[0-9a-f]{24}$/);
    assert.equal(parseInt(id.slice(0, 8), 16) * 1000, clock.now());
  });

  it('orders ids by creation, within one second and across seconds', () => {
    const clock = new ManualClock();
    const ids = createIdGenerator(clock);
    const made: string[] = [];
    for (let i = 0; i < 2000; i++) {
      if (i % 500 === 0) clock.advance(1000);
      made.push(ids.objectId());
    }
    assert.deepEqual([...made].sort(), made);
    assert.equal(new Set(made).size, made.length);
  });

  it('objectIdFloor(t) sorts above every id made before t’s second and at or below every id made from it on', () => {
    const clock = new ManualClock(Date.UTC(2026, 11, 2, 6, 0, 0, 500));
    const ids = createIdGenerator(clock);
    const floor = objectIdFloor(clock.now());
    assert.match(floor, /^[0-9a-f]{24}$/);
    clock.advance(-501);
    const before = ids.objectId();
    clock.advance(1);
    const atSecondStart = ids.objectId();
    clock.advance(5000);
    const later = ids.objectId();
    assert.ok(before < floor, `${before} < ${floor}`);
    assert.ok(floor <= atSecondStart && floor < later);
  });

  it('makes prefixed secrets and stores only their SHA-256', () => {
    const s = createIdGenerator(new ManualClock()).secret('mt_');
    assert.match(s, /^mt_[A-Za-z0-9_-]{43}$/);
    assert.match(hashSecret(s), /^[0-9a-f]{64}$/);
    assert.notEqual(hashSecret(s), hashSecret(s + 'x'));
  });
});
