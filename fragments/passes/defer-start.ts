/**
 * Pass: move the module's start function out of the Wasm start section into an export
 * (START_EXPORT), and say what a fresh instance's memory holds (its active data segments
 * from `dataStart` to `dataEnd`, zero elsewhere).
 *
 * Why: a start function runs at every instantiation, and most instances are made to restore
 * a checkpoint, whose memory and globals replace whatever the start wrote. So the job's
 * top-level code ran again at every move (wasted, and any host call in it made again); a
 * host call there that reads memory (`trace()`, output) trapped at once, since imports
 * reach the instance's memory through its exports, which do not exist while it is being
 * instantiated; and the start's writes left the restore no page it could trust to be zero:
 * a restore copied the whole initial memory, every 4 KiB page a page fault on first touch
 * (about 0.6 ms a restore of a 3-page module here). The executor now calls the export when
 * a job starts, and a restore writes only the pages a checkpoint holds data in. (A later
 * full capture still reads every page once: that fault moves, off the resume path.)
 *   const instance = deferStart(m);   // before emitBinary; goes into the manifest
 */
import binaryen from 'binaryen';
import { START_EXPORT } from '../abi.js';
import type { FreshInstance } from '../manifest.js';

export function deferStart(m: binaryen.Module): FreshInstance {
  const start = m.getStart();
  if (start) {
    m.addFunctionExport(binaryen.getFunctionInfo(start).name, START_EXPORT);
    // binaryen.js's setStart(0) clears the start (BinaryenSetStart takes a null function).
    m.setStart(0 as binaryen.FunctionRef);
  }
  let dataStart = Infinity;
  let dataEnd = 0;
  const mm = m as any;
  for (let i = 0; i < mm.getNumDataSegments(); i++) {
    const seg = mm.getDataSegmentInfo(mm.getDataSegmentByIndex(i));
    // Passive segments are written only by memory.init, in code: never before a restore.
    if (seg.passive || !seg.data.byteLength) continue;
    dataStart = Math.min(dataStart, seg.offset);
    dataEnd = Math.max(dataEnd, seg.offset + seg.data.byteLength);
  }
  if (dataEnd === 0) dataStart = 0;
  return { dataStart, dataEnd, ...(start ? { startExport: START_EXPORT } : {}) };
}
