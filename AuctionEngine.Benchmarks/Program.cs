using BenchmarkDotNet.Running;

// `dotnet run -c Release --project AuctionEngine.Benchmarks -- --filter '*'` runs every suite;
// `-- --list flat` lists them. Suites are grouped by area in folders (Clearing/, ...).
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
