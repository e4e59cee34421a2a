using System.Text.Json;
using System.Text.Json.Serialization;

namespace Strands.Content;

/// <summary>
/// One event of a streamed model turn, shaped like the ConverseStream events. The same types describe what the
/// Bedrock client reads from the wire and what an <c>IModel</c> yields, plus <see cref="RedactContentEvent"/>,
/// which only models emit.
/// </summary>
public abstract record StreamEvent
{
    private protected StreamEvent()
    {
    }

    /// <summary>The name of the event on the wire, e.g. <c>contentBlockDelta</c>.</summary>
    [JsonIgnore]
    public abstract string EventType { get; }
}

/// <summary>The model started a message.</summary>
public sealed record MessageStartEvent : StreamEvent
{
    /// <summary>The wire name <c>messageStart</c>.</summary>
    public const string Name = "messageStart";

    /// <summary>The role of the message (assistant).</summary>
    public ConversationRole Role { get; init; } = ConversationRole.Assistant;

    /// <inheritdoc />
    [JsonIgnore]
    public override string EventType => Name;
}

/// <summary>A content block that needs a start event (a tool use) started.</summary>
public sealed record ContentBlockStartEvent : StreamEvent
{
    /// <summary>The wire name <c>contentBlockStart</c>.</summary>
    public const string Name = "contentBlockStart";

    /// <summary>What started.</summary>
    public ContentBlockStart Start { get; init; } = new();

    /// <summary>The index of the block in the message.</summary>
    public int ContentBlockIndex { get; init; }

    /// <inheritdoc />
    [JsonIgnore]
    public override string EventType => Name;
}

/// <summary>What a content block start carries. A union: a tool use, a tool result, or an image.</summary>
public sealed record ContentBlockStart
{
    /// <summary>A tool use: its id and name.</summary>
    public ToolUseBlockStart? ToolUse { get; init; }

    /// <summary>A tool result (server-side tools).</summary>
    public ToolResultBlockStart? ToolResult { get; init; }

    /// <summary>An image.</summary>
    public ImageBlockStart? Image { get; init; }
}

/// <summary>The start of a tool use.</summary>
public sealed record ToolUseBlockStart
{
    /// <summary>The tool use id.</summary>
    public string ToolUseId { get; init; } = "";

    /// <summary>The tool's name.</summary>
    public string Name { get; init; } = "";

    /// <summary>The kind of tool use.</summary>
    public ToolUseType? Type { get; init; }
}

/// <summary>The start of a tool result.</summary>
public sealed record ToolResultBlockStart
{
    /// <summary>The tool use id.</summary>
    public string ToolUseId { get; init; } = "";

    /// <summary>The kind of tool result.</summary>
    public string? Type { get; init; }

    /// <summary>The status.</summary>
    public ToolResultStatus? Status { get; init; }
}

/// <summary>The start of an image.</summary>
public sealed record ImageBlockStart
{
    /// <summary>The format.</summary>
    public ImageFormat Format { get; init; }
}

/// <summary>A piece of a content block.</summary>
public sealed record ContentBlockDeltaEvent : StreamEvent
{
    /// <summary>The wire name <c>contentBlockDelta</c>.</summary>
    public const string Name = "contentBlockDelta";

    /// <summary>The piece.</summary>
    public ContentBlockDelta Delta { get; init; } = ContentBlockDelta.Empty;

    /// <summary>The index of the block in the message.</summary>
    public int ContentBlockIndex { get; init; }

    /// <inheritdoc />
    [JsonIgnore]
    public override string EventType => Name;
}

/// <summary>A piece of a content block. A union: exactly one member is set.</summary>
public sealed record ContentBlockDelta
{
    /// <summary>A delta with no member set: the default of <see cref="ContentBlockDeltaEvent.Delta"/>.</summary>
    internal static readonly ContentBlockDelta Empty = new();

    /// <summary>Text.</summary>
    public string? Text { get; init; }

    /// <summary>A fragment of a tool use's JSON input.</summary>
    public ToolUseBlockDelta? ToolUse { get; init; }

    /// <summary>Pieces of a tool result (server-side tools).</summary>
    public IReadOnlyList<ToolResultBlockDelta>? ToolResult { get; init; }

    /// <summary>Reasoning text, signature or redacted reasoning.</summary>
    public ReasoningContentBlockDelta? ReasoningContent { get; init; }

    /// <summary>A citation.</summary>
    public CitationsDelta? Citation { get; init; }

    /// <summary>An image piece.</summary>
    public ImageBlockDelta? Image { get; init; }

    /// <summary>Union members this version does not know, kept verbatim.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? UnknownMembers { get; set; }
}

/// <summary>A fragment of a tool use's JSON input; concatenate the fragments and parse at the block's end.</summary>
public sealed record ToolUseBlockDelta
{
    /// <summary>The fragment.</summary>
    public string Input { get; init; } = "";
}

/// <summary>A piece of a tool result. A union: text or JSON.</summary>
public sealed record ToolResultBlockDelta
{
    /// <summary>Text.</summary>
    public string? Text { get; init; }

    /// <summary>JSON.</summary>
    public JsonElement? Json { get; init; }
}

/// <summary>A piece of reasoning. A union: text, a signature, or redacted reasoning.</summary>
public sealed record ReasoningContentBlockDelta
{
    /// <summary>Reasoning text.</summary>
    public string? Text { get; init; }

    /// <summary>Encrypted reasoning.</summary>
    public byte[]? RedactedContent { get; init; }

    /// <summary>A piece of the reasoning signature.</summary>
    public string? Signature { get; init; }
}

/// <summary>A citation streamed with generated text.</summary>
public sealed record CitationsDelta
{
    /// <summary>The title of the cited source.</summary>
    public string? Title { get; init; }

    /// <summary>The cited source.</summary>
    public string? Source { get; init; }

    /// <summary>The cited passages.</summary>
    public IReadOnlyList<CitationSourceContent>? SourceContent { get; init; }

    /// <summary>Where in the source the passage is.</summary>
    public CitationLocation? Location { get; init; }
}

/// <summary>A piece of an image.</summary>
public sealed record ImageBlockDelta
{
    /// <summary>The image source.</summary>
    public ImageSource? Source { get; init; }

    /// <summary>An error about the image.</summary>
    public ErrorBlock? Error { get; init; }
}

/// <summary>A content block ended.</summary>
public sealed record ContentBlockStopEvent : StreamEvent
{
    /// <summary>The wire name <c>contentBlockStop</c>.</summary>
    public const string Name = "contentBlockStop";

    /// <summary>The index of the block in the message.</summary>
    public int ContentBlockIndex { get; init; }

    /// <inheritdoc />
    [JsonIgnore]
    public override string EventType => Name;
}

/// <summary>The message ended.</summary>
public sealed record MessageStopEvent : StreamEvent
{
    /// <summary>The wire name <c>messageStop</c>.</summary>
    public const string Name = "messageStop";

    /// <summary>Why the model stopped.</summary>
    public StopReason StopReason { get; init; } = StopReason.EndTurn;

    /// <summary>Model-specific response fields that were asked for.</summary>
    public JsonElement? AdditionalModelResponseFields { get; init; }

    /// <inheritdoc />
    [JsonIgnore]
    public override string EventType => Name;
}

/// <summary>Usage, timing and trace of the call; the last event of a stream.</summary>
public sealed record MetadataEvent : StreamEvent
{
    /// <summary>The wire name <c>metadata</c>.</summary>
    public const string Name = "metadata";

    /// <summary>Tokens used.</summary>
    public TokenUsage Usage { get; init; } = new();

    /// <summary>Timing.</summary>
    public ConverseMetrics Metrics { get; init; } = new();

    /// <summary>Guardrail and prompt-router trace.</summary>
    public ConverseTrace? Trace { get; init; }

    /// <summary>The latency profile used.</summary>
    public PerformanceConfiguration? PerformanceConfig { get; init; }

    /// <summary>The service tier used.</summary>
    public ServiceTier? ServiceTier { get; init; }

    /// <inheritdoc />
    [JsonIgnore]
    public override string EventType => Name;
}

/// <summary>
/// A guardrail blocked content: replace the latest user input and/or the assistant output with these messages.
/// Emitted by models, never by the service.
/// </summary>
public sealed record RedactContentEvent : StreamEvent
{
    /// <summary>The name <c>redactContent</c>.</summary>
    public const string Name = "redactContent";

    /// <summary>The text that replaces the latest user input, when the input was blocked.</summary>
    public string? RedactUserContentMessage { get; init; }

    /// <summary>The text that replaces the assistant output, when the output was blocked.</summary>
    public string? RedactAssistantContentMessage { get; init; }

    /// <inheritdoc />
    [JsonIgnore]
    public override string EventType => Name;
}
