/**
 * Fetching bytes another process holds: a bundle from the client that submitted its job
 * (sealed to the asking hub), a range of a dataset from a hub that serves it.
 *   const req: DataRequest = { kind: 'data-read', v: PROTOCOL_VERSION, name, offset: 0, length: 1 << 20 };
 */
import * as v from 'valibot';
import { message, bool, bytes, hex64, opt, str, token, uint } from './schema.js';

/** Largest dataset range served in one reply; a reader asks again for the rest. */
export const MAX_DATA_READ_BYTES = 16 << 20;

/** `hub`: who asks; the client seals the bytes to that hub's advertised key. */
export const BUNDLE = message('bundle', {
  hash: [hex64, 'a sha-256 hex digest'],
  hub: [opt(str), 'a string'],
});

/** `bytes`: the bundle (checked against its hash by the receiver); `sealed` to the asking hub. */
export const BUNDLE_BYTES = message('bundle-bytes', {
  hash: [hex64, 'a sha-256 hex digest'],
  bytes: [bytes, 'bytes'],
  sealed: [opt(bool), 'a boolean'],
});

/** A range of dataset `name` (NATS: `weave.data.<name>`, one hub of the queue group answers). */
export const DATA_READ = message('data-read', {
  name: [token, 'a dataset name'],
  offset: [uint, 'a non-negative integer'],
  length: [uint, 'a non-negative integer'],
});

/** `total`: the dataset's size; `bytes`: the range asked for, at most MAX_DATA_READ_BYTES, shorter at the end. */
export const DATA_BYTES = message('data-bytes', {
  total: [uint, 'a non-negative integer'],
  bytes: [bytes, 'bytes'],
});

export type BundleRequest = v.InferOutput<typeof BUNDLE.schema>;
export type BundleBytes = v.InferOutput<typeof BUNDLE_BYTES.schema>;
export type DataRequest = v.InferOutput<typeof DATA_READ.schema>;
export type DataBytes = v.InferOutput<typeof DATA_BYTES.schema>;
