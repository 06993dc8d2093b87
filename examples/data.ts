// Mean of the f32 values in dataset "points", read in chunks from whichever hub serves
// it (`hub start --data points=FILE`, or `weave run --data points=FILE` embedded).
// A hub without the dataset fetches the ranges from one that has it; `--reads points`
// places the job at its data.
//   node scripts/make-points.mjs build/points.bin 1000000
//   weave build examples/data.ts && weave run build/data.wasm 65536 --data points=build/points.bin
import { data, simd } from "weave";

export function mean(chunk: i32): f64 {
  const total = data.length("points");
  if (total < 0) throw new Error("no hub serves dataset 'points'");
  const buf = new Uint8Array(chunk * 4);
  const view = Float32Array.wrap(buf.buffer);
  let sum: f64 = 0;
  let count: i64 = 0;
  let offset: i64 = 0;
  while (offset < total) {
    const got = data.read("points", <u64>offset, buf);
    if (got <= 0) break;
    const n = <i32>(got / 4);
    sum += <f64>simd.sum(view.subarray(0, n));
    count += n;
    offset += got;
  }
  return count ? sum / <f64>count : 0;
}
