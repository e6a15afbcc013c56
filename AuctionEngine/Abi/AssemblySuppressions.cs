using System.Diagnostics.CodeAnalysis;

[assembly: SuppressMessage(
    "Naming",
    "CA1720:Identifier contains type name",
    Scope = "namespaceanddescendants",
    Target = "~N:AuctionEngine.Abi",
    Justification = "ABI members are named after the Solidity types they stand for (uint, int, string, …), the names readers look for.")]
