using System.Text.Json;

namespace Strands.Content;

/// <summary>Shared immutable JSON values.</summary>
public static class JsonValues
{
    /// <summary>The JSON value <c>{}</c>.</summary>
    public static JsonElement EmptyObject { get; } = Parse("{}");

    /// <summary>Parses JSON text into a detached <see cref="JsonElement"/>.</summary>
    /// <param name="json">The JSON text.</param>
    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
