using System.Diagnostics;
using Strands.Agents;
using Strands.Content;

namespace Strands.Telemetry;

/// <summary>
/// Tracing and metrics of the agent (OpenTelemetry gen_ai conventions): an <c>invoke_agent</c> span per invocation
/// (the <c>chat</c> spans are <see cref="OpenTelemetryModel"/>'s, the <c>execute_tool</c> spans the tool invoker's),
/// nested in that order. The wrapper steps aside when nobody listens. Async iterators lose <see cref="Activity.Current"/> between two
/// <c>MoveNextAsync</c> calls, so the wrappers make their span current again before each step of the inner sequence.
/// </summary>
internal static class AgentTelemetry
{
    /// <summary>Wraps an invocation in an <c>invoke_agent</c> span and its metrics; the invocation itself when nobody listens.</summary>
    public static IAsyncEnumerable<AgentEvent> ObserveInvocation(Agent agent, IReadOnlyList<Message> input, IAsyncEnumerable<AgentEvent> invocation)
        => GenAITelemetry.IsEnabled ? ObserveInvocationAsync(agent, input, invocation) : invocation;

    private static IAsyncEnumerable<AgentEvent> ObserveInvocationAsync(Agent agent, IReadOnlyList<Message> input, IAsyncEnumerable<AgentEvent> invocation)
    {
        var model = GenAITelemetry.Describe(agent.Model);
        var start = 0L;
        AgentResult? result = null;
        return SpanObservation.ObserveAsync(
            invocation,
            () =>
            {
                start = agent.TimeProvider.GetTimestamp();
                var activity = GenAITelemetry.StartInvokeAgent(agent.Name, agent.AgentId, agent.Description, model, agent.CaptureMessageContent ? agent.SystemPrompt : null);
                if (activity is { IsAllDataRequested: true } && agent.CaptureMessageContent)
                {
                    activity.SetTag(GenAITelemetry.Names.InputMessages, GenAIContent.Messages(input));
                }

                return activity;
            },
            agentEvent => result = agentEvent is AgentResultEvent final ? final.Result : result,
            (activity, error) =>
            {
                var errorType = error is null ? null : GenAITelemetry.SetError(activity, error);
                if (result is not null)
                {
                    GenAITelemetry.SetResponse(activity, result.StopReason, result.Usage);
                    if (activity is { IsAllDataRequested: true } && agent.CaptureMessageContent)
                    {
                        activity.SetTag(GenAITelemetry.Names.OutputMessages, GenAIContent.Messages([result.Message], result.StopReason));
                    }
                }

                // Tokens are recorded per model call (chat) only, so that sums over the metric do not count them twice.
                GenAITelemetry.RecordMetrics(GenAITelemetry.OperationInvokeAgent, model, agent.TimeProvider.GetElapsedTime(start), null, errorType);
            });
    }
}
