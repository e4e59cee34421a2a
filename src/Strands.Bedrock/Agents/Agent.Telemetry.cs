using System.Diagnostics;
using System.Runtime.CompilerServices;
using Strands.Content;
using Strands.Telemetry;
using Strands.Tools;

namespace Strands.Agents;

/// <summary>
/// Tracing and metrics of the agent (OpenTelemetry gen_ai conventions): an <c>invoke_agent</c> span per invocation,
/// a <c>chat</c> span per model call and an <c>execute_tool</c> span per tool call, nested in that order. Each wrapper
/// steps aside when nobody listens. Async iterators lose <see cref="Activity.Current"/> between two
/// <c>MoveNextAsync</c> calls, so the wrappers make their span current again before each step of the inner sequence.
/// </summary>
public sealed partial class Agent
{
    private IAsyncEnumerable<AgentEvent> RunAsync(AgentInput input, StructuredOutputTool? structuredOutput, CancellationToken cancellationToken)
        => GenAITelemetry.IsEnabled
            ? RunObservedAsync(input, structuredOutput, cancellationToken)
            : RunCoreAsync(input, structuredOutput, cancellationToken);

    private async IAsyncEnumerable<AgentEvent> RunObservedAsync(AgentInput input, StructuredOutputTool? structuredOutput, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var model = GenAITelemetry.Describe(Model);
        var start = _timeProvider.GetTimestamp();
        using var activity = GenAITelemetry.StartInvokeAgent(Name, AgentId, Description, model, SystemPrompt);
        if (activity is { IsAllDataRequested: true } && StrandsTelemetry.CaptureMessageContent)
        {
            activity.SetTag(GenAITelemetry.Names.InputMessages, GenAIContent.Messages(InputMessagesOf(input)));
        }

        AgentResult? result = null;
        Exception? error = null;
        var events = RunCoreAsync(input, structuredOutput, cancellationToken).GetAsyncEnumerator(cancellationToken);
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
            GenAITelemetry.RecordMetrics(GenAITelemetry.OperationInvokeAgent, model, _timeProvider.GetElapsedTime(start), null, errorType);
        }
    }

    /// <summary>Wraps one model call in a <c>chat</c> span and its metrics; the stream itself when nobody listens.</summary>
    private IAsyncEnumerable<StreamEvent> ObserveModelCall(IAsyncEnumerable<StreamEvent> stream)
    {
        if (!GenAITelemetry.IsEnabled)
        {
            return stream;
        }

        var input = GenAITelemetry.CapturesContent ? _messages.ToArray() : null;
        return ObserveModelCallAsync(stream, input, SystemPrompt);
    }

    private async IAsyncEnumerable<StreamEvent> ObserveModelCallAsync(
        IAsyncEnumerable<StreamEvent> stream,
        Message[]? input,
        IReadOnlyList<SystemContentBlock>? systemPrompt,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var model = GenAITelemetry.Describe(Model);
        var start = _timeProvider.GetTimestamp();
        using var activity = GenAITelemetry.StartChat(model, Model.Config);
        StreamProcessor? output = null;
        if (activity is { IsAllDataRequested: true } && input is not null)
        {
            activity.SetTag(GenAITelemetry.Names.InputMessages, GenAIContent.Messages(input));
            if (systemPrompt is { Count: > 0 })
            {
                activity.SetTag(GenAITelemetry.Names.SystemInstructions, GenAIContent.SystemInstructions(systemPrompt));
            }

            output = new StreamProcessor(_timeProvider);
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

            GenAITelemetry.RecordMetrics(GenAITelemetry.OperationChat, model, _timeProvider.GetElapsedTime(start), usage, errorType);
        }
    }

    /// <summary>Runs one tool call (see <see cref="RunToolCoreAsync"/>) in an <c>execute_tool</c> span when anybody listens.</summary>
    internal Task<ToolResultBlock> RunToolAsync(
        ToolUseBlock toolUse,
        IDictionary<string, object?> invocationState,
        AgentTool? tool,
        bool recordMetrics,
        CancellationToken cancellationToken)
    {
        if (!GenAITelemetry.Source.HasListeners())
        {
            return RunToolCoreAsync(toolUse, invocationState, tool, recordMetrics, cancellationToken);
        }

        return RunToolObservedAsync(toolUse, invocationState, tool, recordMetrics, cancellationToken);
    }

    private async Task<ToolResultBlock> RunToolObservedAsync(
        ToolUseBlock toolUse,
        IDictionary<string, object?> invocationState,
        AgentTool? tool,
        bool recordMetrics,
        CancellationToken cancellationToken)
    {
        using var activity = GenAITelemetry.StartExecuteTool(toolUse, tool ?? FindTool(toolUse.Name));
        try
        {
            var result = await RunToolCoreAsync(toolUse, invocationState, tool, recordMetrics, cancellationToken).ConfigureAwait(false);
            if (activity is not null)
            {
                GenAITelemetry.SetToolResult(activity, result);
            }

            return result;
        }
        catch (Exception ex)
        {
            GenAITelemetry.SetError(activity, ex);
            throw;
        }
    }

    private static IEnumerable<Message> InputMessagesOf(AgentInput input) => input switch
    {
        { Text: { } text } => [Message.User(text)],
        { Content: { Count: > 0 } content } => [Message.User([.. content])],
        { Messages: { } messages } => messages,
        _ => [],
    };
}
