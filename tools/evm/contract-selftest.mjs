// Exercises the reference settlement contract on @ethereumjs/vm with orders signed by ethers: a batch committed in
// block N settles in block N+1 and moves balances exactly; tampered settlements revert with the contract's reason;
// and the gas per fill is measured at 1, 10, 100 and 500 fills. Prints a JSON report; exits 1 on any failure.
import { AbiCoder, TypedDataEncoder, Wallet, keccak256, id as keccakText } from 'ethers';
import { Chain, compileContracts } from './chain.mjs';

const BUY = 1;
const SELL = 2;
const LIMIT = 0;
const LOT_SIZE = 10n ** 12n;
const TICK_SIZE = 10n ** 6n;
const abi = AbiCoder.defaultAbiCoder();
const failures = [];

function check(condition, message) {
  if (!condition) failures.push(message);
}

function key(n) {
  return keccakText(`auction-engine-evm-test-${n}`);
}

async function setUp(traderCount) {
  const chain = await Chain.create();
  const contracts = compileContracts();
  const operatorKey = key('operator');
  await chain.fund(operatorKey);
  const operator = new Wallet(operatorKey).address;
  const base = await chain.deploy(operatorKey, contracts.TestToken, ['Base', 'BASE']);
  const quote = await chain.deploy(operatorKey, contracts.TestToken, ['Quote', 'QUOTE']);
  const settlement = await chain.deploy(operatorKey, contracts.AuctionSettlement, [base, quote, LOT_SIZE, TICK_SIZE, operator, 'AuctionEngine', '1']);
  const traders = [];
  for (let i = 0; i < traderCount; i++) {
    const wallet = new Wallet(key(i));
    await chain.fund(wallet.privateKey);
    const amount = 10n ** 30n;
    for (const token of [base, quote]) {
      await chain.send(operatorKey, token, contracts.TestToken.iface.encodeFunctionData('mint', [wallet.address, amount]));
      await chain.send(wallet.privateKey, token, contracts.TestToken.iface.encodeFunctionData('approve', [settlement, amount]));
    }
    const deposit = await chain.send(wallet.privateKey, settlement, contracts.AuctionSettlement.iface.encodeFunctionData('deposit', [amount, amount]));
    check(!deposit.reverted, `deposit reverted: ${deposit.reason}`);
    traders.push(wallet);
  }
  return { chain, contracts, operatorKey, settlement, traders };
}

async function signOrder(env, wallet, batchId, order) {
  const domain = { name: 'AuctionEngine', version: '1', chainId: env.chain.chainId, verifyingContract: env.settlement };
  const types = {
    SealedOrder: [
      { name: 'trader', type: 'address' }, { name: 'market', type: 'address' }, { name: 'batchId', type: 'uint64' },
      { name: 'side', type: 'uint8' }, { name: 'orderType', type: 'uint8' }, { name: 'limitPrice', type: 'uint256' },
      { name: 'quantity', type: 'uint256' }, { name: 'nonce', type: 'uint256' },
    ],
  };
  const value = { trader: wallet.address, market: env.settlement, batchId, ...order };
  const signature = await wallet.signTypedData(domain, types, value);
  const digest = TypedDataEncoder.hash(domain, types, value);
  return { digest, signature };
}

/** Commits `count` crossing orders (half buys, half sells, equal lots) in one block and returns the fills. */
async function commitBatch(env, count, price) {
  const batchId = env.chain.blockNumber;
  const fills = [];
  for (let i = 0; i < count; i++) {
    const wallet = env.traders[i % env.traders.length];
    const side = i % 2 === 0 ? BUY : SELL;
    const order = { side, orderType: LIMIT, limitPrice: side === BUY ? price + 5n : price - 5n, quantity: 10n, nonce: BigInt(i) };
    const { digest, signature } = await signOrder(env, wallet, batchId, order);
    const salt = keccakText(`salt-${i}`);
    const commitment = keccak256(abi.encode(['bytes32', 'bytes32'], [digest, salt]));
    const sent = await env.chain.send(wallet.privateKey, env.settlement, env.contracts.AuctionSettlement.iface.encodeFunctionData('commit', [commitment]));
    check(!sent.reverted, `commit reverted: ${sent.reason}`);
    fills.push({ order: { trader: wallet.address, ...order }, salt, signature, lots: count === 1 ? 0n : 10n, ciphertext: '0x' });
  }
  return { batchId, fills };
}

function settleData(env, batchId, price, fills) {
  return env.contracts.AuctionSettlement.iface.encodeFunctionData('settle', [batchId, price, fills]);
}

async function balancesOf(env, address) {
  const [base, quote] = await env.chain.call(env.contracts.AuctionSettlement, env.settlement, 'balances', [address]);
  return { base, quote };
}

async function happyPathAndNegatives() {
  const env = await setUp(4);
  env.chain.mine();
  const price = 1_000n;
  const { batchId, fills } = await commitBatch(env, 4, price);
  const before = await Promise.all(env.traders.map((t) => balancesOf(env, t.address)));
  env.chain.mine();

  const tamperedLots = fills.map((f, i) => (i === 0 ? { ...f, lots: 11n } : f));
  const tooHigh = await env.chain.send(env.operatorKey, env.settlement, settleData(env, batchId, price + 6n, fills));
  const overQuantity = await env.chain.send(env.operatorKey, env.settlement, settleData(env, batchId, price, tamperedLots));
  const missing = await env.chain.send(env.operatorKey, env.settlement, settleData(env, batchId, price, [{ ...fills[0], salt: keccakText('other') }, ...fills.slice(1)]));
  const unbalanced = await env.chain.send(env.operatorKey, env.settlement, settleData(env, batchId, price, fills.slice(0, 3)));
  const stranger = await env.chain.send(env.traders[0].privateKey, env.settlement, settleData(env, batchId, price, fills));
  check(tooHigh.reason === 'price breaks a buy limit', `price above a buy limit: ${tooHigh.reason}`);
  check(overQuantity.reason === 'fill exceeds quantity', `lots above quantity: ${overQuantity.reason}`);
  check(missing.reason === 'commitment not registered by trader', `missing commitment: ${missing.reason}`);
  check(unbalanced.reason === 'base not conserved', `unbalanced fills: ${unbalanced.reason}`);
  check(stranger.reason === 'only the operator settles', `settled by a stranger: ${stranger.reason}`);

  const settled = await env.chain.send(env.operatorKey, env.settlement, settleData(env, batchId, price, fills));
  check(!settled.reverted, `settlement reverted: ${settled.reason}`);
  const twice = await env.chain.send(env.operatorKey, env.settlement, settleData(env, batchId, price, fills));
  check(twice.reason === 'batch already settled', `settled twice: ${twice.reason}`);

  const after = await Promise.all(env.traders.map((t) => balancesOf(env, t.address)));
  for (let i = 0; i < fills.length; i++) {
    const sign = fills[i].order.side === BUY ? 1n : -1n;
    const lots = fills[i].lots;
    check(after[i].base - before[i].base === sign * lots * LOT_SIZE, `trader ${i} base moved by ${after[i].base - before[i].base}`);
    check(before[i].quote - after[i].quote === sign * lots * price * TICK_SIZE, `trader ${i} quote moved by ${before[i].quote - after[i].quote}`);
  }
  return { settledGas: settled.gasUsed };
}

async function gasAt(fillCount) {
  const env = await setUp(Math.min(fillCount, 50));
  env.chain.mine();
  const { batchId, fills } = await commitBatch(env, fillCount, 1_000n);
  env.chain.mine();
  const settled = await env.chain.send(env.operatorKey, env.settlement, settleData(env, batchId, 1_000n, fills));
  check(!settled.reverted, `settlement of ${fillCount} fills reverted: ${settled.reason}`);
  return { fills: fillCount, gas: Number(settled.gasUsed), perFill: Math.round(Number(settled.gasUsed) / fillCount) };
}

const happy = await happyPathAndNegatives();
const gas = [];
for (const n of [1, 10, 100, 500]) gas.push(await gasAt(n));
console.log(JSON.stringify({ happy: { settledGas: Number(happy.settledGas) }, gas, failures }, null, 2));
process.exit(failures.length === 0 ? 0 : 1);
