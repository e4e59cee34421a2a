using System.Text.Json;
using Strands.Content;

namespace Strands.Bedrock.Testing;

/// <summary>
/// One-line builders for the assistant content blocks a <see cref="FakeResponse"/> can carry: text, tool use,
/// reasoning (text with signature, or redacted) and text with citations.
/// </summary>
public static class FakeBlocks
{
    /// <summary>A text block.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The block.</returns>
    public static ContentBlock Text(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ContentBlock.FromText(text);
    }

    /// <summary>A tool use block.</summary>
    /// <param name="name">The tool's name.</param>
    /// <param name="inputJson">The tool input as JSON text, e.g. <c>{"city":"Seattle"}</c>.</param>
    /// <param name="toolUseId">The tool use id; default: a new <c>tooluse_…</c> id.</param>
    /// <returns>The block.</returns>
    /// <exception cref="JsonException"><paramref name="inputJson"/> is not valid JSON.</exception>
    public static ContentBlock ToolUse(string name, string inputJson, string? toolUseId = null)
    {
        ArgumentNullException.ThrowIfNull(inputJson);
        return ToolUse(name, JsonValues.Parse(inputJson), toolUseId);
    }

    /// <summary>A tool use block.</summary>
    /// <param name="name">The tool's name.</param>
    /// <param name="input">The tool input.</param>
    /// <param name="toolUseId">The tool use id; default: a new <c>tooluse_…</c> id.</param>
    /// <returns>The block.</returns>
    public static ContentBlock ToolUse(string name, JsonElement input, string? toolUseId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new ContentBlock
        {
            ToolUse = new ToolUseBlock { Name = name, Input = input.Clone(), ToolUseId = toolUseId ?? NewToolUseId() },
        };
    }

    /// <summary>A reasoning block: reasoning text and its signature.</summary>
    /// <param name="text">The reasoning text.</param>
    /// <param name="signature">The signature; null for none.</param>
    /// <returns>The block.</returns>
    public static ContentBlock Reasoning(string text, string? signature = FakeResponse.DefaultReasoningSignature)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new ContentBlock
        {
            ReasoningContent = new ReasoningContentBlock { ReasoningText = new ReasoningTextBlock { Text = text, Signature = signature } },
        };
    }

    /// <summary>A redacted (encrypted) reasoning block.</summary>
    /// <param name="redactedContent">The opaque bytes.</param>
    /// <returns>The block.</returns>
    public static ContentBlock RedactedReasoning(byte[] redactedContent)
    {
        ArgumentNullException.ThrowIfNull(redactedContent);
        return new ContentBlock { ReasoningContent = new ReasoningContentBlock { RedactedContent = redactedContent } };
    }

    /// <summary>Generated text with citations of its sources.</summary>
    /// <param name="text">The generated text.</param>
    /// <param name="citations">The citations; default: one web citation.</param>
    /// <returns>The block.</returns>
    public static ContentBlock Citations(string text, params Citation[] citations)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(citations);
        return new ContentBlock
        {
            CitationsContent = new CitationsContentBlock
            {
                Content = [new CitationGeneratedContent { Text = text }],
                Citations = citations.Length > 0 ? citations : [WebCitation("Example", "https://example.com/page", "A cited passage.")],
            },
        };
    }

    /// <summary>A citation of a web page.</summary>
    /// <param name="title">The page title.</param>
    /// <param name="url">The page URL.</param>
    /// <param name="passage">The cited passage.</param>
    /// <returns>The citation.</returns>
    public static Citation WebCitation(string title, string url, string passage) => new()
    {
        Title = title,
        Source = url,
        SourceContent = [new CitationSourceContent { Text = passage }],
        Location = new CitationLocation { Web = new WebLocation { Url = url, Domain = TryGetHost(url) } },
    };

    /// <summary>A citation of a character range of a request document.</summary>
    /// <param name="title">The document title.</param>
    /// <param name="documentIndex">The index of the document in the request.</param>
    /// <param name="start">The first character.</param>
    /// <param name="end">The character after the last.</param>
    /// <param name="passage">The cited passage.</param>
    /// <returns>The citation.</returns>
    public static Citation DocumentCitation(string title, int documentIndex, int start, int end, string passage) => new()
    {
        Title = title,
        SourceContent = [new CitationSourceContent { Text = passage }],
        Location = new CitationLocation { DocumentChar = new DocumentCharLocation { DocumentIndex = documentIndex, Start = start, End = end } },
    };

    internal static string NewToolUseId() => "tooluse_" + Guid.NewGuid().ToString("N")[..22];

    private static string? TryGetHost(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Host : null;
}
