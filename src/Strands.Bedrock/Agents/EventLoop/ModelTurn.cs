using System.Runtime.ExceptionServices;
using Strands.Content;
using Strands.Conversation;
using Strands.Hooks;
using Strands.Models;
using Strands.Telemetry;

namespace Strands.Agents;

/// <summary>
/// One model turn of an invocation: the model call with its hooks, streamed through the stream processor, retried
/// when a hook asks (the retry strategy on throttling), the history reduced on a context window overflow; then the
/// turn's message joins the history. A failed call adds nothing to the history.
/// </summary>
internal sealed class ModelTurn(Invocation invocation)
{
    /// <summary>The message the turn added to the history, made fit for Bedrock (<see cref="ConversationHistory.FitForHistory"/>); null after a context reduction.</summary>
    public Message? Message { get; private set; }

    /// <summary>The message as the model produced it: its tool uses, with their names as the model spelled them, are what the tools run on.</summary>
    public Message? ProducedMessage { get; private set; }

    /// <summary>Why the model stopped, or <see cref="AgentStopReasons.Cancelled"/> after <see cref="Agent.Cancel"/>.</summary>
    public StopReason StopReason { get; private set; }

    /// <summary>True when the context overflowed and the conversation manager reduced the history: the cycle starts over.</summary>
    public bool ContextReduced { get; private set; }

    public async IAsyncEnumerable<AgentEvent> RunAsync()
    {
        var agent = invocation.Agent;
        var processor = invocation.Processor;
        var cancellationToken = invocation.CancellationToken;
        while (true)
        {
            // One model call: its events are yielded as they come, and its message, or its error, is left in the
            // attempt; only cancellation of the caller's token is thrown from here. Written inline rather than as an
            // iterator of its own: every event passes through each iterator layer, twice per delta.
            var attempt = new Attempt();
            await agent.Hooks.InvokeAsync(new BeforeModelCallEvent(agent), cancellationToken).ConfigureAwait(false);
            var stream = OpenStream(attempt);
            if (stream is not null)
            {
                try
                {
                    while (true)
                    {
                        // Agent.Cancel is honoured before each event: the turn then ends as "Cancelled by user".
                        if (invocation.CancelRequested)
                        {
                            attempt.CancelledByAgent = true;
                            break;
                        }

                        if (!await MoveNextAsync(stream, attempt).ConfigureAwait(false))
                        {
                            break;
                        }

                        var streamEvent = stream.Current;
                        var typed = processor.Process(streamEvent);
                        if (streamEvent is RedactContentEvent { RedactUserContentMessage: { } redaction })
                        {
                            await invocation.History.RedactLatestUserMessageAsync(redaction, cancellationToken).ConfigureAwait(false);
                        }

                        yield return new ModelStreamEvent(streamEvent);
                        if (typed is not null)
                        {
                            yield return typed;
                        }
                    }
                }
                finally
                {
                    await DisposeQuietlyAsync(stream).ConfigureAwait(false);
                }
            }

            Conclude(attempt);
            if (attempt.Error is { } error)
            {
                var failed = await agent.Hooks.InvokeAsync(new AfterModelCallEvent(agent, null, error), invocation.CancellationToken).ConfigureAwait(false);
                if (failed.ThrottleDelay is { } delay)
                {
                    AgentLog.Throttled(agent.Logger, delay);
                    yield return new ThrottleDelayEvent(delay);
                }

                if (failed.Retry)
                {
                    continue;
                }

                if (error is ContextWindowOverflowException)
                {
                    AgentLog.ContextOverflow(agent.Logger, agent.ConversationManager.GetType().Name);
                    await agent.ConversationManager.ReduceContextAsync(agent, error, invocation.CancellationToken).ConfigureAwait(false);
                    if (agent.SessionManager is { } sessions)
                    {
                        // The conversation manager's state (what it removed) changed: the store must know before the next message.
                        await sessions.SyncAgentAsync(agent, invocation.CancellationToken).ConfigureAwait(false);
                    }

                    ContextReduced = true;
                    yield break;
                }

                ExceptionDispatchInfo.Throw(error);
            }

            var after = await agent.Hooks.InvokeAsync(new AfterModelCallEvent(agent, new ModelStopResponse(attempt.Message!, attempt.StopReason), null), invocation.CancellationToken).ConfigureAwait(false);
            if (after.Retry)
            {
                continue;
            }

            await AddToHistoryAsync(attempt).ConfigureAwait(false);
            yield return new ModelMessageEvent(Message!, StopReason);
            yield break;
        }
    }

    /// <summary>Starts the model call on the history as it is now; an exception from the model becomes the attempt's error.</summary>
    private IAsyncEnumerator<StreamEvent>? OpenStream(Attempt attempt)
    {
        var agent = invocation.Agent;
        invocation.History.NormalizeForModel();
        var specs = invocation.ToolSpecs();
        AgentLog.CallingModel(agent.Logger, agent.Model.Config.ModelId, invocation.History.Messages.Count, specs.Count);
        invocation.Processor.Reset();
        try
        {
            var messages = invocation.History.Snapshot();
            var systemPrompt = agent.SystemPrompt is { Count: > 0 } prompt ? prompt : null;
            return agent.ObservedModel.StreamAsync(messages, specs.Count == 0 ? null : specs, systemPrompt, invocation.ToolChoice, invocation.CancellationToken)
                .GetAsyncEnumerator(invocation.CancellationToken);
        }
        catch (Exception ex)
        {
            attempt.Error = ex;
            return null;
        }
    }

    /// <summary>The stream's next step; an exception becomes the attempt's error. A step that is already done (most are) costs no state machine.</summary>
    private static ValueTask<bool> MoveNextAsync(IAsyncEnumerator<StreamEvent> stream, Attempt attempt)
    {
        ValueTask<bool> next;
        try
        {
            next = stream.MoveNextAsync();
        }
        catch (Exception ex)
        {
            attempt.Error = ex;
            return new ValueTask<bool>(false);
        }

        return next.IsCompletedSuccessfully ? new ValueTask<bool>(next.Result) : AwaitMoveNextAsync(next, attempt);
    }

    private static async ValueTask<bool> AwaitMoveNextAsync(ValueTask<bool> next, Attempt attempt)
    {
        try
        {
            return await next.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            attempt.Error = ex;
            return false;
        }
    }

    /// <summary>Turns what the stream left into the attempt's message, or into an error for a response cut short.</summary>
    private void Conclude(Attempt attempt)
    {
        if (attempt.Error is OperationCanceledException && invocation.CancellationToken.IsCancellationRequested)
        {
            ExceptionDispatchInfo.Throw(attempt.Error);
        }

        var processor = invocation.Processor;
        if (attempt.Error is not null)
        {
            return;
        }

        if (attempt.CancelledByAgent)
        {
            attempt.Message = Content.Message.Assistant("Cancelled by user");
            attempt.StopReason = AgentStopReasons.Cancelled;
            return;
        }

        if (!processor.Stopped)
        {
            attempt.Error = new IncompleteResponseException();
            return;
        }

        if (processor.StopReasonCorrected)
        {
            AgentLog.EndTurnWithToolUse(invocation.Agent.Logger);
        }

        invocation.Agent.Metrics.AddModelCall(processor.Usage, processor.LatencyMs);
        attempt.Message = processor.BuildMessage();
        attempt.StopReason = processor.StopReason;
    }

    /// <summary>
    /// Adds the turn's message to the history, fit for Bedrock: no blank text, incomplete tool uses of a max_tokens
    /// stop replaced by a note. When the history ended with an assistant message (a prefill, or an answer the caller
    /// asked the model to go on with), the model continued that message: the turn's content joins it.
    /// </summary>
    private async Task AddToHistoryAsync(Attempt attempt)
    {
        var message = attempt.Message!;
        if (attempt.StopReason == StopReason.MaxTokens)
        {
            message = ReplaceIncompleteToolUses(message);
        }

        ProducedMessage = message;
        StopReason = attempt.StopReason;
        var history = invocation.History;
        if (history.Latest is { } latest && latest.Role == ConversationRole.Assistant)
        {
            Message = ConversationHistory.FitForHistory(latest with { Content = [.. latest.Content, .. message.Content] });
            await history.ReplaceLatestAsync(Message, MessageReplacement.Extended, invocation.CancellationToken).ConfigureAwait(false);
            return;
        }

        Message = ConversationHistory.FitForHistory(message);
        await history.AppendAsync(Message, invocation.CancellationToken).ConfigureAwait(false);
    }

    private static Message ReplaceIncompleteToolUses(Message message)
    {
        if (!message.HasToolUse())
        {
            return message;
        }

        var content = new ContentBlock[message.Content.Count];
        for (var i = 0; i < content.Length; i++)
        {
            var block = message.Content[i];
            content[i] = block.ToolUse is { } toolUse
                ? ContentBlock.FromText($"The selected tool {(string.IsNullOrEmpty(toolUse.Name) ? "<unknown>" : toolUse.Name)}'s tool use was incomplete due to maximum token limits being reached.")
                : block;
        }

        return message with { Content = content };
    }

    private static async ValueTask DisposeQuietlyAsync(IAsyncEnumerator<StreamEvent> stream)
    {
        try
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or IOException)
        {
            // The stream is abandoned either way; its outcome was already handled.
        }
    }

    /// <summary>The outcome of one model call: a message and stop reason, or an error.</summary>
    private sealed class Attempt
    {
        public Message? Message { get; set; }

        public StopReason StopReason { get; set; }

        public Exception? Error { get; set; }

        public bool CancelledByAgent { get; set; }
    }
}
