// Exercises the settlement contract on @ethereumjs/vm with orders signed by ethers (signTypedData): the happy path
// to the atom, on-chain reveals, forfeits, expiry and reclaim, awkward tokens (fee on transfer, no return value), every
// defect of issue 9 replayed as an attack, each market-clearing rule broken one at a time, and gas per fill at 1, 10,
// 100 and 500 fills. Every attack must revert with the contract's own custom error and leave every balance, token
// balance and entry exactly as it was. Prints a JSON report; exits 1 if any check failed.
import { ZeroAddress, getBytes, id as keccakText, keccak256 } from 'ethers';
import { bytesToHex } from '@ethereumjs/util';
import { compileContracts } from './chain.mjs';
import {
  BUY, SELL, LIMIT, MARKET, SEALED_BY_COMMITMENT, SEALED_BY_ENCRYPTION,
  deployMarket, fundTrader, signOrder, commitmentOf, settleData, send, errorOf, balanceOf, tokenBalance, entryOf, highS,
} from './market.mjs';
import { clear, allocate, eligibility } from './reference-clearing.mjs';

const contracts = compileContracts();
const failures = [];
const attacks = [];
const scenarios = [];
const DEPOSIT = { base: 10n ** 22n, quote: 10n ** 22n };

function check(condition, message) {
  if (!condition) failures.push(message);
  return condition;
}

const json = (value, indent) => JSON.stringify(value, (k, v) => (typeof v === 'bigint' ? v.toString() : v), indent);

let saltCounter = 0;

/** Stand-in ciphertext bytes, as long as an ECIES-sealed order (65 + 16 + 16 + 321 bytes); the contract never reads them. */
function fakeCiphertext(label) {
  let bytes = '0x';
  for (let i = 0; bytes.length < 2 + 2 * 418; i++) bytes += keccakText(`${label}-${i}`).slice(2);
  return bytes.slice(0, 2 + 2 * 418);
}

function mineUntil(env, block) {
  while (env.chain.blockNumber < block) env.chain.mine();
}

/** A fresh market and a stranger with gas; traders join with addTrader, which deposits DEPOSIT unless told `deposit: null`. */
async function newMarket(options = {}) {
  const env = await deployMarket({ contracts, ...options });
  env.wallets = new Map();
  env.sealed = [];
  env.batchIds = new Set();
  env.stranger = await fundTrader(env, 'stranger', 0n, 0n);
  return env;
}

async function addTrader(env, name, { deposit = DEPOSIT, mint = 10n ** 24n } = {}) {
  const wallet = await fundTrader(env, `${name}-${env.settlement}`, mint, mint);
  if (deposit !== null) {
    const result = await send(env, wallet.privateKey, 'deposit', [deposit.base, deposit.quote]);
    check(!result.reverted, `${name}: deposit reverted with ${errorOf(env, result)}`);
  }
  env.wallets.set(name, wallet);
  return wallet;
}

/** What an order needs reserved at its worst price. */
function worstCase(env, order) {
  return order.side === BUY
    ? { base: 0n, quote: order.quantity * order.limitPrice * env.market.tickSize }
    : { base: order.quantity * env.market.lotSize, quote: 0n };
}

/**
 * Signs and commits an order in the current block. sealed: 'commit' (random salt) or 'encrypted' (any bytes as the
 * ciphertext, secret = keccak256(ciphertext)). reserve: { base, quote } or the exact worst case by default.
 */
async function seal(env, wallet, order, { sealed = 'commit', reserve } = {}) {
  const batchId = env.chain.blockNumber;
  const { order: signedOrder, digest, signature } = await signOrder(env, wallet, batchId, order);
  saltCounter += 1;
  const ciphertext = sealed === 'encrypted' ? fakeCiphertext(`ciphertext-${saltCounter}`) : undefined;
  const secret = sealed === 'encrypted' ? keccak256(ciphertext) : keccakText(`salt-${saltCounter}`);
  const commitment = commitmentOf(digest, secret);
  const { base, quote } = reserve ?? worstCase(env, order);
  const result = sealed === 'encrypted'
    ? await send(env, wallet.privateKey, 'commitEncrypted', [commitment, base, quote, ciphertext])
    : await send(env, wallet.privateKey, 'commit', [commitment, base, quote]);
  const entry = {
    wallet, batchId, order: signedOrder, digest, signature, secret, commitment, ciphertext,
    kind: sealed === 'encrypted' ? SEALED_BY_ENCRYPTION : SEALED_BY_COMMITMENT, baseReserved: base, quoteReserved: quote, result,
  };
  if (!result.reverted) {
    env.sealed.push(entry);
    env.batchIds.add(batchId);
  }
  return entry;
}

const byCommitment = (a, b) => (BigInt(a.commitment) < BigInt(b.commitment) ? -1 : BigInt(a.commitment) > BigInt(b.commitment) ? 1 : 0);

/** The honest clearing of a batch's opened entries (any order), as fills in commitment order. */
function honest(env, opened, pickPrice) {
  const sorted = [...opened].sort(byCommitment);
  const cleared = clear(env.market, sorted, pickPrice);
  return { ...cleared, fills: sorted.map((entry, i) => ({ ...entry, lots: cleared.lots[i] })) };
}

/** Every balance the contract touches: internal balances, token balances, entries and batches. */
async function snapshot(env) {
  const state = {};
  const addresses = new Map([...env.wallets].map(([name, w]) => [name, w.address]));
  addresses.set('treasury', env.treasury).set('operator', env.operator).set('stranger', env.stranger.address);
  for (const [name, address] of addresses) {
    state[name] = {
      ...(await balanceOf(env, address)),
      baseToken: await tokenBalance(env, env.baseToken, address),
      quoteToken: await tokenBalance(env, env.quoteToken, address),
    };
  }
  state.contract = { baseToken: await tokenBalance(env, env.baseToken, env.settlement), quoteToken: await tokenBalance(env, env.quoteToken, env.settlement) };
  for (const s of env.sealed) state[`entry ${s.batchId} ${s.wallet.address} ${s.commitment}`] = await entryOf(env, s.batchId, s.wallet.address, s.commitment);
  for (const batchId of env.batchIds) {
    const [commitments, settled] = await env.chain.call(env.contracts.AuctionSettlement, env.settlement, 'batches', [batchId]);
    state[`batch ${batchId}`] = { commitments, settled };
  }
  return state;
}

/** Sends an attack; it must revert with `expected` (a name, or `Name(arg,...)` to compare arguments) and change nothing. */
async function expectRevert(env, label, key, data, expected) {
  const before = await snapshot(env);
  const result = await env.chain.send(key, env.settlement, data);
  const error = errorOf(env, result, expected.includes('('));
  const after = await snapshot(env);
  const unchanged = json(before) === json(after);
  attacks.push({ case: label, error: error ?? 'did not revert', unchanged });
  check(result.reverted, `${label}: did not revert`);
  check(error === expected, `${label}: reverted with ${error}, expected ${expected}`);
  check(unchanged, `${label}: balances or entries changed`);
  return result;
}

async function expectSettle(env, label, batchId, price, fills, voids = []) {
  const result = await env.chain.send(env.operatorKey, env.settlement, settleData(env, batchId, price, fills, voids));
  check(!result.reverted, `${label}: honest settle reverted with ${errorOf(env, result, true)}`);
  return result;
}

function parsedLogs(env, result) {
  return result.logs
    .filter((log) => bytesToHex(log[0]).toLowerCase() === env.settlement.toLowerCase())
    .map((log) => env.iface.parseLog({ topics: log[1].map((t) => bytesToHex(t)), data: bytesToHex(log[2]) }));
}

/** After a settle: every trader's free balance equals its deposit plus what its fills bought or sold, to the atom. */
async function checkSettledBalances(env, label, fills, price, deposits) {
  const expected = new Map();
  for (const [name, wallet] of env.wallets) expected.set(wallet.address, { ...(deposits.get(name) ?? DEPOSIT), name });
  for (const fill of fills) {
    const e = expected.get(fill.order.trader);
    const base = fill.lots * env.market.lotSize;
    const quote = fill.lots * price * env.market.tickSize;
    if (fill.order.side === BUY) { e.base += base; e.quote -= quote; } else { e.base -= base; e.quote += quote; }
  }
  for (const [address, e] of expected) {
    const actual = await balanceOf(env, address);
    check(actual.base === e.base && actual.quote === e.quote, `${label}: ${e.name} holds ${json(actual)}, expected base ${e.base} quote ${e.quote}`);
  }
}

// ----- the happy path -----

async function happyPath() {
  const env = await newMarket();
  for (const name of ['alice', 'bob', 'carol', 'dave']) await addTrader(env, name);
  const w = (name) => env.wallets.get(name);
  env.chain.mine();
  const batchId = env.chain.blockNumber;
  // Buys: a market order (worst 1100) and a limit at 1010; sells at 990 and 1000. V is 12 on [1000, 1010]; the market
  // buy fills first, the limit buy is rationed to 7 of 10.
  const opened = [
    await seal(env, w('alice'), { side: BUY, orderType: LIMIT, limitPrice: 1010n, quantity: 10n, nonce: 1n }),
    await seal(env, w('carol'), { side: BUY, orderType: MARKET, limitPrice: 1100n, quantity: 5n, nonce: 1n }, { sealed: 'encrypted' }),
    await seal(env, w('bob'), { side: SELL, orderType: LIMIT, limitPrice: 990n, quantity: 8n, nonce: 1n }),
    await seal(env, w('dave'), { side: SELL, orderType: LIMIT, limitPrice: 1000n, quantity: 4n, nonce: 1n }, { sealed: 'encrypted' }),
  ];
  for (const s of opened) check(!s.result.reverted, `happy: commit reverted with ${errorOf(env, s.result)}`);
  const [onChainDigest] = await env.chain.call(env.contracts.AuctionSettlement, env.settlement, 'orderDigest', [opened[0].order, batchId]);
  check(onChainDigest === opened[0].digest, 'happy: the contract\'s orderDigest differs from ethers\' signTypedData digest');

  // Committing reserved exactly the worst case and, for commit-reveal, the bond.
  for (const s of opened) {
    const free = await balanceOf(env, s.wallet.address);
    const bond = s.kind === SEALED_BY_COMMITMENT ? env.market.commitBond : 0n;
    check(free.base === DEPOSIT.base - s.baseReserved && free.quote === DEPOSIT.quote - s.quoteReserved - bond, `happy: ${s.wallet.address} free after commit ${json(free)}`);
    const entry = await entryOf(env, batchId, s.wallet.address, s.commitment);
    check(entry.kind === s.kind && !entry.revealed && entry.baseReserved === s.baseReserved && entry.quoteReserved === s.quoteReserved, `happy: entry ${json(entry)}`);
  }
  const contractBefore = await snapshot(env);

  await expectRevert(env, 'settle in the batch\'s own block', env.operatorKey, settleData(env, batchId, 1005n, honest(env, opened).fills), 'BatchStillOpen');
  env.chain.mine();
  const { price, fills, volume } = honest(env, opened);
  check(price === 1005n && volume === 12n, `happy: reference clearing gave ${price} / ${volume}`);
  const lotsOf = (name) => fills.find((f) => f.wallet === w(name)).lots;
  check(lotsOf('carol') === 5n && lotsOf('alice') === 7n && lotsOf('bob') === 8n && lotsOf('dave') === 4n, 'happy: reference allocation');
  const settled = await expectSettle(env, 'happy', batchId, price, fills);
  await checkSettledBalances(env, 'happy', fills, price, new Map());

  const logs = parsedLogs(env, settled);
  const filled = logs.filter((l) => l.name === 'Filled');
  check(filled.length === 4, `happy: ${filled.length} Filled events`);
  for (const f of fills) {
    const event = filled.find((l) => l.args.commitment === f.commitment);
    check(event !== undefined && event.args.batchId === batchId && event.args.trader === f.order.trader && Number(event.args.side) === f.order.side
      && event.args.lots === f.lots && event.args.quoteAmount === f.lots * price * env.market.tickSize, `happy: Filled event for ${f.commitment}`);
  }
  const batchSettled = logs.find((l) => l.name === 'BatchSettled');
  check(batchSettled !== undefined && batchSettled.args.batchId === batchId && batchSettled.args.price === price && batchSettled.args.volume === 12n
    && batchSettled.args.fills === 4n && batchSettled.args.voids === 0n && batchSettled.args.batchKey === '0x', 'happy: BatchSettled event');
  for (const s of opened) check((await entryOf(env, batchId, s.wallet.address, s.commitment)).kind === 0, 'happy: entry left after settle');
  // Settling moves nothing in or out of the contract.
  const after = await snapshot(env);
  check(after.contract.baseToken === contractBefore.contract.baseToken && after.contract.quoteToken === contractBefore.contract.quoteToken, 'happy: token balances of the contract moved');
  await expectRevert(env, 'a batch settled twice', env.operatorKey, settleData(env, batchId, price, fills), 'BatchAlreadySettled');

  // Everyone withdraws everything: the tokens come out exactly.
  for (const [name, wallet] of env.wallets) {
    const free = await balanceOf(env, wallet.address);
    const tokensBefore = await tokenBalance(env, env.baseToken, wallet.address);
    const result = await send(env, wallet.privateKey, 'withdraw', [free.base, free.quote]);
    check(!result.reverted, `happy: ${name} withdraw reverted`);
    check(await tokenBalance(env, env.baseToken, wallet.address) === tokensBefore + free.base, `happy: ${name} base tokens`);
  }
  check(await tokenBalance(env, env.baseToken, env.settlement) === 0n && await tokenBalance(env, env.quoteToken, env.settlement) === 0n, 'happy: the contract keeps tokens after every withdrawal');
  scenarios.push({ name: 'happy path', price: Number(price), volume: Number(volume), settleGas: Number(settled.gasUsed), commitGas: Number(opened[0].result.gasUsed), commitEncryptedGas: Number(opened[1].result.gasUsed) });
}

// ----- reveals, forfeits, expiry -----

async function revealsAndForfeits() {
  const env = await newMarket();
  for (const name of ['alice', 'bob', 'carol']) await addTrader(env, name);
  const w = (name) => env.wallets.get(name);
  env.chain.mine();
  const batchId = env.chain.blockNumber;
  const aliceBuy = await seal(env, w('alice'), { side: BUY, orderType: LIMIT, limitPrice: 1000n, quantity: 3n, nonce: 7n });
  const bobSell = await seal(env, w('bob'), { side: SELL, orderType: LIMIT, limitPrice: 1000n, quantity: 3n, nonce: 7n });
  const carolWithheld = await seal(env, w('carol'), { side: SELL, orderType: LIMIT, limitPrice: 900n, quantity: 2n, nonce: 7n });
  const carolEncrypted = await seal(env, w('carol'), { side: BUY, orderType: LIMIT, limitPrice: 500n, quantity: 2n, nonce: 8n }, { sealed: 'encrypted' });
  const revealArgs = (s, overrides = {}) => [batchId, { ...s.order, ...overrides.order }, overrides.secret ?? s.secret, overrides.signature ?? s.signature];
  const reveal = (s, key, overrides) => env.chain.send(key, env.settlement, env.iface.encodeFunctionData('reveal', revealArgs(s, overrides)));

  await expectRevert(env, 'reveal in the batch\'s own block', env.stranger.privateKey, env.iface.encodeFunctionData('reveal', revealArgs(aliceBuy)), 'RevealWindowClosed');
  env.chain.mine();
  await expectRevert(env, 'reveal with the wrong secret', env.stranger.privateKey, env.iface.encodeFunctionData('reveal', revealArgs(aliceBuy, { secret: bobSell.secret })),
    `UnknownCommitment(${w('alice').address},${commitmentOf(aliceBuy.digest, bobSell.secret)})`);
  const { trader: _, ...aliceTerms } = aliceBuy.order;
  const bobsSignature = (await signOrder(env, w('alice'), batchId, aliceTerms, w('bob'))).signature;
  await expectRevert(env, 'reveal signed by someone else', env.stranger.privateKey, env.iface.encodeFunctionData('reveal', revealArgs(aliceBuy, { signature: bobsSignature })), 'SignatureNotTraders');
  // Anyone may reveal (here a stranger who was handed the opening).
  const revealed = await reveal(aliceBuy, env.stranger.privateKey);
  check(!revealed.reverted, `reveal reverted with ${errorOf(env, revealed)}`);
  const revealEvent = parsedLogs(env, revealed).find((l) => l.name === 'Revealed');
  check(revealEvent?.args.commitment === aliceBuy.commitment && revealEvent?.args.secret === aliceBuy.secret, 'Revealed event');
  check((await entryOf(env, batchId, w('alice').address, aliceBuy.commitment)).revealed, 'reveal did not mark the entry');
  check(!(await reveal(carolEncrypted, w('carol').privateKey)).reverted, 'an encrypted order can be revealed on-chain too');

  // Voids (forfeits) only after the reveal window.
  const voidOf = (s) => ({ trader: s.wallet.address, commitment: s.commitment, reason: 9 });
  const honestFills = honest(env, [aliceBuy, bobSell, carolEncrypted]);
  await expectRevert(env, 'forfeit inside the reveal window', env.operatorKey, settleData(env, batchId, honestFills.price, honestFills.fills, [voidOf(carolWithheld)]), 'RevealWindowOpen');
  mineUntil(env, batchId + env.market.revealWindow + 1n);
  await expectRevert(env, 'reveal after the reveal window', env.stranger.privateKey, env.iface.encodeFunctionData('reveal', revealArgs(bobSell)), 'RevealWindowClosed');
  const withoutAlice = honest(env, [bobSell, carolEncrypted]);
  await expectRevert(env, 'void of a commitment revealed on-chain', env.operatorKey,
    settleData(env, batchId, withoutAlice.price, withoutAlice.fills, [voidOf(carolWithheld), voidOf(aliceBuy)]), `RevealedOnChain(${aliceBuy.commitment})`);
  await expectRevert(env, 'void of an encrypted commitment revealed on-chain', env.operatorKey,
    settleData(env, batchId, honest(env, [aliceBuy, bobSell]).price, honest(env, [aliceBuy, bobSell]).fills, [voidOf(carolWithheld), voidOf(carolEncrypted)]), `RevealedOnChain(${carolEncrypted.commitment})`);
  await expectRevert(env, 'the same void listed twice', env.operatorKey, settleData(env, batchId, 0n, [], [voidOf(carolWithheld), voidOf(carolWithheld), voidOf(carolWithheld), voidOf(carolWithheld)]),
    `UnknownCommitment(${w('carol').address},${carolWithheld.commitment})`);

  const treasuryBefore = await balanceOf(env, env.treasury);
  const settled = await expectSettle(env, 'forfeit', batchId, honestFills.price, honestFills.fills, [voidOf(carolWithheld)]);
  const treasuryAfter = await balanceOf(env, env.treasury);
  check(treasuryAfter.quote - treasuryBefore.quote === env.market.commitBond && treasuryAfter.base === treasuryBefore.base, 'the forfeited bond did not reach the treasury');
  // Carol forfeited one bond and got everything else back; alice and bob traded 3 lots at 1000.
  const carol = await balanceOf(env, w('carol').address);
  check(carol.base === DEPOSIT.base && carol.quote === DEPOSIT.quote - env.market.commitBond, `carol after forfeit ${json(carol)}`);
  await checkSettledBalances(env, 'forfeit', honestFills.fills, honestFills.price, new Map([['carol', { base: DEPOSIT.base, quote: DEPOSIT.quote - env.market.commitBond }]]));
  const voided = parsedLogs(env, settled).find((l) => l.name === 'Voided');
  check(voided?.args.commitment === carolWithheld.commitment && Number(voided?.args.reason) === 9, 'Voided event');
  const treasuryWallet = { privateKey: env.treasuryKey };
  const withdrawn = await send(env, treasuryWallet.privateKey, 'withdraw', [0n, env.market.commitBond]);
  check(!withdrawn.reverted && await tokenBalance(env, env.quoteToken, env.treasury) === env.market.commitBond, 'the treasury cannot withdraw the bond');
  scenarios.push({ name: 'reveal and forfeit', revealGas: Number(revealed.gasUsed), settleGas: Number(settled.gasUsed) });

  // An invalid order cannot be revealed (it can only be voided or settled for nothing).
  env.chain.mine();
  const invalidBatch = env.chain.blockNumber;
  const zeroPrice = await seal(env, w('alice'), { side: BUY, orderType: MARKET, limitPrice: 0n, quantity: 1n, nonce: 9n }, { reserve: { base: 0n, quote: 0n } });
  env.chain.mine();
  await expectRevert(env, 'reveal of an order priced 0', env.stranger.privateKey,
    env.iface.encodeFunctionData('reveal', [invalidBatch, zeroPrice.order, zeroPrice.secret, zeroPrice.signature]), 'InvalidOrder');
  await expectSettle(env, 'an invalid order settles for nothing', invalidBatch, 0n, [{ ...zeroPrice, lots: 0n }]);
}

async function expiryAndReclaim() {
  const env = await newMarket();
  for (const name of ['alice', 'bob']) await addTrader(env, name);
  const w = (name) => env.wallets.get(name);
  env.chain.mine();
  const batchId = env.chain.blockNumber;
  const buy = await seal(env, w('alice'), { side: BUY, orderType: LIMIT, limitPrice: 1000n, quantity: 3n, nonce: 1n });
  const sell = await seal(env, w('bob'), { side: SELL, orderType: LIMIT, limitPrice: 1000n, quantity: 3n, nonce: 1n }, { sealed: 'encrypted' });
  const reclaim = (s) => env.iface.encodeFunctionData('reclaim', [batchId, s.wallet.address, s.commitment]);
  env.chain.mine();
  await expectRevert(env, 'reclaim before expiry', env.stranger.privateKey, reclaim(buy), 'BatchNotExpired');
  while (env.chain.blockNumber <= batchId + env.market.settleWindow) env.chain.mine();
  const { price, fills } = honest(env, [buy, sell]);
  await expectRevert(env, 'settle after expiry', env.operatorKey, settleData(env, batchId, price, fills), 'BatchExpired');
  // Anyone may reclaim for a trader; reservations and the bond come back.
  for (const s of [buy, sell]) {
    const result = await env.chain.send(env.stranger.privateKey, env.settlement, reclaim(s));
    check(!result.reverted, `reclaim reverted with ${errorOf(env, result)}`);
    check(parsedLogs(env, result).some((l) => l.name === 'Reclaimed' && l.args.commitment === s.commitment), 'Reclaimed event');
  }
  for (const name of ['alice', 'bob']) {
    const free = await balanceOf(env, w(name).address);
    check(free.base === DEPOSIT.base && free.quote === DEPOSIT.quote, `${name} after reclaim ${json(free)}`);
  }
  await expectRevert(env, 'reclaim twice', env.stranger.privateKey, reclaim(buy), `UnknownCommitment(${w('alice').address},${buy.commitment})`);
  scenarios.push({ name: 'expiry and reclaim' });
}

// ----- awkward tokens -----

async function awkwardTokens() {
  // Base burns 1% on every transfer; quote returns nothing from transfer, transferFrom and approve (USDT-like).
  const env = await newMarket({ base: ['FeeOnTransferToken', ['Fee', 'FEE', 100n]], quote: ['NoReturnToken', ['Tether-like', 'USDTL']] });
  const alice = await addTrader(env, 'alice', { deposit: null });
  const bob = await addTrader(env, 'bob', { deposit: null });
  const sent = 10n ** 20n;
  const arrived = sent - sent / 100n;
  for (const wallet of [alice, bob]) {
    const result = await send(env, wallet.privateKey, 'deposit', [sent, sent]);
    check(!result.reverted, `fee-on-transfer deposit reverted with ${errorOf(env, result)}`);
    const deposited = parsedLogs(env, result).find((l) => l.name === 'Deposited');
    check(deposited?.args.base === arrived && deposited?.args.quote === sent, `Deposited event ${json(deposited?.args)}`);
    const free = await balanceOf(env, wallet.address);
    check(free.base === arrived && free.quote === sent, `fee-on-transfer: credited ${json(free)}, expected base ${arrived}`);
  }
  check(await tokenBalance(env, env.baseToken, env.settlement) === 2n * arrived, 'fee-on-transfer: the contract holds more or less than it credited');
  env.chain.mine();
  const batchId = env.chain.blockNumber;
  const buy = await seal(env, alice, { side: BUY, orderType: LIMIT, limitPrice: 1000n, quantity: 5n, nonce: 1n });
  const sell = await seal(env, bob, { side: SELL, orderType: LIMIT, limitPrice: 990n, quantity: 5n, nonce: 1n }, { sealed: 'encrypted' });
  env.chain.mine();
  const { price, fills } = honest(env, [buy, sell]);
  await expectSettle(env, 'awkward tokens', batchId, price, fills);
  await checkSettledBalances(env, 'awkward tokens', fills, price, new Map([['alice', { base: arrived, quote: sent }], ['bob', { base: arrived, quote: sent }]]));
  for (const wallet of [alice, bob]) {
    const free = await balanceOf(env, wallet.address);
    const baseBefore = await tokenBalance(env, env.baseToken, wallet.address);
    const quoteBefore = await tokenBalance(env, env.quoteToken, wallet.address);
    const result = await send(env, wallet.privateKey, 'withdraw', [free.base, free.quote]);
    check(!result.reverted, `withdraw of awkward tokens reverted with ${errorOf(env, result)}`);
    check(await tokenBalance(env, env.baseToken, wallet.address) === baseBefore + free.base - free.base / 100n, 'fee-on-transfer withdraw: wrong amount arrived');
    check(await tokenBalance(env, env.quoteToken, wallet.address) === quoteBefore + free.quote, 'no-return-value token withdraw: wrong amount arrived');
  }
  check(await tokenBalance(env, env.baseToken, env.settlement) === 0n && await tokenBalance(env, env.quoteToken, env.settlement) === 0n, 'awkward tokens: the contract kept tokens');
  scenarios.push({ name: 'fee-on-transfer base, no-return-value quote' });
}

// ----- issue 9, replayed -----

/** (1) One signed order settled twice through two commitments of the same trader. */
async function doubleFill() {
  const env = await newMarket();
  const alice = await addTrader(env, 'alice');
  const bob = await addTrader(env, 'bob');
  env.chain.mine();
  const batchId = env.chain.blockNumber;
  const tenLot = await seal(env, alice, { side: BUY, orderType: LIMIT, limitPrice: 1000n, quantity: 10n, nonce: 1n });
  const oneLot = await seal(env, alice, { side: BUY, orderType: LIMIT, limitPrice: 1000n, quantity: 1n, nonce: 2n });
  const sell = await seal(env, bob, { side: SELL, orderType: LIMIT, limitPrice: 1000n, quantity: 20n, nonce: 1n });
  env.chain.mine();
  const { price, fills } = honest(env, [tenLot, oneLot, sell]);
  const sellFill = { ...fills.find((f) => f.commitment === sell.commitment), lots: 20n };
  // The 10-lot order presented in the 1-lot commitment's place (its salt): that commitment was never registered.
  const underOneLotSalt = commitmentOf(tenLot.digest, oneLot.secret);
  const disguised = [{ ...tenLot, lots: 10n }, { ...tenLot, secret: oneLot.secret, commitment: underOneLotSalt, lots: 10n }, sellFill].sort(byCommitment);
  await expectRevert(env, '(1) 10-lot order settled again under the 1-lot commitment', env.operatorKey, settleData(env, batchId, price, disguised), `UnknownCommitment(${alice.address},${underOneLotSalt})`);
  // The 10-lot fill listed twice in place of the 1-lot one: the second finds its commitment consumed.
  const listedTwice = [{ ...tenLot, lots: 10n }, { ...tenLot, lots: 10n }, sellFill].sort(byCommitment);
  await expectRevert(env, '(1) 10-lot fill listed twice', env.operatorKey, settleData(env, batchId, price, listedTwice), `UnknownCommitment(${alice.address},${tenLot.commitment})`);
  await expectSettle(env, '(1) honest', batchId, price, fills);
  await checkSettledBalances(env, '(1) honest', fills, price, new Map());

  // The trader commits the same signed order twice: only the first copy in commitment order may trade.
  env.chain.mine();
  const batch2 = env.chain.blockNumber;
  const signed = await signOrder(env, alice, batch2, { side: BUY, orderType: LIMIT, limitPrice: 1000n, quantity: 10n, nonce: 3n });
  const copies = [];
  for (const salt of ['copy-a', 'copy-b']) {
    const secret = keccakText(salt);
    const commitment = commitmentOf(signed.digest, secret);
    const reserve = worstCase(env, signed.order);
    const result = await send(env, alice.privateKey, 'commit', [commitment, reserve.base, reserve.quote]);
    check(!result.reverted, 'commit of a copy reverted');
    const entry = { wallet: alice, batchId: batch2, ...signed, secret, commitment, kind: SEALED_BY_COMMITMENT, baseReserved: reserve.base, quoteReserved: reserve.quote };
    env.sealed.push(entry);
    copies.push(entry);
  }
  env.batchIds.add(batch2);
  const bigSell = await seal(env, bob, { side: SELL, orderType: LIMIT, limitPrice: 1000n, quantity: 20n, nonce: 4n });
  env.chain.mine();
  const twice = honest(env, [...copies, bigSell]);
  check(twice.volume === 10n, `(1) duplicate copies: the reference clearing trades ${twice.volume}`);
  const bothCopies = twice.fills.map((f) => ({ ...f, lots: f.commitment === bigSell.commitment ? 20n : 10n }));
  const secondCopy = [...copies].sort(byCommitment)[1];
  await expectRevert(env, '(1) the same signed order filled through both of its commitments', env.operatorKey, settleData(env, batch2, twice.price, bothCopies), `IneligibleOrderFilled(${secondCopy.commitment})`);
  await expectSettle(env, '(1) duplicate copies, honest', batch2, twice.price, twice.fills);
  scenarios.push({ name: '(1) one signed order, two commitments' });
}

/** (2) Commitment squatting. */
async function squatting() {
  const env = await newMarket();
  const victim = await addTrader(env, 'victim');
  const squatter = await addTrader(env, 'squatter');
  const seller = await addTrader(env, 'seller');
  env.chain.mine();
  const batchId = env.chain.blockNumber;
  // The victim's commits are prepared (signed and hashed); the squatter copies the hashes from the mempool and gets in first.
  const orders = [1n, 2n, 3n].map((nonce) => ({ side: BUY, orderType: LIMIT, limitPrice: 1000n + nonce, quantity: 2n, nonce }));
  const prepared = [];
  for (const order of orders) {
    const signed = await signOrder(env, victim, batchId, order);
    const secret = keccakText(`victim-salt-${order.nonce}`);
    const reserve = worstCase(env, order);
    prepared.push({ ...signed, secret, commitment: commitmentOf(signed.digest, secret), wallet: victim, batchId, kind: SEALED_BY_COMMITMENT, baseReserved: reserve.base, quoteReserved: reserve.quote });
  }
  const copies = [];
  for (const [i, p] of prepared.entries()) {
    if (i === 1) continue; // squat the first and the last of the sequence
    const sealedBy = i === 0 ? 'commit' : 'commitEncrypted';
    const args = sealedBy === 'commit' ? [p.commitment, 0n, 0n] : [p.commitment, 0n, 0n, '0xdeadbeef'];
    const result = await send(env, squatter.privateKey, sealedBy, args);
    check(!result.reverted, `(2) squatter commit reverted with ${errorOf(env, result)}`);
    const copy = { wallet: squatter, batchId, commitment: p.commitment, kind: sealedBy === 'commit' ? SEALED_BY_COMMITMENT : SEALED_BY_ENCRYPTION, baseReserved: 0n, quoteReserved: 0n };
    env.sealed.push(copy);
    copies.push(copy);
  }
  // The victim's sequence (what a commitMany would send) goes through in full.
  for (const p of prepared) {
    const result = await send(env, victim.privateKey, 'commit', [p.commitment, p.baseReserved, p.quoteReserved]);
    check(!result.reverted, `(2) the victim's commit was blocked: ${errorOf(env, result, true)}`);
    env.sealed.push(p);
  }
  env.batchIds.add(batchId);
  await expectRevert(env, '(2) the squatter commits the same hash twice', squatter.privateKey, env.iface.encodeFunctionData('commit', [prepared[0].commitment, 0n, 0n]), `AlreadyCommitted(${prepared[0].commitment})`);
  const sell = await seal(env, seller, { side: SELL, orderType: LIMIT, limitPrice: 990n, quantity: 6n, nonce: 1n });
  env.chain.mine();
  // The victim reveals one order on-chain: that marks the victim's entry, never the squatter's copy.
  const revealed = await send(env, victim.privateKey, 'reveal', [batchId, prepared[0].order, prepared[0].secret, prepared[0].signature]);
  check(!revealed.reverted, '(2) victim reveal reverted');
  check((await entryOf(env, batchId, victim.address, prepared[0].commitment)).revealed, '(2) the victim\'s entry is not revealed');
  check(!(await entryOf(env, batchId, squatter.address, prepared[0].commitment)).revealed, '(2) the reveal marked the squatter\'s copy');

  const { price, fills } = honest(env, [...prepared, sell]);
  const voids = copies.map((c) => ({ trader: c.wallet.address, commitment: c.commitment, reason: 8 }));
  // A copy can never be a fill: the order names the victim, and under the squatter's name the commitment differs.
  // (Listed first, so that the commitment check, not the ordering check, is what fails.)
  const copyAsFill = (p) => ({ ...p, order: { ...p.order, trader: squatter.address }, lots: 0n });
  const [renamedDigest] = await env.chain.call(env.contracts.AuctionSettlement, env.settlement, 'orderDigest', [copyAsFill(prepared[0]).order, batchId]);
  const renamed = `UnknownCommitment(${squatter.address},${commitmentOf(renamedDigest, prepared[0].secret)})`;
  await expectRevert(env, '(2) the squatter\'s copies presented as fills', env.operatorKey,
    settleData(env, batchId, price, [copyAsFill(prepared[0]), copyAsFill(prepared[2]), ...fills]), renamed);
  await expectRevert(env, '(2) copies voided inside the reveal window', env.operatorKey, settleData(env, batchId, price, fills, voids), 'RevealWindowOpen');
  await expectRevert(env, '(2) settle without the copies', env.operatorKey, settleData(env, batchId, price, fills), `CommitmentsUnaccounted(${fills.length},${fills.length + copies.length})`);
  mineUntil(env, batchId + env.market.revealWindow + 1n);
  await expectRevert(env, '(2) a copy presented as a fill after the window', env.operatorKey,
    settleData(env, batchId, price, [copyAsFill(prepared[0]), ...fills], voids.slice(1)), renamed);
  const treasuryBefore = await balanceOf(env, env.treasury);
  await expectSettle(env, '(2) honest', batchId, price, fills, voids);
  await checkSettledBalances(env, '(2) honest', fills, price, new Map([['squatter', { base: DEPOSIT.base, quote: DEPOSIT.quote - env.market.commitBond }]]));
  check((await balanceOf(env, env.treasury)).quote - treasuryBefore.quote === env.market.commitBond, '(2) the squatter\'s bond did not go to the treasury');
  scenarios.push({ name: '(2) commitment squatting', victimLots: fills.filter((f) => f.wallet === victim).map((f) => Number(f.lots)) });
}

/** (3) A trader cannot veto a batch by withdrawing, nor commit funds it never deposited. */
async function vetoByWithdrawal() {
  const env = await newMarket();
  const buyer = await addTrader(env, 'buyer');
  const seller = await addTrader(env, 'seller');
  const broke = await addTrader(env, 'broke', { deposit: null });
  env.chain.mine();
  const batchId = env.chain.blockNumber;
  const buy = await seal(env, buyer, { side: BUY, orderType: LIMIT, limitPrice: 1000n, quantity: 4n, nonce: 1n });
  const sell = await seal(env, seller, { side: SELL, orderType: LIMIT, limitPrice: 1000n, quantity: 6n, nonce: 1n }, { sealed: 'encrypted' });
  const brokeOrder = { side: BUY, orderType: LIMIT, limitPrice: 1005n, quantity: 2n, nonce: 1n };
  const funded = await seal(env, broke, brokeOrder);
  check(errorOf(env, funded.result) === 'InsufficientBalance', `(3) a trader with no deposit committed a funded order: ${errorOf(env, funded.result)}`);
  const bondOnly = await seal(env, broke, brokeOrder, { reserve: { base: 0n, quote: 0n } });
  check(errorOf(env, bondOnly.result) === 'InsufficientBalance', '(3) a trader with no deposit posted a bond');
  const unfunded = await seal(env, broke, brokeOrder, { sealed: 'encrypted', reserve: { base: 0n, quote: 0n } });
  check(!unfunded.result.reverted, '(3) an unfunded encrypted commitment was refused');
  // The buyer withdraws everything it can: the reservation stays.
  const free = await balanceOf(env, buyer.address);
  const withdrawn = await send(env, buyer.privateKey, 'withdraw', [free.base, free.quote]);
  check(!withdrawn.reverted, '(3) withdraw of the free balance reverted');
  await expectRevert(env, '(3) withdraw of reserved funds', buyer.privateKey, env.iface.encodeFunctionData('withdraw', [0n, 1n]), 'InsufficientBalance');
  env.chain.mine();
  const { price, fills, eligible } = honest(env, [buy, sell, unfunded]);
  check(eligible[fills.findIndex((f) => f.commitment === unfunded.commitment)] === false, '(3) the reference clearing treats the unfunded order as eligible');
  check(fills.find((f) => f.commitment === unfunded.commitment).lots === 0n, '(3) the unfunded order trades');
  const givenLots = fills.map((f) => (f.commitment === unfunded.commitment ? { ...f, lots: 2n } : f.commitment === sell.commitment ? { ...f, lots: 6n } : f));
  await expectRevert(env, '(3) the unfunded order given lots', env.operatorKey, settleData(env, batchId, price, givenLots), `IneligibleOrderFilled(${unfunded.commitment})`);
  await expectSettle(env, '(3) honest after the withdrawal', batchId, price, fills);
  // The buyer had withdrawn every free atom: now it holds its 4 lots, its reservation less what it paid, and its bond.
  const after = await balanceOf(env, buyer.address);
  check(price === 1000n && after.base === 4n * env.market.lotSize && after.quote === buy.quoteReserved + env.market.commitBond - 4n * price * env.market.tickSize,
    `(3) the buyer holds ${json(after)}`);
  scenarios.push({ name: '(3) withdrawal before settle, no deposit' });
}

/** (4) and (5): fills for address(0), bad signatures, and bad prices. */
async function forgedFillsAndPrices() {
  const env = await newMarket();
  const alice = await addTrader(env, 'alice');
  const bob = await addTrader(env, 'bob');
  const mallory = await addTrader(env, 'mallory');
  env.chain.mine();
  const batchId = env.chain.blockNumber;
  const buy = await seal(env, alice, { side: BUY, orderType: LIMIT, limitPrice: 1010n, quantity: 5n, nonce: 1n });
  const sell = await seal(env, bob, { side: SELL, orderType: LIMIT, limitPrice: 990n, quantity: 5n, nonce: 1n }, { sealed: 'encrypted' });
  // The unbounded orders: a market buy signed with worst price 0 (the old encoding) and one above maxPrice, each
  // committed with a generous reservation; neither may ever trade.
  const zeroWorst = await seal(env, mallory, { side: BUY, orderType: MARKET, limitPrice: 0n, quantity: 5n, nonce: 1n }, { reserve: { base: 0n, quote: 10n ** 18n } });
  const aboveMax = await seal(env, mallory, { side: BUY, orderType: MARKET, limitPrice: env.market.maxPrice + 1n, quantity: 5n, nonce: 2n }, { reserve: { base: 0n, quote: 10n ** 18n } });
  env.chain.mine();
  const { price, fills } = honest(env, [buy, sell, zeroWorst, aboveMax]);
  check(price === 1000n, `(4) reference price ${price}`);
  const replace = (target, changes) => fills.map((f) => (f.commitment === target.commitment ? { ...f, ...changes } : f));

  const [zeroDigest] = await env.chain.call(env.contracts.AuctionSettlement, env.settlement, 'orderDigest', [{ ...buy.order, trader: ZeroAddress }, batchId]);
  await expectRevert(env, '(4) fill for trader address(0)', env.operatorKey,
    settleData(env, batchId, price, replace(buy, { order: { ...buy.order, trader: ZeroAddress } })), `UnknownCommitment(${ZeroAddress},${commitmentOf(zeroDigest, buy.secret)})`);
  const { trader: _, ...buyTerms } = buy.order;
  const mallorysSignature = (await signOrder(env, alice, batchId, buyTerms, mallory)).signature;
  await expectRevert(env, '(4) fill signed by another key', env.operatorKey, settleData(env, batchId, price, replace(buy, { signature: mallorysSignature })), 'SignatureNotTraders');
  await expectRevert(env, '(4) fill with a high-s signature', env.operatorKey, settleData(env, batchId, price, replace(buy, { signature: highS(buy.signature) })), 'ECDSAInvalidSignatureS');
  await expectRevert(env, '(4) fill with a 64-byte signature', env.operatorKey, settleData(env, batchId, price, replace(buy, { signature: buy.signature.slice(0, 130) })), 'ECDSAInvalidSignatureLength(64)');
  await expectRevert(env, '(4) fill with a zero signature', env.operatorKey, settleData(env, batchId, price, replace(buy, { signature: '0x' + '00'.repeat(64) + '1b' })), 'ECDSAInvalidSignature');

  await expectRevert(env, '(5) price 0 with trades', env.operatorKey, settleData(env, batchId, 0n, fills), `IneligibleOrderFilled(${fills.find((f) => f.lots !== 0n).commitment})`);
  await expectRevert(env, '(5) price above maxPrice', env.operatorKey, settleData(env, batchId, env.market.maxPrice + 1n, fills), 'PriceOutOfBounds');
  await expectRevert(env, '(5) price above the buy limit', env.operatorKey, settleData(env, batchId, 1011n, fills), `PriceBreaksLimit(${buy.commitment})`);
  await expectRevert(env, '(5) price below the sell limit', env.operatorKey, settleData(env, batchId, 989n, fills), `PriceBreaksLimit(${sell.commitment})`);
  await expectRevert(env, '(5) market buy with worst price 0 filled', env.operatorKey,
    settleData(env, batchId, price, fills.map((f) => (f.commitment === zeroWorst.commitment ? { ...f, lots: 5n } : f.commitment === buy.commitment ? { ...f, lots: 0n } : f))), `IneligibleOrderFilled(${zeroWorst.commitment})`);
  await expectRevert(env, '(5) market buy with worst price above maxPrice filled', env.operatorKey,
    settleData(env, batchId, price, fills.map((f) => (f.commitment === aboveMax.commitment ? { ...f, lots: 5n } : f.commitment === buy.commitment ? { ...f, lots: 0n } : f))), `IneligibleOrderFilled(${aboveMax.commitment})`);
  await expectSettle(env, '(4)(5) honest', batchId, price, fills);
  await checkSettledBalances(env, '(4)(5) honest', fills, price, new Map([['mallory', DEPOSIT]]));

  // A 1-lot market buy whose signed worst price (100) is below the only ask (150): nothing trades.
  env.chain.mine();
  const batch2 = env.chain.blockNumber;
  const marketBuy = await seal(env, alice, { side: BUY, orderType: MARKET, limitPrice: 100n, quantity: 1n, nonce: 5n }, { sealed: 'encrypted' });
  const ask = await seal(env, bob, { side: SELL, orderType: LIMIT, limitPrice: 150n, quantity: 1n, nonce: 5n });
  env.chain.mine();
  const quiet = honest(env, [marketBuy, ask]);
  check(quiet.price === 0n && quiet.volume === 0n, '(5) the reference clearing trades a market buy above its worst price');
  await expectRevert(env, '(5) 1-lot market buy settled above its worst price', env.operatorKey,
    settleData(env, batch2, 150n, quiet.fills.map((f) => ({ ...f, lots: 1n }))), `PriceBreaksLimit(${marketBuy.commitment})`);
  await expectSettle(env, '(5) nothing trades', batch2, 0n, quiet.fills);
  scenarios.push({ name: '(4)(5) forged fills and bad prices' });
}

/** (6) Settles that censor: empty, omitting a commitment, listing one twice. */
async function censoringSettles() {
  const env = await newMarket();
  const alice = await addTrader(env, 'alice');
  const bob = await addTrader(env, 'bob');
  env.chain.mine();
  const batchId = env.chain.blockNumber;
  const opened = [
    await seal(env, alice, { side: BUY, orderType: LIMIT, limitPrice: 1000n, quantity: 3n, nonce: 1n }),
    await seal(env, bob, { side: SELL, orderType: LIMIT, limitPrice: 1000n, quantity: 2n, nonce: 1n }, { sealed: 'encrypted' }),
    await seal(env, bob, { side: SELL, orderType: LIMIT, limitPrice: 1000n, quantity: 1n, nonce: 2n }),
  ];
  env.chain.mine();
  const { price, fills } = honest(env, opened);
  await expectRevert(env, '(6) empty settle', env.operatorKey, settleData(env, batchId, 0n, []), 'CommitmentsUnaccounted(0,3)');
  await expectRevert(env, '(6) settle omitting one commitment', env.operatorKey, settleData(env, batchId, price, fills.slice(0, 2)), 'CommitmentsUnaccounted(2,3)');
  await expectRevert(env, '(6) settle listing one commitment twice (and all others)', env.operatorKey, settleData(env, batchId, price, [fills[0], ...fills]), 'CommitmentsUnaccounted(4,3)');
  await expectRevert(env, '(6) settle listing one commitment twice in another\'s place', env.operatorKey, settleData(env, batchId, price, [fills[0], fills[0], fills[2]]), `UnknownCommitment(${fills[0].order.trader},${fills[0].commitment})`);
  await expectRevert(env, 'settle of a batch with no commitments', env.operatorKey, settleData(env, batchId - 1n, 0n, []), 'UnknownBatch');
  mineUntil(env, batchId + env.market.revealWindow + 1n);
  await expectRevert(env, '(6) settle voiding a commitment that is also a fill', env.operatorKey,
    settleData(env, batchId, price, fills.slice(0, 2), [{ trader: fills[0].order.trader, commitment: fills[0].commitment, reason: 1 }]), `UnknownCommitment(${fills[0].order.trader},${fills[0].commitment})`);
  await expectSettle(env, '(6) honest', batchId, price, fills);
  scenarios.push({ name: '(6) censoring settles' });
}

/** The market-clearing rules broken one at a time on a book with a rationed level. */
async function clearingRules() {
  const env = await newMarket();
  for (const name of ['m', 'a', 'b', 'c', 'u', 's1', 's2', 'v']) await addTrader(env, name);
  const w = (name) => env.wallets.get(name);
  env.chain.mine();
  const batchId = env.chain.blockNumber;
  const o = {
    m: await seal(env, w('m'), { side: BUY, orderType: MARKET, limitPrice: 1100n, quantity: 4n, nonce: 1n }, { sealed: 'encrypted' }),
    a: await seal(env, w('a'), { side: BUY, orderType: LIMIT, limitPrice: 1010n, quantity: 7n, nonce: 1n }),
    b: await seal(env, w('b'), { side: BUY, orderType: LIMIT, limitPrice: 1010n, quantity: 6n, nonce: 1n }, { sealed: 'encrypted' }),
    c: await seal(env, w('c'), { side: BUY, orderType: LIMIT, limitPrice: 1005n, quantity: 5n, nonce: 1n }),
    // One quote atom short of its worst case: ineligible.
    u: await seal(env, w('u'), { side: BUY, orderType: LIMIT, limitPrice: 1010n, quantity: 5n, nonce: 1n }, { reserve: { base: 0n, quote: 5n * 1010n * env.market.tickSize - 1n } }),
    s1: await seal(env, w('s1'), { side: SELL, orderType: LIMIT, limitPrice: 990n, quantity: 8n, nonce: 1n }),
    s2: await seal(env, w('s2'), { side: SELL, orderType: LIMIT, limitPrice: 1000n, quantity: 6n, nonce: 1n }, { sealed: 'encrypted' }),
    // One base atom short: ineligible.
    v: await seal(env, w('v'), { side: SELL, orderType: LIMIT, limitPrice: 990n, quantity: 5n, nonce: 1n }, { reserve: { base: 5n * env.market.lotSize - 1n, quote: 0n } }),
  };
  const opened = Object.values(o);
  env.chain.mine();
  const { price, fills, volume, lo, hi } = honest(env, opened);
  // V = 14 on [1000, 1010]; at 1005 the market buy takes 4, the 1010 level (a 7, b 6) shares 10: 70/13 and 60/13, so
  // floors 5 and 4 and the leftover lot to b (remainder 8 against 5).
  check(price === 1005n && volume === 14n && lo === 1000n && hi === 1010n, `clearing: reference gave ${price} ${volume} [${lo}, ${hi}]`);
  const lots = Object.fromEntries(Object.entries(o).map(([k, s]) => [k, fills.find((f) => f.commitment === s.commitment).lots]));
  check(json(lots) === json({ m: 4n, a: 5n, b: 5n, c: 0n, u: 0n, s1: 8n, s2: 6n, v: 0n }), `clearing: reference lots ${json(lots)}`);
  const withLots = (changes) => fills.map((f) => {
    const key = Object.keys(o).find((k) => o[k].commitment === f.commitment);
    return key in changes ? { ...f, lots: changes[key] } : f;
  });
  const indexOf = (key) => fills.findIndex((f) => f.commitment === o[key].commitment);
  const at = (p) => {
    const eligible = eligibility(env.market, fills);
    const lotsAt = allocate(env.market, fills, eligible, p);
    return fills.map((f, i) => ({ ...f, lots: lotsAt[i] }));
  };

  await expectRevert(env, 'price priority broken (a lot moved to a worse limit)', env.operatorKey, settleData(env, batchId, price, withLots({ a: 4n, c: 1n })), 'PricePriorityBroken');
  await expectRevert(env, 'price priority broken (market order rationed below a limit)', env.operatorKey, settleData(env, batchId, price, withLots({ m: 3n, a: 6n })), 'PricePriorityBroken');
  await expectRevert(env, 'both sides rationed', env.operatorKey, settleData(env, batchId, price, withLots({ a: 4n, s1: 7n })), 'BothSidesRationed');
  await expectRevert(env, 'pro rata off by more than a lot', env.operatorKey, settleData(env, batchId, price, withLots({ a: 7n, b: 3n })), `ProRataBroken(${Math.min(indexOf('a'), indexOf('b'))})`);
  await expectRevert(env, 'crossed book settled as nothing trades', env.operatorKey, settleData(env, batchId, 0n, withLots({ m: 0n, a: 0n, b: 0n, s1: 0n, s2: 0n })), 'CrossedBookNotTraded');
  const swapped = [...fills];
  [swapped[0], swapped[1]] = [swapped[1], swapped[0]];
  await expectRevert(env, 'fills out of commitment order', env.operatorKey, settleData(env, batchId, price, swapped), 'FillsOutOfOrder');
  await expectRevert(env, 'unfunded buy (reservation one atom short) given lots', env.operatorKey, settleData(env, batchId, price, withLots({ u: 1n, b: 4n })), `IneligibleOrderFilled(${o.u.commitment})`);
  await expectRevert(env, 'unfunded sell (reservation one atom short) given lots', env.operatorKey, settleData(env, batchId, price, withLots({ v: 1n, s1: 7n })), `IneligibleOrderFilled(${o.v.commitment})`);
  await expectRevert(env, 'lots beyond the quantity', env.operatorKey, settleData(env, batchId, price, withLots({ c: 6n, a: 0n, b: 4n })), `FillExceedsQuantity(${o.c.commitment})`);
  await expectRevert(env, 'fills not conserved', env.operatorKey, settleData(env, batchId, price, withLots({ a: 6n })), 'NotConserved');
  // A price that trades, but less than the batch can: at 995 only s1 (8 lots) sells and s2 is shut out; above 1010
  // only the market buy (4 lots) buys. Each allocation is a consistent clearing at its own price, but not a maximal one.
  await expectRevert(env, 'volume not maximal (price below the range, a seller shut out)', env.operatorKey, settleData(env, batchId, 995n, at(995n)), 'VolumeNotMaximal(1000)');
  await expectRevert(env, 'volume not maximal (price above the range, buyers shut out)', env.operatorKey, settleData(env, batchId, 1050n, at(1050n)), 'VolumeNotMaximal(1010)');
  await expectRevert(env, 'a price at which nothing trades', env.operatorKey, settleData(env, batchId, 1200n, withLots({ m: 0n, a: 0n, b: 0n, s1: 0n, s2: 0n })), 'NothingTradedAtPrice');
  await expectRevert(env, 'settle by a stranger', env.stranger.privateKey, settleData(env, batchId, price, fills), 'OnlyOperator');
  await expectRevert(env, 'settle by a trader', w('a').privateKey, settleData(env, batchId, price, fills), 'OnlyOperator');
  await expectSettle(env, 'clearing rules, honest', batchId, price, fills);
  await expectRevert(env, 'clearing rules: settled twice', env.operatorKey, settleData(env, batchId, price, fills), 'BatchAlreadySettled');
  scenarios.push({ name: 'market-clearing rules', price: Number(price), volume: Number(volume) });
}

// ----- gas -----

/**
 * Gas of an honest settle of `fillCount` fills, all trading: half buys of 10 lots at 1005, half sells at 995, half
 * commit-reveal and half encrypted. Balanced: sells of 10 lots, both sides fill completely. Rationed: sells of 9 lots,
 * so the buys share the volume pro rata (9 lots each), which adds the contract's rationing pass.
 */
async function gasAt(fillCount, traderCount, rationed = false) {
  const env = await newMarket();
  const traders = [];
  for (let i = 0; i < traderCount; i++) traders.push(await addTrader(env, `gas-${i}`));
  env.chain.mine();
  const batchId = env.chain.blockNumber;
  const opened = [];
  let commitGas = 0n;
  for (let i = 0; i < fillCount; i++) {
    const side = i % 2 === 0 ? BUY : SELL;
    // Half commit-reveal and half encrypted on each side; the ciphertext has an ECIES order's size (418 bytes).
    const sealed = i % 4 < 2 ? 'commit' : 'encrypted';
    const quantity = side === SELL && rationed ? 9n : 10n;
    const s = await seal(env, traders[i % traderCount], { side, orderType: LIMIT, limitPrice: side === BUY ? 1005n : 995n, quantity, nonce: BigInt(i) }, { sealed });
    check(!s.result.reverted, `gas: commit reverted with ${errorOf(env, s.result)}`);
    commitGas += s.result.gasUsed;
    opened.push(s);
  }
  env.chain.mine();
  const { price, fills, volume } = honest(env, opened);
  check(fillCount === 1 || (volume === (rationed ? 9n : 10n) * BigInt(fillCount / 2) && fills.every((f) => f.lots > 0n)), `gas: ${fillCount} fills do not all trade`);
  const data = settleData(env, batchId, price, fills);
  const settled = await expectSettle(env, `gas at ${fillCount}`, batchId, price, fills);
  // Where it goes: calldata (16 gas a non-zero byte, 4 a zero byte), and the storage refunds (each consumed entry
  // is cleared), which the EVM caps at a fifth of the gas before refunds.
  const bytes = getBytes(data);
  const calldataGas = bytes.reduce((sum, b) => sum + (b === 0 ? 4 : 16), 0);
  const refund = settled.gasRefund;
  const refundApplied = refund * 5n <= settled.gasUsed + refund ? refund : settled.gasUsed / 4n;
  const perFill = (x) => Math.round(Number(x) / fillCount);
  return {
    fills: fillCount, traders: traderCount, rationed, gas: Number(settled.gasUsed), perFill: perFill(settled.gasUsed),
    calldataBytesPerFill: Math.round(bytes.length / fillCount), calldataGasPerFill: perFill(calldataGas),
    refundPerFill: perFill(refundApplied), refundCapped: refundApplied < refund,
    executionPerFillBeforeRefund: perFill(settled.gasUsed + refundApplied - 21_000n - BigInt(calldataGas)),
    commitGasAverage: perFill(commitGas),
  };
}

const started = Date.now();
await happyPath();
await revealsAndForfeits();
await expiryAndReclaim();
await awkwardTokens();
await doubleFill();
await squatting();
await vetoByWithdrawal();
await forgedFillsAndPrices();
await censoringSettles();
await clearingRules();
const gas = [];
for (const n of [1, 10, 100, 500]) gas.push(await gasAt(n, Math.min(n, 50)));
for (const n of [10, 100, 500]) gas.push(await gasAt(n, Math.min(n, 50), true));
gas.push(await gasAt(100, 100));
console.log(json({ scenarios, attacks, gas, seconds: Math.round((Date.now() - started) / 1000), failures }, 2));
process.exit(failures.length === 0 ? 0 : 1);
