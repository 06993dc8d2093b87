/**
 * The protocol version every message carries as `v`; a receiver refuses any other.
 *   const ping = { kind: 'ping', v: PROTOCOL_VERSION } as const;
 */
export const PROTOCOL_VERSION = 1 as const;
