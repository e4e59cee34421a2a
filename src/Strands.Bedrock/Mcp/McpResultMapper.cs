using System.Text;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using Strands.ChatClients;
using Strands.Content;
using McpContentBlock = ModelContextProtocol.Protocol.ContentBlock;
using ToolResultContentBlock = Strands.Content.ToolResultContentBlock;

namespace Strands.Mcp;

/// <summary>
/// Turns an MCP tool result into a Bedrock tool result, block by block: text → text; image → image (png, jpeg, gif,
/// webp); embedded resource → its text, or its blob as text (textual media types), image, document or video where
/// Bedrock has a block for it; <c>structuredContent</c> → a JSON block after the others; <c>isError</c> → status
/// error. What Bedrock cannot carry (audio, other media types) becomes a short text note instead of vanishing.
/// </summary>
internal static class McpResultMapper
{
    /// <summary>The longest document name Bedrock accepts.</summary>
    private const int MaxDocumentNameLength = 200;

    public static ToolResultBlock ToToolResult(CallToolResult result)
    {
        var structured = result.StructuredContent is { ValueKind: not (JsonValueKind.Undefined or JsonValueKind.Null) } s ? s : (JsonElement?)null;
        var content = new List<ToolResultContentBlock>(result.Content.Count + 1);
        foreach (var block in result.Content)
        {
            if (structured is { } json && block is TextContentBlock text && IsSerialized(text.Text, json))
            {
                // Servers also send structured content as its JSON text (the MCP specification asks them to, for
                // older clients); the JSON block below carries it, so the model does not read it twice.
                continue;
            }

            if (Map(block) is { } mapped)
            {
                content.Add(mapped);
            }
        }

        if (structured is { } structuredJson)
        {
            content.Add(ToolResultContentBlock.FromJson(structuredJson.Clone()));
        }

        return new ToolResultBlock
        {
            Status = result.IsError == true ? ToolResultStatus.Error : ToolResultStatus.Success,
            Content = content,
        };
    }

    private static ToolResultContentBlock? Map(McpContentBlock block) => block switch
    {
        TextContentBlock text => Text(text.Text),
        ImageContentBlock image => Image(image.MimeType, image.DecodedData, "image"),
        AudioContentBlock audio => Note($"[audio ({audio.MimeType}, {audio.DecodedData.Length} bytes) omitted: Bedrock tool results cannot carry audio]"),
        EmbeddedResourceBlock embedded => Resource(embedded.Resource),
        ResourceLinkBlock link => ToolResultContentBlock.FromText(Link(link)),
        _ => Note($"[MCP content of type '{block.Type}' omitted: not supported]"),
    };

    private static ToolResultContentBlock? Resource(ResourceContents resource)
    {
        switch (resource)
        {
            case TextResourceContents text:
                return Text(text.Text);
            case BlobResourceContents blob:
                var mimeType = blob.MimeType ?? "";
                var bytes = blob.DecodedData;
                if (IsTextual(mimeType))
                {
                    return Text(Encoding.UTF8.GetString(bytes.Span));
                }

                if (MediaTypes.ImageFormatOf(mimeType) is not null)
                {
                    return Image(mimeType, bytes, $"resource {blob.Uri}");
                }

                if (MediaTypes.DocumentFormatOf(mimeType) is { } documentFormat)
                {
                    return new ToolResultContentBlock
                    {
                        Document = new DocumentBlock { Format = documentFormat, Name = DocumentName(blob.Uri), Source = new DocumentSource { Bytes = bytes.ToArray() } },
                    };
                }

                if (MediaTypes.VideoFormatOf(mimeType) is { } videoFormat)
                {
                    return new ToolResultContentBlock { Video = new VideoBlock { Format = videoFormat, Source = new VideoSource { Bytes = bytes.ToArray() } } };
                }

                return Note($"[resource {blob.Uri} ({(mimeType.Length > 0 ? mimeType : "no media type")}, {bytes.Length} bytes) omitted: Bedrock tool results have no block for this media type]");
            default:
                return Note($"[resource {resource.Uri} omitted: unsupported resource contents]");
        }
    }

    private static ToolResultContentBlock Image(string mimeType, ReadOnlyMemory<byte> bytes, string what) =>
        MediaTypes.ImageFormatOf(mimeType) is { } format
            ? new ToolResultContentBlock { Image = new ImageBlock { Format = format, Source = new ImageSource { Bytes = bytes.ToArray() } } }
            : Note($"[{what} ({mimeType}, {bytes.Length} bytes) omitted: Bedrock accepts png, jpeg, gif and webp images]");

    /// <summary>A text block; none for blank text, which Bedrock rejects and which tells the model nothing.</summary>
    private static ToolResultContentBlock? Text(string text) => string.IsNullOrWhiteSpace(text) ? null : ToolResultContentBlock.FromText(text);

    private static ToolResultContentBlock Note(string note) => ToolResultContentBlock.FromText(note);

    private static string Link(ResourceLinkBlock link)
    {
        var text = new StringBuilder("Resource link: ").Append(link.Name).Append(" <").Append(link.Uri).Append('>');
        if (!string.IsNullOrEmpty(link.MimeType))
        {
            text.Append(" (").Append(link.MimeType).Append(')');
        }

        if (!string.IsNullOrWhiteSpace(link.Description))
        {
            text.Append(": ").Append(link.Description);
        }

        return text.ToString();
    }

    /// <summary>Media types whose bytes are text, as Strands for Python decides: text/*, JSON, XML, JavaScript, YAML.</summary>
    private static bool IsTextual(string mimeType)
    {
        var semicolon = mimeType.IndexOf(';', StringComparison.Ordinal);
        var type = (semicolon >= 0 ? mimeType[..semicolon] : mimeType).Trim().ToLowerInvariant();
        return type.StartsWith("text/", StringComparison.Ordinal)
            || type is "application/json" or "application/xml" or "application/javascript" or "application/yaml" or "application/x-yaml"
            || type.EndsWith("+json", StringComparison.Ordinal)
            || type.EndsWith("+xml", StringComparison.Ordinal);
    }

    /// <summary>Whether a text block is the JSON serialisation of the structured content.</summary>
    private static bool IsSerialized(string text, JsonElement structured)
    {
        var trimmed = text.AsSpan().Trim();
        if (trimmed.IsEmpty || trimmed[0] is not ('{' or '['))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return JsonElement.DeepEquals(document.RootElement, structured);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// A document name Bedrock accepts (letters, digits, single spaces, hyphens, parentheses, square brackets; 1–200
    /// characters) from the resource's URI: its last path segment without the extension.
    /// </summary>
    internal static string DocumentName(string? uri)
    {
        var name = uri ?? "";
        if (Uri.TryCreate(name, UriKind.Absolute, out var parsed))
        {
            name = Uri.UnescapeDataString(parsed.AbsolutePath);
        }

        name = name[(name.LastIndexOf('/') + 1)..];
        var dot = name.LastIndexOf('.');
        if (dot > 0)
        {
            name = name[..dot];
        }

        var builder = new StringBuilder(Math.Min(name.Length, MaxDocumentNameLength));
        foreach (var c in name)
        {
            var allowed = char.IsAsciiLetterOrDigit(c) || c is '-' or '(' or ')' or '[' or ']' ? c : ' ';
            if (allowed == ' ' && (builder.Length == 0 || builder[^1] == ' '))
            {
                continue;
            }

            builder.Append(allowed);
            if (builder.Length == MaxDocumentNameLength)
            {
                break;
            }
        }

        var result = builder.ToString().TrimEnd();
        return result.Length > 0 ? result : "document";
    }
}
