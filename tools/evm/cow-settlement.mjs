// Executes the engine's CoW Protocol calldata on CoW's real GPv2Settlement: the mainnet deployment bytecode that
// @cowprotocol/contracts ships (pinned by package-lock.json), deployed on @ethereumjs/vm with its allow-list
// authenticator (initialised directly rather than behind its proxy) and the vault relayer its constructor creates. The
// Balancer Vault is a code-less stand-in address: GPv2 calls the Vault only for orders with "external" or "internal"
// balances, and the engine's orders all use ERC-20 balances, whose transfers go through the relayer's transferFrom and
// the settlement's own transfer.
//
// For each batch it predicts the deployment addresses, asks `auction settle --json --cow` for a sealed batch aimed
// at them, deploys the tokens, authenticator and settlement, allow-lists a solver, mints every trader both tokens and
// approves the relayer, and then (all on one chain, in this order):
// - with pre-signatures, sends the calldata before any owner has pre-signed (must revert "GPv2: order not
//   presigned"), then each owner's setPreSignature(uid, true);
// - sends tampered copies of the calldata, each of which must revert with GPv2's own reason and move nothing: a
//   signature whose v is no longer 27 or 28 or that is a byte short, an executed amount above the signed amount, a
//   signed limit raised past the clearing price, a pre-signature in another owner's name, a settle from an account
//   that is not a solver;
// - sends the engine's calldata from the solver: every trader's balances must move exactly as the engine's fills say,
//   the settlement contract must keep nothing, and filledAmount(uid) must equal each trade's executed amount (so the
//   engine's UIDs are the contract's);
// - sends it again (must revert "GPv2: order filled"), and once more after validTo ("GPv2: order expired").
// It reports gas per trade. Exits 1 on any failure. Usage: node cow-settlement.mjs [path to the auction executable]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Interface, Wallet, getCreateAddress, id as keccakText } from 'ethers';
import { Chain, compileContracts } from './chain.mjs';

const LOT_SIZE = 10n ** 12n;
const TICK_SIZE = 10n ** 6n;
const MINTED = 10n ** 30n;
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const failures = [];
const check = (condition, message) => { if (!condition) failures.push(message); };

/** A mainnet deployment artifact of @cowprotocol/contracts, shaped as chain.deploy takes it. */
function artifact(name) {
  const file = path.join(here, 'node_modules/@cowprotocol/contracts/deployments/mainnet', `${name}.json`);
  const { abi, bytecode } = JSON.parse(fs.readFileSync(file, 'utf8'));
  return { abi, bytecode, iface: new Interface(abi) };
}

const settlementArtifact = artifact('GPv2Settlement');
const authenticatorArtifact = artifact('GPv2AllowListAuthentication_Implementation');
const settlementIface = settlementArtifact.iface;
const tokens = compileContracts().TestToken;

function engineScenario(options) {
  const args = ['settle', '--json', '--cow', '--lot-size', String(LOT_SIZE), '--tick-size', String(TICK_SIZE)];
  for (const [name, value] of Object.entries(options)) args.push(`--${name}`, String(value));
  const executable = process.argv[2];
  const output = executable
    ? execFileSync(executable, args, { encoding: 'utf8', maxBuffer: 1 << 28 })
    : execFileSync('dotnet', ['run', '-c', 'Release', '--no-build', '--project', path.join(root, 'samples/AuctionEngine.Cli'), '--', ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return JSON.parse(output);
}

/** The revert reason: GPv2's require strings decode to text, a token's custom error to its name. */
function reason(result) {
  if (!result.reverted) return 'no revert';
  if (typeof result.reason === 'string' && !result.reason.startsWith('0x')) return result.reason;
  try {
    return tokens.iface.parseError(result.returnValue).name;
  } catch {
    return result.reason;
  }
}

/** settle(tokens, prices, trades, interactions) with one trade changed by `edit(trade)`. */
function tamper(calldata, index, edit) {
  const [tokenList, prices, trades, interactions] = settlementIface.decodeFunctionData('settle', calldata);
  const copies = trades.map((t) => ({
    sellTokenIndex: t.sellTokenIndex, buyTokenIndex: t.buyTokenIndex, receiver: t.receiver, sellAmount: t.sellAmount,
    buyAmount: t.buyAmount, validTo: t.validTo, appData: t.appData, feeAmount: t.feeAmount, flags: t.flags,
    executedAmount: t.executedAmount, signature: t.signature,
  }));
  edit(copies[index]);
  return settlementIface.encodeFunctionData('settle', [tokenList, prices, copies, interactions.map((list) => [...list])]);
}

async function run(orderCount, signing) {
  const chain = await Chain.create();
  const operatorKey = keccakText('auction-engine-evm-operator');
  const solverKey = keccakText('auction-engine-evm-solver');
  const strangerKey = keccakText('auction-engine-evm-stranger');
  const operator = await chain.fund(operatorKey);
  const solver = await chain.fund(solverKey);
  await chain.fund(strangerKey);
  const predicted = (nonce) => getCreateAddress({ from: operator, nonce });
  const [baseAddress, quoteAddress, authenticatorAddress, settlementAddress] = [0, 1, 2, 3].map(predicted);
  // The relayer is the settlement constructor's first creation: the settlement's nonce 1 (EIP-161).
  const relayer = getCreateAddress({ from: settlementAddress, nonce: 1 });
  const vault = new Wallet(keccakText('auction-engine-evm-balancer-vault-stand-in')).address;

  // Orders expire an hour after the block the solver settles in (chain.mjs: 12 s a block from 1,700,000,000).
  const settleBlock = chain.blockNumber + 10n;
  const validTo = 1_700_000_000n + settleBlock * 12n + 3600n;
  const scenario = engineScenario({
    orders: orderCount, 'chain-id': chain.chainId, 'cow-settlement': settlementAddress, 'base-token': baseAddress,
    'quote-token': quoteAddress, 'valid-to': validTo, 'cow-signing': signing, seed: orderCount,
  });
  const cow = scenario.cow;
  check(cow !== undefined && cow.trades.length > 0, `the engine's batch of ${orderCount} did not clear into CoW trades`);

  const base = await chain.deploy(operatorKey, tokens, ['Base', 'BASE']);
  const quote = await chain.deploy(operatorKey, tokens, ['Quote', 'QUOTE']);
  const authenticator = await chain.deploy(operatorKey, authenticatorArtifact);
  const settlement = await chain.deploy(operatorKey, settlementArtifact, [authenticator, vault]);
  check([base, quote, authenticator, settlement].join() === [baseAddress, quoteAddress, authenticatorAddress, settlementAddress].join().toLowerCase(),
    'the deployments did not land at the predicted addresses');
  const [contractRelayer] = await chain.call(settlementArtifact, settlement, 'vaultRelayer');
  check(contractRelayer.toLowerCase() === relayer.toLowerCase(), `the vault relayer is ${contractRelayer}, not ${relayer}`);
  const [separator] = await chain.call(settlementArtifact, settlement, 'domainSeparator');
  check(separator === cow.domainSeparator, `the contract's domain separator is ${separator}, the engine's ${cow.domainSeparator}`);
  for (const data of [
    authenticatorArtifact.iface.encodeFunctionData('initializeManager', [operator]),
    authenticatorArtifact.iface.encodeFunctionData('addSolver', [solver]),
  ]) {
    const sent = await chain.send(operatorKey, authenticator, data);
    check(!sent.reverted, `allow-listing the solver reverted: ${reason(sent)}`);
  }

  const keys = new Map(scenario.traders.map((t) => [t.address.toLowerCase(), t.privateKey]));
  for (const trader of scenario.traders) {
    await chain.fund(trader.privateKey);
    for (const token of [base, quote]) {
      await chain.send(operatorKey, token, tokens.iface.encodeFunctionData('mint', [trader.address, MINTED]));
      await chain.send(trader.privateKey, token, tokens.iface.encodeFunctionData('approve', [relayer, MINTED]));
    }
  }

  const accounts = [...scenario.traders.map((t) => t.address.toLowerCase()), settlement.toLowerCase()];
  const balances = async () => new Map(await Promise.all(accounts.map(async (a) => {
    const [[b], [q]] = await Promise.all([chain.call(tokens, base, 'balanceOf', [a]), chain.call(tokens, quote, 'balanceOf', [a])]);
    return [a, { base: b, quote: q }];
  })));
  const before = await balances();

  chain.mine(settleBlock);
  const calldata = cow.calldata;
  let preSignatureGas = 0n;
  // The tampered copies below are judged after the pre-signatures, so that each fails for its own reason.
  if (signing === 'presign') {
    // Before its owner pre-signs, the engine's own calldata cannot execute.
    const unsigned = await chain.send(solverKey, settlement, calldata);
    check(reason(unsigned) === 'GPv2: order not presigned', `a settle before the pre-signatures: ${reason(unsigned)}`);
    for (const call of cow.preSignatures) {
      check(call.to.toLowerCase() === settlement, `a pre-signature is addressed to ${call.to}`);
      const sent = await chain.send(keys.get(call.from.toLowerCase()), settlement, call.data);
      check(!sent.reverted, `setPreSignature reverted: ${reason(sent)}`);
      preSignatureGas += sent.gasUsed;
    }
  }

  const sellIndex = cow.trades.findIndex((t) => t.order.kind === 'sell');
  const attacks = [
    ['an executed amount above the signed amount', tamper(calldata, 0, (t) => { t.executedAmount = (t.flags & 1n) === 1n ? t.buyAmount + 1n : t.sellAmount + 1n; }), 'GPv2: order filled'],
    ['a sell order whose signed minimum is raised past the clearing price', tamper(calldata, sellIndex, (t) => { t.buyAmount *= 2n; }),
      signing === 'presign' ? 'GPv2: order not presigned' : 'GPv2: limit price not respected'],
  ];
  if (signing === 'presign') {
    // Pre-signed by its owner, the order is settled only under that owner's address; the same order in a stranger's name was never pre-signed.
    attacks.push(['a pre-signature claimed for another owner', tamper(calldata, 0, (t) => { t.signature = new Wallet(strangerKey).address; }), 'GPv2: order not presigned']);
  } else {
    attacks.push(['a signature whose v is 29', tamper(calldata, 0, (t) => { t.signature = t.signature.slice(0, -2) + '1d'; }), 'GPv2: invalid ecdsa signature']);
    attacks.push(['a signature one byte short', tamper(calldata, 0, (t) => { t.signature = t.signature.slice(0, -2); }), 'GPv2: malformed ecdsa signature']);
  }

  for (const [what, data, expected] of attacks) {
    const sent = await chain.send(solverKey, settlement, data);
    check(reason(sent) === expected, `${what}: ${reason(sent)}, expected "${expected}"`);
  }

  const stranger = await chain.send(strangerKey, settlement, calldata);
  check(reason(stranger) === 'GPv2: not a solver', `a settle from a stranger: ${reason(stranger)}`);

  const tampered = await balances();
  for (const account of accounts) {
    check(tampered.get(account).base === before.get(account).base && tampered.get(account).quote === before.get(account).quote,
      `${account}'s balances moved before the honest settle`);
  }

  const settled = await chain.send(solverKey, settlement, calldata);
  check(!settled.reverted, `the engine's CoW calldata reverted: ${reason(settled)}`);

  const expected = new Map(accounts.map((a) => [a, { base: 0n, quote: 0n }]));
  for (const trade of cow.trades) {
    const owner = expected.get(trade.owner.toLowerCase());
    const sign = trade.order.kind === 'buy' ? 1n : -1n;
    owner.base += sign * BigInt(trade.order.kind === 'buy' ? trade.buy : trade.sell);
    owner.quote -= sign * BigInt(trade.order.kind === 'buy' ? trade.sell : trade.buy);
    const [filled] = await chain.call(settlementArtifact, settlement, 'filledAmount', [trade.uid]);
    check(filled === BigInt(trade.executedAmount), `filledAmount(${trade.uid.slice(0, 18)}…) is ${filled}, the trade executed ${trade.executedAmount}`);
  }

  const after = await balances();
  for (const account of accounts) {
    const moved = { base: after.get(account).base - before.get(account).base, quote: after.get(account).quote - before.get(account).quote };
    check(moved.base === expected.get(account).base && moved.quote === expected.get(account).quote,
      `${account} moved ${moved.base} base and ${moved.quote} quote atoms; the engine's fills say ${expected.get(account).base} and ${expected.get(account).quote}`);
  }

  const replay = await chain.send(solverKey, settlement, calldata);
  check(reason(replay) === 'GPv2: order filled', `the same calldata again: ${reason(replay)}`);
  chain.mine(settleBlock + 400n);
  const expired = await chain.send(solverKey, settlement, calldata);
  check(reason(expired) === 'GPv2: order expired', `the calldata after validTo: ${reason(expired)}`);

  const uids = new Set(cow.trades.map((t) => t.uid));
  check(uids.size === cow.trades.length, `${cow.trades.length - uids.size} trades share a UID`);
  return {
    orders: orderCount, signing, trades: cow.trades.length, traders: scenario.traders.length, gas: Number(settled.gasUsed),
    gasPerTrade: Math.round(Number(settled.gasUsed) / cow.trades.length), calldataBytes: (calldata.length - 2) / 2,
    ...(signing === 'presign' ? { gasPerPreSignature: Math.round(Number(preSignatureGas) / cow.preSignatures.length) } : {}),
  };
}

// COW_SIZES='[[40,"presign"]]' runs other batches.
const sizes = process.env.COW_SIZES ? JSON.parse(process.env.COW_SIZES) : [[20, 'eip712'], [100, 'eip712'], [300, 'eip712'], [600, 'eip712'], [20, 'presign'], [200, 'presign']];
const results = [];
for (const [orders, signing] of sizes) results.push(await run(orders, signing));
console.log(JSON.stringify({ results, failures }, null, 2));
process.exit(failures.length === 0 ? 0 : 1);
