using System.Text.Json;

namespace Strands.Tools;

/// <summary>
/// Checks a tool input against the top level of its JSON schema: an object, with every required property, each of
/// the declared JSON type. Deeper mismatches surface when the arguments are bound.
/// </summary>
internal sealed class ToolInputValidator
{
    private readonly string[] _required;
    private readonly Dictionary<string, string[]> _types = new(StringComparer.Ordinal);

    public ToolInputValidator(JsonElement schema)
    {
        _required = schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array
            ? [.. required.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String).Select(r => r.GetString()!)]
            : [];
        if (schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in properties.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.Object && property.Value.TryGetProperty("type", out var type))
                {
                    string[] types = type.ValueKind switch
                    {
                        JsonValueKind.String => [type.GetString()!],
                        JsonValueKind.Array => [.. type.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!)],
                        _ => [],
                    };
                    if (types.Length > 0)
                    {
                        _types[property.Name] = types;
                    }
                }
            }
        }
    }

    /// <exception cref="ToolValidationException">The input does not fit.</exception>
    public void Validate(JsonElement input)
    {
        if (input.ValueKind != JsonValueKind.Object)
        {
            if (_required.Length == 0 && input.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
            {
                return;
            }

            throw new ToolValidationException($"Validation failed for input parameters: the input must be a JSON object, got {Describe(input.ValueKind)}");
        }

        List<string>? errors = null;
        foreach (var name in _required)
        {
            if (!input.TryGetProperty(name, out _))
            {
                (errors ??= []).Add($"'{name}': field required");
            }
        }

        foreach (var property in input.EnumerateObject())
        {
            if (_types.TryGetValue(property.Name, out var types) && !types.Any(t => Matches(t, property.Value)))
            {
                (errors ??= []).Add($"'{property.Name}': expected {string.Join(" or ", types)}, got {Describe(property.Value.ValueKind)}");
            }
        }

        if (errors is not null)
        {
            throw new ToolValidationException("Validation failed for input parameters: " + string.Join("; ", errors));
        }
    }

    private static bool Matches(string type, JsonElement value) => type switch
    {
        "string" => value.ValueKind == JsonValueKind.String,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) && Math.Floor(d) == d,
        "number" => value.ValueKind == JsonValueKind.Number,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "array" => value.ValueKind == JsonValueKind.Array,
        "object" => value.ValueKind == JsonValueKind.Object,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => true,
    };

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Undefined => "nothing",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
