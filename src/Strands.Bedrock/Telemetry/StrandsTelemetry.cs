namespace Strands.Telemetry;

/// <summary>
/// The names under which Strands reports traces and metrics, following the OpenTelemetry semantic conventions for
/// generative AI: spans <c>invoke_agent {agent}</c>, <c>chat {model}</c> and <c>execute_tool {tool}</c>, and the
/// histograms <c>gen_ai.client.operation.duration</c> and <c>gen_ai.client.token.usage</c>. Subscribe with
/// <c>AddSource(StrandsTelemetry.ActivitySourceName)</c> and <c>AddMeter(StrandsTelemetry.MeterName)</c>; nothing is
/// recorded, and nearly nothing computed, while nobody listens.
/// </summary>
/// <remarks>
/// Message content (prompts, answers, tool arguments and results) is recorded only where it is turned on
/// (<see cref="Agents.AgentOptions.CaptureMessageContent"/>, <see cref="OpenTelemetryModel.CaptureMessageContent"/>,
/// by default <see cref="CaptureMessageContentByDefault"/>). It may hold personal or confidential data: enable it only where the
/// telemetry backend is allowed to store such data.
/// </remarks>
public static class StrandsTelemetry
{
    /// <summary>The name of the <see cref="System.Diagnostics.ActivitySource"/>: <c>Strands.Bedrock</c>.</summary>
    public const string ActivitySourceName = "Strands.Bedrock";

    /// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/>: <c>Strands.Bedrock</c>.</summary>
    public const string MeterName = "Strands.Bedrock";

    /// <summary>
    /// The environment variable whose value <c>true</c> turns on <see cref="CaptureMessageContentByDefault"/> at start:
    /// <c>OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT</c>.
    /// </summary>
    public const string CaptureMessageContentEnvironmentVariable = "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT";

    /// <summary>
    /// Whether spans carry message content when a setting does not say: <c>gen_ai.input.messages</c>,
    /// <c>gen_ai.output.messages</c>, <c>gen_ai.system_instructions</c>, <c>gen_ai.tool.call.arguments</c> and
    /// <c>gen_ai.tool.call.result</c>. True when <see cref="CaptureMessageContentEnvironmentVariable"/> is <c>true</c>
    /// at start. Each agent (<see cref="Agents.AgentOptions.CaptureMessageContent"/>) and each
    /// <see cref="OpenTelemetryModel"/> decides for itself; this is their default.
    /// </summary>
    public static bool CaptureMessageContentByDefault { get; } = string.Equals(
        Environment.GetEnvironmentVariable(CaptureMessageContentEnvironmentVariable)?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
}
