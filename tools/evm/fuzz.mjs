// Stateful fuzz test of the settlement contract on @ethereumjs/vm. A dozen actors (six honest traders, three hostile
// ones, one of whom never deposits; the operator; a stranger; the treasury) make random calls: deposits and
// withdrawals, commit-reveal and encrypted commitments with random (often too small) reservations, squatted hashes,
// garbage ciphertexts, duplicate and invalid orders, on-chain reveals (good and bad), honest settles cleared by
// reference-clearing.mjs, settles tampered in every way the contract must refuse, settles by strangers, blocks
// advancing past the reveal and settle windows, expiry and reclaim. A model predicts every call's outcome and every
// balance; after every call the contract's storage must equal the model, and each token's balanceOf(contract) must
// equal the free balances plus every live entry's reservations plus the bonds of live commit-reveal entries.
// An honest settle must never revert; a tampered one must always revert, with one of the errors its tampering allows.
//
// Usage: node fuzz.mjs [seed] [calls]   (defaults: seed 1, 2400 calls). Prints the seed, then a JSON summary;
// exits 1 at the first failed check, naming the call.
import { SigningKey, ZeroAddress, keccak256, toBeHex, zeroPadValue, concat, id as keccakText } from 'ethers';
import { bytesToHex } from '@ethereumjs/util';
import { compileContracts } from './chain.mjs';
import {
  BUY, SELL, LIMIT, MARKET, SEALED_BY_COMMITMENT, SEALED_BY_ENCRYPTION,
  deployMarket, fundTrader, signOrder, commitmentOf, settleData, testKey, highS,
} from './market.mjs';
import { clear, allocate, admits, priorityRank, volumeAt } from './reference-clearing.mjs';

const seed = Number(process.argv[2] ?? 1) >>> 0;
const callsWanted = Number(process.argv[3] ?? 2400);
console.log(`fuzz seed ${seed}, ${callsWanted} calls`);

// ----- randomness (mulberry32: small, seeded, reproducible) -----

let rngState = seed || 0x9e3779b9;
function random() {
  rngState = (rngState + 0x6d2b79f5) >>> 0;
  let t = rngState;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const chance = (p) => random() < p;
const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
const big = (lo, hi) => lo + BigInt(Math.floor(random() * Number(hi - lo + 1n)));
const pick = (items) => items[Math.floor(random() * items.length)];
function weighted(table) {
  const total = table.reduce((sum, [w]) => sum + w, 0);
  let r = random() * total;
  for (const [w, value] of table) {
    r -= w;
    if (r < 0) return value;
  }
  return table[table.length - 1][1];
}
const randomBytes32 = () => keccakText(`fuzz-${seed}-${random()}-${random()}`);

// ----- the market -----

const MARKET_PARAMS = {
  lotSize: 10n ** 9n,
  tickSize: 10n ** 3n,
  maxPrice: 2_000n,
  maxQuantity: 50n,
  commitBond: 700_000n,
  revealWindow: 2n,
  settleWindow: 4n,
  limits: [24n, 6n, 512n], // per batch, per trader, ciphertext bytes: small, so the limits are reached
};
const FEE_BASIS_POINTS = 50n; // the base token burns 0.5% of every transfer; the quote token returns nothing (USDT-like)
const UINT112_MAX = (1n << 112n) - 1n;
const UINT128_MAX = (1n << 128n) - 1n;

const contracts = compileContracts();
const env = await deployMarket({
  contracts,
  params: MARKET_PARAMS,
  base: ['FeeOnTransferToken', ['Fee', 'FEE', FEE_BASIS_POINTS]],
  quote: ['NoReturnToken', ['Tether-like', 'USDTL']],
});
const { chain, iface, market } = env;
const tokenIfaces = [contracts.FeeOnTransferToken.iface, contracts.NoReturnToken.iface];

const traders = [];
for (let i = 0; i < 9; i++) {
  const hostile = i >= 6;
  const neverDeposits = i === 8;
  const wallet = await fundTrader(env, `fuzz-trader-${i}`, 10n ** 15n, 10n ** 13n);
  traders.push({ name: `${hostile ? 'hostile' : 'trader'}-${i}`, wallet, address: wallet.address, key: wallet.privateKey, hostile, neverDeposits });
}
const stranger = await fundTrader(env, 'fuzz-stranger', 0n, 0n);
const treasury = { name: 'treasury', address: env.treasury, key: env.treasuryKey };
const everyone = [...traders.map((t) => t.address), env.operator, stranger.address, env.treasury];

// ----- reading the contract's storage directly (a view call per value would take most of the run) -----

const layout = contracts.AuctionSettlement.storageLayout;
const word = (value) => zeroPadValue(typeof value === 'string' ? value : toBeHex(value), 32);

/** The value of `variable[key0][key1]...` for the contract's mappings of structs (as an object) or integers. */
async function readStorage(variable, keys) {
  const root = layout.storage.find((s) => s.label === variable);
  let slot = word(BigInt(root.slot));
  let type = layout.types[root.type];
  for (const key of keys) {
    slot = keccak256(concat([word(key), slot]));
    type = layout.types[type.value];
  }
  const raw = await chain.storageAt(env.settlement, slot);
  const field = (offset, bytes) => (raw >> (8n * BigInt(offset))) & ((1n << (8n * BigInt(bytes))) - 1n);
  if (type.members === undefined) return field(0, type.numberOfBytes);
  return Object.fromEntries(type.members.map((m) => [m.label, field(m.offset, layout.types[m.type].numberOfBytes)]));
}

// ----- the model -----

const free = new Map(everyone.map((a) => [a.toLowerCase(), { base: 0n, quote: 0n }]));
const freeOf = (address) => free.get(address.toLowerCase());
const contractTokens = { base: 0n, quote: 0n };
const entries = new Map(); // live entries by `${batchId}|${trader}|${commitment}`
const batches = new Map(); // batchId -> { id, keys, commitments, settled, letExpire, perTrader }
const dead = []; // entries removed by the current call: the contract must have deleted them
const touchedBatches = new Set();
const entryKey = (batchId, trader, commitment) => `${batchId}|${trader.toLowerCase()}|${commitment}`;
const bondOf = (kind) => (kind === SEALED_BY_COMMITMENT ? market.commitBond : 0n);

function batchOf(batchId) {
  if (!batches.has(batchId)) {
    // The operator means to settle it at some block of its settle window (at the last one at the latest), or lets it expire.
    const settleAt = batchId + BigInt(int(1, Number(market.settleWindow)));
    batches.set(batchId, { id: batchId, keys: new Set(), commitments: 0, settled: false, settleAt, letExpire: chance(0.08), perTrader: new Map() });
  }
  return batches.get(batchId);
}

function removeEntry(entry) {
  entries.delete(entry.key);
  dead.push(entry);
}

// ----- statistics and failure -----

const stats = { calls: 0, callsByKind: {}, revertsByError: {}, revertsByCall: {}, honestSettles: 0, honestFills: 0, honestVoids: 0, tradingSettles: 0, tradingFills: 0, rationedSettles: 0, ineligibleFills: 0, tamperedByKind: {}, expiredBatches: 0, reclaims: 0, invariantChecks: 0, viewCrossChecks: 0 };
const bump = (table, key) => { table[key] = (table[key] ?? 0) + 1; };
const json = (value, indent) => JSON.stringify(value, (k, v) => (typeof v === 'bigint' ? v.toString() : v), indent);
const started = Date.now();

function fail(message) {
  console.log(json({ seed, failedAtCall: stats.calls, block: chain.blockNumber, failure: message, ...stats, seconds: Math.round((Date.now() - started) / 1000) }, 2));
  process.exit(1);
}

function errorName(result) {
  if (!result.reverted) return undefined;
  for (const candidate of [iface, ...tokenIfaces]) {
    try {
      const parsed = candidate.parseError(result.returnValue);
      if (parsed !== null) return candidate === iface ? parsed.name : `token:${parsed.name}`;
    } catch { /* not this interface's error */ }
  }
  return `raw:${result.returnValue.slice(0, 10)}`;
}

/**
 * Sends one call. `expect` is null (must succeed: `apply` then updates the model), an error name, or a Set of
 * allowed error names (must revert with one of them; the model stays as it is).
 */
async function transact(kind, key, to, data, expect, apply = () => {}) {
  const result = await chain.send(key, to, data);
  stats.calls += 1;
  bump(stats.callsByKind, kind);
  const error = errorName(result);
  if (error !== undefined) bump(stats.revertsByError, error);
  if (error !== undefined) bump(stats.revertsByCall, `${kind}: ${error}`);
  if (expect === null) {
    if (result.reverted) fail(`${kind}: expected success, reverted with ${error}`);
    apply(result);
  } else {
    const allowed = expect instanceof Set ? expect : new Set([expect]);
    if (!result.reverted) fail(`${kind}: expected a revert (${[...allowed].join(' | ')}), it succeeded`);
    if (!allowed.has(error)) fail(`${kind}: reverted with ${error}, expected ${[...allowed].join(' | ')}`);
  }
  await checkInvariants();
  return result;
}

/** After every call: the contract's storage equals the model, and the tokens it holds are exactly accounted for. */
async function checkInvariants() {
  stats.invariantChecks += 1;
  const sums = { base: 0n, quote: 0n };
  for (const address of everyone) {
    const onChain = await readStorage('balances', [address]);
    const modelled = freeOf(address);
    if (onChain.base !== modelled.base || onChain.quote !== modelled.quote) fail(`balance of ${address}: contract ${json(onChain)}, model ${json(modelled)}`);
    sums.base += onChain.base;
    sums.quote += onChain.quote;
  }
  for (const entry of entries.values()) {
    const onChain = await readStorage('entries', [entry.batchId, entry.trader, entry.commitment]);
    if (Number(onChain.kind) !== entry.kind || (onChain.revealed === 1n) !== entry.revealed || onChain.baseReserved !== entry.baseReserved || onChain.quoteReserved !== entry.quoteReserved) {
      fail(`entry ${entry.key}: contract ${json(onChain)}, model ${json({ kind: entry.kind, revealed: entry.revealed, base: entry.baseReserved, quote: entry.quoteReserved })}`);
    }
    sums.base += onChain.baseReserved;
    sums.quote += onChain.quoteReserved + bondOf(Number(onChain.kind));
  }
  for (const entry of dead.splice(0)) {
    const onChain = await readStorage('entries', [entry.batchId, entry.trader, entry.commitment]);
    if (onChain.kind !== 0n) fail(`entry ${entry.key} should be gone: ${json(onChain)}`);
  }
  for (const batchId of touchedBatches) {
    const batch = batches.get(batchId);
    const onChain = await readStorage('batches', [batchId]);
    if (Number(onChain.commitments) !== batch.commitments || (onChain.settled === 1n) !== batch.settled) fail(`batch ${batchId}: contract ${json(onChain)}, model ${json(batch)}`);
    for (const [trader, count] of batch.perTrader) {
      if (Number(await readStorage('commitmentsOf', [batchId, trader])) !== count) fail(`commitmentsOf(${batchId}, ${trader}) differs from ${count}`);
    }
  }
  touchedBatches.clear();
  const held = {
    base: (await chain.call(contracts.FeeOnTransferToken, env.baseToken.address, 'balanceOf', [env.settlement]))[0],
    quote: (await chain.call(contracts.NoReturnToken, env.quoteToken.address, 'balanceOf', [env.settlement]))[0],
  };
  for (const token of ['base', 'quote']) {
    if (held[token] !== contractTokens[token]) fail(`${token} tokens held ${held[token]}, model ${contractTokens[token]}`);
    if (held[token] !== sums[token]) fail(`${token} tokens held ${held[token]} != free balances + reservations + bonds ${sums[token]}`);
  }
}

/** Now and then, the storage decoding itself is checked against the contract's own view functions. */
async function crossCheckViews() {
  stats.viewCrossChecks += 1;
  for (const address of everyone) {
    const [base, quote] = await chain.call(contracts.AuctionSettlement, env.settlement, 'balances', [address]);
    const decoded = await readStorage('balances', [address]);
    if (base !== decoded.base || quote !== decoded.quote) fail(`storage decoding of balances(${address}) is wrong`);
  }
  for (const entry of entries.values()) {
    const [kind, revealed, baseReserved, quoteReserved] = await chain.call(contracts.AuctionSettlement, env.settlement, 'entries', [entry.batchId, entry.trader, entry.commitment]);
    if (Number(kind) !== entry.kind || revealed !== entry.revealed || baseReserved !== entry.baseReserved || quoteReserved !== entry.quoteReserved) fail(`entries(${entry.key}) view differs from the model`);
  }
}

// ----- orders -----

let nonceCounter = 0n;

function randomOrder(trader) {
  const side = chance(0.5) ? BUY : SELL;
  const orderType = chance(0.2) ? MARKET : LIMIT;
  // Limits on a 5-tick grid, so that orders often share a price level and get rationed pro rata together.
  const order = { side, orderType, limitPrice: 940n + 5n * big(0n, 24n), quantity: big(1n, 20n), nonce: (nonceCounter += 1n) };
  if (orderType === MARKET) order.limitPrice = side === BUY ? big(1000n, 1300n) : big(700n, 1000n); // the signed worst price
  // Often the same limit as an order already in this batch, so that a rationed level holds several orders.
  const sameSide = [...entries.values()].filter((e) => e.batchId === chain.blockNumber && e.opening?.order.side === side && e.opening.order.orderType === LIMIT);
  if (orderType === LIMIT && sameSide.length > 0 && chance(0.4)) order.limitPrice = pick(sameSide).opening.order.limitPrice;
  if (chance(0.05)) order.limitPrice = pick([1n, market.maxPrice]);
  if (chance(0.05)) order.quantity = market.maxQuantity;
  if (trader.hostile && chance(0.15)) {
    const broken = pick(['quantity0', 'quantityAboveMax', 'price0', 'priceAboveMax', 'side', 'type']);
    if (broken === 'quantity0') order.quantity = 0n;
    if (broken === 'quantityAboveMax') order.quantity = market.maxQuantity + 1n;
    if (broken === 'price0') order.limitPrice = 0n;
    if (broken === 'priceAboveMax') order.limitPrice = market.maxPrice + 1n;
    if (broken === 'side') order.side = pick([0, 3]);
    if (broken === 'type') order.orderType = 2;
  }
  return order;
}

function worstCase(order) {
  const cap = (x) => (x > UINT112_MAX ? UINT112_MAX : x);
  return order.side === BUY
    ? { base: 0n, quote: cap(order.quantity * order.limitPrice * market.tickSize) }
    : { base: cap(order.quantity * market.lotSize), quote: 0n };
}

function randomReservation(order) {
  const exact = worstCase(order);
  return weighted([
    [55, () => exact],
    [15, () => ({ base: exact.base + big(0n, 10n ** 10n), quote: exact.quote + big(0n, 10n ** 7n) })],
    [10, () => ({ base: exact.base > 0n ? exact.base - 1n : 0n, quote: exact.quote > 0n ? exact.quote - 1n : 0n })],
    [5, () => ({ base: 0n, quote: 0n })],
    [15, () => ({ base: big(0n, 3n * 10n ** 10n), quote: big(0n, 3n * 10n ** 7n) })],
  ])();
}

function isValid(order) {
  return (order.side === BUY || order.side === SELL) && (order.orderType === LIMIT || order.orderType === MARKET)
    && order.quantity >= 1n && order.quantity <= market.maxQuantity && order.limitPrice >= 1n && order.limitPrice <= market.maxPrice;
}

// ----- actions -----

async function deposit() {
  const trader = pick(traders.filter((t) => !t.neverDeposits));
  const wallet = {
    base: (await chain.call(contracts.FeeOnTransferToken, env.baseToken.address, 'balanceOf', [trader.address]))[0],
    quote: (await chain.call(contracts.NoReturnToken, env.quoteToken.address, 'balanceOf', [trader.address]))[0],
  };
  const tooMuch = chance(0.05);
  const amount = {
    base: tooMuch ? wallet.base + 1n : chance(0.2) ? 0n : big(0n, 4n * 10n ** 11n),
    quote: chance(0.2) ? 0n : big(0n, 5n * 10n ** 9n),
  };
  const data = iface.encodeFunctionData('deposit', [amount.base, amount.quote]);
  if (tooMuch) return transact('deposit beyond the wallet', trader.key, env.settlement, data, new Set(['token:ERC20InsufficientBalance']));
  return transact('deposit', trader.key, env.settlement, data, null, () => {
    const received = amount.base - (amount.base * FEE_BASIS_POINTS) / 10_000n; // a fee-on-transfer deposit credits what arrived
    freeOf(trader.address).base += received;
    freeOf(trader.address).quote += amount.quote;
    contractTokens.base += received;
    contractTokens.quote += amount.quote;
  });
}

async function withdraw(actor = pick([...traders, treasury]), everything = chance(0.05)) {
  const balance = freeOf(actor.address);
  const tooMuch = !everything && chance(0.1);
  const amount = everything ? { ...balance } : { base: big(0n, balance.base), quote: big(0n, balance.quote) };
  if (tooMuch) {
    const token = chance(0.5) ? 'base' : 'quote';
    amount[token] = balance[token] + big(1n, 1000n);
  }
  const data = iface.encodeFunctionData('withdraw', [amount.base, amount.quote]);
  if (tooMuch) return transact('withdraw beyond the free balance', actor.key, env.settlement, data, 'InsufficientBalance');
  return transact(everything ? 'withdraw everything' : 'withdraw', actor.key, env.settlement, data, null, () => {
    balance.base -= amount.base;
    balance.quote -= amount.quote;
    contractTokens.base -= amount.base;
    contractTokens.quote -= amount.quote;
  });
}

/** The contract's checks for registering a commitment, in its order: the error it must give, or null. */
function registrationError(trader, commitment, kind, reserve, ciphertextBytes) {
  const batch = batchOf(chain.blockNumber);
  if (kind === SEALED_BY_ENCRYPTION && ciphertextBytes > Number(market.limits[2])) return 'CiphertextTooLarge';
  if (entries.has(entryKey(batch.id, trader.address, commitment))) return 'AlreadyCommitted';
  if (batch.commitments >= Number(market.limits[0])) return 'BatchFull';
  if ((batch.perTrader.get(trader.address) ?? 0) >= Number(market.limits[1])) return 'TraderLimitReached';
  const balance = freeOf(trader.address);
  if (balance.base < reserve.base || balance.quote < reserve.quote + bondOf(kind)) return 'InsufficientBalance';
  return null;
}

/**
 * Registers a commitment. opening: { order, digest, signature, secret } or null (the committer cannot open it);
 * disclosed: whether the operator learns the opening (an encrypted order opens for the keypers; a commit-reveal one
 * only if its trader sends it).
 */
async function register(kindLabel, trader, { commitment, kind, reserve, ciphertext = '0x', opening, disclosed }) {
  const batchId = chain.blockNumber;
  const expected = registrationError(trader, commitment, kind, reserve, (ciphertext.length - 2) / 2);
  const data = kind === SEALED_BY_ENCRYPTION
    ? iface.encodeFunctionData('commitEncrypted', [commitment, reserve.base, reserve.quote, ciphertext])
    : iface.encodeFunctionData('commit', [commitment, reserve.base, reserve.quote]);
  return transact(kindLabel, trader.key, env.settlement, data, expected, () => {
    const batch = batchOf(batchId);
    const entry = { key: entryKey(batchId, trader.address, commitment), batchId, trader: trader.address, owner: trader, commitment, kind, revealed: false, baseReserved: reserve.base, quoteReserved: reserve.quote, opening, disclosed };
    entries.set(entry.key, entry);
    batch.keys.add(entry.key);
    batch.commitments += 1;
    batch.perTrader.set(trader.address, (batch.perTrader.get(trader.address) ?? 0) + 1);
    touchedBatches.add(batchId);
    const balance = freeOf(trader.address);
    balance.base -= reserve.base;
    balance.quote -= reserve.quote + bondOf(kind);
  });
}

function ciphertextOf(length) {
  let bytes = '0x';
  while (bytes.length < 2 + 2 * length) bytes += randomBytes32().slice(2);
  return bytes.slice(0, 2 + 2 * length);
}

async function commitOrder(encrypted = chance(0.45), trader = pick(traders)) {
  const order = randomOrder(trader);
  const { order: signed, digest, signature } = await signOrder(env, trader.wallet, chain.blockNumber, order);
  const reserve = trader.neverDeposits ? { base: 0n, quote: 0n } : randomReservation(order);
  if (encrypted) {
    const ciphertext = ciphertextOf(chance(0.05) ? Number(market.limits[2]) + int(1, 64) : 418);
    const secret = keccak256(ciphertext);
    // A hostile trader's ciphertext is sometimes garbage the keypers cannot open.
    const garbage = trader.hostile && chance(0.3);
    return register('commitEncrypted', trader, { commitment: commitmentOf(digest, secret), kind: SEALED_BY_ENCRYPTION, reserve, ciphertext, opening: garbage ? null : { order: signed, digest, signature, secret }, disclosed: !garbage });
  }
  const secret = randomBytes32();
  return register('commit', trader, { commitment: commitmentOf(digest, secret), kind: SEALED_BY_COMMITMENT, reserve, opening: { order: signed, digest, signature, secret }, disclosed: chance(trader.hostile ? 0.4 : 0.92) });
}

/** What hostile traders do beyond ordinary orders. */
async function hostileMove() {
  const trader = pick(traders.filter((t) => t.hostile));
  const current = [...entries.values()].filter((e) => e.batchId === chain.blockNumber);
  const move = weighted([[4, 'squat'], [2, 'garbage'], [3, 'duplicate'], [2, 'withdraw everything'], [1, 'recommit']]);
  if (move === 'squat') {
    // Copy another trader's commitment from this block (as if from the mempool): it harms only the copier.
    const victims = current.filter((e) => e.trader !== trader.address);
    const commitment = victims.length > 0 ? pick(victims).commitment : randomBytes32();
    const kind = chance(0.5) ? SEALED_BY_COMMITMENT : SEALED_BY_ENCRYPTION;
    return register('squat', trader, { commitment, kind, reserve: chance(0.7) ? { base: 0n, quote: 0n } : randomReservation(randomOrder(trader)), ciphertext: kind === SEALED_BY_ENCRYPTION ? ciphertextOf(int(0, 100)) : '0x', opening: null, disclosed: false });
  }
  if (move === 'garbage') {
    return register('garbage ciphertext', trader, { commitment: randomBytes32(), kind: SEALED_BY_ENCRYPTION, reserve: { base: 0n, quote: 0n }, ciphertext: ciphertextOf(int(0, 418)), opening: null, disclosed: false });
  }
  if (move === 'duplicate') {
    // The same signed order committed again under a new secret: only its first copy in commitment order may trade.
    const own = current.filter((e) => e.trader === trader.address && e.opening !== null);
    if (own.length === 0) return commitOrder(false, trader);
    const original = pick(own);
    const secret = randomBytes32();
    const kind = chance(0.5) ? SEALED_BY_COMMITMENT : SEALED_BY_ENCRYPTION;
    const reserve = trader.neverDeposits ? { base: 0n, quote: 0n } : randomReservation(original.opening.order);
    return register('duplicate order', trader, { commitment: commitmentOf(original.opening.digest, secret), kind, reserve, ciphertext: kind === SEALED_BY_ENCRYPTION ? ciphertextOf(64) : '0x', opening: { ...original.opening, secret }, disclosed: chance(0.7) });
  }
  if (move === 'recommit') {
    // The very same commitment again from the same trader.
    const own = current.filter((e) => e.trader === trader.address);
    if (own.length === 0) return commitOrder(chance(0.5), trader);
    const again = pick(own);
    return register('same commitment twice', trader, { commitment: again.commitment, kind: again.kind, reserve: { base: 0n, quote: 0n }, ciphertext: '0x', opening: again.opening, disclosed: again.disclosed });
  }
  return withdraw(trader, true);
}

/** The contract's checks for an on-chain reveal, in its order. */
function revealError(batchId, order, commitment) {
  if (chain.blockNumber <= batchId || chain.blockNumber > batchId + market.revealWindow) return 'RevealWindowClosed';
  if (!isValid(order) || order.nonce > UINT128_MAX) return 'InvalidOrder';
  if (!entries.has(entryKey(batchId, order.trader, commitment))) return 'UnknownCommitment';
  return null;
}

async function reveal() {
  const candidates = [...entries.values()].filter((e) => e.opening !== null);
  if (candidates.length === 0) return mine();
  // Mostly inside the reveal window, where a reveal can succeed.
  const inWindow = candidates.filter((e) => chain.blockNumber > e.batchId && chain.blockNumber <= e.batchId + market.revealWindow);
  const entry = pick(inWindow.length > 0 && chance(0.75) ? inWindow : candidates);
  const sender = chance(0.8) ? entry.owner : pick([...traders, { key: stranger.privateKey }]);
  const { order, secret, signature } = entry.opening;
  const tamper = chance(0.15) ? pick(['secret', 'signature']) : null;
  const sentSecret = tamper === 'secret' ? randomBytes32() : secret;
  const sentSignature = tamper === 'signature' ? new SigningKey(testKey('fuzz-forger')).sign(entry.opening.digest).serialized : signature;
  const data = iface.encodeFunctionData('reveal', [entry.batchId, order, sentSecret, sentSignature]);
  let expected = revealError(entry.batchId, order, commitmentOf(entry.opening.digest, sentSecret));
  if (expected === null && tamper === 'signature') expected = 'SignatureNotTraders';
  return transact(tamper === null ? 'reveal' : `reveal with a bad ${tamper}`, sender.key, env.settlement, data, expected, () => {
    entry.revealed = true;
    entry.disclosed = true; // the operator reads the Revealed event
  });
}

async function reclaim() {
  const expired = [...entries.values()].filter((e) => chain.blockNumber > e.batchId + market.settleWindow);
  const sender = pick([...traders, { key: stranger.privateKey }]);
  if (expired.length > 0 && chance(0.8)) {
    const entry = pick(expired);
    return transact('reclaim', sender.key, env.settlement, iface.encodeFunctionData('reclaim', [entry.batchId, entry.trader, entry.commitment]), null, () => {
      const balance = freeOf(entry.trader);
      balance.base += entry.baseReserved;
      balance.quote += entry.quoteReserved + bondOf(entry.kind);
      removeEntry(entry);
      stats.reclaims += 1;
    });
  }
  const live = [...entries.values()];
  if (live.length > 0 && chance(0.5)) {
    const entry = pick(live);
    const expected = chain.blockNumber > entry.batchId + market.settleWindow ? null : 'BatchNotExpired';
    if (expected === null) return mine();
    return transact('reclaim before expiry', sender.key, env.settlement, iface.encodeFunctionData('reclaim', [entry.batchId, entry.trader, entry.commitment]), expected);
  }
  const oldBatch = chain.blockNumber - market.settleWindow - 1n - BigInt(int(0, 5));
  return transact('reclaim of nothing', sender.key, env.settlement, iface.encodeFunctionData('reclaim', [oldBatch > 0n ? oldBatch : 1n, pick(traders).address, randomBytes32()]), oldBatch > 0n ? 'UnknownCommitment' : new Set(['UnknownCommitment', 'BatchNotExpired']));
}

// ----- settlement -----

const settleable = (batch) => !batch.settled && batch.commitments > 0 && chain.blockNumber > batch.id && chain.blockNumber <= batch.id + market.settleWindow;
const afterRevealWindow = (batch) => chain.blockNumber > batch.id + market.revealWindow;

/**
 * The honest operator's settlement of a batch now, or null if it must wait: every opened commitment is a fill, every
 * other one a void (allowed only after the reveal window). The price is any of maximal volume.
 */
function honestPlan(batch) {
  const live = [...batch.keys].map((key) => entries.get(key)).filter((e) => e !== undefined);
  const open = live.filter((e) => e.opening !== null && e.disclosed);
  let closed = live.filter((e) => !(e.opening !== null && e.disclosed));
  if (closed.length > 0 && !afterRevealWindow(batch)) return null;
  // After the window an opened but malformed order may be voided (as the engine does) instead of filled for nothing.
  let opened = open;
  if (afterRevealWindow(batch)) {
    const malformed = open.filter((e) => !e.revealed && !isValid(e.opening.order) && chance(0.5));
    opened = open.filter((e) => !malformed.includes(e));
    closed = [...closed, ...malformed];
  }
  opened.sort((a, b) => (BigInt(a.commitment) < BigInt(b.commitment) ? -1 : 1));
  const book = opened.map((e) => ({ order: e.opening.order, digest: e.opening.digest, baseReserved: e.baseReserved, quoteReserved: e.quoteReserved }));
  const cleared = clear(market, book, (lo, hi) => weighted([[1, lo], [1, hi], [2, big(lo, hi)]]));
  const fills = opened.map((e, i) => ({ entry: e, order: e.opening.order, secret: e.opening.secret, signature: e.opening.signature, lots: cleared.lots[i] }));
  const voids = closed.map((e) => ({ entry: e, trader: e.trader, commitment: e.commitment, reason: e.kind === SEALED_BY_ENCRYPTION ? 14 : 9 }));
  return { batch, book, cleared, fills, voids, price: cleared.price };
}

async function honestSettle(plan) {
  const { batch, fills, voids, price, cleared } = plan;
  touchedBatches.add(batch.id);
  return transact('honest settle', env.operatorKey, env.settlement, settleData(env, batch.id, price, fills, voids), null, (result) => {
    for (const fill of fills) {
      const { entry, lots } = fill;
      const balance = freeOf(entry.trader);
      const base = lots * market.lotSize;
      const quote = lots * price * market.tickSize;
      const bond = bondOf(entry.kind);
      if (fill.order.side === BUY) {
        balance.base += entry.baseReserved + base;
        balance.quote += entry.quoteReserved + bond - quote;
      } else {
        balance.base += entry.baseReserved - base;
        balance.quote += entry.quoteReserved + bond + quote;
      }
      removeEntry(entry);
    }
    for (const { entry } of voids) {
      const balance = freeOf(entry.trader);
      balance.base += entry.baseReserved;
      balance.quote += entry.quoteReserved;
      freeOf(env.treasury).quote += bondOf(entry.kind);
      removeEntry(entry);
    }
    batch.settled = true;
    const logs = result.logs.map((log) => iface.parseLog({ topics: log[1].map((t) => bytesToHex(t)), data: bytesToHex(log[2]) }));
    const filledEvents = logs.filter((l) => l?.name === 'Filled').length;
    const settledEvent = logs.find((l) => l?.name === 'BatchSettled');
    if (filledEvents !== fills.filter((f) => f.lots > 0n).length) fail(`honest settle of ${batch.id}: ${filledEvents} Filled events`);
    if (settledEvent?.args.volume !== cleared.volume || settledEvent?.args.price !== price) fail(`honest settle of ${batch.id}: BatchSettled ${json(settledEvent?.args)}`);
    stats.honestSettles += 1;
    stats.honestFills += fills.length;
    stats.honestVoids += voids.length;
    if (cleared.volume > 0n) stats.tradingSettles += 1;
    stats.tradingFills += fills.filter((f) => f.lots > 0n).length;
    stats.ineligibleFills += cleared.eligible.filter((e) => !e).length;
    if (fills.some((f, i) => cleared.eligible[i] && f.lots > 0n && f.lots < f.order.quantity)) stats.rationedSettles += 1;
  });
}

/** Settles the batch the operator chooses, if any can be settled now. */
async function operatorTurn() {
  const ready = [...batches.values()].filter((b) => settleable(b) && !b.letExpire && chain.blockNumber >= b.settleAt).map(honestPlan).filter((p) => p !== null);
  if (ready.length === 0) return commitOrder(chance(0.45));
  return honestSettle(pick(ready));
}

const withFills = (plan, fills) => ({ ...plan, fills });
const replaceLots = (fills, index, lots) => fills.map((f, i) => (i === index ? { ...f, lots } : f));

/** Every way of tampering with an honest settlement that applies to it: [kind, settlement, allowed errors]. */
function tamperings(plan) {
  const { fills, voids, cleared, batch } = plan;
  const out = [];
  const clearingKinds = [];
  const book = plan.book;
  const eligible = cleared.eligible;
  const inWindow = !afterRevealWindow(batch);
  const E = (...names) => new Set(names);
  if (fills.length > 0) {
    const i = int(0, fills.length - 1);
    out.push(['a fill given one lot more', withFills(plan, replaceLots(fills, i, fills[i].lots + 1n)), E('NotConserved', 'FillExceedsQuantity', 'IneligibleOrderFilled', 'PriceBreaksLimit')]);
    out.push(['a fill for trader address(0)', withFills(plan, fills.map((f, j) => (j === i ? { ...f, order: { ...f.order, trader: ZeroAddress } } : f))), E('UnknownCommitment')]);
    out.push(['a fill renamed to another trader', withFills(plan, fills.map((f, j) => (j === i ? { ...f, order: { ...f.order, trader: pick(traders.filter((t) => t.address !== f.order.trader)).address } } : f))), E('UnknownCommitment')]);
    out.push(['a fill with another secret', withFills(plan, fills.map((f, j) => (j === i ? { ...f, secret: randomBytes32() } : f))), E('UnknownCommitment')]);
    const forged = weighted([
      [3, () => new SigningKey(testKey('fuzz-forger')).sign(fills[i].entry.opening.digest).serialized],
      [1, () => fills[i].signature.slice(0, 130)],
      [1, () => highS(fills[i].signature)],
      [1, () => '0x' + '00'.repeat(64) + '1b'],
    ])();
    out.push(['a forged signature', withFills(plan, fills.map((f, j) => (j === i ? { ...f, signature: forged } : f))), E('SignatureNotTraders', 'ECDSAInvalidSignature', 'ECDSAInvalidSignatureLength', 'ECDSAInvalidSignatureS')]);
    out.push(['a fill omitted', withFills(plan, fills.filter((_, j) => j !== i)), E('CommitmentsUnaccounted')]);
    out.push(['a fill listed twice', withFills(plan, [...fills.slice(0, i + 1), fills[i], ...fills.slice(i + 1)]), E('CommitmentsUnaccounted')]);
    if (fills.length > 1) {
      const j = int(0, fills.length - 1);
      if (j !== i) {
        const replaced = fills.filter((_, k) => k !== j);
        const at = replaced.indexOf(fills[i]);
        out.push(['a fill listed twice in another\'s place', withFills(plan, [...replaced.slice(0, at + 1), fills[i], ...replaced.slice(at + 1)]), E('UnknownCommitment')]);
      }
      const k = int(0, fills.length - 2);
      const swapped = [...fills];
      [swapped[k], swapped[k + 1]] = [swapped[k + 1], swapped[k]];
      out.push(['two fills out of order', withFills(plan, swapped), E('FillsOutOfOrder', 'IneligibleOrderFilled')]);
    }
    if (inWindow) out.push(['a fill turned into an early void', { ...plan, fills: fills.filter((_, j) => j !== i), voids: [...voids, { trader: fills[i].order.trader, commitment: fills[i].entry.commitment, reason: 9 }] }, E('RevealWindowOpen')]);
    const revealed = fills.findIndex((f) => f.entry.revealed);
    if (revealed >= 0) out.push(['a void of a commitment revealed on-chain', { ...plan, fills: fills.filter((_, j) => j !== revealed), voids: [...voids, { trader: fills[revealed].order.trader, commitment: fills[revealed].entry.commitment, reason: 9 }] }, E(inWindow ? 'RevealWindowOpen' : 'RevealedOnChain')]);
    const trading = fills.map((f, j) => j).filter((j) => fills[j].lots > 0n);
    if (trading.length > 0) {
      const t = pick(trading);
      clearingKinds.push(['a fill given one lot less', withFills(plan, replaceLots(fills, t, fills[t].lots - 1n)), E('NotConserved')]);
    }
    const ineligible = fills.map((f, j) => j).filter((j) => !eligible[j]);
    if (ineligible.length > 0) {
      const t = pick(ineligible);
      clearingKinds.push(['an ineligible order given a lot', withFills(plan, replaceLots(fills, t, 1n)), E('IneligibleOrderFilled', 'FillExceedsQuantity')]);
    }
  }
  if (voids.length > 0) {
    const v = int(0, voids.length - 1);
    out.push(['a void omitted', { ...plan, voids: voids.filter((_, j) => j !== v) }, E('CommitmentsUnaccounted')]);
    out.push(['a void listed twice', { ...plan, voids: [...voids, voids[v]] }, E('CommitmentsUnaccounted')]);
    if (voids.length > 1) {
      const w = (v + 1) % voids.length;
      out.push(['a void listed twice in another\'s place', { ...plan, voids: voids.map((x, j) => (j === w ? voids[v] : x)) }, E('UnknownCommitment')]);
    }
    if (fills.length > 0) {
      const f = int(0, fills.length - 1);
      out.push(['a fill also voided', { ...plan, voids: voids.map((x, j) => (j === v ? { trader: fills[f].order.trader, commitment: fills[f].entry.commitment, reason: 1 } : x)) }, E('UnknownCommitment')]);
    }
  }
  out.push(['a void of an unknown commitment', { ...plan, fills: fills.slice(1), voids: fills.length > 0 ? [...voids, { trader: pick(traders).address, commitment: randomBytes32(), reason: 1 }] : voids.slice(1) }, fills.length > 0 ? E(inWindow ? 'RevealWindowOpen' : 'UnknownCommitment') : E('CommitmentsUnaccounted')]);
  out.push(['a price above maxPrice', { ...plan, price: market.maxPrice + big(1n, 1000n) }, E('PriceOutOfBounds')]);
  out.push(['an empty settle', { ...plan, fills: [], voids: [], price: 0n }, E('CommitmentsUnaccounted')]);

  // Prices: outside the maximal range, with the honest lots or with a consistent allocation at that price.
  const { lo, hi, volume } = cleared;
  // Mostly just outside the range, where something still trades; sometimes anywhere.
  const outside = [];
  const near = (from, to) => (chance(0.8) ? (to - from > 80n ? (from < lo ? to - big(0n, 80n) : from + big(0n, 80n)) : big(from, to)) : big(from, to));
  if (volume === 0n) outside.push(big(1n, market.maxPrice));
  else {
    if (lo > 1n) outside.push(near(1n, lo - 1n));
    if (hi < market.maxPrice) outside.push(near(hi + 1n, market.maxPrice));
  }
  if (outside.length > 0) {
    out.push(['a price outside the maximal range', { ...plan, price: pick(outside) }, E(volume === 0n ? 'NothingTradedAtPrice' : 'PriceBreaksLimit')]);
  }
  // A consistent clearing at a price where something trades, but less than the most: it only fails the volume rule.
  const lesser = [...new Set(book.flatMap(({ order }, j) => (eligible[j] ? [order.limitPrice - 1n, order.limitPrice, order.limitPrice + 1n] : [])))]
    .filter((p) => p >= 1n && p <= market.maxPrice && volumeAt(book, eligible, p).volume > 0n && volumeAt(book, eligible, p).volume < volume);
  if (lesser.length > 0) {
    const p = pick(lesser);
    const lotsAt = allocate(market, book, eligible, p);
    clearingKinds.push(['a clearing at a price of less volume', withFills({ ...plan, price: p }, fills.map((f, j) => ({ ...f, lots: lotsAt[j] }))), E('VolumeNotMaximal')]);
  }
  if (volume > 0n) {
    clearingKinds.push(['price 0 with trades', { ...plan, price: 0n }, E('IneligibleOrderFilled')]);
    clearingKinds.push(['a crossed book settled as nothing trades', withFills({ ...plan, price: 0n }, fills.map((f) => ({ ...f, lots: 0n }))), E('CrossedBookNotTraded')]);
    // Priority: a lot moved from an order to one the queue ranks strictly below it, on the same side.
    const admitting = fills.map((f, j) => j).filter((j) => eligible[j] && admits(book[j].order, plan.price));
    const rankOf = (j) => priorityRank(market, book[j].order);
    const moves = [];
    const rationed = [];
    for (const g of admitting) {
      for (const r of admitting) {
        if (g === r || book[g].order.side !== book[r].order.side || fills[g].lots === 0n) continue;
        if (rankOf(r) < rankOf(g) && fills[r].lots < book[r].order.quantity) moves.push([g, r]);
        if (rankOf(r) === rankOf(g) && fills[g].lots >= 2n && fills[r].lots + 2n <= book[r].order.quantity) rationed.push([g, r]);
      }
    }
    for (const side of [BUY, SELL]) {
      const onSide = moves.filter(([g]) => book[g].order.side === side);
      if (onSide.length > 0) {
        const [g, r] = pick(onSide);
        clearingKinds.push(['price priority broken', withFills(plan, fills.map((f, j) => (j === g ? { ...f, lots: f.lots - 1n } : j === r ? { ...f, lots: f.lots + 1n } : f))), E('PricePriorityBroken', 'BothSidesRationed')]);
      }
    }
    if (rationed.length > 0) {
      const [g, r] = pick(rationed);
      clearingKinds.push(['pro rata off by two lots', withFills(plan, fills.map((f, j) => (j === g ? { ...f, lots: f.lots - 2n } : j === r ? { ...f, lots: f.lots + 2n } : f))), E('ProRataBroken')]);
    }
    // Both sides short by a lot: one lot less on a trading buy and on a trading sell.
    const buy = admitting.find((j) => book[j].order.side === BUY && fills[j].lots > 0n);
    const sell = admitting.find((j) => book[j].order.side === SELL && fills[j].lots > 0n);
    if (buy !== undefined && sell !== undefined) {
      clearingKinds.push(['both sides rationed', withFills(plan, fills.map((f, j) => (j === buy || j === sell ? { ...f, lots: f.lots - 1n } : f))), E('BothSidesRationed', 'NothingTradedAtPrice')]);
    }
  }
  // When the batch trades, the clearing rules are what a hostile operator would bend: try them more often.
  return clearingKinds.length > 0 && chance(0.6) ? clearingKinds : [...out, ...clearingKinds];
}

/** A settle that must revert: tampered calldata from the operator, or honest calldata from the wrong sender or block. */
async function tamperedSettle() {
  const open = [...batches.values()].filter((b) => settleable(b));
  const plans = open.map(honestPlan).filter((p) => p !== null);
  const roll = random();
  if (plans.length > 0 && roll < 0.85) {
    const trading = plans.filter((p) => p.cleared.volume > 0n);
    const plan = pick(trading.length > 0 && chance(0.7) ? trading : plans);
    const [kind, tampered, allowed] = pick(tamperings(plan));
    bump(stats.tamperedByKind, kind);
    return transact(`tampered: ${kind}`, env.operatorKey, env.settlement, settleData(env, plan.batch.id, tampered.price, tampered.fills, tampered.voids), allowed);
  }
  if (plans.length > 0 && roll < 0.9) {
    const plan = pick(plans);
    bump(stats.tamperedByKind, 'settle by a stranger');
    return transact('tampered: settle by a stranger', pick([stranger.privateKey, pick(traders).key, env.treasuryKey]), env.settlement, settleData(env, plan.batch.id, plan.price, plan.fills, plan.voids), 'OnlyOperator');
  }
  // Wrong block or batch: the batch's own block, settled, expired, or never committed to.
  const current = batches.get(chain.blockNumber);
  const settled = [...batches.values()].filter((b) => b.settled && chain.blockNumber <= b.id + market.settleWindow);
  const expired = [...batches.values()].filter((b) => !b.settled && b.commitments > 0 && chain.blockNumber > b.id + market.settleWindow);
  const options = [['a batch with no commitments', chain.blockNumber - 1n, (batches.get(chain.blockNumber - 1n)?.commitments ?? 0) === 0 ? 'UnknownBatch' : null]];
  if (current !== undefined) options.push(['a batch settled in its own block', current.id, 'BatchStillOpen']);
  if (settled.length > 0) options.push(['a batch settled twice', pick(settled).id, 'BatchAlreadySettled']);
  if (expired.length > 0) options.push(['a batch settled after expiry', pick(expired).id, 'BatchExpired']);
  const usable = options.filter(([, id, error]) => error !== null && id > 0n);
  if (usable.length === 0) return mine();
  const [kind, batchId, error] = pick(usable);
  bump(stats.tamperedByKind, kind);
  return transact(`tampered: ${kind}`, env.operatorKey, env.settlement, settleData(env, batchId, 0n, []), error);
}

// ----- time -----

/** Moves to the next block; a batch at the end of its settle window is settled first, unless it is let expire. */
async function mine() {
  for (const batch of batches.values()) {
    if (!settleable(batch) || chain.blockNumber !== batch.id + market.settleWindow) continue;
    if (batch.letExpire) {
      stats.expiredBatches += 1;
      continue;
    }
    const plan = honestPlan(batch);
    if (plan === null) fail(`batch ${batch.id} cannot be settled in its last block`);
    await honestSettle(plan);
  }
  chain.mine();
}

async function jump() {
  for (let n = int(2, 6); n > 0; n--) await mine();
}

// ----- the run -----

for (const trader of traders.filter((t) => !t.neverDeposits)) {
  const initial = { base: 10n ** 12n, quote: 10n ** 10n };
  await transact('deposit', trader.key, env.settlement, iface.encodeFunctionData('deposit', [initial.base, initial.quote]), null, () => {
    const received = initial.base - (initial.base * FEE_BASIS_POINTS) / 10_000n;
    freeOf(trader.address).base += received;
    freeOf(trader.address).quote += initial.quote;
    contractTokens.base += received;
    contractTokens.quote += initial.quote;
  });
}
chain.mine();

const actions = [
  [9, deposit],
  [5, () => withdraw()],
  [16, () => commitOrder(false)],
  [13, () => commitOrder(true)],
  [8, hostileMove],
  [7, reveal],
  [5, mine],
  [1, jump],
  [7, operatorTurn],
  [11, tamperedSettle],
  [4, reclaim],
  [1, () => withdraw(treasury, chance(0.5))],
];
let nextCrossCheck = 400;
while (stats.calls < callsWanted) {
  await weighted(actions)();
  if (stats.calls >= nextCrossCheck) {
    await crossCheckViews();
    nextCrossCheck += 400;
  }
}
await crossCheckViews();

const summary = {
  seed,
  calls: stats.calls,
  blocks: Number(chain.blockNumber),
  batches: batches.size,
  settles: { honest: stats.honestSettles, trading: stats.tradingSettles, rationed: stats.rationedSettles, fills: stats.honestFills, tradingFills: stats.tradingFills, ineligibleFills: stats.ineligibleFills, voids: stats.honestVoids, tampered: Object.values(stats.tamperedByKind).reduce((a, b) => a + b, 0), expiredBatches: stats.expiredBatches, reclaims: stats.reclaims },
  callsByKind: stats.callsByKind,
  revertsByError: stats.revertsByError,
  revertsByCall: stats.revertsByCall,
  tamperedByKind: stats.tamperedByKind,
  invariantChecks: stats.invariantChecks,
  viewCrossChecks: stats.viewCrossChecks,
  seconds: Math.round((Date.now() - started) / 1000),
  failures: [],
};
console.log(json(summary, 2));
