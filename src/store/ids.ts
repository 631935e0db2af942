// Identifiers in the Managed Agents style (`sesn_…`, `sevt_…`): a prefix, then a
// time-ordered, monotonic body, so ids sort in creation order even across restarts.
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case

let lastMs = 0;
let counter = 0;

function encode(value: bigint, length: number): string {
  let out = '';
  let rest = value;
  for (let i = 0; i < length; i += 1) {
    out = ALPHABET[Number(rest % 32n)] + out;
    rest /= 32n;
  }
  return out;
}

/** A 26-character, lexicographically time-ordered body (48-bit ms time, 16-bit counter, 64 random bits). */
export function orderedId(prefix: string, now: number = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    counter = 0;
  } else {
    counter += 1;
    if (counter > 0xffff) {
      lastMs += 1;
      counter = 0;
    }
  }
  const time = encode(BigInt(lastMs), 10);
  const seq = encode(BigInt(counter), 4);
  const random = encode(randomBytes(8).readBigUInt64BE(), 12);
  return `${prefix}_${time}${seq}${random}`;
}
