/** What both sides of `bench floor` agree on: subjects and a fixed key (nothing secret is measured). */
export const FLOOR_SUBJECT = 'bench.floor';
export const CHECK_SUBJECT = 'bench.floor.check';
export const FLOOR_KEY = new Uint8Array(32).fill(3);
export const PAGE = 4096;
/** Bytes before a part's pages: index, count, offset, nonce; the tag follows the pages. */
export const HEAD = 32;
export const TAG = 16;
