// Cross-checks AuctionEngine.Abi against ethers v6 AbiCoder, an independent ABI implementation. See README.md.
//
//   node abi.mjs fixture [--seed N] [--count N]  random cases with ethers' encodings (the committed fixture)
//   node abi.mjs encode FILE                     {cases: [{types, values}]}  -> adds "hex", ethers' encoding
//   node abi.mjs decode FILE                     {cases: [{types, hex}]}     -> adds "values", ethers' decoding
//   node abi.mjs check FILE                      {cases: [{types, values, hex}]}: ethers decodes each hex and must
//                                                get the values; exits 1 on any disagreement
//
// A case is a parameter list, as abi.encode(a, b, ...) takes it: "types" is an array of type strings and "values"
// an array of JSON values. Integers are decimal strings, addresses and bytes lower-case 0x hex, bools JSON booleans,
// strings JSON strings, arrays and tuples JSON arrays.
import { readFileSync } from "node:fs";
import { AbiCoder, ParamType } from "ethers";

const coder = AbiCoder.defaultAbiCoder();

// ethers returns bigints, checksummed addresses and Result proxies; the JSON form above is what both sides compare.
function normalize(param, value) {
  switch (param.baseType) {
    case "tuple":
      return param.components.map((component, i) => normalize(component, value[i]));
    case "array":
      return Array.from(value, (element) => normalize(param.arrayChildren, element));
    case "address":
      return value.toLowerCase();
    default:
      return typeof value === "bigint" ? value.toString() : value;
  }
}

function decode(types, hex) {
  const result = coder.decode(types, hex);
  return types.map((type, i) => normalize(ParamType.from(type), result[i]));
}

// mulberry32: a tiny seeded generator, so the fixture is reproducible from its seed alone.
function generator(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  const pick = (items) => items[int(items.length)];
  const hex = (length) => "0x" + Array.from({ length }, () => int(256).toString(16).padStart(2, "0")).join("");
  const bigBelow = (bits) => BigInt(hex(Math.ceil(bits / 8))) & ((1n << BigInt(bits)) - 1n);
  return { next, int, pick, hex, bigBelow };
}

// Text mixing one-, two-, three- and four-byte UTF-8 sequences (the last as a UTF-16 surrogate pair).
const characters = ["a", "Z", "0", " ", "\"", "\\", "\n", "é", "ß", "€", "中", "日", "𝄞", "😀", "\u0000"];

function randomType(random, depth) {
  const roll = random.next();
  if (depth >= 3 || roll < 0.55) {
    const bits = 8 * (1 + random.int(32));
    return random.pick([
      `uint${bits}`, `int${bits}`, "uint256", "int256", "uint8", "int8", "address", "bool",
      `bytes${1 + random.int(32)}`, "bytes32", "bytes", "string",
    ]);
  }
  if (roll < 0.7) {
    return `${randomType(random, depth + 1)}[${1 + random.int(3)}]`;
  }
  if (roll < 0.85) {
    return `${randomType(random, depth + 1)}[]`;
  }
  const components = Array.from({ length: 1 + random.int(3) }, () => randomType(random, depth + 1));
  return `(${components.join(",")})`;
}

function randomValue(random, param) {
  switch (param.baseType) {
    case "tuple":
      return param.components.map((component) => randomValue(random, component));
    case "array": {
      const length = param.arrayLength >= 0 ? param.arrayLength : random.pick([0, 0, 1, 2, 3]);
      return Array.from({ length }, () => randomValue(random, param.arrayChildren));
    }
    case "address":
      return random.pick(["0x0000000000000000000000000000000000000000", "0xffffffffffffffffffffffffffffffffffffffff", random.hex(20)]);
    case "bool":
      return random.next() < 0.5;
    case "string": {
      const length = random.pick([0, 1, 5, 31, 32, 33, random.int(70)]);
      return Array.from({ length }, () => random.pick(characters)).join("");
    }
    case "bytes":
      return random.hex(random.pick([0, 1, 31, 32, 33, 64, random.int(100)]));
    default:
      break;
  }
  const fixedBytes = /^bytes(\d+)$/.exec(param.baseType);
  if (fixedBytes) {
    return random.hex(Number(fixedBytes[1]));
  }
  const integer = /^(u?)int(\d+)$/.exec(param.baseType);
  const bits = Number(integer[2]);
  if (integer[1] === "u") {
    const max = (1n << BigInt(bits)) - 1n;
    return random.pick([0n, 1n, max, max - 1n, random.bigBelow(bits), random.bigBelow(random.int(bits) + 1)]).toString();
  }
  const max = (1n << BigInt(bits - 1)) - 1n;
  const min = -(1n << BigInt(bits - 1));
  const any = random.bigBelow(bits - 1);
  return random.pick([0n, 1n, -1n, max, min, min + 1n, any, -any]).toString();
}

// Fixed cases first: the Solidity documentation's examples, empty values, and the settlement call's parameters.
const handPicked = [
  { types: ["uint256", "uint32[]", "bytes10", "bytes"], values: ["291", ["1110", "1929"], "0x31323334353637383930", "0x48656c6c6f2c20776f726c6421"] },
  { types: ["uint256[][]", "string[]"], values: [[["1", "2"], ["3"]], ["one", "two", "three"]] },
  { types: ["bytes", "string", "uint8[]", "(bytes,string)[]"], values: ["0x", "", [], []] },
  {
    types: ["uint64", "uint256", "(address,uint8,uint256,uint256)[]", "bytes32[]"],
    values: ["7", "250010", [["0x00000000000000000000000000000000000a11ce", "1", "40", "10000400"], ["0x00000000000000000000000000000000000000b0", "2", "25", "6250250"]],
      ["0x" + "11".repeat(32), "0x" + "22".repeat(32)]],
  },
  { types: ["(uint256,address[],(bytes,string)[2])[]"], values: [[["1", [], [["0x", ""], ["0xff", "é€𝄞"]]]]] },
];

function fixture(seed, count) {
  const random = generator(seed);
  const cases = [...handPicked];
  while (cases.length < count) {
    const types = Array.from({ length: 1 + random.int(4) }, () => randomType(random, 0));
    cases.push({ types, values: types.map((type) => randomValue(random, ParamType.from(type))) });
  }
  return {
    generator: `tools/abi-crosscheck/abi.mjs fixture --seed ${seed} --count ${count}`,
    ethers: JSON.parse(readFileSync(new URL("./node_modules/ethers/package.json", import.meta.url))).version,
    cases: cases.map(encodeCase),
  };
}

function encodeCase({ types, values }) {
  const hex = coder.encode(types, values);
  const decoded = decode(types, hex);
  if (JSON.stringify(decoded) !== JSON.stringify(values)) {
    throw new Error(`ethers does not round-trip ${JSON.stringify(types)}: ${JSON.stringify(values)} -> ${JSON.stringify(decoded)}`);
  }
  return { types, values, hex };
}

function check(cases) {
  let failures = 0;
  cases.forEach(({ types, values, hex }, i) => {
    let problem;
    try {
      const decoded = decode(types, hex);
      if (JSON.stringify(decoded) !== JSON.stringify(values)) {
        problem = `decoded ${JSON.stringify(decoded)}, expected ${JSON.stringify(values)}`;
      } else if (coder.encode(types, values) !== hex) {
        problem = "ethers decodes the values but encodes them differently";
      }
    } catch (error) {
      problem = `ethers refused it: ${error.shortMessage ?? error.message}`;
    }
    if (problem) {
      failures++;
      console.error(`case ${i} ${JSON.stringify(types)}: ${problem}`);
    }
  });
  console.log(`abi-crosscheck: ethers agrees with ${cases.length - failures} of ${cases.length} encodings`);
  return failures === 0 && cases.length > 0;
}

const [mode, ...rest] = process.argv.slice(2);
const option = (name, fallback) => {
  const at = rest.indexOf(name);
  return at >= 0 ? Number(rest[at + 1]) : fallback;
};
const read = (file) => JSON.parse(readFileSync(file, "utf8")).cases;

switch (mode) {
  case "fixture":
    console.log(JSON.stringify(fixture(option("--seed", 20240604), option("--count", 300)), null, 1));
    break;
  case "encode":
    console.log(JSON.stringify({ cases: read(rest[0]).map(({ types, values }) => ({ types, values, hex: coder.encode(types, values) })) }, null, 1));
    break;
  case "decode":
    console.log(JSON.stringify({ cases: read(rest[0]).map(({ types, hex }) => ({ types, hex, values: decode(types, hex) })) }, null, 1));
    break;
  case "check":
    process.exitCode = check(read(rest[0])) ? 0 : 1;
    break;
  default:
    console.error("usage: node abi.mjs fixture [--seed N] [--count N] | encode FILE | decode FILE | check FILE");
    process.exitCode = 2;
}
