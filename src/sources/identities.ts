import { hash } from 'node:crypto';

/** Slots for this many identities before the table first doubles. */
const INITIAL_SLOTS = 1024;
/** Where a first sighting is an origin not of the shape "<prefix><number>": flagged in its slot's code. */
const OTHER = 0x80000000;
/** The origins of one input: the input's name, then ":" (a line) or "#" (a record) and a number. */
const NUMBERED = /^(.*[:#])([1-9]\d{0,8})$/s;

/**
 * The identities (ids or URLs) of the records of one input seen so far, each with the origin it was
 * first read from, so that a repeat can name it. A file of a million records would hold a million
 * keys and origins as strings (about 150 bytes each); this keeps 96 bits of each key's SHA-1 and
 * the number at the end of its origin in typed arrays, about 20 bytes a record. Two different keys
 * share 96 bits of SHA-1 with a chance of about n² / 2^97: 10^-17 for ten million records.
 */
export class SeenIdentities {
  #mask = INITIAL_SLOTS - 1;
  #size = 0;
  /** Three words of a key's hash per slot. */
  #hashes = new Uint32Array(INITIAL_SLOTS * 3);
  /** Per slot: 0 when empty; else the number its origin ends in, or OTHER + its index in #others. */
  #codes = new Uint32Array(INITIAL_SLOTS);
  #prefix: string | undefined;
  #others: string[] = [];

  /** Records that `key` was read at `origin`; returns the origin it was first read at, when it was. */
  add(key: string, origin: string): string | undefined {
    const h = hash('sha1', key, 'buffer');
    const a = h.readUInt32LE(0);
    const b = h.readUInt32LE(4);
    const c = h.readUInt32LE(8);
    let i = a & this.#mask;
    for (;;) {
      const code = this.#codes[i] as number;
      if (code === 0) break;
      if (this.#hashes[i * 3] === a && this.#hashes[i * 3 + 1] === b && this.#hashes[i * 3 + 2] === c) return this.#origin(code);
      i = (i + 1) & this.#mask;
    }
    this.#hashes[i * 3] = a;
    this.#hashes[i * 3 + 1] = b;
    this.#hashes[i * 3 + 2] = c;
    this.#codes[i] = this.#code(origin);
    // At most three quarters full, so that a probe ends soon.
    if (++this.#size * 4 > (this.#mask + 1) * 3) this.#grow();
    return undefined;
  }

  #code(origin: string): number {
    const m = NUMBERED.exec(origin);
    if (m) {
      this.#prefix ??= m[1];
      if (m[1] === this.#prefix) return Number(m[2]);
    }
    this.#others.push(origin);
    return OTHER + this.#others.length - 1;
  }

  #origin(code: number): string {
    return code >= OTHER ? (this.#others[code - OTHER] as string) : `${this.#prefix}${code}`;
  }

  #grow(): void {
    const hashes = this.#hashes;
    const codes = this.#codes;
    this.#mask = codes.length * 2 - 1;
    this.#hashes = new Uint32Array(codes.length * 2 * 3);
    this.#codes = new Uint32Array(codes.length * 2);
    for (let j = 0; j < codes.length; j++) {
      if (codes[j] === 0) continue;
      let i = (hashes[j * 3] as number) & this.#mask;
      while (this.#codes[i] !== 0) i = (i + 1) & this.#mask;
      this.#hashes.set(hashes.subarray(j * 3, j * 3 + 3), i * 3);
      this.#codes[i] = codes[j] as number;
    }
  }
}
