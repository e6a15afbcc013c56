using System.Globalization;
using AuctionEngine.Cli.Identity;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;

namespace AuctionEngine.Cli.Csv;

/// <summary>
/// Reads an order file: a header row naming the columns <c>id</c>, <c>side</c>, <c>price</c>, <c>quantity</c> and
/// optionally <c>trader</c>, in any order and case, then one order per row. Blank lines are skipped and fields are
/// trimmed. Fields are split on every comma: quoting is not supported, and a quote anywhere in a line is reported
/// rather than silently misread.
/// </summary>
/// <remarks>
/// Only what makes a row unreadable is an error here. A price or quantity that is a well-formed integer but zero or
/// negative is passed through, so that the engine rejects that one order with its reason and the rest still clears.
/// </remarks>
internal sealed class OrderCsvReader
{
    private const string MarketPrice = "market";

    private readonly string _path;
    private int _lineNumber;

    private OrderCsvReader(string path) => _path = path;

    /// <summary>Reads every order in the file at <paramref name="path"/>, in file order.</summary>
    /// <exception cref="CsvFormatException">The file is not a well-formed order file.</exception>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    public static List<CsvOrder> ReadFile(string path)
    {
        using var text = new StreamReader(path); // UTF-8 unless a byte order mark says otherwise.
        return new OrderCsvReader(path).Read(text);
    }

    private List<CsvOrder> Read(TextReader text)
    {
        ColumnLayout? layout = null;
        var orders = new List<CsvOrder>();
        while (text.ReadLine() is string line)
        {
            _lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            string[] fields = SplitFields(line);
            if (layout is null)
            {
                layout = ReadHeader(fields);
            }
            else
            {
                orders.Add(ReadOrder(fields, layout));
            }
        }

        if (layout is null)
        {
            _lineNumber = Math.Max(_lineNumber, 1);
            throw Error("the file has no header row; expected 'id,side,price,quantity' and optionally ',trader'.");
        }

        return orders;
    }

    private string[] SplitFields(string line)
    {
        if (line.Contains('"', StringComparison.Ordinal))
        {
            throw Error("quoting is not supported: fields may not contain quotes or commas.");
        }

        return line.Split(',', StringSplitOptions.TrimEntries);
    }

    private ColumnLayout ReadHeader(string[] names)
    {
        var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < names.Length; i++)
        {
            if (!ColumnLayout.Names.Contains(names[i], StringComparer.OrdinalIgnoreCase))
            {
                throw Error($"unknown column '{names[i]}' in the header; the columns are {string.Join(", ", ColumnLayout.Names)} (trader is optional).");
            }

            if (!columns.TryAdd(names[i], i))
            {
                throw Error($"column '{names[i]}' appears twice in the header.");
            }
        }

        string[] missing = [.. ColumnLayout.RequiredNames.Where(name => !columns.ContainsKey(name))];
        if (missing.Length > 0)
        {
            throw Error($"the header lacks the column{(missing.Length > 1 ? "s" : "")} {string.Join(", ", missing)}.");
        }

        return new ColumnLayout(
            Count: names.Length,
            Id: columns["id"],
            Side: columns["side"],
            Price: columns["price"],
            Quantity: columns["quantity"],
            Trader: columns.GetValueOrDefault("trader", -1));
    }

    private CsvOrder ReadOrder(string[] fields, ColumnLayout layout)
    {
        if (fields.Length != layout.Count)
        {
            throw Error($"expected {layout.Count} fields as in the header, found {fields.Length}.");
        }

        string id = fields[layout.Id];
        if (id.Length == 0)
        {
            throw Error("the id is empty.");
        }

        Side side = fields[layout.Side].ToUpperInvariant() switch
        {
            "BUY" => Side.Buy,
            "SELL" => Side.Sell,
            _ => throw Error($"side '{fields[layout.Side]}' is neither buy nor sell."),
        };

        string price = fields[layout.Price];
        bool isMarket = price.Equals(MarketPrice, StringComparison.OrdinalIgnoreCase);
        long limitPrice = isMarket ? 0 : ParseInteger(price, "price", "an integer number of ticks or 'market'");
        long quantity = ParseInteger(fields[layout.Quantity], "quantity", "an integer number of lots");
        Address trader = layout.Trader < 0 ? Address.Zero : ParseTrader(fields[layout.Trader]);

        OrderIdentity identity = OrderIdentity.FromName(id);
        Order order = isMarket
            ? Order.Market(identity.Id, trader, side, quantity, identity.PriorityKey)
            : Order.Limit(identity.Id, trader, side, limitPrice, quantity, identity.PriorityKey);
        return new CsvOrder(id, order);
    }

    private long ParseInteger(string text, string column, string expected)
    {
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
        {
            return value;
        }

        throw Error(IsIntegerSyntax(text)
            ? $"{column} {text} is outside the 64-bit integer range."
            : $"{column} '{text}' is not {expected}.");
    }

    /// <summary>An optional sign and at least one digit: what long.TryParse accepts when the value fits.</summary>
    private static bool IsIntegerSyntax(string text)
    {
        ReadOnlySpan<char> digits = text.StartsWith('+') || text.StartsWith('-') ? text.AsSpan(1) : text;
        return digits.Length > 0 && !digits.ContainsAnyExceptInRange('0', '9');
    }

    private Address ParseTrader(string text)
    {
        // Address.TryParse also takes bare hex; the file format insists on the prefix so addresses read unambiguously.
        if (!text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || !Address.TryParse(text, out Address trader))
        {
            throw Error($"trader '{text}' is not an address: expected 0x and 40 hex digits.");
        }

        return trader;
    }

    private CsvFormatException Error(string problem) => new(_path, _lineNumber, problem);

    /// <summary>Where each column sits in a row; <see cref="Trader"/> is -1 when the file has no trader column.</summary>
    private sealed record ColumnLayout(int Count, int Id, int Side, int Price, int Quantity, int Trader)
    {
        public static readonly string[] RequiredNames = ["id", "side", "price", "quantity"];

        public static readonly string[] Names = [.. RequiredNames, "trader"];
    }
}
