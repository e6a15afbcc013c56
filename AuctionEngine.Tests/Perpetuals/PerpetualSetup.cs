using AuctionEngine.Clearing;
using AuctionEngine.Markets;
using AuctionEngine.Orders;
using AuctionEngine.Perpetuals;
using AuctionEngine.Primitives;
using AuctionEngine.Tests.Support;

namespace AuctionEngine.Tests.Perpetuals;

/// <summary>Markets and helpers shared by the perpetual tests.</summary>
internal static class PerpetualSetup
{
    /// <summary>
    /// dYdX's test units: a quote atom is 10^-6 dollar, a lot 0.001 of the base and a tick a cent per unit of base,
    /// so a tick is 10 quote atoms per lot and a dollar price P is 100 × P ticks.
    /// </summary>
    public static Market DydxUnits() => Build.MarketWith(lotSize: 1, tickSize: 10, maxPrice: 1_000_000_000_000, maxOrderQuantity: 1_000_000_000);

    public static PerpetualMarket Perpetual(
        Market? market = null,
        int initialMarginPpm = 200_000,
        int maintenanceMarginPpm = 100_000,
        long maxPosition = 1_000_000,
        int feePpm = 0,
        int fundingIntervalBlocks = 1_000,
        int fundingCapPpm = 10_000,
        long bankruptcyAdjustmentPpm = 1_000_000,
        int spreadToMaintenanceMarginRatioPpm = 100_000,
        int maxLiquidationFeePpm = 5_000,
        UInt128? minPositionNotionalLiquidated = null,
        int maxPositionPortionLiquidatedPpm = 100_000) =>
        new(market ?? DydxUnits(), initialMarginPpm, maintenanceMarginPpm, maxPosition, feePpm, fundingIntervalBlocks, fundingCapPpm,
            bankruptcyAdjustmentPpm, spreadToMaintenanceMarginRatioPpm, maxLiquidationFeePpm, minPositionNotionalLiquidated ?? 1_000_000_000, maxPositionPortionLiquidatedPpm);

    /// <summary>A counterparty with deep pockets that takes the other side of <see cref="Open"/>.</summary>
    public static readonly Address Dealer = Build.Trader(9_999);

    /// <summary>
    /// Gives <paramref name="account"/> positions of <c>lots[m]</c> in each market, traded with the dealer at the
    /// current oracle prices, and then exactly <paramref name="collateral"/> quote atoms of collateral: it deposits
    /// what that takes, and if that would be negative it trades its first position at a price that leaves it there.
    /// </summary>
    public static void Open(PerpetualEngine engine, Address account, ReadOnlySpan<long> lots, Int128 collateral)
    {
        if (!engine.HasAccount(Dealer))
        {
            engine.Deposit(Dealer, UInt128.One << 90);
        }

        Int128 paid = 0;
        long[] prices = new long[lots.Length];
        for (int m = 0; m < lots.Length; m++)
        {
            prices[m] = engine.GetOraclePrice(m);
            paid += lots[m] * prices[m] * (Int128)engine.GetMarket(m).TickSize;
        }

        Int128 deposit = collateral + paid;
        if (deposit < 0)
        {
            // Move the first position's price so that the deposit is 0 and the collateral lands exactly on target.
            int first = lots.IndexOfAnyExcept(0L);
            Int128 perTick = lots[first] * (Int128)engine.GetMarket(first).TickSize;
            Int128 rest = paid - (lots[first] * prices[first] * (Int128)engine.GetMarket(first).TickSize);
            Int128 needed = -collateral - rest;
            if (needed % perTick != 0 || needed / perTick <= 0)
            {
                throw new ArgumentException("This collateral cannot be reached at a whole tick.");
            }

            prices[first] = (long)(needed / perTick);
            deposit = 0;
        }

        engine.Deposit(account, (UInt128)deposit);
        for (int m = 0; m < lots.Length; m++)
        {
            if (lots[m] != 0)
            {
                Trade(engine, m, prices[m], account, Dealer, lots[m]);
            }
        }
    }

    /// <summary>Applies one market's fills in which <paramref name="account"/> buys <paramref name="lots"/> (sells if negative) from <paramref name="other"/>.</summary>
    public static void Trade(PerpetualEngine engine, int market, long price, Address account, Address other, long lots)
    {
        long size = Math.Abs(lots);
        UInt128 quote = (UInt128)size * (ulong)price * engine.GetMarket(market).TickSize;
        Order[] orders =
        [
            Order.Limit(1, account, lots > 0 ? Side.Buy : Side.Sell, price, size, 0),
            Order.Limit(2, other, lots > 0 ? Side.Sell : Side.Buy, price, size, 0),
        ];
        Fill[] fills = [new(size, quote, RejectReason.None), new(size, quote, RejectReason.None)];
        engine.ApplyFills(market, price, orders, fills);
        engine.EndBlock();
    }

    /// <summary>Σ collateral + insurance fund + fee account − net deposits: 0 when money is conserved.</summary>
    public static Int128 ConservationGap(PerpetualEngine engine, IEnumerable<Address> accounts) =>
        accounts.Where(engine.HasAccount).Aggregate(Int128.Zero, (sum, a) => sum + engine.GetCollateral(a)) + engine.InsuranceFund + engine.FeeAccount - engine.NetDeposits;

    /// <summary>Adds a violation to <paramref name="violations"/> when money is not conserved after <paramref name="step"/>.</summary>
    public static void CheckConservation(PerpetualEngine engine, IEnumerable<Address> accounts, int block, string step, List<string> violations)
    {
        Int128 gap = ConservationGap(engine, accounts);
        if (gap != 0)
        {
            violations.Add($"block {block} after {step}: money is not conserved, off by {gap}");
        }
    }

    /// <summary>
    /// What every liquidation scan must do, recomputed from the public state: exactly the accounts below maintenance
    /// (10^6 × TNC &lt; TMMR scaled, TMMR positive) get orders, one per position over <paramref name="marketCount"/>
    /// markets, and each order only reduces its position. Violations are added to <paramref name="violations"/>.
    /// </summary>
    public static void CheckScanRule(
        PerpetualEngine engine, IEnumerable<Address> accounts, int marketCount, int block, LiquidationOrder[] scanned, List<string> violations)
    {
        var liquidated = scanned.Select(o => o.Account).ToHashSet();
        foreach (Address account in accounts)
        {
            Int128 maintenance = engine.GetMaintenanceRequirementScaled(account);
            bool below = maintenance > 0 && engine.GetNetCollateral(account) * 1_000_000 < maintenance;
            if (below != liquidated.Contains(account))
            {
                violations.Add($"block {block}: {account} is {(below ? "" : "not ")}below maintenance but {(below ? "was not" : "was")} liquidated");
            }

            if (below)
            {
                int positions = Enumerable.Range(0, marketCount).Count(m => engine.GetPosition(account, m) != 0);
                if (scanned.Count(o => o.Account == account) != positions)
                {
                    violations.Add($"block {block}: {account} has {positions} positions but not one liquidation order each");
                }
            }
        }

        foreach (LiquidationOrder order in scanned)
        {
            long lots = engine.GetPosition(order.Account, order.MarketIndex);
            if (order.Quantity <= 0 || order.Quantity > Math.Abs(lots) || (order.Side == Side.Sell) != (lots > 0))
            {
                violations.Add($"block {block}: {order} does not reduce the position {lots}");
            }
        }
    }
}
