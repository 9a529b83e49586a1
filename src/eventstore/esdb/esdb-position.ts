/**
 * EventStoreDB addresses $all by (commit, prepare). Events of one multi-event append can
 * share a commit position and differ only in prepare position, so neither alone is a
 * unique, resumable address. We pack both into one integer, commit * 2^64 + prepare: it
 * orders exactly as the server orders (commit, then prepare) and leaves the process as
 * one decimal string like every other position.
 */
export interface EsdbPosition {
  readonly commit: bigint;
  readonly prepare: bigint;
}

const SHIFT = 64n;
const MASK = (1n << SHIFT) - 1n;

export const encodePosition = (p: EsdbPosition): bigint => (p.commit << SHIFT) | (p.prepare & MASK);

export const decodePosition = (encoded: bigint): EsdbPosition => ({
  commit: encoded >> SHIFT,
  prepare: encoded & MASK,
});

/** The server answers an idempotent re-append without a usable position (absent or all ones). */
export const isRealPosition = (p: EsdbPosition | undefined): p is EsdbPosition =>
  p !== undefined && p.commit >= 0n && p.commit < MASK && p.prepare >= 0n && p.prepare < MASK;
