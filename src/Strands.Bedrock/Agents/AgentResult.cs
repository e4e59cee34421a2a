using System.Text;
using Strands.Content;

namespace Strands.Agents;

/// <summary>The outcome of an invocation: why it stopped, the last assistant message, metrics and state.</summary>
public sealed class AgentResult
{
    /// <summary>Creates a result.</summary>
    /// <param name="stopReason">Why the invocation stopped.</param>
    /// <param name="message">The last assistant message.</param>
    /// <param name="metrics">The agent's metrics.</param>
    /// <param name="state">The invocation state the tools shared.</param>
    /// <param name="structuredOutput">The structured output, when one was asked for.</param>
    public AgentResult(StopReason stopReason, Message message, AgentMetrics metrics, IReadOnlyDictionary<string, object?> state, object? structuredOutput = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(state);
        StopReason = stopReason;
        Message = message;
        Metrics = metrics;
        State = state;
        StructuredOutput = structuredOutput;
        Usage = metrics.LatestInvocation?.Usage ?? new TokenUsage();
    }

    /// <summary>
    /// Why the invocation stopped: the model's last stop reason (<c>end_turn</c>, <c>stop_sequence</c>,
    /// <c>guardrail_intervened</c>, <c>content_filtered</c>, …), <c>tool_use</c> when a tool stopped the loop or
    /// structured output was captured, or <see cref="AgentStopReasons.Cancelled"/> after <see cref="Agent.Cancel"/>.
    /// </summary>
    public StopReason StopReason { get; }

    /// <summary>The last assistant message.</summary>
    public Message Message { get; }

    /// <summary>The agent's metrics (all invocations; <see cref="AgentMetrics.LatestInvocation"/> is this one).</summary>
    public AgentMetrics Metrics { get; }

    /// <summary>The tokens this invocation used.</summary>
    public TokenUsage Usage { get; }

    /// <summary>The invocation state the tools shared (<see cref="Tools.ToolContext.InvocationState"/>).</summary>
    public IReadOnlyDictionary<string, object?> State { get; }

    /// <summary>The structured output, when the invocation asked for one.</summary>
    public object? StructuredOutput { get; }

    /// <summary>The answer text: the text blocks of the message and the text of its citations blocks, one per line (no newline at the end).</summary>
    /// <returns>The text; empty when the message has none.</returns>
    public override string ToString()
    {
        var builder = new StringBuilder();
        foreach (var block in Message.Content)
        {
            if (block.Text is { } text)
            {
                Append(builder, text);
            }
            else if (block.CitationsContent?.Content is { } generated)
            {
                foreach (var part in generated)
                {
                    if (part.Text is { } partText)
                    {
                        Append(builder, partText);
                    }
                }
            }
        }

        return builder.ToString();
    }

    private static void Append(StringBuilder builder, string text)
    {
        if (builder.Length > 0)
        {
            builder.Append('\n');
        }

        builder.Append(text);
    }
}

/// <summary>Stop reasons the agent itself produces.</summary>
public static class AgentStopReasons
{
    /// <summary>The value <c>cancelled</c>: <see cref="Agent.Cancel"/> stopped the invocation.</summary>
    public static StopReason Cancelled { get; } = StopReason.FromWire("cancelled");
}
