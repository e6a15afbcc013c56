using System.Numerics;
using AuctionEngine.Markets;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using AuctionEngine.Sealing;
using AuctionEngine.Settlement;
using AuctionEngine.Signing;

namespace AuctionEngine.Tests.Support;

/// <summary>
/// The reference settlement contract's <c>settle</c> checks (samples/contracts/AuctionSettlement.sol), written out
/// again plainly in C#: what the contract would say to a settlement, without an EVM. The EVM harnesses run the real
/// contract; this copy lets properties check thousands of generated batches against the same rules.
/// </summary>
internal static class SettlementRules
{
    /// <summary>A registered commitment as the contract stores it.</summary>
    public readonly record struct Registered(Address Trader, Hash32 Commitment, Reservation Reservation, bool RevealedOnChain);

    /// <summary>The contract's verdict: null if it would settle, else the name of its custom error.</summary>
    public static string? Check(
        Market market, Eip712Domain domain, ulong batchId, IReadOnlyCollection<Registered> registered, long price, IReadOnlyList<SettlementFill> fills, IReadOnlyList<SealRejection> voids)
    {
        var live = registered.ToDictionary(r => (r.Trader, r.Commitment));
        if (fills.Count + voids.Count != registered.Count)
        {
            return "CommitmentsUnaccounted";
        }

        if (price < 0 || price > market.MaxPrice)
        {
            return "PriceOutOfBounds";
        }

        var buys = new SideTally(long.MinValue);
        var sells = new SideTally(long.MaxValue);
        var ranks = new BigInteger[fills.Count];
        var seen = new HashSet<Hash32>();
        Hash32 previous = default;
        for (int i = 0; i < fills.Count; i++)
        {
            SettlementFill fill = fills[i];
            SealedOrder order = fill.Order;
            Hash32 digest = order.ComputeDigest(domain);
            Hash32 commitment = Commitments.ForReveal(digest, fill.Secret);
            if (!live.Remove((order.Trader, commitment), out Registered entry))
            {
                return "UnknownCommitment";
            }

            if (i != 0 && commitment <= previous)
            {
                return "FillsOutOfOrder";
            }

            previous = commitment;
            if (!Signs(order, digest, fill.Signature.Span))
            {
                return "SignatureNotTraders";
            }

            if (fill.Lots > order.Quantity)
            {
                return "FillExceedsQuantity";
            }

            bool bought = order.Side == Side.Buy;
            bool first = seen.Add(digest);
            bool eligible = first && market.Accepts(order.Side, order.Type, order.LimitPrice, order.Quantity) && entry.Reservation.Covers(order, market);
            if (!eligible || price == 0)
            {
                if (fill.Lots != 0)
                {
                    return "IneligibleOrderFilled";
                }

                if (eligible)
                {
                    (bought ? buys : sells).Offer(order.LimitPrice);
                }

                continue;
            }

            if (bought ? order.LimitPrice < price : order.LimitPrice > price)
            {
                if (fill.Lots != 0)
                {
                    return "PriceBreaksLimit";
                }

                // Where it would trade bounds the volume: see VolumeIsMaximal.
                (bought ? buys : sells).Offer(order.LimitPrice);
                continue;
            }

            ranks[i] = order.Type == OrderType.Market ? MarketRank : bought ? order.LimitPrice : market.MaxPrice + 1 - order.LimitPrice;
            (bought ? buys : sells).Tally(ranks[i], fill.Lots, order.Quantity);
        }

        foreach (SealRejection voided in voids)
        {
            if (!live.Remove((voided.Trader, voided.Commitment), out Registered entry))
            {
                return "UnknownCommitment";
            }

            if (entry.RevealedOnChain)
            {
                return "RevealedOnChain";
            }
        }

        if (buys.Lots != sells.Lots)
        {
            return "NotConserved";
        }

        if (price == 0)
        {
            return buys.BestLimit >= sells.BestLimit ? "CrossedBookNotTraded" : null;
        }

        if (buys.Lots == 0)
        {
            return "NothingTradedAtPrice";
        }

        if (buys.Incomplete && sells.Incomplete)
        {
            return "BothSidesRationed";
        }

        if (buys.BreaksPriority || sells.BreaksPriority)
        {
            return "PricePriorityBroken";
        }

        if (!VolumeIsMaximal(fills, ranks, buys, Side.Buy, sells.BestLimit) || !VolumeIsMaximal(fills, ranks, sells, Side.Sell, buys.BestLimit))
        {
            return "VolumeNotMaximal";
        }

        return ProRataHolds(fills, ranks, buys, Side.Buy) && ProRataHolds(fills, ranks, sells, Side.Sell) ? null : "ProRataBroken";
    }

    /// <summary>
    /// Whether no other price trades more than the rationed side's volume: only at the other side's nearest limit
    /// beyond the price can supply (or demand) grow, and there the volume is what the rationed side admits.
    /// </summary>
    private static bool VolumeIsMaximal(IReadOnlyList<SettlementFill> fills, BigInteger[] ranks, SideTally side, Side which, long nextLimit)
    {
        if (!side.Incomplete)
        {
            return true;
        }

        BigInteger atNextLimit = Enumerable.Range(0, fills.Count)
            .Where(i => ranks[i] != 0 && fills[i].Order.Side == which && (which == Side.Buy ? fills[i].Order.LimitPrice >= nextLimit : fills[i].Order.LimitPrice <= nextLimit))
            .Aggregate(BigInteger.Zero, (sum, i) => sum + fills[i].Order.Quantity);
        return atNextLimit <= side.Lots;
    }

    private static readonly BigInteger MarketRank = BigInteger.Pow(2, 256) - 1;

    private static bool Signs(in SealedOrder order, Hash32 digest, ReadOnlySpan<byte> signature)
    {
        Span<byte> bytes = stackalloc byte[Hash32.Length];
        digest.WriteTo(bytes);

        // OpenZeppelin's ECDSA: 65 bytes, v 27 or 28, low s.
        return signature.Length == 65 && signature[64] is 27 or 28 &&
            AuctionEngine.Crypto.Secp256k1.RecoverAddress(bytes, signature, out Address signer) == AuctionEngine.Crypto.SignatureStatus.Valid && signer == order.Trader;
    }

    private static bool ProRataHolds(IReadOnlyList<SettlementFill> fills, BigInteger[] ranks, SideTally side, Side which)
    {
        if (!side.Incomplete)
        {
            return true;
        }

        int[] level = [.. Enumerable.Range(0, fills.Count).Where(i => ranks[i] == side.MaxIncompleteRank && ranks[i] != 0 && fills[i].Order.Side == which)];
        BigInteger quantity = level.Aggregate(BigInteger.Zero, (sum, i) => sum + fills[i].Order.Quantity);
        BigInteger lots = level.Aggregate(BigInteger.Zero, (sum, i) => sum + fills[i].Lots);
        return level.All(i => BigInteger.Abs((fills[i].Lots * quantity) - (fills[i].Order.Quantity * lots)) < quantity);
    }

    private sealed class SideTally(long bestLimitStart)
    {
        private readonly bool _isBuy = bestLimitStart == long.MinValue;

        public BigInteger Lots { get; private set; }

        public BigInteger MaxIncompleteRank { get; private set; }

        public BigInteger MinTradingRank { get; private set; } = MarketRank;

        public bool Incomplete { get; private set; }

        public bool Trades { get; private set; }

        /// <summary>Among the eligible orders that do not admit the price (all of them at price 0): the highest bid or the lowest ask.</summary>
        public long BestLimit { get; private set; } = bestLimitStart;

        public bool BreaksPriority => Incomplete && Trades && MinTradingRank < MaxIncompleteRank;

        public void Offer(long limit) => BestLimit = _isBuy ? Math.Max(BestLimit, limit) : Math.Min(BestLimit, limit);

        public void Tally(BigInteger rank, long lots, long quantity)
        {
            Lots += lots;
            if (lots < quantity)
            {
                Incomplete = true;
                MaxIncompleteRank = BigInteger.Max(MaxIncompleteRank, rank);
            }

            if (lots != 0)
            {
                Trades = true;
                MinTradingRank = BigInteger.Min(MinTradingRank, rank);
            }
        }
    }
}
