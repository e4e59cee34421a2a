using System.Diagnostics;
using System.Runtime.CompilerServices;
using Strands.Agents;
using Strands.Content;

namespace Strands.Telemetry;

/// <summary>
/// Tracing and metrics of the agent (OpenTelemetry gen_ai conventions): an <c>invoke_agent</c> span per invocation
/// and a <c>chat</c> span per model call (the <c>execute_tool</c> spans are the tool invoker's), nested in that order.
/// Each wrapper steps aside when nobody listens. Async iterators lose <see cref="Activity.Current"/> between two
/// <c>MoveNextAsync</c> calls, so the wrappers make their span current again before each step of the inner sequence.
/// </summary>
internal static class AgentTelemetry
{
    /// <summary>Wraps an invocation in an <c>invoke_agent</c> span and its metrics; the invocation itself when nobody listens.</summary>
    public static IAsyncEnumerable<AgentEvent> ObserveInvocation(Agent agent, IReadOnlyList<Message> input, IAsyncEnumerable<AgentEvent> invocation)
        => GenAITelemetry.IsEnabled ? ObserveInvocationAsync(agent, input, invocation) : invocation;

    private static async IAsyncEnumerable<AgentEvent> ObserveInvocationAsync(Agent agent, IReadOnlyList<Message> input, IAsyncEnumerable<AgentEvent> invocation, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var model = GenAITelemetry.Describe(agent.Model);
        var start = agent.TimeProvider.GetTimestamp();
        using var activity = GenAITelemetry.StartInvokeAgent(agent.Name, agent.AgentId, agent.Description, model, agent.SystemPrompt);
        if (activity is { IsAllDataRequested: true } && StrandsTelemetry.CaptureMessageContent)
        {
            activity.SetTag(GenAITelemetry.Names.InputMessages, GenAIContent.Messages(input));
        }

        AgentResult? result = null;
        Exception? error = null;
        var events = invocation.GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                try
                {
                    if (activity is not null)
                    {
                        Activity.Current = activity;
                    }

                    if (!await events.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (Exception ex)
                {
                    error = ex;
                    throw;
                }

                if (events.Current is AgentResultEvent final)
                {
                    result = final.Result;
                }

                yield return events.Current;
            }
        }
        finally
        {
            if (activity is not null)
            {
                Activity.Current = activity;
            }

            await events.DisposeAsync().ConfigureAwait(false);
            var errorType = error is null ? null : GenAITelemetry.SetError(activity, error);
            if (result is not null)
            {
                GenAITelemetry.SetResponse(activity, result.StopReason, result.Usage);
                if (activity is { IsAllDataRequested: true } && StrandsTelemetry.CaptureMessageContent)
                {
                    activity.SetTag(GenAITelemetry.Names.OutputMessages, GenAIContent.Messages([result.Message], result.StopReason));
                }
            }

            // Tokens are recorded per model call (chat) only, so that sums over the metric do not count them twice.
            GenAITelemetry.RecordMetrics(GenAITelemetry.OperationInvokeAgent, model, agent.TimeProvider.GetElapsedTime(start), null, errorType);
        }
    }

    /// <summary>Wraps one model call in a <c>chat</c> span and its metrics; the stream itself when nobody listens.</summary>
    public static IAsyncEnumerable<StreamEvent> ObserveModelCall(Agent agent, Message[] messages, IAsyncEnumerable<StreamEvent> stream)
        => GenAITelemetry.IsEnabled
            ? ObserveModelCallAsync(agent, stream, GenAITelemetry.CapturesContent ? messages : null, agent.SystemPrompt)
            : stream;

    private static async IAsyncEnumerable<StreamEvent> ObserveModelCallAsync(
        Agent agent,
        IAsyncEnumerable<StreamEvent> stream,
        Message[]? input,
        IReadOnlyList<SystemContentBlock>? systemPrompt,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var model = GenAITelemetry.Describe(agent.Model);
        var start = agent.TimeProvider.GetTimestamp();
        using var activity = GenAITelemetry.StartChat(model, agent.Model.Config);
        StreamProcessor? output = null;
        if (activity is { IsAllDataRequested: true } && input is not null)
        {
            activity.SetTag(GenAITelemetry.Names.InputMessages, GenAIContent.Messages(input));
            if (systemPrompt is { Count: > 0 })
            {
                activity.SetTag(GenAITelemetry.Names.SystemInstructions, GenAIContent.SystemInstructions(systemPrompt));
            }

            output = new StreamProcessor(agent.TimeProvider);
            output.Reset();
        }

        StopReason? stopReason = null;
        TokenUsage? usage = null;
        Exception? error = null;
        var events = stream.GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                try
                {
                    if (activity is not null)
                    {
                        Activity.Current = activity;
                    }

                    if (!await events.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (Exception ex)
                {
                    error = ex;
                    throw;
                }

                var streamEvent = events.Current;
                if (streamEvent is MessageStopEvent stop)
                {
                    stopReason = stop.StopReason;
                }
                else if (streamEvent is MetadataEvent metadata)
                {
                    usage = metadata.Usage;
                }

                output?.Process(streamEvent);
                yield return streamEvent;
            }
        }
        finally
        {
            await events.DisposeAsync().ConfigureAwait(false);
            var errorType = error is null ? null : GenAITelemetry.SetError(activity, error);
            GenAITelemetry.SetResponse(activity, stopReason, usage);
            if (activity is not null && output is not null && stopReason is { } reason)
            {
                activity.SetTag(GenAITelemetry.Names.OutputMessages, GenAIContent.Messages([output.BuildMessage()], reason));
            }

            GenAITelemetry.RecordMetrics(GenAITelemetry.OperationChat, model, agent.TimeProvider.GetElapsedTime(start), usage, errorType);
        }
    }
}
