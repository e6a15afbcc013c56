using System.Buffers;
using System.Globalization;
using System.Text.Json;
using AuctionEngine.Options;

namespace AuctionEngine.Cli.Pricing;

/// <summary>
/// Writes <c>auction option</c>'s results, one JSON object per line, straight into a byte buffer that goes to the
/// output stream in 64 KiB pieces: a million options are written without a string per number.
/// </summary>
/// <remarks>
/// Numbers are written in the shortest form that reads back to the same double. JSON has no infinity, and two Greeks
/// have infinite limits (gamma exactly at the money at expiry, theta there too), so those are written as the strings
/// <c>"Infinity"</c> and <c>"-Infinity"</c>, as System.Text.Json's named floating-point literals do.
/// </remarks>
internal sealed class OptionJsonWriter(Stream output) : IDisposable
{
    private const int FlushAt = 1 << 16;
    private readonly ArrayBufferWriter<byte> _buffer = new(FlushAt + 1024);

    public void Write(in OptionValuation value)
    {
        Raw("{\"price\":"u8);
        Number(value.Price);
        Raw(",\"delta\":"u8);
        Number(value.Delta);
        Raw(",\"gamma\":"u8);
        Number(value.Gamma);
        Raw(",\"vega\":"u8);
        Number(value.Vega);
        Raw(",\"theta\":"u8);
        Number(value.Theta);
        Raw(",\"rho\":"u8);
        Number(value.Rho);
        Raw(",\"vanna\":"u8);
        Number(value.Vanna);
        Raw(",\"volga\":"u8);
        Number(value.Volga);
        EndLine();
    }

    public void Write(in ImpliedVolatilityResult result)
    {
        if (result.IsSolved)
        {
            Raw("{\"vol\":"u8);
            Number(result.Volatility);
        }
        else
        {
            Raw("{\"vol\":null,\"reason\":\""u8);
            Raw(result.Status switch
            {
                ImpliedVolatilityStatus.BelowIntrinsicValue => "belowIntrinsicValue"u8,
                ImpliedVolatilityStatus.AtOrAboveMaximumValue => "atOrAboveMaximumValue"u8,
                _ => "indeterminate"u8,
            });
            Raw("\""u8);
        }

        EndLine();
    }

    /// <summary>A row that could not be evaluated: <c>{"error":"…"}</c>, so that output line n still answers input row n.</summary>
    public void WriteError(string message)
    {
        Raw("{\"error\":\""u8);
        Raw(JsonEncodedText.Encode(message).EncodedUtf8Bytes);
        Raw("\""u8);
        EndLine();
    }

    /// <summary>Writes what is buffered to the output stream and flushes it.</summary>
    public void Flush()
    {
        output.Write(_buffer.WrittenSpan);
        _buffer.ResetWrittenCount();
        output.Flush();
    }

    public void Dispose() => Flush();

    private void Number(double value)
    {
        if (double.IsInfinity(value))
        {
            Raw(value > 0 ? "\"Infinity\""u8 : "\"-Infinity\""u8);
            return;
        }

        Span<byte> destination = _buffer.GetSpan(32);
        if (!value.TryFormat(destination, out int written, "R", CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("A double did not fit in 32 bytes of text.");
        }

        _buffer.Advance(written);
    }

    private void Raw(ReadOnlySpan<byte> text) => _buffer.Write(text);

    private void EndLine()
    {
        Raw("}\n"u8);
        if (_buffer.WrittenCount >= FlushAt)
        {
            output.Write(_buffer.WrittenSpan);
            _buffer.ResetWrittenCount();
        }
    }
}
