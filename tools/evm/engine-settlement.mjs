// Replays the engine's own calldata on @ethereumjs/vm. For each batch size it predicts the addresses the operator's
// next deployments will get, asks `auction settle --json` for a sealed batch aimed at them (half commit-reveal, half
// encrypted, plus a commitment never revealed, a damaged ciphertext, an unfunded order, one signed order committed
// twice and an order revealed on-chain), deploys the tokens and the settlement contract with the constructor
// arguments the engine printed, funds and deposits for every trader, sends every commit in the batch's block, the
// on-chain reveal in the next, and the engine's settle once the reveal window has closed. Then every account's free
// balance must have moved exactly as the engine says (bonds of forfeited commitments to the treasury), the contract
// must hold exactly what its accounts do, and tampered calldata must revert with the contract's own error.
// Exits 1 on any failure. Usage: node engine-settlement.mjs [path to the auction executable]
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Wallet, getCreateAddress, id as keccakText } from 'ethers';
import { Chain, compileContracts } from './chain.mjs';

const LOT_SIZE = 10n ** 12n;
const TICK_SIZE = 10n ** 6n;
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const failures = [];
const check = (condition, message) => { if (!condition) failures.push(message); };

function engineScenario(options) {
  const args = ['settle', '--json', '--lot-size', String(LOT_SIZE), '--tick-size', String(TICK_SIZE)];
  for (const [name, value] of Object.entries(options)) args.push(`--${name}`, String(value));
  const executable = process.argv[2];
  const output = executable
    ? execFileSync(executable, args, { encoding: 'utf8' })
    : execFileSync('dotnet', ['run', '-c', 'Release', '--no-build', '--project', path.join(root, 'samples/AuctionEngine.Cli'), '--', ...args], { encoding: 'utf8' });
  return JSON.parse(output);
}

function errorName(contract, result) {
  if (!result.reverted) return 'no revert';
  try {
    return contract.iface.parseError(result.returnValue).name;
  } catch {
    return result.reason;
  }
}

async function run(orderCount) {
  const chain = await Chain.create();
  const contracts = compileContracts();
  const operatorKey = keccakText('auction-engine-evm-operator');
  const operator = await chain.fund(operatorKey);
  const treasury = new Wallet(keccakText('auction-engine-evm-treasury')).address;
  const predicted = (nonce) => getCreateAddress({ from: operator, nonce });
  const [baseAddress, quoteAddress, settlementAddress] = [predicted(0), predicted(1), predicted(2)];

  const batchBlock = chain.blockNumber + 1000n;
  const scenario = engineScenario({
    orders: orderCount, contract: settlementAddress, 'chain-id': chain.chainId, block: batchBlock,
    'base-token': baseAddress, 'quote-token': quoteAddress, operator, treasury,
  });
  check(scenario.cleared, `the engine's batch of ${orderCount} did not clear`);

  const base = await chain.deploy(operatorKey, contracts.TestToken, ['Base', 'BASE']);
  const quote = await chain.deploy(operatorKey, contracts.TestToken, ['Quote', 'QUOTE']);
  const d = scenario.deploy;
  const settlement = await chain.deploy(operatorKey, contracts.AuctionSettlement, [
    d.baseToken, d.quoteToken, d.lotSize, d.tickSize, d.maxPrice, d.maxQuantity, d.operator, d.treasury, d.commitBond,
    d.revealWindow, d.settleWindow, d.limits, d.name, d.version,
  ]);
  check(base.toLowerCase() === baseAddress.toLowerCase() && quote.toLowerCase() === quoteAddress.toLowerCase()
    && settlement.toLowerCase() === settlementAddress.toLowerCase(), 'the deployments did not land at the predicted addresses');
  const iface = contracts.AuctionSettlement.iface;
  const keys = new Map(scenario.traders.map((t) => [t.address.toLowerCase(), t.privateKey]));

  const amount = 10n ** 30n;
  for (const trader of scenario.traders) {
    await chain.fund(trader.privateKey);
    for (const token of [base, quote]) {
      await chain.send(operatorKey, token, contracts.TestToken.iface.encodeFunctionData('mint', [trader.address, amount]));
      await chain.send(trader.privateKey, token, contracts.TestToken.iface.encodeFunctionData('approve', [settlement, amount]));
    }
    const deposited = await chain.send(trader.privateKey, settlement, iface.encodeFunctionData('deposit', [amount, amount]));
    check(!deposited.reverted, `deposit reverted: ${deposited.reason}`);
  }

  const accounts = [...scenario.traders.map((t) => t.address), treasury];
  const balances = async () => new Map(await Promise.all(accounts.map(async (a) => {
    const [b, q] = await chain.call(contracts.AuctionSettlement, settlement, 'balances', [a]);
    return [a.toLowerCase(), { base: b, quote: q }];
  })));
  const before = await balances();

  chain.mine(batchBlock);
  for (const commit of scenario.commits) {
    const sent = await chain.send(keys.get(commit.from.toLowerCase()), settlement, commit.data);
    check(!sent.reverted, `commit reverted: ${errorName(contracts.AuctionSettlement, sent)}`);
  }

  chain.mine(BigInt(scenario.revealBlock));
  for (const reveal of scenario.reveals) {
    const sent = await chain.send(keys.get(reveal.from.toLowerCase()), settlement, reveal.data);
    check(!sent.reverted, `on-chain reveal reverted: ${errorName(contracts.AuctionSettlement, sent)}`);
  }

  // The voids may only come after the reveal window: one block early, the same calldata must revert.
  chain.mine(BigInt(scenario.settleBlock) - 1n);
  const early = await chain.send(operatorKey, settlement, scenario.settle);
  check(errorName(contracts.AuctionSettlement, early) === 'RevealWindowOpen', `a settle inside the reveal window: ${errorName(contracts.AuctionSettlement, early)}`);

  chain.mine(BigInt(scenario.settleBlock));
  const settle = scenario.settle;
  const [batchId, price, fills, voids, batchKey] = iface.decodeFunctionData('settle', settle);
  const tamperedLots = fills.map((f) => [f.order, f.secret, f.signature, f.lots]);
  const traded = tamperedLots.findIndex((f) => f[3] > 0n);
  tamperedLots[traded][3] += 1n;
  const tampered = await chain.send(operatorKey, settlement, iface.encodeFunctionData('settle', [batchId, price, tamperedLots, voids, batchKey]));
  const tamperedError = errorName(contracts.AuctionSettlement, tampered);
  check(['FillExceedsQuantity', 'NotConserved', 'ProRataBroken', 'PricePriorityBroken', 'BothSidesRationed'].includes(tamperedError), `lots raised by one: ${tamperedError}`);

  const settled = await chain.send(operatorKey, settlement, settle);
  check(!settled.reverted, `the engine's settle calldata reverted: ${errorName(contracts.AuctionSettlement, settled)}`);
  const twice = await chain.send(operatorKey, settlement, settle);
  check(errorName(contracts.AuctionSettlement, twice) === 'BatchAlreadySettled', `a second settle: ${errorName(contracts.AuctionSettlement, twice)}`);

  const after = await balances();
  for (const expected of scenario.expected) {
    const address = expected.address.toLowerCase();
    const moved = { base: after.get(address).base - before.get(address).base, quote: after.get(address).quote - before.get(address).quote };
    check(moved.base === BigInt(expected.base), `${address} base moved ${moved.base}, engine says ${expected.base}`);
    check(moved.quote === BigInt(expected.quote), `${address} quote moved ${moved.quote}, engine says ${expected.quote}`);
  }

  // Nothing is left reserved: the contract holds exactly what its accounts hold.
  for (const [token, field] of [[base, 'base'], [quote, 'quote']]) {
    const [held] = await chain.call(contracts.TestToken, token, 'balanceOf', [settlement]);
    const owed = [...after.values()].reduce((sum, b) => sum + b[field], 0n);
    check(held === owed, `the contract holds ${held} ${field} atoms but its accounts ${owed}`);
  }

  return {
    orders: orderCount, fills: Number(scenario.fills), trades: Number(scenario.trades), voids: scenario.voids, price: scenario.price,
    gas: Number(settled.gasUsed), gasPerFill: Math.round(Number(settled.gasUsed) / Number(scenario.fills)), calldataBytes: (settle.length - 2) / 2,
  };
}

const results = [];
for (const orders of [8, 40, 200]) results.push(await run(orders));
console.log(JSON.stringify({ results, failures }, null, 2));
process.exit(failures.length === 0 ? 0 : 1);
