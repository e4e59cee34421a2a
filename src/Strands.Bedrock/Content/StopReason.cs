using System.Text.Json.Serialization;

namespace Strands.Content;

/// <summary>Why the model stopped generating. Values the service adds later parse too.</summary>
/// <param name="Value">The value as it appears on the wire.</param>
[JsonConverter(typeof(StringBackedJsonConverter<StopReason>))]
public readonly record struct StopReason(string Value) : IStringBacked<StopReason>
{
    /// <summary>The value <c>end_turn</c>.</summary>
    public static StopReason EndTurn { get; } = new("end_turn");

    /// <summary>The value <c>tool_use</c>.</summary>
    public static StopReason ToolUse { get; } = new("tool_use");

    /// <summary>The value <c>max_tokens</c>.</summary>
    public static StopReason MaxTokens { get; } = new("max_tokens");

    /// <summary>The value <c>stop_sequence</c>.</summary>
    public static StopReason StopSequence { get; } = new("stop_sequence");

    /// <summary>The value <c>guardrail_intervened</c>.</summary>
    public static StopReason GuardrailIntervened { get; } = new("guardrail_intervened");

    /// <summary>The value <c>content_filtered</c>.</summary>
    public static StopReason ContentFiltered { get; } = new("content_filtered");

    /// <summary>The value <c>malformed_model_output</c>.</summary>
    public static StopReason MalformedModelOutput { get; } = new("malformed_model_output");

    /// <summary>The value <c>malformed_tool_use</c>.</summary>
    public static StopReason MalformedToolUse { get; } = new("malformed_tool_use");

    /// <summary>The value <c>model_context_window_exceeded</c>.</summary>
    public static StopReason ModelContextWindowExceeded { get; } = new("model_context_window_exceeded");

    /// <inheritdoc />
    public static StopReason FromWire(string value) => value switch
    {
        "end_turn" => EndTurn, "tool_use" => ToolUse, "max_tokens" => MaxTokens, "stop_sequence" => StopSequence, "guardrail_intervened" => GuardrailIntervened, "content_filtered" => ContentFiltered, "malformed_model_output" => MalformedModelOutput, "malformed_tool_use" => MalformedToolUse, "model_context_window_exceeded" => ModelContextWindowExceeded,
        _ => new(value),
    };

    /// <inheritdoc />
    public override string ToString() => Value;
}
