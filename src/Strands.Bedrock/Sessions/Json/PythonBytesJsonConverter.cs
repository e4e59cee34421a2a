using System.Text.Json;
using System.Text.Json.Serialization;

namespace Strands.Sessions.Json;

/// <summary>
/// Writes bytes the way Strands for Python stores them in a session, <c>{"__bytes_encoded__": true, "data": "&lt;base64&gt;"}</c>,
/// instead of the bare base64 string of the Converse wire format. Reads that form and, leniently, a bare base64 string.
/// </summary>
internal sealed class PythonBytesJsonConverter : JsonConverter<byte[]>
{
    /// <summary>The marker property of an encoded byte string.</summary>
    public const string MarkerProperty = "__bytes_encoded__";

    /// <summary>The property holding the base64 text.</summary>
    public const string DataProperty = "data";

    /// <inheritdoc />
    public override bool HandleNull => false;

    /// <inheritdoc />
    public override byte[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetBytesFromBase64();
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"Expected bytes as {{\"{MarkerProperty}\": true, \"{DataProperty}\": \"<base64>\"}}, got {reader.TokenType}.");
        }

        var marked = false;
        byte[]? data = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                throw new JsonException("Malformed encoded bytes object.");
            }

            var name = reader.GetString();
            reader.Read();
            if (name == MarkerProperty)
            {
                marked = reader.TokenType == JsonTokenType.True;
            }
            else if (name == DataProperty && reader.TokenType == JsonTokenType.String)
            {
                data = reader.GetBytesFromBase64();
            }
            else
            {
                reader.Skip();
            }
        }

        if (!marked || data is null)
        {
            throw new JsonException($"Expected bytes as {{\"{MarkerProperty}\": true, \"{DataProperty}\": \"<base64>\"}}.");
        }

        return data;
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, byte[] value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        writer.WriteBoolean(MarkerProperty, true);
        writer.WriteBase64String(DataProperty, value);
        writer.WriteEndObject();
    }
}
