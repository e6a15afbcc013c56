// What contract-selftest.mjs and fuzz.mjs share about the settlement contract: deploying a market with its two
// tokens, signing and sealing orders exactly as a trader does, encoding settle calldata, and naming reverts.
import { AbiCoder, Signature, TypedDataEncoder, Wallet, getBytes, hexlify, keccak256, toBeHex, id as keccakText } from 'ethers';
import { Chain, compileContracts } from './chain.mjs';

export { BUY, SELL, LIMIT, MARKET } from './reference-clearing.mjs';
export const SEALED_BY_COMMITMENT = 1;
export const SEALED_BY_ENCRYPTION = 2;

const abi = AbiCoder.defaultAbiCoder();

const ORDER_TYPES = {
  SealedOrder: [
    { name: 'trader', type: 'address' }, { name: 'market', type: 'address' }, { name: 'batchId', type: 'uint64' },
    { name: 'side', type: 'uint8' }, { name: 'orderType', type: 'uint8' }, { name: 'limitPrice', type: 'uint256' },
    { name: 'quantity', type: 'uint256' }, { name: 'nonce', type: 'uint256' },
  ],
};

/** A deterministic private key for a named test account. */
export function testKey(name) {
  return keccakText(`auction-engine-evm-test-${name}`);
}

export const DEFAULT_MARKET = {
  lotSize: 10n ** 12n,
  tickSize: 10n ** 6n,
  maxPrice: 1_000_000n,
  maxQuantity: 1_000_000n,
  commitBond: 5n * 10n ** 6n,
  revealWindow: 2n,
  settleWindow: 5n,
  limits: [1_000n, 600n, 2_048n],
};

/**
 * Deploys a base and a quote token (by contract name: TestToken, FeeOnTransferToken, NoReturnToken, with their
 * constructor arguments) and the settlement contract; returns the environment every helper below takes.
 */
export async function deployMarket({ params = {}, base = ['TestToken', ['Base', 'BASE']], quote = ['TestToken', ['Quote', 'QUOTE']], chain, contracts } = {}) {
  chain ??= await Chain.create();
  contracts ??= compileContracts();
  const market = { ...DEFAULT_MARKET, ...params };
  const operatorKey = testKey('operator');
  const treasuryKey = testKey('treasury');
  await chain.fund(operatorKey);
  await chain.fund(treasuryKey);
  const operator = new Wallet(operatorKey).address;
  const treasury = new Wallet(treasuryKey).address;
  const baseToken = { name: base[0], address: await chain.deploy(operatorKey, contracts[base[0]], base[1]) };
  const quoteToken = { name: quote[0], address: await chain.deploy(operatorKey, contracts[quote[0]], quote[1]) };
  const settlement = await chain.deploy(operatorKey, contracts.AuctionSettlement, [
    baseToken.address, quoteToken.address, market.lotSize, market.tickSize, market.maxPrice, market.maxQuantity, operator, treasury,
    market.commitBond, market.revealWindow, market.settleWindow, market.limits, 'AuctionEngine', '1',
  ]);
  const domain = { name: 'AuctionEngine', version: '1', chainId: chain.chainId, verifyingContract: settlement };
  return { chain, contracts, iface: contracts.AuctionSettlement.iface, market, operatorKey, operator, treasuryKey, treasury, baseToken, quoteToken, settlement, domain };
}

/** Gives a new wallet gas, mints it tokens and approves the settlement contract for all of them. */
export async function fundTrader(env, name, baseAmount, quoteAmount) {
  const wallet = new Wallet(testKey(name));
  await env.chain.fund(wallet.privateKey);
  for (const [token, amount] of [[env.baseToken, baseAmount], [env.quoteToken, quoteAmount]]) {
    const tokenIface = env.contracts[token.name].iface;
    await mustSucceed(env.chain.send(env.operatorKey, token.address, tokenIface.encodeFunctionData('mint', [wallet.address, amount])), 'mint');
    await mustSucceed(env.chain.send(wallet.privateKey, token.address, tokenIface.encodeFunctionData('approve', [env.settlement, 2n ** 256n - 1n])), 'approve');
  }
  return wallet;
}

async function mustSucceed(pending, what) {
  const result = await pending;
  if (result.reverted) throw new Error(`${what} reverted: ${result.reason}`);
  return result;
}

/**
 * Signs `wallet`'s order for `batchId` with ethers' signTypedData (by `signer`, the wallet itself unless a test forges
 * a signature); returns the order (trader included), its digest and the signature.
 */
export async function signOrder(env, wallet, batchId, order, signer = wallet) {
  const full = { trader: wallet.address, ...order };
  const value = { ...full, market: env.settlement, batchId };
  const signature = await signer.signTypedData(env.domain, ORDER_TYPES, value);
  return { order: full, digest: TypedDataEncoder.hash(env.domain, ORDER_TYPES, value), signature };
}

/** The same signature with s moved to the upper half of the curve order (EIP-2 malleability), which OpenZeppelin refuses. */
export function highS(signature) {
  const sig = Signature.from(signature);
  const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
  return hexlify(new Uint8Array([...getBytes(sig.r), ...getBytes(toBeHex(n - BigInt(sig.s), 32)), sig.v === 27 ? 28 : 27]));
}

/** keccak256(abi.encode(digest, secret)): the commitment a trader registers. */
export function commitmentOf(digest, secret) {
  return keccak256(abi.encode(['bytes32', 'bytes32'], [digest, secret]));
}

/** Calldata of settle(batchId, price, fills, voids, batchKey). Fills: { order, secret, signature, lots }. */
export function settleData(env, batchId, price, fills, voids = [], batchKey = '0x') {
  return env.iface.encodeFunctionData('settle', [batchId, price, fills.map(({ order, secret, signature, lots }) => ({ order, secret, signature, lots })), voids, batchKey]);
}

/** Sends a call to the settlement contract. */
export function send(env, key, method, args) {
  return env.chain.send(key, env.settlement, env.iface.encodeFunctionData(method, args));
}

/** The custom error a reverted call returned, as `Name` (or `Name(arg,...)` with `withArgs`); a non-custom revert as `raw:<hex>`. */
export function errorOf(env, result, withArgs = false) {
  if (!result.reverted) return undefined;
  try {
    const parsed = env.iface.parseError(result.returnValue);
    if (parsed === null) return `raw:${result.returnValue}`;
    return withArgs ? `${parsed.name}(${parsed.args.map(String).join(',')})` : parsed.name;
  } catch {
    return `raw:${result.returnValue}`;
  }
}

/** A trader's free balance inside the contract. */
export async function balanceOf(env, address) {
  const [base, quote] = await env.chain.call(env.contracts.AuctionSettlement, env.settlement, 'balances', [address]);
  return { base, quote };
}

/** A token's balanceOf. */
export async function tokenBalance(env, token, address) {
  const [amount] = await env.chain.call(env.contracts[token.name], token.address, 'balanceOf', [address]);
  return amount;
}

/** An entry as the contract stores it: { kind, revealed, baseReserved, quoteReserved } (kind 0: none). */
export async function entryOf(env, batchId, trader, commitment) {
  const [kind, revealed, baseReserved, quoteReserved] = await env.chain.call(env.contracts.AuctionSettlement, env.settlement, 'entries', [batchId, trader, commitment]);
  return { kind: Number(kind), revealed, baseReserved, quoteReserved };
}
