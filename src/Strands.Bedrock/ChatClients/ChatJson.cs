using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Strands.Content;

namespace Strands.ChatClients;

/// <summary>
/// JSON conversions between Microsoft.Extensions.AI's loosely typed values (argument dictionaries, tool results,
/// additional properties) and <see cref="JsonElement"/>. Values are serialised with the type information of
/// <see cref="AIJsonUtilities.DefaultOptions"/> (or the options given), so no reflection is needed for the types it knows.
/// </summary>
internal static class ChatJson
{
    private static readonly JsonElement Null = JsonValues.Parse("null");

    /// <summary>A value as JSON: JSON values as they are, anything else serialised by its runtime type.</summary>
    public static JsonElement ToElement(object? value, JsonSerializerOptions? options = null) => value switch
    {
        null => Null,
        JsonElement element => element,
        JsonDocument document => document.RootElement.Clone(),
        JsonNode node => JsonValues.Parse(node.ToJsonString()),
        _ => JsonSerializer.SerializeToElement(value, (options ?? AIJsonUtilities.DefaultOptions).GetTypeInfo(value.GetType())),
    };

    /// <summary>Writes function-call arguments as a JSON object (<c>{}</c> when there are none).</summary>
    public static JsonElement ArgumentsToElement(IDictionary<string, object?>? arguments)
    {
        if (arguments is null || arguments.Count == 0)
        {
            return JsonValues.EmptyObject;
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in arguments)
            {
                writer.WritePropertyName(name);
                ToElement(value).WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    /// <summary>Reads a tool input as function-call arguments: each property of an object, as a <see cref="JsonElement"/>.</summary>
    public static Dictionary<string, object?> ElementToArguments(JsonElement input)
    {
        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (input.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in input.EnumerateObject())
            {
                arguments[property.Name] = property.Value.Clone();
            }
        }

        return arguments;
    }

    /// <summary>
    /// Merges <paramref name="extra"/> into the JSON object <paramref name="baseObject"/> (or into <c>{}</c>): members of
    /// <paramref name="extra"/> replace members of the same name.
    /// </summary>
    public static JsonElement Merge(JsonElement? baseObject, IEnumerable<KeyValuePair<string, object?>> extra)
    {
        var replaced = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (name, value) in extra)
        {
            replaced[name] = ToElement(value);
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (baseObject is { ValueKind: JsonValueKind.Object } existing)
            {
                foreach (var property in existing.EnumerateObject())
                {
                    if (!replaced.ContainsKey(property.Name))
                    {
                        property.WriteTo(writer);
                    }
                }
            }

            foreach (var (name, value) in replaced)
            {
                writer.WritePropertyName(name);
                value.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
