/**
 * Read an object of a JetStream object store through direct gets, which any replica of the
 * bucket's stream answers, rather than through the stream's leader.
 *
 * Why: nats.js reads an object's description with a leader-only request and its chunks
 * with an ordered consumer, which the leader must create. When the server holding the
 * leader dies, a cluster elects another only after 4 to 9 s (Raft's election timeout),
 * and every read waits for it. Measured on a 3-node cluster with the checkpoint bucket's
 * leader killed (scratch/cl-direct.mjs): leader reads came back after 8.8 and 9.9 s,
 * direct reads after 5 ms to 1.1 s (13-34 ms through the store's get, in three more runs).
 * Recoveries on a cluster waited those seconds.
 *
 * A replica may lag the leader: it can answer with the object's previous version, or not
 * know a new object yet (undefined). Callers that know a newer version was stored ask
 * again (the recovery does). Chunks are checked against the description's SHA-256, so a
 * description and chunks from replicas at different versions are refused, not mixed.
 *   const bytes = await readDirect(nc, 'weave-checkpoints', 'job@hub', 1 << 30);   // at most 1 GiB
 */
import { createHash } from 'node:crypto';
import { JSONCodec, type JetStreamManager, type NatsConnection } from 'nats';
import { TransportError } from '../protocol/index.js';

/** What nats.js stores as an object's description (its meta message). */
interface ObjectMeta {
  nuid: string;
  size: number;
  digest: string;
  deleted?: boolean;
  options?: { link?: unknown };
}

/** nats.js's manager has the direct API (`direct`), which its JetStreamManager type does not declare. */
type DirectGets = JetStreamManager & {
  direct: { getMessage(stream: string, query: { last_by_subj: string } | { seq: number; next_by_subj: string }): Promise<{ data: Uint8Array; seq: number }> };
};

const managers = new WeakMap<NatsConnection, Promise<DirectGets>>();
const jc = JSONCodec<ObjectMeta>();

/**
 * The object `name` of `bucket` as one replica has it; undefined when that replica has no
 * such object (or it is deleted). Throws when no replica answers (nats.js's request
 * timeout; callers bound the whole read themselves), and TransportError when the object
 * is larger than `maxBytes` or its chunks do not match its digest.
 */
export async function readDirect(nc: NatsConnection, bucket: string, name: string, maxBytes: number): Promise<Uint8Array | undefined> {
  let jsm = managers.get(nc);
  if (!jsm) managers.set(nc, (jsm = nc.jetstreamManager({ checkAPI: false }) as Promise<DirectGets>));
  const m = await jsm;
  const stream = `OBJ_${bucket}`;
  let meta: ObjectMeta;
  try {
    meta = jc.decode((await m.direct.getMessage(stream, { last_by_subj: `$O.${bucket}.M.${base64UrlPadded(name)}` })).data);
  } catch (e) {
    if (/404|no message found/i.test((e as Error).message)) return undefined;
    throw e;
  }
  if (meta.deleted) return undefined;
  if (meta.options?.link) throw new TransportError(`object '${name}' of '${bucket}' is a link, which a direct read does not follow`, { code: 'transport' });
  if (!(meta.size >= 0 && meta.size <= maxBytes)) throw new TransportError(`object '${name}' of '${bucket}' declares ${meta.size} bytes, over ${maxBytes}`, { code: 'too-large' });
  const out = new Uint8Array(meta.size);
  const hash = createHash('sha256');
  const subject = `$O.${bucket}.C.${meta.nuid}`;
  let at = 0;
  let seq = 0;
  while (at < meta.size) {
    const c = await m.direct.getMessage(stream, { seq: seq + 1, next_by_subj: subject });
    if (at + c.data.length > meta.size) throw new TransportError(`object '${name}' of '${bucket}': chunks longer than its ${meta.size} bytes`, { code: 'transport' });
    out.set(c.data, at);
    hash.update(c.data);
    at += c.data.length;
    seq = c.seq;
  }
  if (`SHA-256=${base64UrlPadded(hash.digest())}` !== meta.digest) {
    throw new TransportError(`object '${name}' of '${bucket}': chunks do not match its digest (replicas at different versions)`, { code: 'transport' });
  }
  return out;
}

/** nats.js's object names in subjects: base64url with its padding kept. */
function base64UrlPadded(v: string | Uint8Array): string {
  const s = Buffer.from(v).toString('base64url');
  return s + '='.repeat((4 - (s.length % 4)) % 4);
}
