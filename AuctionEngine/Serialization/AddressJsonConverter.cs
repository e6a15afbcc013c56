using System.Text.Json;
using System.Text.Json.Serialization;
using AuctionEngine.Primitives;

namespace AuctionEngine.Serialization;

/// <summary>
/// Reads and writes an <see cref="Address"/> as a JSON string in its EIP-55 checksummed form,
/// <c>"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"</c>, also as a dictionary key.
/// </summary>
/// <remarks>
/// <see cref="Address"/> carries this converter in a <see cref="JsonConverterAttribute"/>, so
/// <see cref="JsonSerializer"/> and source-generated <see cref="JsonSerializerContext"/>s use it without being told;
/// it needs no reflection and is safe for trimming and Native AOT. Reading accepts what
/// <see cref="Address.Parse(ReadOnlySpan{byte})"/> accepts (either single case, or mixed case with a correct
/// checksum) and throws <see cref="JsonException"/> for anything else, a wrong checksum included.
/// </remarks>
public sealed class AddressJsonConverter : JsonConverter<Address>
{
    /// <summary>Reads an address from a JSON string.</summary>
    /// <param name="reader">The reader, at the string.</param>
    /// <param name="typeToConvert">The type to convert, <see cref="Address"/>.</param>
    /// <param name="options">Not used: the form is fixed.</param>
    /// <returns>The address.</returns>
    /// <exception cref="JsonException">The value is not a string holding a well-formed address with a correct checksum if it has one.</exception>
    public override Address Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonFields.ReadAddress(ref reader, "An address");

    /// <summary>Writes the address as a JSON string in its EIP-55 checksummed form.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="value">The address.</param>
    /// <param name="options">Not used: the form is fixed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is null.</exception>
    public override void Write(Utf8JsonWriter writer, Address value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        JsonFields.WriteAddress(writer, value);
    }

    /// <summary>Reads an address from a property name, for dictionaries keyed by address.</summary>
    /// <param name="reader">The reader, at the property name.</param>
    /// <param name="typeToConvert">The type to convert, <see cref="Address"/>.</param>
    /// <param name="options">Not used: the form is fixed.</param>
    /// <returns>The address.</returns>
    /// <exception cref="JsonException">The name is not a well-formed address with a correct checksum if it has one.</exception>
    public override Address ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonFields.ReadAddress(ref reader, "An address key");

    /// <summary>Writes the address as a property name in its EIP-55 checksummed form.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="value">The address.</param>
    /// <param name="options">Not used: the form is fixed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is null.</exception>
    public override void WriteAsPropertyName(Utf8JsonWriter writer, Address value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        JsonFields.WriteAddressAsPropertyName(writer, value);
    }
}
