// Whole-process benchmark of `auction clear`: generates the books of issue 10 deterministically, publishes this
// tree's CLI (Native AOT) and, for comparison, the CLI of an older commit (JIT, as `dotnet run -c Release` ran it),
// then runs the two alternately on each book and reports the median and range of wall time and peak memory, as
// /usr/bin/time -v measures them. Output is a Markdown table on standard output; progress goes to standard error.
//
//   node tools/cli-bench/run.mjs [--runs 5] [--sizes 200000,2000000,10000000] [--old 1fd0e06] [--old-sizes 2000000]
//                                [--new PATH/TO/auction] [--work /tmp/auction-bench] [--threads N]
//
// --old none skips the old CLI. --new uses an already published binary instead of publishing one.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, statSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const options = parseArguments(process.argv.slice(2), {
  runs: '5', sizes: '200000,2000000,10000000', old: '1fd0e06', 'old-sizes': '200000,2000000', new: '',
  work: '/tmp/auction-bench', threads: '',
});
const runs = Number(options.runs);
const sizes = options.sizes.split(',').map(Number);
const oldSizes = new Set(options['old-sizes'].split(',').map(Number));
const work = options.work;
mkdirSync(work, { recursive: true });

const log = (message) => process.stderr.write(`bench: ${message}\n`);

// The CLIs.
let newCli = options.new;
if (!newCli) {
  log('publishing this tree\'s CLI (Native AOT)');
  execFileSync('dotnet', ['publish', path.join(root, 'samples/AuctionEngine.Cli'), '-c', 'Release', '-r', 'linux-x64', '-o', path.join(work, 'new')], { stdio: ['ignore', 'ignore', 'inherit'] });
  newCli = path.join(work, 'new', 'auction');
}

let oldCli = null;
if (options.old !== 'none') {
  const source = path.join(work, `old-${options.old}`);
  oldCli = path.join(source, 'publish', 'auction');
  if (!existsSync(oldCli)) {
    log(`publishing the CLI of ${options.old} (JIT, framework-dependent)`);
    mkdirSync(source, { recursive: true });
    execFileSync('bash', ['-c', `git -C "${root}" archive "${options.old}" | tar -x -C "${source}"`], { stdio: 'inherit' });
    execFileSync('dotnet', ['publish', path.join(source, 'samples/AuctionEngine.Cli'), '-c', 'Release', '-o', path.join(source, 'publish')], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
}

// The books: CSV from the generator, Parquet converted from it by the new CLI.
const books = [];
for (const size of sizes) {
  const csv = path.join(work, `book-${size}.csv`);
  if (!existsSync(csv)) {
    log(`generating ${csv}`);
    const out = openSync(csv, 'w');
    execFileSync('node', [path.join(root, 'tools/cli-bench/generate.mjs'), String(size)], { stdio: ['ignore', out, 'inherit'] });
    closeSync(out);
  }

  const parquet = path.join(work, `book-${size}.parquet`);
  if (!existsSync(parquet)) {
    log(`converting ${csv} to Parquet`);
    execFileSync(newCli, ['clear', csv, '--fills', 'all', '--output', parquet], { stdio: ['ignore', 'ignore', 'inherit'] });
  }

  books.push({ size, format: 'CSV', file: csv }, { size, format: 'Parquet', file: parquet });
}

const threadArguments = options.threads ? ['--threads', options.threads] : [];
const checked = books.find(b => b.size === 2_000_000) ?? books[0];
const summary = JSON.parse(execFileSync(newCli, ['clear', checked.file, '--fills', 'none', ...threadArguments]).toString());
log(`check: ${checked.file} clears at price ${summary.price}, volume ${summary.volume}`);

// One run under /usr/bin/time -v: wall seconds and peak resident kilobytes.
function measure(binary, args) {
  const devNull = openSync('/dev/null', 'w');
  const result = spawnSync('/usr/bin/time', ['-v', binary, ...args], { stdio: ['ignore', devNull, 'pipe'] });
  closeSync(devNull);
  const report = result.stderr.toString();
  if (result.status !== 0) throw new Error(`${binary} ${args.join(' ')} failed:\n${report}`);
  const wall = report.match(/Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/);
  const seconds = Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]);
  const kilobytes = Number(report.match(/Maximum resident set size \(kbytes\): (\d+)/)[1]);
  const cpu = Number(report.match(/User time \(seconds\): ([\d.]+)/)[1]) + Number(report.match(/System time \(seconds\): ([\d.]+)/)[1]);
  return { seconds, cpu, megabytes: kilobytes / 1024 };
}

const median = (values) => { const s = [...values].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const describe = (values, digits, unit) => `${median(values).toFixed(digits)} ${unit} (${Math.min(...values).toFixed(digits)}-${Math.max(...values).toFixed(digits)})`;

// Start-up: the binary clearing the 19-order sample, many times; wall time by the clock around each run.
const sample = path.join(root, 'samples/data/book.csv');
function startup(binary) {
  const times = [];
  for (let i = 0; i < 30; i++) {
    const start = process.hrtime.bigint();
    spawnSync(binary, ['clear', sample], { stdio: 'ignore' });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times;
}

const rows = [];
const loadStart = loadavg().map(l => l.toFixed(1)).join(' ');
log('start-up');
rows.push(['start-up (`auction clear samples/data/book.csv`)', 'new', describe(startup(newCli), 1, 'ms'), '', '']);
if (oldCli) rows.push(['start-up (`auction clear samples/data/book.csv`)', 'old', describe(startup(oldCli), 1, 'ms'), '', '']);

for (const book of books) {
  const args = ['clear', book.file, ...threadArguments];
  const withOld = oldCli && book.format === 'CSV' && oldSizes.has(book.size);
  const results = { new: [], old: [] };
  for (let i = 0; i < runs; i++) {
    log(`${book.format} ${book.size}: run ${i + 1} of ${runs}`);
    results.new.push(measure(newCli, args));
    if (withOld) results.old.push(measure(oldCli, ['clear', book.file]));
  }

  for (const which of withOld ? ['new', 'old'] : ['new']) {
    rows.push([`${book.format}, ${book.size.toLocaleString('en-US')} orders (${(statSync(book.file).size / 1e6).toFixed(0)} MB)`, which,
      describe(results[which].map(r => r.seconds), 2, 's'), describe(results[which].map(r => r.cpu), 2, 's'), describe(results[which].map(r => r.megabytes), 0, 'MB')]);
  }
}

const cpu = cpus()[0]?.model ?? 'unknown';
console.log(`Machine: ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; load average ${loadStart} before, ${loadavg().map(l => l.toFixed(1)).join(' ')} after; ${runs} alternating runs each; median (min-max).`);
console.log(`new: ${newCli}${threadArguments.length ? ' ' + threadArguments.join(' ') : ''}; old: ${oldCli ?? 'not run'}\n`);
console.log('| book | CLI | wall time | CPU time (user + sys) | peak memory |');
console.log('| --- | --- | --- | --- | --- |');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);

function parseArguments(argv, defaults) {
  const result = { ...defaults };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, '');
    if (!(name in defaults) || i + 1 >= argv.length) {
      console.error(`usage: node run.mjs ${Object.keys(defaults).map(k => `[--${k} ${defaults[k] || 'VALUE'}]`).join(' ')}`);
      process.exit(2);
    }
    result[name] = argv[i + 1];
  }
  return result;
}
