// A minimal chain on @ethereumjs/vm: compile the sample contracts (and the harnesses' test tokens) with solc, fund
// accounts, send transactions in numbered blocks, read results. Everything the settlement checks need, nothing more.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import solc from 'solc';
import { Common, Mainnet, Hardfork } from '@ethereumjs/common';
import { createBlock } from '@ethereumjs/block';
import { createLegacyTx } from '@ethereumjs/tx';
import { createAccount, createAddressFromPrivateKey, createAddressFromString, hexToBytes, bytesToHex } from '@ethereumjs/util';
import { SimpleStateManager } from '@ethereumjs/statemanager';
import { createVM, runTx } from '@ethereumjs/vm';
import { Interface } from 'ethers';

const here = path.dirname(fileURLToPath(import.meta.url));
export const contractsDir = path.resolve(here, '../../samples/contracts');
/** Tokens with awkward behaviour (fee on transfer, no return value) that only the harnesses deploy. */
export const testContractsDir = path.join(here, 'test-contracts');

/**
 * Compiles every .sol file in samples/contracts and tools/evm/test-contracts; returns
 * { name: { abi, bytecode, iface, storageLayout } } (the layout lets the fuzz test read state without a call per value).
 */
export function compileContracts() {
  const sources = {};
  for (const file of fs.readdirSync(contractsDir).filter((f) => f.endsWith('.sol'))) {
    sources[file] = { content: fs.readFileSync(path.join(contractsDir, file), 'utf8') };
  }
  for (const file of fs.readdirSync(testContractsDir).filter((f) => f.endsWith('.sol'))) {
    sources[`test-contracts/${file}`] = { content: fs.readFileSync(path.join(testContractsDir, file), 'utf8') };
  }
  const input = {
    language: 'Solidity',
    sources,
    settings: { optimizer: { enabled: true, runs: 200 }, viaIR: true, evmVersion: 'cancun', outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'storageLayout'] } } },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImport }));
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((e) => e.formattedMessage).join('\n'));
  const contracts = {};
  for (const file of Object.keys(output.contracts)) {
    for (const [name, c] of Object.entries(output.contracts[file])) {
      contracts[name] = { abi: c.abi, bytecode: c.evm.bytecode.object, iface: new Interface(c.abi), storageLayout: c.storageLayout };
    }
  }
  return contracts;
}

/** Resolves `@openzeppelin/...` imports from this folder's node_modules (installed from its lockfile). */
function findImport(importPath) {
  const file = path.join(here, 'node_modules', importPath);
  return fs.existsSync(file) ? { contents: fs.readFileSync(file, 'utf8') } : { error: `not found: ${importPath}` };
}

export class Chain {
  static async create() {
    const common = new Common({ chain: Mainnet, hardfork: Hardfork.Cancun });
    // State in plain maps: no Merkle trie to update on every write, which made each call several times slower; gas
    // is the same (warm and cold accesses and original storage values are the EVM's and runTx's to track).
    const vm = await createVM({ common, stateManager: new SimpleStateManager({ common }) });
    return new Chain(common, vm);
  }

  constructor(common, vm) {
    this.common = common;
    this.vm = vm;
    this.blockNumber = 1n;
    this.nonces = new Map();
  }

  get chainId() {
    return this.common.chainId();
  }

  /** Gives an account ether for gas. */
  async fund(privateKey) {
    const address = createAddressFromPrivateKey(hexToBytes(privateKey));
    await this.vm.stateManager.putAccount(address, createAccount({ nonce: 0n, balance: 10n ** 24n }));
    return address.toString();
  }

  /** Moves to the next block, or on to block `to`; transactions sent afterwards execute in it. */
  mine(to = this.blockNumber + 1n) {
    if (to <= this.blockNumber) throw new Error(`block ${to} is not after block ${this.blockNumber}`);
    this.blockNumber = to;
  }

  /** The current block (built once per number: the fuzz test sends thousands of transactions). */
  block() {
    if (this.currentBlock?.header.number !== this.blockNumber) {
      this.currentBlock = createBlock(
        { header: { number: this.blockNumber, gasLimit: 60_000_000n, baseFeePerGas: 7n, timestamp: 1_700_000_000n + this.blockNumber * 12n } },
        { common: this.common },
      );
    }
    return this.currentBlock;
  }

  /**
   * Sends a transaction in the current block; returns { gasUsed (after refunds), gasRefund (before the cap of a fifth),
   * reverted, reason, logs, createdAddress, returnValue }.
   */
  async send(privateKey, to, data, gasLimit = 50_000_000n) {
    const from = createAddressFromPrivateKey(hexToBytes(privateKey)).toString();
    const nonce = this.nonces.get(from) ?? 0n;
    const tx = createLegacyTx(
      { nonce, gasPrice: 10n, gasLimit, to: to === null ? undefined : createAddressFromString(to), value: 0n, data: hexToBytes(data) },
      { common: this.common },
    ).sign(hexToBytes(privateKey));
    const result = await runTx(this.vm, { tx, block: this.block(), skipBlockGasLimitValidation: true });
    this.nonces.set(from, nonce + 1n);
    const error = result.execResult.exceptionError;
    return {
      gasUsed: result.totalGasSpent,
      gasRefund: result.gasRefund ?? 0n,
      reverted: error !== undefined,
      reason: error !== undefined ? decodeRevert(result.execResult.returnValue) : undefined,
      logs: result.execResult.logs ?? [],
      createdAddress: result.createdAddress?.toString(),
      returnValue: bytesToHex(result.execResult.returnValue),
    };
  }

  async deploy(privateKey, contract, args = []) {
    const data = contract.bytecode.startsWith('0x') ? contract.bytecode : '0x' + contract.bytecode;
    const encodedArgs = contract.iface.encodeDeploy(args).slice(2);
    const result = await this.send(privateKey, null, data + encodedArgs);
    if (result.reverted) throw new Error(`deployment reverted: ${result.reason}`);
    return result.createdAddress;
  }

  /** One raw storage slot of a contract (slot: 32-byte hex), as a BigInt; a slot never written reads 0. */
  async storageAt(address, slot) {
    const value = await this.vm.stateManager.getStorage(createAddressFromString(address), hexToBytes(slot));
    return value.length === 0 ? 0n : BigInt(bytesToHex(value));
  }

  /** A read-only call at the current block. */
  async call(contract, address, method, args = []) {
    const data = contract.iface.encodeFunctionData(method, args);
    const result = await this.vm.evm.runCall({ to: createAddressFromString(address), data: hexToBytes(data), block: this.block(), gasLimit: 10_000_000n });
    if (result.execResult.exceptionError !== undefined) throw new Error(`call ${method} reverted: ${decodeRevert(result.execResult.returnValue)}`);
    return contract.iface.decodeFunctionResult(method, bytesToHex(result.execResult.returnValue));
  }
}

/** The reason string of an Error(string) revert, or the raw bytes. */
function decodeRevert(returnValue) {
  const hex = bytesToHex(returnValue);
  if (hex.startsWith('0x08c379a0')) {
    return new Interface(['function Error(string)']).decodeFunctionData('Error', hex)[0];
  }
  return hex;
}
