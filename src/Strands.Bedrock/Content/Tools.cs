using System.Text.Json;
using System.Text.Json.Serialization;

namespace Strands.Content;

/// <summary>A request from the model to run a tool.</summary>
public sealed record ToolUseBlock
{
    /// <summary>The id that pairs this tool use with its result.</summary>
    public string ToolUseId { get; init; } = "";

    /// <summary>The tool's name.</summary>
    public string Name { get; init; } = "";

    /// <summary>The tool's input, any JSON value (normally an object).</summary>
    public JsonElement Input { get; init; } = JsonValues.EmptyObject;

    /// <summary>The kind of tool use, e.g. <c>server_tool_use</c> for tools the service runs itself.</summary>
    public ToolUseType? Type { get; init; }
}

/// <summary>The result of a tool run, sent back to the model.</summary>
public sealed record ToolResultBlock
{
    /// <summary>The id of the tool use this answers.</summary>
    public string ToolUseId { get; init; } = "";

    /// <summary>The result content.</summary>
    public IReadOnlyList<ToolResultContentBlock> Content { get; init; } = [];

    /// <summary>Whether the tool succeeded.</summary>
    public ToolResultStatus? Status { get; init; }

    /// <summary>The kind of tool result, for server-side tools.</summary>
    public string? Type { get; init; }
}

/// <summary>One block of a tool result. A union: exactly one member is set.</summary>
public sealed record ToolResultContentBlock
{
    /// <summary>A JSON value.</summary>
    public JsonElement? Json { get; init; }

    /// <summary>Text.</summary>
    public string? Text { get; init; }

    /// <summary>An image.</summary>
    public ImageBlock? Image { get; init; }

    /// <summary>A document.</summary>
    public DocumentBlock? Document { get; init; }

    /// <summary>A video.</summary>
    public VideoBlock? Video { get; init; }

    /// <summary>A search result.</summary>
    public SearchResultBlock? SearchResult { get; init; }

    /// <summary>Union members this version does not know, kept verbatim.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? UnknownMembers { get; set; }

    /// <summary>Creates a text block.</summary>
    /// <param name="text">The text.</param>
    public static ToolResultContentBlock FromText(string text) => new() { Text = text };

    /// <summary>Creates a JSON block.</summary>
    /// <param name="json">The value.</param>
    public static ToolResultContentBlock FromJson(JsonElement json) => new() { Json = json };
}

/// <summary>The tools a model may use, and how it must choose among them.</summary>
public sealed record ToolConfiguration
{
    /// <summary>The tools (at least one), possibly followed by a cache point.</summary>
    public IReadOnlyList<Tool> Tools { get; init; } = [];

    /// <summary>How the model chooses a tool; the service defaults to auto.</summary>
    public ToolChoice? ToolChoice { get; init; }
}

/// <summary>One entry of a tool list. A union: a tool specification, a system tool, or a cache point.</summary>
public sealed record Tool
{
    /// <summary>A tool the caller runs.</summary>
    public ToolSpecification? ToolSpec { get; init; }

    /// <summary>A tool the service provides.</summary>
    public SystemTool? SystemTool { get; init; }

    /// <summary>A prompt-cache checkpoint after the tools before it.</summary>
    public CachePointBlock? CachePoint { get; init; }

    /// <summary>Union members this version does not know, kept verbatim.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? UnknownMembers { get; set; }
}

/// <summary>The specification of a tool: its name, description and input schema.</summary>
public sealed record ToolSpecification
{
    /// <summary>The name (<c>^[a-zA-Z0-9_-]{1,64}$</c>).</summary>
    public string Name { get; init; } = "";

    /// <summary>What the tool does, for the model.</summary>
    public string? Description { get; init; }

    /// <summary>The JSON schema of the tool's input.</summary>
    public ToolInputSchema InputSchema { get; init; } = new();

    /// <summary>Ask the model to follow the schema strictly.</summary>
    public bool? Strict { get; init; }
}

/// <summary>A tool's input schema. A union with the single member <see cref="Json"/>.</summary>
public sealed record ToolInputSchema
{
    /// <summary>The JSON schema.</summary>
    public JsonElement? Json { get; init; }
}

/// <summary>A tool the service provides.</summary>
public sealed record SystemTool
{
    /// <summary>The tool's name.</summary>
    public string Name { get; init; } = "";
}

/// <summary>How the model chooses a tool. A union: auto, any, or a named tool.</summary>
public sealed record ToolChoice
{
    /// <summary>The model decides whether to use a tool.</summary>
    public AutoToolChoice? Auto { get; init; }

    /// <summary>The model must use at least one tool.</summary>
    public AnyToolChoice? Any { get; init; }

    /// <summary>The model must use this tool.</summary>
    public SpecificToolChoice? Tool { get; init; }

    /// <summary>The choice <c>{"auto":{}}</c>.</summary>
    public static ToolChoice AutoChoice { get; } = new() { Auto = new AutoToolChoice() };

    /// <summary>The choice <c>{"any":{}}</c>.</summary>
    public static ToolChoice AnyChoice { get; } = new() { Any = new AnyToolChoice() };

    /// <summary>The choice <c>{"tool":{"name":…}}</c>.</summary>
    /// <param name="name">The tool to force.</param>
    public static ToolChoice ForTool(string name) => new() { Tool = new SpecificToolChoice { Name = name } };

    /// <summary>True when the choice forces the model to use a tool (any or a named tool).</summary>
    [JsonIgnore]
    public bool ForcesToolUse => Any is not null || Tool is not null;
}

/// <summary>The model decides whether to use a tool.</summary>
public sealed record AutoToolChoice;

/// <summary>The model must use at least one tool.</summary>
public sealed record AnyToolChoice;

/// <summary>The model must use a named tool.</summary>
public sealed record SpecificToolChoice
{
    /// <summary>The tool's name.</summary>
    public string Name { get; init; } = "";
}
