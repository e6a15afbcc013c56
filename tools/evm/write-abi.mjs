// Writes samples/contracts/AuctionSettlement.abi.json from a fresh compile. The committed file is the source of
// truth the C# encoder is tested against; `node write-abi.mjs --check` (run by CI) fails if it has drifted.
import fs from 'node:fs';
import path from 'node:path';
import { compileContracts, contractsDir } from './chain.mjs';

const file = path.join(contractsDir, 'AuctionSettlement.abi.json');
const abi = JSON.stringify(compileContracts().AuctionSettlement.abi, null, 2) + '\n';
if (process.argv.includes('--check')) {
  const committed = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  if (committed !== abi) {
    console.error(`${file} does not match the contract; run: node tools/evm/write-abi.mjs`);
    process.exit(1);
  }
  console.log('AuctionSettlement.abi.json matches the contract');
} else {
  fs.writeFileSync(file, abi);
  console.log(`wrote ${file}`);
}
