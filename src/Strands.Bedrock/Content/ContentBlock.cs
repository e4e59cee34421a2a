using System.Text.Json;
using System.Text.Json.Serialization;

namespace Strands.Content;

/// <summary>
/// One block of a message's content. A union: exactly one member is set. Members the service adds later are kept in
/// <see cref="UnknownMembers"/> and sent back unchanged.
/// </summary>
public sealed record ContentBlock
{
    /// <summary>Plain text.</summary>
    public string? Text { get; init; }

    /// <summary>An image.</summary>
    public ImageBlock? Image { get; init; }

    /// <summary>A document.</summary>
    public DocumentBlock? Document { get; init; }

    /// <summary>A video.</summary>
    public VideoBlock? Video { get; init; }

    /// <summary>An audio clip.</summary>
    public AudioBlock? Audio { get; init; }

    /// <summary>A request from the model to run a tool.</summary>
    public ToolUseBlock? ToolUse { get; init; }

    /// <summary>The result of a tool run.</summary>
    public ToolResultBlock? ToolResult { get; init; }

    /// <summary>Content for a guardrail to assess.</summary>
    public GuardrailConverseContentBlock? GuardContent { get; init; }

    /// <summary>A prompt-cache checkpoint: everything before it may be cached.</summary>
    public CachePointBlock? CachePoint { get; init; }

    /// <summary>The model's reasoning.</summary>
    public ReasoningContentBlock? ReasoningContent { get; init; }

    /// <summary>Generated text with citations of its sources.</summary>
    public CitationsContentBlock? CitationsContent { get; init; }

    /// <summary>A search result given to the model as a source.</summary>
    public SearchResultBlock? SearchResult { get; init; }

    /// <summary>Union members this version does not know, kept verbatim so that they round-trip.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? UnknownMembers { get; set; }

    /// <summary>Creates a text block.</summary>
    /// <param name="text">The text.</param>
    public static ContentBlock FromText(string text) => new() { Text = text };

    /// <summary>Creates a default cache point block.</summary>
    public static ContentBlock CachePointDefault { get; } = new() { CachePoint = new CachePointBlock() };
}
