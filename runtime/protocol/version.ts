/**
 * The protocol version every message carries as `v`; a receiver refuses any other.
 * 2: results are signed over job, attempt, hand-over sequence, hub, result and output,
 * and execs carry engine tickets (issue 20); a version-1 peer's results would be refused.
 *   const ping = { kind: 'ping', v: PROTOCOL_VERSION } as const;
 */
export const PROTOCOL_VERSION = 2 as const;
