using System.Text.Json;
using System.Text.Json.Serialization;
using Strands.Content;

namespace Strands.Bedrock;

/// <summary>What Converse and ConverseStream requests have in common.</summary>
public abstract record ConverseRequestBase
{
    private protected ConverseRequestBase()
    {
    }

    /// <summary>
    /// The model: a model id, an inference profile id or ARN, a provisioned-throughput ARN, a prompt ARN, …
    /// Sent in the path, escaped as one segment.
    /// </summary>
    [JsonIgnore]
    public string ModelId { get; init; } = "";

    /// <summary>The conversation so far.</summary>
    public IReadOnlyList<Message>? Messages { get; init; }

    /// <summary>The system prompt.</summary>
    public IReadOnlyList<SystemContentBlock>? System { get; init; }

    /// <summary>Inference parameters every model supports.</summary>
    public InferenceConfiguration? InferenceConfig { get; init; }

    /// <summary>The tools the model may use.</summary>
    public ToolConfiguration? ToolConfig { get; init; }

    /// <summary>Model-specific request fields, passed to the model as they are.</summary>
    public JsonElement? AdditionalModelRequestFields { get; init; }

    /// <summary>Values for the variables of a prompt (with a prompt ARN as the model).</summary>
    public IReadOnlyDictionary<string, PromptVariableValues>? PromptVariables { get; init; }

    /// <summary>JSON pointers of model-specific response fields to return.</summary>
    public IReadOnlyList<string>? AdditionalModelResponseFieldPaths { get; init; }

    /// <summary>Key-value pairs recorded with the invocation logs.</summary>
    public IReadOnlyDictionary<string, string>? RequestMetadata { get; init; }

    /// <summary>The latency profile.</summary>
    public PerformanceConfiguration? PerformanceConfig { get; init; }

    /// <summary>The service tier.</summary>
    public ServiceTier? ServiceTier { get; init; }

    /// <summary>The format of structured output.</summary>
    public OutputConfig? OutputConfig { get; init; }

    /// <summary>
    /// Top-level request members this version does not model, sent as they are (for API members added after this
    /// release). Strands' <c>AdditionalArgs</c> end up here when they name no known member.
    /// </summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalMembers { get; set; }
}

/// <summary>A Converse request: one model turn, answered with one JSON response.</summary>
public sealed record ConverseRequest : ConverseRequestBase
{
    /// <summary>The guardrail to apply.</summary>
    public GuardrailConfiguration? GuardrailConfig { get; init; }
}

/// <summary>A ConverseStream request: one model turn, answered with a stream of events.</summary>
public sealed record ConverseStreamRequest : ConverseRequestBase
{
    /// <summary>The guardrail to apply.</summary>
    public GuardrailStreamConfiguration? GuardrailConfig { get; init; }
}

/// <summary>Inference parameters every model supports.</summary>
public sealed record InferenceConfiguration
{
    /// <summary>The most tokens to generate (at least 1).</summary>
    public int? MaxTokens { get; init; }

    /// <summary>Randomness, 0 to 1.</summary>
    public float? Temperature { get; init; }

    /// <summary>Nucleus sampling, 0 to 1.</summary>
    public float? TopP { get; init; }

    /// <summary>Sequences that stop generation.</summary>
    public IReadOnlyList<string>? StopSequences { get; init; }
}

/// <summary>The guardrail of a Converse request.</summary>
public sealed record GuardrailConfiguration
{
    /// <summary>The guardrail's id or ARN.</summary>
    public string? GuardrailIdentifier { get; init; }

    /// <summary>The guardrail's version, or <c>DRAFT</c>.</summary>
    public string? GuardrailVersion { get; init; }

    /// <summary>Whether the trace is returned.</summary>
    public GuardrailTrace? Trace { get; init; }
}

/// <summary>The guardrail of a ConverseStream request.</summary>
public sealed record GuardrailStreamConfiguration
{
    /// <summary>The guardrail's id or ARN.</summary>
    public string? GuardrailIdentifier { get; init; }

    /// <summary>The guardrail's version, or <c>DRAFT</c>.</summary>
    public string? GuardrailVersion { get; init; }

    /// <summary>Whether the trace is returned.</summary>
    public GuardrailTrace? Trace { get; init; }

    /// <summary>Whether the response is held until the guardrail has checked it (<c>sync</c>) or not.</summary>
    public GuardrailStreamProcessingMode? StreamProcessingMode { get; init; }
}

/// <summary>The value of a prompt variable. A union with the single member <see cref="Text"/>.</summary>
public sealed record PromptVariableValues
{
    /// <summary>Text.</summary>
    public string? Text { get; init; }
}

/// <summary>The format of structured output.</summary>
public sealed record OutputConfig
{
    /// <summary>The text format.</summary>
    public OutputFormat? TextFormat { get; init; }
}

/// <summary>A structured output format.</summary>
public sealed record OutputFormat
{
    /// <summary>The kind of format (<c>json_schema</c>).</summary>
    public OutputFormatType Type { get; init; } = OutputFormatType.JsonSchema;

    /// <summary>The structure the output must follow.</summary>
    public OutputFormatStructure Structure { get; init; } = new();
}

/// <summary>The structure of structured output. A union with the single member <see cref="JsonSchema"/>.</summary>
public sealed record OutputFormatStructure
{
    /// <summary>A JSON schema.</summary>
    public JsonSchemaDefinition? JsonSchema { get; init; }
}

/// <summary>A JSON schema for structured output.</summary>
public sealed record JsonSchemaDefinition
{
    /// <summary>The schema, as JSON text.</summary>
    public string Schema { get; init; } = "";

    /// <summary>The schema's name.</summary>
    public string? Name { get; init; }

    /// <summary>The schema's description.</summary>
    public string? Description { get; init; }
}
