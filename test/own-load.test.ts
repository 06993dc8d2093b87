/**
 * OwnLoad: an engine's view of a hub between adverts adds the jobs it placed there and
 * takes off those of its jobs the last advert counted that have finished since.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { OwnLoad } from '../runtime/hub/own-load.js';

const test = suite('own load');
const idle = { slots: 2, busy: 0, queue: 0, queuedWork: 0, runningWork: 0 };
const figures = (l: typeof idle) => [l.busy, l.queue, l.runningWork, l.queuedWork];

test('placed jobs take free slots, then queue; leaving before an advert undoes them', () => {
  const own = new OwnLoad();
  const a = own.placed('h', 100);
  own.placed('h', 50);
  own.placed('h', 30);
  assert.equal(figures(own.apply('h', idle)), [2, 1, 150, 30]);
  own.finished('h', a);
  own.finished('h', a); // twice: once
  assert.equal(figures(own.apply('h', idle)), [2, 0, 80, 0]);
  assert.equal(figures(own.apply('other', idle)), [0, 0, 0, 0], 'other hubs untouched');
});

test('after an advert counts them, a finished job frees its slot (or lets a queued one run)', () => {
  const own = new OwnLoad();
  const a = own.placed('h', 100);
  const b = own.placed('h', 40);
  const c = own.placed('h', 10);
  own.advert('h');
  const advert = { slots: 2, busy: 2, queue: 1, queuedWork: 10, runningWork: 140 };
  assert.equal(figures(own.apply('h', advert)), [2, 1, 140, 10], 'the advert alone');
  own.finished('h', a);
  assert.equal(figures(own.apply('h', advert)), [2, 0, 50, 0], 'the queued one runs now');
  own.finished('h', b);
  own.finished('h', c);
  assert.equal(figures(own.apply('h', advert)), [0, 0, 0, 0], 'all three done');
  own.advert('h');
  assert.equal(figures(own.apply('h', idle)), [0, 0, 0, 0], 'a new advert is the truth again');
});

test('a job of unknown cost makes the totals unknown, not wrong', () => {
  const own = new OwnLoad();
  own.placed('h', undefined);
  const l = own.apply('h', idle);
  assert.equal([l.busy, l.queuedWork, l.runningWork], [1, undefined, undefined]);
});

test.run();
