using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Strands.Content;
using Strands.Telemetry;
using Strands.Tools;

namespace Strands.Agents;

/// <summary>
/// Runs the tools of one assistant message with the agent's executor, and adds one user message with a result for
/// every tool use, in the order of the requests — whatever happens: a tool use that was not run (an invalid name,
/// <see cref="Agent.Cancel"/>, the caller's token, a hook that threw, a consumer that stopped reading) gets an error
/// result, so the history never holds a tool use without its result.
/// </summary>
internal sealed class ToolRound(Invocation invocation, Message message)
{
    private const string CancelledText = "Tool execution cancelled";

    private readonly List<ToolUseBlock> _toolUses = [.. message.Content.Where(b => b.ToolUse is not null).Select(b => b.ToolUse!)];
    private ToolResultBlock?[] _results = [];
    private Task? _execution;
    private string _missingResultText = CancelledText;

    /// <summary>The invocation's result when the round ends it (cancelled, structured output captured, a tool stopped the loop); null to go on.</summary>
    public AgentResult? Result { get; private set; }

    public async IAsyncEnumerable<AgentEvent> RunAsync()
    {
        _results = new ToolResultBlock?[_toolUses.Count];
        var cancelled = invocation.CancelRequested;
        Message? resultMessage = null;
        try
        {
            if (!cancelled)
            {
                await foreach (var agentEvent in RunToolsAsync().ConfigureAwait(false))
                {
                    yield return agentEvent;
                }
            }

            resultMessage = ResultMessage();
            await invocation.History.AppendAsync(resultMessage, invocation.CancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (resultMessage is null)
            {
                await AnswerEveryToolUseAsync().ConfigureAwait(false);
            }
        }

        yield return new ToolResultMessageEvent(resultMessage);
        Result = Decide(cancelled);
    }

    /// <summary>Rejects tool uses with invalid names, then runs the others on the thread pool and streams their results as they finish.</summary>
    private async IAsyncEnumerable<AgentEvent> RunToolsAsync()
    {
        var runnable = new List<int>(_toolUses.Count);
        for (var i = 0; i < _toolUses.Count; i++)
        {
            if (InvalidToolNameResult(_toolUses[i]) is { } invalid)
            {
                AgentLog.InvalidToolName(invocation.Agent.Logger, _toolUses[i].ToolUseId);
                _results[i] = invalid;
                yield return new ToolResultEvent(_toolUses[i], invalid);
            }
            else
            {
                runnable.Add(i);
            }
        }

        if (runnable.Count == 0)
        {
            yield break;
        }

        var channel = Channel.CreateUnbounded<AgentEvent>(new UnboundedChannelOptions { SingleReader = true });
        _execution = Task.Run(() => ExecuteAsync(runnable, channel.Writer), CancellationToken.None);
        var cancelledByToken = false;
        while (true)
        {
            try
            {
                if (!await channel.Reader.WaitToReadAsync(invocation.CancellationToken).ConfigureAwait(false))
                {
                    break;
                }
            }
            catch (OperationCanceledException) when (invocation.CancellationToken.IsCancellationRequested)
            {
                cancelledByToken = true;
                break;
            }

            while (channel.Reader.TryRead(out var toolEvent))
            {
                yield return toolEvent;
            }
        }

        await CompleteExecutionAsync(cancelledByToken).ConfigureAwait(false);
    }

    private async Task ExecuteAsync(List<int> runnable, ChannelWriter<AgentEvent> writer)
    {
        try
        {
            await invocation.Agent.ToolExecutor.ExecuteAsync(
                runnable.Count,
                async (k, token) =>
                {
                    var index = runnable[k];
                    var result = await ToolInvoker.RunAsync(invocation.Agent, _toolUses[index], invocation.State, invocation.FindTool, null, true, token).ConfigureAwait(false);
                    _results[index] = result;
                    writer.TryWrite(new ToolResultEvent(_toolUses[index], result));
                },
                invocation.CancellationToken).ConfigureAwait(false);
        }
        finally
        {
            writer.TryComplete();
        }
    }

    /// <summary>Waits for the tools; a hook's exception ends the invocation, cancellation of the token too.</summary>
    private async Task CompleteExecutionAsync(bool cancelledByToken)
    {
        Exception? toolError = null;
        if (!cancelledByToken)
        {
            try
            {
                await _execution!.ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                toolError = ex;
                cancelledByToken = ex is OperationCanceledException && invocation.CancellationToken.IsCancellationRequested;
            }
        }

        if (cancelledByToken)
        {
            AgentLog.InvocationCancelled(invocation.Agent.Logger, invocation.Agent.Name, invocation.Agent.AgentId);
            throw new OperationCanceledException("The invocation was cancelled while tools were running; every tool use got a result.", toolError, invocation.CancellationToken);
        }

        if (toolError is not null)
        {
            _missingResultText = $"Error: {toolError.Message}";
            ExceptionDispatchInfo.Throw(toolError);
        }
    }

    /// <summary>After a failure: the tool uses that have no result get an error one, and the result message joins the history.</summary>
    private async Task AnswerEveryToolUseAsync()
    {
        if (_execution is { IsCompleted: false } execution)
        {
            // A tool still running finishes on its own; its late result is dropped, its exception observed.
            _ = execution.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        try
        {
            await invocation.History.AppendAsync(ResultMessage(), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            AgentLog.FinishAfterFailureFailed(invocation.Agent.Logger, ex);
        }
    }

    /// <summary>The user message of the results, in request order; a tool use without a result gets an error one.</summary>
    private Message ResultMessage()
    {
        var content = new ContentBlock[_toolUses.Count];
        for (var i = 0; i < content.Length; i++)
        {
            var result = Volatile.Read(ref _results[i]) ?? ToolResults.Create(ToolResultStatus.Error, _missingResultText, _toolUses[i].ToolUseId);
            content[i] = new ContentBlock { ToolResult = result };
        }

        return Content.Message.User(content);
    }

    private AgentResult? Decide(bool cancelled)
    {
        var agent = invocation.Agent;
        if (cancelled)
        {
            return new AgentResult(AgentStopReasons.Cancelled, message, agent.Metrics, invocation.State);
        }

        if (invocation.StructuredOutput is { } structuredOutput && structuredOutput.TryGetOutput(_toolUses, out var output))
        {
            return new AgentResult(StopReason.ToolUse, message, agent.Metrics, invocation.State, output);
        }

        return invocation.State.TryGetValue(ToolContext.StopEventLoopKey, out var stop) && stop is true
            ? new AgentResult(StopReason.ToolUse, message, agent.Metrics, invocation.State)
            : null;
    }

    private static ToolResultBlock? InvalidToolNameResult(ToolUseBlock toolUse)
    {
        var name = toolUse.Name;
        string? error = null;
        if (string.IsNullOrEmpty(name))
        {
            error = "Error: tool name missing";
        }
        else if (name.Length > ToolNames.MaxLength)
        {
            error = $"Error: tool_name=<{name}>, tool_name_max_length=<{ToolNames.MaxLength}> | invalid tool name length";
        }
        else if (!ToolNames.IsValid(name))
        {
            error = $"Error: tool_name=<{name}> | invalid tool name pattern";
        }

        return error is null ? null : ToolResults.Create(ToolResultStatus.Error, error, toolUse.ToolUseId);
    }
}
