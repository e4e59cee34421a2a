using System.Text.Json;
using System.Text.Json.Serialization;
using Strands.Content;

namespace Strands.Bedrock;

/// <summary>The answer to a Converse request.</summary>
public sealed record ConverseResponse
{
    /// <summary>The generated message.</summary>
    public ConverseOutput Output { get; init; } = new();

    /// <summary>Why the model stopped.</summary>
    public StopReason StopReason { get; init; } = StopReason.EndTurn;

    /// <summary>Tokens used.</summary>
    public TokenUsage Usage { get; init; } = new();

    /// <summary>Timing.</summary>
    public ConverseMetrics Metrics { get; init; } = new();

    /// <summary>Model-specific response fields that were asked for.</summary>
    public JsonElement? AdditionalModelResponseFields { get; init; }

    /// <summary>Guardrail and prompt-router trace.</summary>
    public ConverseTrace? Trace { get; init; }

    /// <summary>The latency profile used.</summary>
    public PerformanceConfiguration? PerformanceConfig { get; init; }

    /// <summary>The service tier used.</summary>
    public ServiceTier? ServiceTier { get; init; }

    /// <summary>The request id the service assigned (<c>x-amzn-RequestId</c>).</summary>
    [JsonIgnore]
    public string? RequestId { get; init; }
}

/// <summary>The output of a Converse call. A union with the single member <see cref="Message"/>.</summary>
public sealed record ConverseOutput
{
    /// <summary>The generated message.</summary>
    public Message? Message { get; init; }
}
