/**
 * The protocol version every message carries as `v`; a receiver refuses any other.
 * 2: results are signed over job, attempt, hand-over sequence, hub, result and output,
 * and execs carry engine tickets (issue 20); a version-1 peer's results would be refused.
 * 3: adverts carry the hub process's boot id, as its heartbeats do; heartbeats are signed
 * by the hub and fences by the job's client. An engine would take a version-2 hub, whose
 * adverts lack the boot id, for no hub at all, and a version-2 hub would take any peer's fence.
 * 4: the result of a job without a record carries a MAC for its client (`mac`) instead of a
 * signature; a version-3 engine would discard every such result as unsigned.
 * 5: an exec's ticket may be a MAC per hub of its route (`ticketMacs`, with the client's
 * `clientBind`) instead of a signature; a version-4 hub would refuse it as unsigned.
 *   const ping = { kind: 'ping', v: PROTOCOL_VERSION } as const;
 */
export const PROTOCOL_VERSION = 5 as const;
