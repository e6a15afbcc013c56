using System.Numerics;

namespace AuctionEngine.Tests.Perpetuals;

/// <summary>The short option minimum computed on its own, in arbitrary precision, for the tests to compare with the engine.</summary>
internal static class ShortOptionMinimum
{
    /// <summary>One short lot's minimum: ⌈ppm × contract size × oracle × underlying tick / 10^6⌉ quote atoms.</summary>
    public static BigInteger PerLot(int ppm, long oracle, long underlyingTick, long contractSize)
    {
        BigInteger product = (BigInteger)ppm * contractSize * oracle * underlyingTick;
        return (product + 999_999) / 1_000_000;
    }

    /// <summary>Σ short lots × the minimum per lot over (contract size, signed lots) positions on one underlying.</summary>
    public static BigInteger Of(int ppm, long oracle, long underlyingTick, IEnumerable<(long ContractSize, long Lots)> positions) =>
        positions.Where(p => p.Lots < 0).Aggregate(BigInteger.Zero, (sum, p) => sum + (-p.Lots * PerLot(ppm, oracle, underlyingTick, p.ContractSize)));

    /// <summary>⌈charge × multiplier / 10^6⌉: the initial requirement of a charge.</summary>
    public static BigInteger Initial(BigInteger charge, int multiplierPpm) => ((charge * multiplierPpm) + 999_999) / 1_000_000;
}
