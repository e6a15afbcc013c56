namespace AuctionEngine.Tests.Support;

/// <summary>
/// Lower-case hex for test expectations, the same on net8.0 and net10.0 (<c>Convert.ToHexStringLower</c> only exists
/// from .NET 9, and the tests also run against the library's net8.0 build).
/// </summary>
internal static class HexText
{
    public static string Lower(ReadOnlySpan<byte> bytes) =>
        string.Create(2 * bytes.Length, bytes.ToArray(), static (chars, source) =>
        {
            const string Digits = "0123456789abcdef";
            for (int i = 0; i < source.Length; i++)
            {
                chars[2 * i] = Digits[source[i] >> 4];
                chars[(2 * i) + 1] = Digits[source[i] & 0xF];
            }
        });
}
