/**
 * OwnLoad: an engine's view of a hub between adverts adds the jobs it placed there and
 * takes off those of its jobs the last advert counted that have left since.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { OwnLoad } from '../runtime/engine/index.js';

const test = suite('own load');
const idle = { slots: 2, busy: 0, queue: 0 };
const figures = (l: typeof idle) => [l.busy, l.queue];

test('placed jobs take free slots, then queue; leaving before an advert undoes them', () => {
  const own = new OwnLoad();
  const a = own.placed('h');
  own.placed('h');
  own.placed('h');
  assert.equal(figures(own.apply('h', idle)), [2, 1]);
  own.finished('h', a);
  own.finished('h', a); // twice: once
  assert.equal(figures(own.apply('h', idle)), [2, 0]);
  assert.equal(figures(own.apply('other', idle)), [0, 0], 'other hubs untouched');
});

test('after an advert counts them, a finished job frees its slot (or lets a queued one run)', () => {
  const own = new OwnLoad();
  const a = own.placed('h');
  const b = own.placed('h');
  const c = own.placed('h');
  own.advert('h');
  const advert = { slots: 2, busy: 2, queue: 1 };
  assert.equal(figures(own.apply('h', advert)), [2, 1], 'the advert alone');
  own.finished('h', a);
  assert.equal(figures(own.apply('h', advert)), [2, 0], 'the queued one runs now');
  own.finished('h', b);
  own.finished('h', c);
  assert.equal(figures(own.apply('h', advert)), [0, 0], 'all three done');
  own.advert('h');
  assert.equal(figures(own.apply('h', idle)), [0, 0], 'a new advert is the truth again');
});

test.run();
