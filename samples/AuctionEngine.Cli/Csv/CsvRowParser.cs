using System.Runtime.CompilerServices;
using System.Buffers;
using System.Text;
using System.Text.Unicode;
using AuctionEngine.Cli.Identity;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;

namespace AuctionEngine.Cli.Csv;

/// <summary>Why a row could not be read: the 1-based column at fault (0 for the line as a whole) and the problem.</summary>
internal readonly record struct RowError(int Column, string Problem);

/// <summary>
/// Turns one data line into an <see cref="Order"/> and the position of its id in the file. Only what makes a row
/// unreadable is an error here: a price or quantity that is a well-formed integer but zero or negative is passed
/// through, so that the engine rejects that one order with its reason and the rest still clears.
/// </summary>
internal sealed class CsvRowParser(CsvLayout layout, OrderIdHash hash)
{
    private const int MaxColumns = 5;

    /// <summary>Bits 0-39 of a locator: the id's offset in the file.</summary>
    public const int LengthShift = 40;

    /// <summary>Bit 56 of a locator: the id is quoted with doubled quotes inside.</summary>
    public const ulong EscapedFlag = 1UL << 56;

    public CsvLayout Layout => layout;

    /// <summary>Reads one non-blank line that starts at <paramref name="lineOffset"/> in the file.</summary>
    /// <param name="line">The line without its line ending.</param>
    /// <param name="lineOffset">Where the line starts in the file.</param>
    /// <param name="order">The order.</param>
    /// <param name="locator">The id's offset (bits 0-39), length (bits 40-55) and <see cref="EscapedFlag"/>.</param>
    /// <param name="error">Why the row is unreadable, when it is.</param>
    /// <returns>Whether the row was read.</returns>
    public bool TryParse(ReadOnlySpan<byte> line, long lineOffset, out Order order, out ulong locator, out RowError error)
    {
        Span<CsvField> fields = stackalloc CsvField[MaxColumns];
        int count = CsvLine.Split(line, fields, out string? splitProblem, out int splitColumn);
        if (count < 0)
        {
            return Fail(new RowError(splitColumn, splitProblem!), out order, out locator, out error);
        }

        if (count != layout.Count)
        {
            return Fail(new RowError(0, $"expected {layout.Count} fields as in the header, found {count}."), out order, out locator, out error);
        }

        if (!Ascii.IsValid(line) && FindInvalidUtf8(line, fields[..count]) is RowError invalid)
        {
            return Fail(invalid, out order, out locator, out error);
        }

        CsvField idField = fields[layout.Id];
        ReadOnlySpan<byte> id = idField.In(line);
        int idLength = idField.Escaped ? id.Length - (id.Count((byte)'"') / 2) : id.Length;
        if (idLength == 0 || idLength > CsvLimits.MaxIdBytes)
        {
            return Fail(IdLengthError(idLength), out order, out locator, out error);
        }

        ReadOnlySpan<byte> sideText = fields[layout.Side].In(line);
        Side side;
        if (Ascii.EqualsIgnoreCase(sideText, "buy"u8))
        {
            side = Side.Buy;
        }
        else if (Ascii.EqualsIgnoreCase(sideText, "sell"u8))
        {
            side = Side.Sell;
        }
        else
        {
            return Fail(FieldError(layout.Side, $"'{CsvLine.Show(sideText)}' is neither buy nor sell."), out order, out locator, out error);
        }

        ReadOnlySpan<byte> priceText = fields[layout.Price].In(line);
        bool isMarket = Ascii.EqualsIgnoreCase(priceText, "market"u8);
        long price = 0;
        if (!isMarket && !TryParseInteger(priceText, out price, out bool priceOverflow))
        {
            return Fail(IntegerError(layout.Price, priceText, priceOverflow, "an integer number of ticks or 'market'"), out order, out locator, out error);
        }

        ReadOnlySpan<byte> quantityText = fields[layout.Quantity].In(line);
        if (!TryParseInteger(quantityText, out long quantity, out bool quantityOverflow))
        {
            return Fail(IntegerError(layout.Quantity, quantityText, quantityOverflow, "an integer number of lots"), out order, out locator, out error);
        }

        Address trader = Address.Zero;
        if (layout.Trader >= 0 && !TryParseTrader(fields[layout.Trader].In(line), out trader))
        {
            return Fail(FieldError(layout.Trader, $"'{CsvLine.Show(fields[layout.Trader].In(line))}' is not an address: expected 0x and 40 hex digits."), out order, out locator, out error);
        }

        OrderIdentity identity = idField.Escaped ? HashUnescaped(id) : OrderIdentity.FromHash(hash(id, 0));
        order = isMarket
            ? Order.Market(identity.Id, trader, side, quantity, identity.PriorityKey)
            : Order.Limit(identity.Id, trader, side, price, quantity, identity.PriorityKey);
        locator = (ulong)(lineOffset + idField.Start) | ((ulong)idField.Length << LengthShift) | (idField.Escaped ? EscapedFlag : 0);
        error = default;
        return true;
    }

    /// <summary>An optional sign and 1 or more decimal digits whose value fits in 64 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool TryParseInteger(ReadOnlySpan<byte> text, out long value, out bool overflow)
    {
        value = 0;
        overflow = false;
        int i = 0;
        bool negative = false;
        if (text.Length > 0 && (text[0] == (byte)'-' || text[0] == (byte)'+'))
        {
            negative = text[0] == (byte)'-';
            i = 1;
        }

        if (i == text.Length)
        {
            return false;
        }

        ulong magnitude = 0;
        for (; i < text.Length; i++)
        {
            uint digit = (uint)(text[i] - '0');
            if (digit > 9)
            {
                overflow = false;
                return false;
            }

            if (magnitude > (ulong.MaxValue - 9) / 10)
            {
                overflow = true; // Keep going: a later non-digit makes it a syntax error instead.
                continue;
            }

            magnitude = (magnitude * 10) + digit;
        }

        ulong limit = negative ? 1UL << 63 : long.MaxValue;
        if (overflow || magnitude > limit)
        {
            overflow = true;
            return false;
        }

        value = negative ? (long)(0 - magnitude) : (long)magnitude;
        return true;
    }

    /// <summary><c>0x</c> and 40 hex digits, as UTF-8; the Parquet reader takes traders the same way.</summary>
    internal static bool TryParseTrader(ReadOnlySpan<byte> text, out Address trader)
    {
        // Address.TryParse also takes bare hex; the file format insists on the prefix so addresses read unambiguously.
        const int TextLength = 2 + (2 * Address.Length);
        trader = default;
        if (text.Length != TextLength || text[0] != (byte)'0' || (text[1] | 0x20) != (byte)'x')
        {
            return false;
        }

        Span<char> chars = stackalloc char[TextLength];
        for (int i = 0; i < TextLength; i++)
        {
            chars[i] = (char)text[i];
        }

        return Address.TryParse(chars, out trader);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private OrderIdentity HashUnescaped(ReadOnlySpan<byte> quoted)
    {
        Span<byte> id = stackalloc byte[CsvLimits.MaxLineBytes];
        return OrderIdentity.FromHash(hash(id[..CsvLine.Unescape(quoted, id)], 0));
    }

    private static bool Fail(RowError problem, out Order order, out ulong locator, out RowError error)
    {
        order = default;
        locator = 0;
        error = problem;
        return false;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private RowError IdLengthError(int length) => FieldError(layout.Id, length == 0
        ? "the id is empty."
        : $"the id is {length} bytes long; at most {CsvLimits.MaxIdBytes} are allowed.");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static RowError IntegerError(int column, ReadOnlySpan<byte> text, bool overflow, string expected) =>
        new(column + 1, overflow
            ? $"{CsvLine.Show(text)} is outside the 64-bit integer range."
            : $"'{CsvLine.Show(text)}' is not {expected}.");

    private static RowError FieldError(int column, string problem) => new(column + 1, problem);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static RowError? FindInvalidUtf8(ReadOnlySpan<byte> line, ReadOnlySpan<CsvField> fields)
    {
        for (int column = 0; column < fields.Length; column++)
        {
            ReadOnlySpan<byte> text = fields[column].In(line);
            if (!Utf8.IsValid(text))
            {
                int valid = FirstInvalidByte(text);
                return new RowError(column + 1, $"invalid UTF-8: byte 0x{text[valid]:X2} at byte {fields[column].Start + valid + 1} of the line; save the file as UTF-8.");
            }
        }

        return null;
    }

    private static int FirstInvalidByte(ReadOnlySpan<byte> text)
    {
        int position = 0;
        while (position < text.Length)
        {
            if (Rune.DecodeFromUtf8(text[position..], out _, out int consumed) != OperationStatus.Done)
            {
                return position;
            }

            position += consumed;
        }

        return 0;
    }
}
