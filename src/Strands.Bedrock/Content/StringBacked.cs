using System.Text.Json;
using System.Text.Json.Serialization;

namespace Strands.Content;

/// <summary>
/// A string-backed enumeration, as the AWS SDKs model Smithy enums: the known values are static members, and any
/// other value the service sends later still parses and round-trips.
/// </summary>
/// <typeparam name="TSelf">The enumeration type.</typeparam>
internal interface IStringBacked<TSelf> where TSelf : struct, IStringBacked<TSelf>
{
    /// <summary>The value as it appears on the wire.</summary>
    string Value { get; }

    /// <summary>Creates the enumeration value for a wire string.</summary>
    /// <param name="value">The wire string.</param>
    static abstract TSelf FromWire(string value);
}

/// <summary>Serialises an <see cref="IStringBacked{TSelf}"/> as its wire string.</summary>
/// <typeparam name="T">The enumeration type.</typeparam>
internal sealed class StringBackedJsonConverter<T> : JsonConverter<T> where T : struct, IStringBacked<T>
{
    /// <inheritdoc />
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Expected a string for {typeof(T).Name}, got {reader.TokenType}.");
        }

        return T.FromWire(reader.GetString()!);
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value.Value is null)
        {
            throw new JsonException($"{typeof(T).Name} has no value; use one of its static members.");
        }

        writer.WriteStringValue(value.Value);
    }
}
