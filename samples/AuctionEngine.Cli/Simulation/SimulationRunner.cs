using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AuctionEngine.Clearing;
using AuctionEngine.Management;
using AuctionEngine.Markets;
using AuctionEngine.Orders;
using AuctionEngine.Perpetuals;
using AuctionEngine.Primitives;
using AuctionEngine.Venue;

namespace AuctionEngine.Cli.Simulation;

/// <summary>
/// Runs a scenario through a <see cref="BatchVenue"/> block by block, from the first listed block to the last (blocks
/// not listed bring no input and no observation), and writes every event as one JSON object per line.
/// </summary>
/// <remarks>
/// Each batch's randomness is SHA-256 of <c>"auction simulate batch "</c> and the block number in decimal: a stand-in for
/// the randomness a chain would reveal, fixed so that a scenario always prints the same lines.
/// </remarks>
internal static class SimulationRunner
{
    public static void Run(SimulationScenario scenario, Stream output)
    {
        if (scenario.Perpetual is not null)
        {
            RunPerpetual(scenario, output);
            return;
        }

        int capacity = Math.Max(1, scenario.InstructionCount);
        using var engine = new ClearingEngine(Math.Max(64, scenario.OrderCount + (capacity * 3)));
        BatchVenue venue = NewVenue(scenario, scenario.Market, SimulationScenario.MarketAddress, engine, capacity);
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = false });
        int next = 0;
        for (long block = scenario.Blocks[0].Block; block <= scenario.Blocks[^1].Block; block++)
        {
            SimulationBlock? listed = scenario.Blocks[next].Block == block ? scenario.Blocks[next++] : null;
            ReadOnlySpan<VenueEvent> events = venue.ProcessBlock(
                block,
                listed?.Oracle is { } price ? new OracleObservation(price, block) : null,
                listed?.Cancellations ?? [],
                listed?.Instructions ?? [],
                listed?.Orders ?? [],
                Randomness(block),
                Randomness(block + 1));
            foreach (VenueEvent e in events)
            {
                Write(json, scenario, e);
                json.Flush();
                output.WriteByte((byte)'\n');
            }
        }
    }

    private static BatchVenue NewVenue(SimulationScenario scenario, Market market, Address address, ClearingEngine engine, int capacity)
    {
        var settings = new OrderManagerSettings(market, address, capacity, Math.Max(16, capacity * 3), capacity, Math.Max(16, capacity * 3), scenario.MaxOracleAgeBlocks);
        return new BatchVenue(new OrderManager(settings, SimulationScenario.Domain), engine, scenario.CircuitBreaker, new ClearingOptions(scenario.Rule));
    }

    /// <summary>
    /// A perpetual market and its option series: the accounts deposit, the insurance fund is funded, the series are
    /// listed, and a <see cref="PerpetualVenue"/> over every market runs the blocks; its events are written as the spot
    /// ones are, with the margin engine's added (an event of a series names it as <c>"market"</c>), and the accounts at
    /// the end. Each series keeps the last volatility given to it.
    /// </summary>
    private static void RunPerpetual(SimulationScenario scenario, Stream output)
    {
        int capacity = Math.Max(1, scenario.InstructionCount);
        int orderCapacity = Math.Max(64, scenario.OrderCount + (capacity * 3) + 64);
        var clearings = new List<ClearingEngine>();
        try
        {
            var margin = new PerpetualEngine([scenario.Perpetual!], Math.Max(16, scenario.Accounts.Count));
            foreach ((_, Address trader, long collateral) in scenario.Accounts)
            {
                margin.Deposit(trader, (UInt128)collateral);
            }

            margin.DepositInsuranceFund((UInt128)scenario.InsuranceFund);
            var venues = new List<BatchVenue>();
            clearings.Add(new ClearingEngine(orderCapacity));
            venues.Add(NewVenue(scenario, scenario.Market, SimulationScenario.MarketAddress, clearings[^1], capacity));
            foreach (SimulationSeries series in scenario.Series)
            {
                margin.ListSeries(series.Series);
                clearings.Add(new ClearingEngine(orderCapacity));
                venues.Add(NewVenue(scenario, series.Series.Market, series.MarketAddress, clearings[^1], capacity));
            }

            var venue = new PerpetualVenue(venues, margin);
            double[] volatilities = [.. scenario.Series.Select(s => s.Volatility)];
            var observation = new OracleObservation?[1];
            using var json = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = false });
            int next = 0;
            for (long block = scenario.Blocks[0].Block; block <= scenario.Blocks[^1].Block; block++)
            {
                SimulationBlock? listed = scenario.Blocks[next].Block == block ? scenario.Blocks[next++] : null;
                foreach ((int series, double volatility) in listed?.Volatilities ?? [])
                {
                    volatilities[series] = volatility;
                }

                PerpetualOrder[] orders = listed is null
                    ? []
                    : [.. listed.Orders.Select((o, i) => new PerpetualOrder(listed.OrderMarkets[i], o, scenario.ReduceOnlyOrders.Contains(o.Id)))];
                observation[0] = listed?.Oracle is { } price ? new OracleObservation(price, block) : null;
                foreach (PerpetualVenueEvent e in venue.ProcessBlock(new PerpetualVenueBlock
                {
                    Block = block,
                    Timestamp = scenario.Timestamp(block),
                    Observations = observation,
                    Volatilities = volatilities,
                    Cancellations = listed?.Cancellations ?? [],
                    Instructions = listed?.Instructions ?? [],
                    Orders = orders,
                    BatchRandomness = Randomness(block),
                    NextBatchRandomness = Randomness(block + 1),
                }))
                {
                    if (e.Kind == PerpetualVenueEventKind.Venue)
                    {
                        Write(json, scenario, e.Venue, venue.LiquidationSource, e.MarketIndex);
                    }
                    else
                    {
                        WritePerpetual(json, scenario, e);
                    }

                    json.Flush();
                    output.WriteByte((byte)'\n');
                }
            }

            WriteAccounts(json, scenario, margin);
            json.Flush();
            output.WriteByte((byte)'\n');
        }
        finally
        {
            foreach (ClearingEngine clearing in clearings)
            {
                clearing.Dispose();
            }
        }
    }

    private static void WritePerpetual(Utf8JsonWriter json, SimulationScenario scenario, in PerpetualVenueEvent e)
    {
        json.Reset();
        json.WriteStartObject();
        json.WriteNumber("block", e.Block);
        WriteMarket(json, scenario, e.MarketIndex);
        switch (e.Kind)
        {
            case PerpetualVenueEventKind.SeriesSettled:
                json.WriteString("event", "seriesSettled");
                json.WriteNumber("price", e.Settlement.SettlementPrice);
                WriteInteger(json, "payoffPerLot", e.Settlement.PayoffPerLot);
                json.WriteNumber("openInterest", e.Settlement.OpenInterest);
                WriteInteger(json, "paid", e.Settlement.Paid);
                break;
            case PerpetualVenueEventKind.InstructionRejected:
            case PerpetualVenueEventKind.CancellationRejected:
                json.WriteString("event", e.Kind == PerpetualVenueEventKind.InstructionRejected ? "rejected" : "cancelRejected");
                json.WriteString("id", scenario.InstructionName(e.Instruction));
                json.WriteString("reason", CamelCase(e.Reason.ToString()));
                break;
            case PerpetualVenueEventKind.Liquidation:
                LiquidationOrder liquidation = e.Liquidation;
                json.WriteString("event", "liquidation");
                json.WriteString("account", scenario.TraderName(liquidation.Account));
                json.WriteString("order", OrderId(liquidation.OrderId));
                json.WriteString("side", liquidation.Side == Side.Buy ? "buy" : "sell");
                json.WriteNumber("quantity", liquidation.Quantity);
                json.WriteNumber("price", liquidation.LimitPrice);
                json.WriteNumber("bankruptcyPrice", liquidation.BankruptcyPrice);
                json.WriteNumber("batch", e.Block + 1);
                break;
            case PerpetualVenueEventKind.Rejected:
            case PerpetualVenueEventKind.Reduced:
                json.WriteString("event", e.Kind == PerpetualVenueEventKind.Rejected ? "rejected" : "reduced");
                if (scenario.OrderName(e.OrderId) is { } name)
                {
                    json.WriteString("id", name);
                }
                else
                {
                    json.WriteString("id", scenario.InstructionName(e.Instruction));
                    json.WriteString("order", OrderId(e.OrderId));
                }

                json.WriteString("account", scenario.TraderName(e.Trader));
                json.WriteString("reason", CamelCase(e.Admission.ToString()));
                if (e.Kind == PerpetualVenueEventKind.Reduced)
                {
                    json.WriteNumber("quantity", e.Quantity);
                }

                break;
            case PerpetualVenueEventKind.Funding:
                json.WriteString("event", "funding");
                json.WriteNumber("rate", e.Funding.RatePpm);
                WriteInteger(json, "paidPerLot", e.Funding.PaidPerLot);
                WriteInteger(json, "receivedPerLot", e.Funding.ReceivedPerLot);
                WriteInteger(json, "toInsuranceFund", e.Funding.ToInsuranceFund);
                break;
            case PerpetualVenueEventKind.Deleveraged:
                json.WriteString("event", "deleveraged");
                json.WriteString("account", scenario.TraderName(e.Deleveraging.Bankrupt));
                json.WriteString("counterparty", scenario.TraderName(e.Deleveraging.Counterparty));
                json.WriteNumber("quantity", e.Deleveraging.Quantity);
                WriteInteger(json, "quote", e.Deleveraging.Quote);
                break;
            case PerpetualVenueEventKind.Insolvent:
                json.WriteString("event", "insolvent");
                json.WriteString("account", scenario.TraderName(e.Insolvency.Account));
                WriteInteger(json, "deficit", e.Insolvency.Deficit);
                break;
            case PerpetualVenueEventKind.InsuranceFund:
                json.WriteString("event", "insuranceFund");
                WriteInteger(json, "balance", e.Balance);
                break;
        }

        json.WriteEndObject();
    }

    /// <summary>
    /// The last line: every named account's collateral and positions (the perpetual's, then each series'), with series its
    /// portfolio delta (underlying lots) and vega (quote atoms per 1.00 of volatility) rounded to 4 decimals, the insurance
    /// fund and the fee account.
    /// </summary>
    private static void WriteAccounts(Utf8JsonWriter json, SimulationScenario scenario, PerpetualEngine margin)
    {
        json.Reset();
        json.WriteStartObject();
        json.WriteString("event", "accounts");
        json.WriteStartObject("accounts");
        foreach ((string name, Address trader, _) in scenario.Accounts)
        {
            json.WriteStartObject(name);
            WriteInteger(json, "collateral", margin.GetCollateral(trader));
            json.WriteStartArray("positions");
            for (int market = 0; market <= scenario.Series.Count; market++)
            {
                json.WriteNumberValue(margin.GetPosition(trader, market));
            }

            json.WriteEndArray();
            if (scenario.Series.Count > 0)
            {
                PortfolioGreeks greeks = margin.GetPortfolioGreeks(trader, 0);
                json.WriteNumber("delta", Math.Round(greeks.Delta, 4, MidpointRounding.AwayFromZero));
                json.WriteNumber("vega", Math.Round(greeks.Vega, 4, MidpointRounding.AwayFromZero));
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
        WriteInteger(json, "insuranceFund", margin.InsuranceFund);
        WriteInteger(json, "feeAccount", margin.FeeAccount);
        json.WriteEndObject();
    }

    /// <summary>An exact integer of any size: quote atoms may pass what a double holds.</summary>
    private static void WriteInteger(Utf8JsonWriter json, string name, Int128 value)
    {
        json.WritePropertyName(name);
        json.WriteRawValue(value.ToString(CultureInfo.InvariantCulture));
    }

    public static Hash32 Randomness(long block) => new(SHA256.HashData(Encoding.UTF8.GetBytes($"auction simulate batch {block}")));

    private static void Write(Utf8JsonWriter json, SimulationScenario scenario, in VenueEvent e, int liquidationSource = int.MinValue, int market = 0)
    {
        json.Reset();
        json.WriteStartObject();
        json.WriteNumber("block", e.Block);
        WriteMarket(json, scenario, market);
        switch (e.Kind)
        {
            case VenueEventKind.Management:
                WriteManagement(json, scenario, e.Management);
                break;
            case VenueEventKind.Cleared:
                json.WriteString("event", "cleared");
                json.WriteNumber("batch", e.Batch);
                WriteFirstBatch(json, e);
                json.WriteNumber("price", e.Price);
                json.WriteNumber("volume", (decimal)e.Volume);
                break;
            case VenueEventKind.NotCleared:
                json.WriteString("event", "notCleared");
                json.WriteNumber("batch", e.Batch);
                WriteFirstBatch(json, e);
                json.WriteString("status", CamelCase(e.Status.ToString()));
                break;
            case VenueEventKind.Interrupted:
                json.WriteString("event", "interrupted");
                json.WriteNumber("batch", e.Batch);
                WriteFirstBatch(json, e);
                json.WriteNumber("price", e.Price);
                json.WriteString("band", CamelCase(e.Band.ToString()));
                json.WriteNumber("until", e.Until);
                break;
            case VenueEventKind.Fill:
                json.WriteString("event", "fill");
                json.WriteNumber("batch", e.Batch);
                json.WriteString("order", e.Source == liquidationSource ? OrderId(e.OrderId) : scenario.OrderName(e.OrderId));
                json.WriteNull("instruction");
                if (e.Source == liquidationSource)
                {
                    json.WriteBoolean("liquidation", true);
                }

                json.WriteNumber("filled", e.Quantity);
                json.WriteNumber("price", e.Price);
                break;
            case VenueEventKind.OrderRejected:
                json.WriteString("event", "rejected");
                json.WriteString("id", scenario.OrderName(e.OrderId));
                json.WriteNumber("batch", e.Batch);
                json.WriteString("reason", CamelCase(e.Rejection.ToString()));
                break;
        }

        json.WriteEndObject();
    }

    /// <summary>An option series' name as <c>"market"</c>; nothing for the scenario's own market or no market.</summary>
    private static void WriteMarket(Utf8JsonWriter json, SimulationScenario scenario, int market)
    {
        if (market >= 1)
        {
            json.WriteString("market", scenario.Series[market - 1].Name);
        }
    }

    private static void WriteFirstBatch(Utf8JsonWriter json, in VenueEvent e)
    {
        if (e.FirstBatch != e.Batch)
        {
            json.WriteNumber("firstBatch", e.FirstBatch);
        }
    }

    private static void WriteManagement(Utf8JsonWriter json, SimulationScenario scenario, in ManagementEvent e)
    {
        string instruction = scenario.InstructionName(e.Instruction);
        switch (e.Kind)
        {
            case ManagementEventKind.Accepted:
                json.WriteString("event", "accepted");
                json.WriteString("instruction", instruction);
                break;
            case ManagementEventKind.Rejected:
            case ManagementEventKind.CancellationRejected:
                json.WriteString("event", e.Kind == ManagementEventKind.Rejected ? "rejected" : "cancelRejected");
                json.WriteString("id", instruction);
                json.WriteString("reason", CamelCase(e.Reason.ToString()));
                break;
            case ManagementEventKind.Cancelled:
                json.WriteString("event", "cancelled");
                json.WriteString("instruction", instruction);
                WriteLeg(json, e.Role);
                json.WriteString("cause", CamelCase(e.Cause.ToString()));
                break;
            case ManagementEventKind.Withdrawn:
                json.WriteString("event", "withdrawn");
                json.WriteString("instruction", instruction);
                WriteLeg(json, e.Role);
                json.WriteString("order", OrderId(e.OrderId));
                json.WriteNumber("quantity", e.Quantity);
                json.WriteNumber("batch", e.Batch);
                break;
            case ManagementEventKind.Fill:
                json.WriteString("event", "fill");
                json.WriteNumber("batch", e.Batch);
                json.WriteString("order", OrderId(e.OrderId));
                json.WriteString("instruction", instruction);
                WriteLeg(json, e.Role);
                json.WriteString("side", e.Side == Side.Buy ? "buy" : "sell");
                json.WriteNumber("filled", e.Quantity);
                json.WriteNumber("price", e.Price);
                break;
            case ManagementEventKind.Completed:
            case ManagementEventKind.Expired:
                json.WriteString("event", e.Kind == ManagementEventKind.Completed ? "completed" : "expired");
                json.WriteString("instruction", instruction);
                WriteLeg(json, e.Role);
                json.WriteNumber("filled", e.Quantity);
                break;
            case ManagementEventKind.Stale:
                json.WriteString("event", "stale");
                if (e.OracleBlock < 0)
                {
                    json.WriteNull("oracleBlock");
                }
                else
                {
                    json.WriteNumber("oracleBlock", e.OracleBlock);
                }

                break;
            case ManagementEventKind.Activated:
            case ManagementEventKind.Triggered:
                json.WriteString("event", e.Kind == ManagementEventKind.Activated ? "activated" : "triggered");
                json.WriteString("instruction", instruction);
                WriteLeg(json, e.Role);
                json.WriteNumber("oracle", e.Price);
                break;
            case ManagementEventKind.PartSkipped:
                json.WriteString("event", "partSkipped");
                json.WriteString("instruction", instruction);
                json.WriteNumber("part", e.Part);
                break;
            case ManagementEventKind.Released:
            case ManagementEventKind.Throttled:
                bool released = e.Kind == ManagementEventKind.Released;
                json.WriteString("event", released ? "released" : "throttled");
                json.WriteString("instruction", instruction);
                WriteLeg(json, e.Role);
                if (released)
                {
                    json.WriteString("order", OrderId(e.OrderId));
                    json.WriteString("side", e.Side == Side.Buy ? "buy" : "sell");
                    json.WriteNumber("price", e.Price);
                }

                json.WriteNumber("quantity", e.Quantity);
                json.WriteNumber("batch", e.Batch);
                if (scenario.IsTwap(e.Instruction))
                {
                    json.WriteNumber("part", e.Part);
                }

                break;
        }
    }

    private static void WriteLeg(Utf8JsonWriter json, LegRole role)
    {
        if (role != LegRole.Whole)
        {
            json.WriteString("leg", CamelCase(role.ToString()));
        }
    }

    /// <summary>A released order's engine id as 16 hex digits: 64-bit ids do not survive JSON readers that use doubles.</summary>
    private static string OrderId(ulong id) => id.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);

    private static string CamelCase(string name) => JsonNamingPolicy.CamelCase.ConvertName(name);
}
