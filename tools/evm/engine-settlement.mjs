// Replays the engine's own calldata on @ethereumjs/vm: deploys the tokens and the settlement contract, asks
// `auction settle --json` for a sealed batch aimed at that contract (half committed, half encrypted), funds its
// traders, sends every commit in block N and the engine's settle calldata in block N+1, then checks that each
// trader's deposits moved exactly as the engine's fills say, and that tampered calldata reverts with the
// contract's reason. Exits 1 on any failure. Usage: node engine-settlement.mjs [path to the auction executable]
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Wallet, id as keccakText } from 'ethers';
import { Chain, compileContracts } from './chain.mjs';

const LOT_SIZE = 10n ** 12n;
const TICK_SIZE = 10n ** 6n;
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const failures = [];
const check = (condition, message) => { if (!condition) failures.push(message); };

function engineScenario(contract, chainId, block, orders) {
  const args = ['settle', '--contract', contract, '--chain-id', String(chainId), '--block', String(block), '--orders', String(orders), '--lot-size', String(LOT_SIZE), '--tick-size', String(TICK_SIZE), '--json'];
  const executable = process.argv[2];
  const output = executable
    ? execFileSync(executable, args, { encoding: 'utf8' })
    : execFileSync('dotnet', ['run', '-c', 'Release', '--no-build', '--project', path.join(root, 'samples/AuctionEngine.Cli'), '--', ...args], { encoding: 'utf8' });
  return JSON.parse(output);
}

async function run(orderCount) {
  const chain = await Chain.create();
  const contracts = compileContracts();
  const operatorKey = keccakText('auction-engine-evm-operator');
  await chain.fund(operatorKey);
  const operator = new Wallet(operatorKey).address;
  const base = await chain.deploy(operatorKey, contracts.TestToken, ['Base', 'BASE']);
  const quote = await chain.deploy(operatorKey, contracts.TestToken, ['Quote', 'QUOTE']);
  const settlement = await chain.deploy(operatorKey, contracts.AuctionSettlement, [base, quote, LOT_SIZE, TICK_SIZE, operator, 'AuctionEngine', '1']);
  const iface = contracts.AuctionSettlement.iface;

  const batchBlock = chain.blockNumber + 1n;
  const scenario = engineScenario(settlement, chain.chainId, batchBlock, orderCount);
  check(scenario.cleared, `the engine's batch of ${orderCount} did not clear`);
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

  const balances = async () => new Map(await Promise.all(scenario.traders.map(async (t) => {
    const [b, q] = await chain.call(contracts.AuctionSettlement, settlement, 'balances', [t.address]);
    return [t.address.toLowerCase(), { base: b, quote: q }];
  })));

  chain.mine();
  check(chain.blockNumber === batchBlock, 'the commits must land in the batch block');
  for (const commit of scenario.commits) {
    const sent = await chain.send(keys.get(commit.from.toLowerCase()), settlement, commit.data);
    check(!sent.reverted, `commit reverted: ${sent.reason}`);
  }

  const before = await balances();
  chain.mine();

  // Tampering: a fill's lots raised by one (the last byte of its lots word) must revert, and move nothing.
  const settle = scenario.settle;
  const settleBytes = Buffer.from(settle.slice(2), 'hex');
  // selector, three head words, the array's length and one offset per fill; then the first fill, whose lots are word 8.
  const firstFillStart = 4 + 32 * 3 + 32 + 32 * scenario.fills;
  const tampered = Buffer.from(settleBytes);
  tampered[firstFillStart + 32 * 9 - 1] += 1;
  const rejected = await chain.send(operatorKey, settlement, '0x' + tampered.toString('hex'));
  check(rejected.reverted, 'tampered lots were accepted');
  const reasons = ['fill exceeds quantity', 'base not conserved', 'quote not conserved'];
  check(reasons.includes(rejected.reason), `tampered lots reverted with '${rejected.reason}'`);

  const settled = await chain.send(operatorKey, settlement, settle);
  check(!settled.reverted, `the engine's settle calldata reverted: ${settled.reason}`);
  const twice = await chain.send(operatorKey, settlement, settle);
  check(twice.reason === 'batch already settled', `a second settle: ${twice.reason}`);

  const after = await balances();
  for (const expected of scenario.expected) {
    const address = expected.address.toLowerCase();
    const moved = { base: after.get(address).base - before.get(address).base, quote: after.get(address).quote - before.get(address).quote };
    check(moved.base === BigInt(expected.base), `${address} base moved ${moved.base}, engine says ${expected.base}`);
    check(moved.quote === BigInt(expected.quote), `${address} quote moved ${moved.quote}, engine says ${expected.quote}`);
  }

  return { orders: orderCount, fills: scenario.fills, price: scenario.price, gas: Number(settled.gasUsed), gasPerFill: Math.round(Number(settled.gasUsed) / scenario.fills), calldataBytes: settleBytes.length };
}

const results = [];
for (const orders of [8, 40, 200]) results.push(await run(orders));
console.log(JSON.stringify({ results, failures }, null, 2));
process.exit(failures.length === 0 ? 0 : 1);
