using Strands.Content;
using Strands.Hooks;
using Strands.Telemetry;
using Strands.Tools;

namespace Strands.Agents;

/// <summary>
/// Runs one tool call with its hooks: <see cref="BeforeToolCallEvent"/> (which may swap the tool or the input, or
/// cancel), the tool, <see cref="AfterToolCallEvent"/> (which may replace the result or retry), in an
/// <c>execute_tool</c> span when anybody listens. Tool failures become error results the model can read; an exception
/// from a hook, or cancellation of the token, propagates.
/// </summary>
internal static class ToolInvoker
{
    /// <summary>Runs the call.</summary>
    /// <param name="agent">The agent.</param>
    /// <param name="toolUse">The model's request.</param>
    /// <param name="invocationState">The invocation state the tools share.</param>
    /// <param name="findTool">Finds a tool by name.</param>
    /// <param name="tool">The tool, when already known (direct calls); found by name when null.</param>
    /// <param name="recordMetrics">Whether the call counts in the agent's tool metrics.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public static Task<ToolResultBlock> RunAsync(
        Agent agent,
        ToolUseBlock toolUse,
        IDictionary<string, object?> invocationState,
        Func<string, AgentTool?> findTool,
        AgentTool? tool,
        bool recordMetrics,
        CancellationToken cancellationToken)
    {
        var call = new ToolCall(agent, toolUse, invocationState, findTool, tool, recordMetrics);
        return GenAITelemetry.Source.HasListeners() ? call.RunObservedAsync(cancellationToken) : call.RunAsync(cancellationToken);
    }

    /// <summary>How a tool failure reads for the model: the message of a validation or argument error, else the exception type and message.</summary>
    private static string FormatToolError(Exception exception) => exception switch
    {
        ToolValidationException or ArgumentException => $"Error: {exception.Message}",
        _ => $"Error: {exception.GetType().Name} - {exception.Message}",
    };

    private sealed class ToolCall(
        Agent agent,
        ToolUseBlock toolUse,
        IDictionary<string, object?> invocationState,
        Func<string, AgentTool?> findTool,
        AgentTool? tool,
        bool recordMetrics)
    {
        public async Task<ToolResultBlock> RunObservedAsync(CancellationToken cancellationToken)
        {
            using var activity = GenAITelemetry.StartExecuteTool(toolUse, tool ?? findTool(toolUse.Name), agent.CaptureMessageContent);
            try
            {
                var result = await RunAsync(cancellationToken).ConfigureAwait(false);
                if (activity is not null)
                {
                    GenAITelemetry.SetToolResult(activity, result, agent.CaptureMessageContent);
                }

                return result;
            }
            catch (Exception ex)
            {
                GenAITelemetry.SetError(activity, ex);
                throw;
            }
        }

        public async Task<ToolResultBlock> RunAsync(CancellationToken cancellationToken)
        {
            var start = agent.TimeProvider.GetTimestamp();
            var requested = toolUse;
            var current = toolUse;
            ToolResultBlock result;
            while (true)
            {
                var (selected, attempt, exception, cancelMessage, used) = await AttemptAsync(current, cancellationToken).ConfigureAwait(false);
                current = used;
                GenAITelemetry.ToolFailed(exception);
                var after = await agent.Hooks.InvokeAsync(
                    new AfterToolCallEvent(agent, selected, current, invocationState, attempt, exception, cancelMessage),
                    cancellationToken).ConfigureAwait(false);
                if (after.Retry)
                {
                    continue;
                }

                result = after.Result.ToolUseId == current.ToolUseId ? after.Result : after.Result with { ToolUseId = current.ToolUseId };
                result = result.Status is null ? result with { Status = ToolResultStatus.Success } : result;
                break;
            }

            if (recordMetrics)
            {
                agent.Metrics.AddToolCall(requested, result.Status == ToolResultStatus.Success, agent.TimeProvider.GetElapsedTime(start));
            }

            return result;
        }

        /// <summary>One attempt: the before hook, then the tool; failures other than the caller's cancellation become an error result.</summary>
        private async Task<(AgentTool? Selected, ToolResultBlock Result, Exception? Exception, string? CancelMessage, ToolUseBlock ToolUse)> AttemptAsync(
            ToolUseBlock current, CancellationToken cancellationToken)
        {
            var selected = tool ?? findTool(current.Name);
            try
            {
                var before = await agent.Hooks.InvokeAsync(new BeforeToolCallEvent(agent, selected, current, invocationState), cancellationToken).ConfigureAwait(false);
                selected = before.SelectedTool;
                current = before.ToolUse;
                if (before.CancelTool)
                {
                    var cancelMessage = before.CancelMessage ?? "tool cancelled by user";
                    return (null, ToolResults.Error(cancelMessage), null, cancelMessage, current);
                }

                if (selected is null)
                {
                    AgentLog.UnknownTool(agent.Logger, current.Name, current.ToolUseId);
                    return (null, ToolResults.Error($"Unknown tool: {current.Name}"), new KeyNotFoundException($"Unknown tool: {current.Name}"), null, current);
                }

                AgentLog.ToolStarted(agent.Logger, current.Name, current.ToolUseId);
                AgentLog.ToolInput(agent.Logger, current);
                var result = await selected.InvokeAsync(new ToolContext(current, agent, invocationState), cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"Tool {selected.Name} returned no result.");
                return (selected, result, null, null, current);
            }
            catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                AgentLog.ToolFailed(agent.Logger, current.Name, current.ToolUseId, ex);
                return (selected, ToolResults.Error(FormatToolError(ex)), ex, null, current);
            }
        }
    }
}
