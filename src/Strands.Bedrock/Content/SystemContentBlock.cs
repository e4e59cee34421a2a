using System.Text.Json;
using System.Text.Json.Serialization;

namespace Strands.Content;

/// <summary>One block of a system prompt. A union: text, guarded content, or a cache point.</summary>
public sealed record SystemContentBlock
{
    /// <summary>Text (non-empty).</summary>
    public string? Text { get; init; }

    /// <summary>Content for a guardrail to assess.</summary>
    public GuardrailConverseContentBlock? GuardContent { get; init; }

    /// <summary>A prompt-cache checkpoint after the blocks before it.</summary>
    public CachePointBlock? CachePoint { get; init; }

    /// <summary>Union members this version does not know, kept verbatim.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? UnknownMembers { get; set; }

    /// <summary>Creates a text block.</summary>
    /// <param name="text">The text.</param>
    public static SystemContentBlock FromText(string text) => new() { Text = text };

    /// <summary>A default cache point block.</summary>
    public static SystemContentBlock CachePointDefault { get; } = new() { CachePoint = new CachePointBlock() };
}
