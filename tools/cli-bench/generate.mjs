// Writes the benchmark book of issue 10 as CSV: N orders, half buys and half sells (alternating), limit prices
// uniform over 9,000..11,000 ticks, quantities uniform over 1..1,000 lots, ids o1..oN, from a seeded PRNG
// (sfc32), so every run and every machine gets the same file.
//
//   node tools/cli-bench/generate.mjs ORDERS [SEED] > book.csv
import { writeSync } from 'node:fs';

const orders = Number(process.argv[2] ?? 2_000_000);
const seed = Number(process.argv[3] ?? 1);
if (!Number.isSafeInteger(orders) || orders < 0) {
  console.error('usage: node generate.mjs ORDERS [SEED] > book.csv');
  process.exit(2);
}

// sfc32: a small, fast, well-tested 32-bit generator; seeded from one integer and warmed up as its author advises.
let a = 0x9e3779b9, b = 0x243f6a88, c = 0xb7e15162, d = seed >>> 0;
function next() {
  a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
  const t = (a + b | 0) + d | 0;
  d = d + 1 | 0;
  a = b ^ b >>> 9;
  b = c + (c << 3) | 0;
  c = (c << 21 | c >>> 11);
  c = c + t | 0;
  return t >>> 0;
}
for (let i = 0; i < 15; i++) next();

// Uniform over lo..hi inclusive, without modulo bias (rejection sampling).
function uniform(lo, hi) {
  const span = hi - lo + 1;
  const limit = Math.floor(0x1_0000_0000 / span) * span;
  let x;
  do { x = next(); } while (x >= limit);
  return lo + (x % span);
}

const chunk = [];
let size = 0;
function emit(line) {
  chunk.push(line);
  size += line.length;
  if (size > 1 << 20) flush();
}
function flush() {
  writeSync(1, chunk.join(''));
  chunk.length = 0;
  size = 0;
}

emit('id,side,price,quantity\n');
for (let i = 1; i <= orders; i++) {
  const side = i % 2 === 1 ? 'buy' : 'sell';
  emit(`o${i},${side},${uniform(9_000, 11_000)},${uniform(1, 1_000)}\n`);
}
flush();
