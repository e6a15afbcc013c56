using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using AuctionEngine.Abi;
using AuctionEngine.Primitives;
using AuctionEngine.Tests.Support;

namespace AuctionEngine.Tests.Abi;

/// <summary>
/// The JSON form of values shared with <c>tools/abi-crosscheck/abi.mjs</c>: decimal strings for integers, lower-case
/// 0x hex for addresses and bytes, booleans, strings, and arrays for arrays and tuples.
/// </summary>
internal static class AbiJson
{
    public static AbiValue Read(AbiType type, JsonElement json) => type.Kind switch
    {
        AbiTypeKind.UInt or AbiTypeKind.Int => AbiValue.FromInteger(BigInteger.Parse(json.GetString()!, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)),
        AbiTypeKind.Address => AbiValue.FromAddress(Address.Parse(json.GetString())),
        AbiTypeKind.Bool => AbiValue.FromBool(json.GetBoolean()),
        AbiTypeKind.FixedBytes or AbiTypeKind.Bytes => AbiValue.FromBytes(Bytes(json.GetString()!)),
        AbiTypeKind.String => AbiValue.FromString(json.GetString()!),
        AbiTypeKind.FixedArray or AbiTypeKind.DynamicArray => AbiValue.Array([.. json.EnumerateArray().Select(e => Read(type.ElementType!, e))]),
        _ => AbiValue.Tuple([.. json.EnumerateArray().Select((e, i) => Read(type.Components[i], e))]),
    };

    public static JsonNode Write(AbiValue value) => value.Kind switch
    {
        AbiValueKind.Integer => JsonValue.Create(value.Integer.ToString(CultureInfo.InvariantCulture)),
        AbiValueKind.Address => JsonValue.Create(value.Address.ToString("x", null)),
        AbiValueKind.Bool => JsonValue.Create(value.Bool),
        AbiValueKind.Bytes => JsonValue.Create(Hex(value.Bytes.Span)),
        AbiValueKind.String => JsonValue.Create(value.String),
        _ => new JsonArray([.. value.Items.Select(Write)]),
    };

    /// <summary>A case's parameter list as one tuple type, and its values as one tuple: what abi.encode(a, b, …) encodes.</summary>
    public static (AbiType Type, AbiValue Value) Parameters(JsonElement testCase)
    {
        AbiType[] types = [.. testCase.GetProperty("types").EnumerateArray().Select(t => AbiType.Parse(t.GetString()!))];
        AbiValue[] values = [.. testCase.GetProperty("values").EnumerateArray().Select((v, i) => Read(types[i], v))];
        return (AbiType.Tuple(types), AbiValue.Tuple(values));
    }

    public static byte[] Bytes(string hex) => Convert.FromHexString(hex.AsSpan(2));

    public static string Hex(ReadOnlySpan<byte> bytes) => "0x" + HexText.Lower(bytes);
}
