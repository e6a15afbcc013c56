using System.Text.Json;
using System.Text.Json.Serialization;
using AuctionEngine.Primitives;

namespace AuctionEngine.Serialization;

/// <summary>
/// Reads and writes a <see cref="Hash32"/> as a JSON string of <c>0x</c> and 64 lower-case hexadecimal digits, also
/// as a dictionary key.
/// </summary>
/// <remarks>
/// <see cref="Hash32"/> carries this converter in a <see cref="JsonConverterAttribute"/>, so
/// <see cref="JsonSerializer"/> and source-generated <see cref="JsonSerializerContext"/>s use it without being told;
/// it needs no reflection and is safe for trimming and Native AOT. Reading accepts either case, with or without the
/// prefix, and throws <see cref="JsonException"/> for anything else.
/// </remarks>
public sealed class Hash32JsonConverter : JsonConverter<Hash32>
{
    /// <summary>Reads a value from a JSON string.</summary>
    /// <param name="reader">The reader, at the string.</param>
    /// <param name="typeToConvert">The type to convert, <see cref="Hash32"/>.</param>
    /// <param name="options">Not used: the form is fixed.</param>
    /// <returns>The value.</returns>
    /// <exception cref="JsonException">The value is not a string of 64 hexadecimal digits.</exception>
    public override Hash32 Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonFields.ReadHash32(ref reader, "A 32-byte value");

    /// <summary>Writes the value as a JSON string of <c>0x</c> and 64 lower-case digits.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="value">The value.</param>
    /// <param name="options">Not used: the form is fixed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is null.</exception>
    public override void Write(Utf8JsonWriter writer, Hash32 value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        JsonFields.WriteHash32(writer, value);
    }

    /// <summary>Reads a value from a property name, for dictionaries keyed by hash or commitment.</summary>
    /// <param name="reader">The reader, at the property name.</param>
    /// <param name="typeToConvert">The type to convert, <see cref="Hash32"/>.</param>
    /// <param name="options">Not used: the form is fixed.</param>
    /// <returns>The value.</returns>
    /// <exception cref="JsonException">The name is not 64 hexadecimal digits.</exception>
    public override Hash32 ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonFields.ReadHash32(ref reader, "A 32-byte key");

    /// <summary>Writes the value as a property name of <c>0x</c> and 64 lower-case digits.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="value">The value.</param>
    /// <param name="options">Not used: the form is fixed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is null.</exception>
    public override void WriteAsPropertyName(Utf8JsonWriter writer, Hash32 value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        JsonFields.WriteHash32AsPropertyName(writer, value);
    }
}
