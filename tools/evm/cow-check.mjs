// Decodes the engine's CoW Protocol calldata (`auction settle --json`, field "cow") with ethers against the
// GPv2Settlement.settle ABI, and re-executes every trade with GPv2's own formulas (computeTradeExecution): the
// limit must hold, a sell order's bought amount rounds up, a buy order's sold amount rounds down, and the results
// must equal the engine's amounts. Exits 1 on any difference.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Interface } from 'ethers';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const gpv2 = new Interface([
  'function settle(address[] tokens, uint256[] clearingPrices, (uint256 sellTokenIndex, uint256 buyTokenIndex, address receiver, uint256 sellAmount, uint256 buyAmount, uint32 validTo, bytes32 appData, uint256 feeAmount, uint256 flags, uint256 executedAmount, bytes signature)[] trades, (address target, uint256 value, bytes callData)[][3] interactions)',
]);
const failures = [];
let checked = 0;
for (const seed of [1, 2, 3]) {
  const scenario = JSON.parse(execFileSync('dotnet', ['run', '-c', 'Release', '--no-build', '--project', path.join(root, 'samples/AuctionEngine.Cli'), '--', 'settle', '--orders', '60', '--seed', String(seed), '--json'], { encoding: 'utf8' }));
  const calldata = scenario.cow.calldata;
  if (!calldata.startsWith('0x13d79a0b')) failures.push(`seed ${seed}: selector ${calldata.slice(0, 10)}`);
  const [tokens, prices, trades, interactions] = gpv2.decodeFunctionData('settle', calldata);
  if (tokens.length !== 2 || prices.length !== 2 || interactions.some((list) => list.length !== 0)) failures.push(`seed ${seed}: unexpected tokens, prices or interactions`);
  if (gpv2.encodeFunctionData('settle', [tokens, prices, trades, interactions]) !== calldata) failures.push(`seed ${seed}: ethers re-encodes the calldata differently`);
  trades.forEach((trade, i) => {
    const sellPrice = prices[Number(trade.sellTokenIndex)];
    const buyPrice = prices[Number(trade.buyTokenIndex)];
    if (trade.sellAmount * sellPrice < trade.buyAmount * buyPrice) failures.push(`seed ${seed} trade ${i}: limit price not respected`);
    const isBuy = (trade.flags & 1n) === 1n;
    const sell = isBuy ? (trade.executedAmount * buyPrice) / sellPrice : trade.executedAmount;
    const buy = isBuy ? trade.executedAmount : (trade.executedAmount * sellPrice + buyPrice - 1n) / buyPrice;
    const expected = scenario.cow.expected[i];
    if (sell !== BigInt(expected.sell) || buy !== BigInt(expected.buy)) failures.push(`seed ${seed} trade ${i}: GPv2 executes ${sell}/${buy}, the engine filled ${expected.sell}/${expected.buy}`);
    checked++;
  });
}
console.log(JSON.stringify({ trades: checked, failures }, null, 2));
process.exit(failures.length === 0 && checked > 0 ? 0 : 1);
