// Checks the engine's CoW Protocol output (`auction settle --json --cow`) with ethers alone, no EVM: the settle
// calldata decodes against GPv2Settlement.settle's ABI and re-encodes byte for byte; every trade carries exactly the
// terms of the order its owner signed; ethers' EIP-712 encoder gives the same digest under the "Gnosis Protocol" v2
// domain, the UID is digest ‖ owner ‖ validTo, each EIP-712 signature recovers to the trade's owner and each
// pre-signed trade carries its owner with a setPreSignature(uid, true) call from that owner; no two trades share a
// UID; every order expires at the validTo asked for; and GPv2's own computeTradeExecution arithmetic (limit check,
// sell orders' bought amount rounded up, buy orders' sold amount rounded down) gives exactly the engine's amounts.
// Exits 1 on any difference. cow-settlement.mjs runs the same output on the real contract.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Interface, TypedDataEncoder, concat, getAddress, recoverAddress, solidityPacked } from 'ethers';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const gpv2 = new Interface([
  'function settle(address[] tokens, uint256[] clearingPrices, (uint256 sellTokenIndex, uint256 buyTokenIndex, address receiver, uint256 sellAmount, uint256 buyAmount, uint32 validTo, bytes32 appData, uint256 feeAmount, uint256 flags, uint256 executedAmount, bytes signature)[] trades, (address target, uint256 value, bytes callData)[][3] interactions)',
  'function setPreSignature(bytes orderUid, bool signed)',
]);
// GPv2Order.Data as GPv2 signs it (src/contracts/libraries/GPv2Order.sol): kind and balances as strings.
const orderType = {
  Order: [
    { name: 'sellToken', type: 'address' }, { name: 'buyToken', type: 'address' }, { name: 'receiver', type: 'address' },
    { name: 'sellAmount', type: 'uint256' }, { name: 'buyAmount', type: 'uint256' }, { name: 'validTo', type: 'uint32' },
    { name: 'appData', type: 'bytes32' }, { name: 'feeAmount', type: 'uint256' }, { name: 'kind', type: 'string' },
    { name: 'partiallyFillable', type: 'bool' }, { name: 'sellTokenBalance', type: 'string' }, { name: 'buyTokenBalance', type: 'string' },
  ],
};
const VALID_TO = 1_800_000_000;
const failures = [];
let checked = 0;
for (const [seed, signing] of [[1, 'eip712'], [2, 'eip712'], [3, 'presign']]) {
  const args = ['settle', '--orders', '60', '--seed', String(seed), '--json', '--cow', '--valid-to', String(VALID_TO), '--cow-signing', signing, '--chain-id', '100'];
  const scenario = JSON.parse(execFileSync('dotnet', ['run', '-c', 'Release', '--no-build', '--project', path.join(root, 'samples/AuctionEngine.Cli'), '--', ...args], { encoding: 'utf8' }));
  const cow = scenario.cow;
  const fail = (message) => failures.push(`seed ${seed} (${signing}): ${message}`);
  const domain = { name: 'Gnosis Protocol', version: 'v2', chainId: 100, verifyingContract: cow.settlement };
  if (TypedDataEncoder.hashDomain(domain) !== cow.domainSeparator) fail(`domain separator ${cow.domainSeparator}, ethers ${TypedDataEncoder.hashDomain(domain)}`);
  if (!cow.calldata.startsWith('0x13d79a0b')) fail(`selector ${cow.calldata.slice(0, 10)}`);
  const [tokens, prices, trades, interactions] = gpv2.decodeFunctionData('settle', cow.calldata);
  if (tokens.length !== 2 || prices.length !== 2 || interactions.some((list) => list.length !== 0)) fail('unexpected tokens, prices or interactions');
  if (gpv2.encodeFunctionData('settle', [tokens, prices, trades, interactions]) !== cow.calldata) fail('ethers re-encodes the calldata differently');
  if (trades.length !== cow.trades.length) fail(`${trades.length} trades in the calldata, ${cow.trades.length} listed`);
  const uids = new Set();
  const preSigned = new Map(cow.preSignatures.map((call) => [call.from.toLowerCase(), []]));
  for (const call of cow.preSignatures) {
    const [uid, signed] = gpv2.decodeFunctionData('setPreSignature', call.data);
    if (!signed || getAddress(call.to) !== getAddress(cow.settlement)) fail(`a pre-signature call that does not pre-sign at the settlement: ${call.data.slice(0, 20)}`);
    preSigned.get(call.from.toLowerCase()).push(uid);
  }

  trades.forEach((trade, i) => {
    const listed = cow.trades[i];
    const order = listed.order;
    const tokenOf = (index) => tokens[Number(index)];
    // The trade must carry exactly the terms the owner signed, or the contract would recover someone else.
    const carried = {
      sellToken: tokenOf(trade.sellTokenIndex), buyToken: tokenOf(trade.buyTokenIndex), receiver: trade.receiver,
      sellAmount: trade.sellAmount, buyAmount: trade.buyAmount, validTo: trade.validTo, appData: trade.appData, feeAmount: trade.feeAmount,
      kind: (trade.flags & 1n) === 1n ? 'buy' : 'sell', partiallyFillable: (trade.flags & 2n) === 2n,
      sellTokenBalance: (trade.flags & 0x0cn) === 0n ? 'erc20' : 'other', buyTokenBalance: (trade.flags & 0x10n) === 0n ? 'erc20' : 'internal',
    };
    for (const [field, value] of Object.entries(carried)) {
      if (String(value).toLowerCase() !== String(order[field]).toLowerCase()) fail(`trade ${i}: ${field} ${value} in the calldata, ${order[field]} signed`);
    }

    if (Number(trade.validTo) !== VALID_TO) fail(`trade ${i}: validTo ${trade.validTo}, asked for ${VALID_TO}`);
    const digest = TypedDataEncoder.hash(domain, orderType, order);
    if (digest !== listed.digest) fail(`trade ${i}: digest ${listed.digest}, ethers ${digest}`);
    const uid = solidityPacked(['bytes32', 'address', 'uint32'], [digest, listed.owner, order.validTo]);
    if (uid !== listed.uid) fail(`trade ${i}: UID ${listed.uid}, expected ${uid}`);
    uids.add(uid);
    const scheme = Number(trade.flags >> 5n);
    if (signing === 'eip712') {
      if (scheme !== 0 || recoverAddress(digest, trade.signature) !== getAddress(listed.owner)) fail(`trade ${i}: the signature does not recover to its owner ${listed.owner}`);
    } else if (scheme !== 3 || trade.signature !== concat([listed.owner]).toLowerCase() || !preSigned.get(listed.owner.toLowerCase())?.includes(uid)) {
      fail(`trade ${i}: not pre-signed by its owner ${listed.owner}`);
    }

    const sellPrice = prices[Number(trade.sellTokenIndex)];
    const buyPrice = prices[Number(trade.buyTokenIndex)];
    if (trade.sellAmount * sellPrice < trade.buyAmount * buyPrice) fail(`trade ${i}: limit price not respected`);
    const isBuy = (trade.flags & 1n) === 1n;
    const sell = isBuy ? (trade.executedAmount * buyPrice) / sellPrice : trade.executedAmount;
    const buy = isBuy ? trade.executedAmount : (trade.executedAmount * sellPrice + buyPrice - 1n) / buyPrice;
    if (sell !== BigInt(listed.sell) || buy !== BigInt(listed.buy)) fail(`trade ${i}: GPv2 executes ${sell}/${buy}, the engine filled ${listed.sell}/${listed.buy}`);
    checked++;
  });
  if (uids.size !== trades.length) fail(`${trades.length - uids.size} trades share a UID`);
}
console.log(JSON.stringify({ trades: checked, failures }, null, 2));
process.exit(failures.length === 0 && checked > 0 ? 0 : 1);
