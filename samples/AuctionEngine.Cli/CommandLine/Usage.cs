namespace AuctionEngine.Cli.CommandLine;

/// <summary>The help text, printed for <c>--help</c> and after every usage error.</summary>
internal static class Usage
{
    public const string Text = """
        Usage:
          auction clear FILE [--rule RULE] [--reference-price TICKS]
          auction demo [--plain] [--orders N] [--seed S] [--rule RULE] [--threads T]
          auction settle [--contract ADDRESS] [--chain-id N] [--block B] [--orders N] [--seed S]
                         [--lot-size ATOMS] [--tick-size ATOMS] [--base-token ADDRESS]
                         [--quote-token ADDRESS] [--operator ADDRESS] [--treasury ADDRESS] [--json]
          auction abi
          auction --help

        Commands:
          clear   Clear the orders in a CSV file at one uniform price and print the outcome as JSON.
                  The first non-blank line is a header naming the columns, in any order:
                    id        any text without commas; equal ids are rejected as duplicates
                    side      buy or sell
                    price     limit price in ticks, or market
                    quantity  lots
                    trader    optional: 0x and 40 hex digits
          demo    Generate a seeded sealed batch and run its whole lifecycle, printing each phase as
                  it happens and a summary: keypers share the batch key 3-of-5, traders commit or
                  encrypt signed orders (a few misbehave on purpose and are refused), the batch
                  closes, commitments are revealed, keypers release signed shares (one bad, one
                  forged in an honest keyper's name), the orders are decrypted and cleared at one
                  price, and the batch is marked settled.
                  With --plain, only generate a plain batch, clear it and print a summary.
          settle  Run a small sealed batch (half committed, half encrypted, with a forfeit, a damaged
                  ciphertext, an unfunded order, one order committed twice and an on-chain reveal)
                  against a settlement contract at ADDRESS and print the calldata: a commit with its
                  reservation per order in block B, the on-chain reveal in B+1, then settle(...) in
                  B+3 after the reveal window, its size and a decoded summary. With --json, print
                  everything a test chain needs to replay it: constructor arguments, demo keys,
                  calls, and each account's expected balance change.
          abi     Print the reference settlement contract's ABI JSON.

        Options:
          --rule RULE              Price rule: midpoint (default), xetra or euronext.
          --reference-price TICKS  Positive price that breaks ties under xetra and euronext,
                                   and prices a book of market orders alone.
          --plain                  Demo: clear a plain batch, skipping the sealing and its crypto.
          --orders N               Demo batch size: sealed 1 to 200000 (default 1000),
                                   plain 1 to 10000000 (default 10000).
          --seed S                 Demo random seed (default 42); the same seed gives the same
                                   output apart from timings.
          --threads T              Plain demo: threads the clearing engine may split a batch
                                   between (default 1; batches from 32768 orders use them).
          --contract ADDRESS       Settle: the settlement contract (also the market orders sign).
          --chain-id N             Settle: the EIP-712 chain id (default 1).
          --block B                Settle: the block the batch's commitments go in (default 100,
                                   at most 2^63 - 25).
          --lot-size, --tick-size  Settle: base atoms per lot (default 10^12), quote atoms per lot
                                   per tick (default 10^6), as the contract was deployed with.
          --base-token, --quote-token, --operator, --treasury
                                   Settle: the addresses the contract is deployed with (defaults are
                                   stand-ins); the operator settles, the treasury takes forfeited bonds.
          --json                   Settle: machine-readable output.

        Exit codes: 0 when the command ran (cleared or not), 2 for bad usage or unusable input.

        """;
}
