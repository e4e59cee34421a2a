using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using System.Threading.Channels;
using Strands.Content;
using Strands.Conversation;
using Strands.Hooks;
using Strands.Models;
using Strands.Telemetry;
using Strands.Tools;

namespace Strands.Agents;

public sealed partial class Agent
{
    /// <summary>The user message that asks the model for structured output when it answered without the tool.</summary>
    internal const string StructuredOutputPrompt = "You must format the previous response as structured output.";

    /// <summary>Sends a prompt and runs the loop until the model answers.</summary>
    /// <param name="prompt">The user's text.</param>
    /// <param name="cancellationToken">Aborts the invocation with <see cref="OperationCanceledException"/>; the history stays valid.</param>
    /// <returns>The result; its <c>ToString()</c> is the answer text.</returns>
    /// <exception cref="ConcurrencyException">The agent is already running an invocation.</exception>
    /// <exception cref="MaxTokensReachedException">The model reached its output token limit.</exception>
    public Task<AgentResult> InvokeAsync(string prompt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        return CollectAsync(RunAsync(new AgentInput(prompt, null, null), null, cancellationToken));
    }

    /// <summary>Sends content blocks (text, images, documents, cache points, …) as one user message and runs the loop.</summary>
    /// <param name="content">The blocks of the user message.</param>
    /// <param name="cancellationToken">Aborts the invocation with <see cref="OperationCanceledException"/>; the history stays valid.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ConcurrencyException">The agent is already running an invocation.</exception>
    /// <exception cref="MaxTokensReachedException">The model reached its output token limit.</exception>
    public Task<AgentResult> InvokeAsync(IReadOnlyList<ContentBlock> content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        return CollectAsync(RunAsync(new AgentInput(null, content, null), null, cancellationToken));
    }

    /// <summary>Appends messages (of any role) to the history and runs the loop.</summary>
    /// <param name="messages">The messages.</param>
    /// <param name="cancellationToken">Aborts the invocation with <see cref="OperationCanceledException"/>; the history stays valid.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ConcurrencyException">The agent is already running an invocation.</exception>
    /// <exception cref="MaxTokensReachedException">The model reached its output token limit.</exception>
    public Task<AgentResult> InvokeAsync(IReadOnlyList<Message> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return CollectAsync(RunAsync(new AgentInput(null, null, messages), null, cancellationToken));
    }

    /// <summary>Runs the loop on the history as it is, e.g. after an invocation was cancelled or to run pending tool uses.</summary>
    /// <param name="cancellationToken">Aborts the invocation with <see cref="OperationCanceledException"/>; the history stays valid.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ConcurrencyException">The agent is already running an invocation.</exception>
    /// <exception cref="MaxTokensReachedException">The model reached its output token limit.</exception>
    public Task<AgentResult> InvokeAsync(CancellationToken cancellationToken = default)
        => CollectAsync(RunAsync(default, null, cancellationToken));

    /// <summary>
    /// Sends a prompt and streams what happens: text and reasoning deltas, tool input deltas, tool results, messages,
    /// throttling delays, and last an <see cref="AgentResultEvent"/>. Each event also goes to the callback handler.
    /// </summary>
    /// <param name="prompt">The user's text.</param>
    /// <param name="cancellationToken">Aborts the invocation with <see cref="OperationCanceledException"/>; the history stays valid.</param>
    /// <returns>The events, in order.</returns>
    /// <exception cref="ConcurrencyException">The agent is already running an invocation.</exception>
    /// <exception cref="MaxTokensReachedException">The model reached its output token limit.</exception>
    public IAsyncEnumerable<AgentEvent> StreamAsync(string prompt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        return RunAsync(new AgentInput(prompt, null, null), null, cancellationToken);
    }

    /// <summary>Sends content blocks as one user message and streams what happens.</summary>
    /// <param name="content">The blocks of the user message.</param>
    /// <param name="cancellationToken">Aborts the invocation with <see cref="OperationCanceledException"/>; the history stays valid.</param>
    /// <returns>The events, in order; the last is an <see cref="AgentResultEvent"/>.</returns>
    public IAsyncEnumerable<AgentEvent> StreamAsync(IReadOnlyList<ContentBlock> content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        return RunAsync(new AgentInput(null, content, null), null, cancellationToken);
    }

    /// <summary>Appends messages to the history and streams what happens.</summary>
    /// <param name="messages">The messages.</param>
    /// <param name="cancellationToken">Aborts the invocation with <see cref="OperationCanceledException"/>; the history stays valid.</param>
    /// <returns>The events, in order; the last is an <see cref="AgentResultEvent"/>.</returns>
    public IAsyncEnumerable<AgentEvent> StreamAsync(IReadOnlyList<Message> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return RunAsync(new AgentInput(null, null, messages), null, cancellationToken);
    }

    /// <summary>Runs the loop on the history as it is and streams what happens.</summary>
    /// <param name="cancellationToken">Aborts the invocation with <see cref="OperationCanceledException"/>; the history stays valid.</param>
    /// <returns>The events, in order; the last is an <see cref="AgentResultEvent"/>.</returns>
    public IAsyncEnumerable<AgentEvent> StreamAsync(CancellationToken cancellationToken = default)
        => RunAsync(default, null, cancellationToken);

    /// <summary>
    /// Asks for a <typeparamref name="T"/>. The model gets a tool whose input schema is the JSON schema of
    /// <typeparamref name="T"/> and may use the other tools first; when it answers without calling that tool, the
    /// agent asks once more with the tool forced. The conversation is recorded in the history like any other.
    /// </summary>
    /// <typeparam name="T">The output type; <see cref="System.ComponentModel.DescriptionAttribute"/> on it and its properties guides the model.</typeparam>
    /// <param name="prompt">The user's text; null to continue from the history.</param>
    /// <param name="serializerOptions">Options with type information for <typeparamref name="T"/> (required for Native AOT); the Microsoft.Extensions.AI defaults when null.</param>
    /// <param name="cancellationToken">Aborts the invocation with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The output.</returns>
    /// <exception cref="StructuredOutputException">The model did not call the tool even when forced.</exception>
    /// <exception cref="InvalidOperationException">A tool of the agent has the name of the structured output tool.</exception>
    public async Task<T> StructuredOutputAsync<T>(string? prompt = null, JsonSerializerOptions? serializerOptions = null, CancellationToken cancellationToken = default)
    {
        var tool = StructuredOutputTool.Create<T>(serializerOptions);
        if (ToolRegistry.Find(tool.Name) is not null)
        {
            throw new InvalidOperationException($"The agent already has a tool named '{tool.Name}', the name of the structured output tool.");
        }

        var input = prompt is null ? default : new AgentInput(prompt, null, null);
        var result = await CollectAsync(RunAsync(input, tool, cancellationToken)).ConfigureAwait(false);
        return (T)result.StructuredOutput!;
    }

    private static async Task<AgentResult> CollectAsync(IAsyncEnumerable<AgentEvent> events)
    {
        AgentResult? result = null;
        await foreach (var agentEvent in events.ConfigureAwait(false))
        {
            if (agentEvent is AgentResultEvent final)
            {
                result = final.Result;
            }
        }

        return result ?? throw new InvalidOperationException("The invocation ended without a result.");
    }

    /// <summary>One invocation: the event loop (reference B.5–B.9, B.13).</summary>
    private async IAsyncEnumerable<AgentEvent> RunCoreAsync(AgentInput input, StructuredOutputTool? structuredOutput, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            throw new ConcurrencyException();
        }

        AgentResult? result = null;
        try
        {
            var invocationState = new ConcurrentDictionary<string, object?>(StringComparer.Ordinal);
            var processor = new StreamProcessor(_timeProvider);
            var finished = false;
            _structuredOutputTool = structuredOutput;
            try
            {
                Metrics.StartInvocation();
                AgentLog.InvocationStarted(_logger, Name, AgentId, _messages.Count);
                var inputMessages = await PrepareInputAsync(input, cancellationToken).ConfigureAwait(false);
                var before = await Hooks.InvokeAsync(new BeforeInvocationEvent(this, inputMessages), cancellationToken).ConfigureAwait(false);
                foreach (var inputMessage in before.Messages)
                {
                    await AddMessageAsync(inputMessage, cancellationToken).ConfigureAwait(false);
                }

                ToolChoice? toolChoice = null;
                var structuredOutputForced = false;

                while (true)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var cycleStart = _timeProvider.GetTimestamp();
                    Metrics.StartCycle();
                    Message message;
                    StopReason stopReason;

                    if (_messages.Count > 0 && _messages[^1] is { } latest && latest.Role == ConversationRole.Assistant && latest.HasToolUse())
                    {
                        // The history ends with tool uses that have no results yet: run them before calling the model.
                        message = latest;
                        stopReason = StopReason.ToolUse;
                    }
                    else
                    {
                        Message? produced = null;
                        var producedStopReason = StopReason.EndTurn;
                        var overflowed = false;
                        while (true)
                        {
                            await Hooks.InvokeAsync(new BeforeModelCallEvent(this), cancellationToken).ConfigureAwait(false);
                            NormalizeHistory();
                            // Read per call: a tool registered mid-conversation is offered from the next model call.
                            IReadOnlyList<ToolSpecification> specs = structuredOutput is null ? ToolRegistry.Specs
                                : structuredOutputForced ? [structuredOutput.Spec]
                                : [.. ToolRegistry.Specs, structuredOutput.Spec];
                            AgentLog.CallingModel(_logger, Model.Config.ModelId, _messages.Count, specs.Count);
                            processor.Reset();
                            Exception? error = null;
                            var cancelledByAgent = false;
                            IAsyncEnumerator<StreamEvent>? stream = null;
                            try
                            {
                                stream = ObserveModelCall(Model.StreamAsync(
                                    _messages.ToArray(),
                                    specs.Count == 0 ? null : specs,
                                    SystemPrompt is { Count: > 0 } systemPrompt ? systemPrompt : null,
                                    toolChoice,
                                    cancellationToken)).GetAsyncEnumerator(cancellationToken);
                            }
                            catch (Exception ex)
                            {
                                error = ex;
                            }

                            if (stream is not null)
                            {
                                try
                                {
                                    while (true)
                                    {
                                        if (_cancelRequested)
                                        {
                                            cancelledByAgent = true;
                                            break;
                                        }

                                        try
                                        {
                                            if (!await stream.MoveNextAsync().ConfigureAwait(false))
                                            {
                                                break;
                                            }
                                        }
                                        catch (Exception ex)
                                        {
                                            error = ex;
                                            break;
                                        }

                                        var streamEvent = stream.Current;
                                        var typed = processor.Process(streamEvent);
                                        if (streamEvent is RedactContentEvent { RedactUserContentMessage: { } redaction })
                                        {
                                            RedactLatestUserMessage(redaction);
                                        }

                                        var raw = new ModelStreamEvent(streamEvent);
                                        CallbackHandler?.Invoke(raw);
                                        yield return raw;
                                        if (typed is not null)
                                        {
                                            CallbackHandler?.Invoke(typed);
                                            yield return typed;
                                        }
                                    }
                                }
                                finally
                                {
                                    await DisposeQuietlyAsync(stream).ConfigureAwait(false);
                                }
                            }

                            if (error is OperationCanceledException && cancellationToken.IsCancellationRequested)
                            {
                                throw Rethrow(error);
                            }

                            if (error is not null)
                            {
                                var failed = await Hooks.InvokeAsync(new AfterModelCallEvent(this, null, error), cancellationToken).ConfigureAwait(false);
                                if (failed.ThrottleDelay is { } delay)
                                {
                                    AgentLog.Throttled(_logger, delay);
                                    var throttleEvent = new ThrottleDelayEvent(delay);
                                    CallbackHandler?.Invoke(throttleEvent);
                                    yield return throttleEvent;
                                }

                                if (failed.Retry)
                                {
                                    continue;
                                }

                                if (error is ContextWindowOverflowException)
                                {
                                    AgentLog.ContextOverflow(_logger, ConversationManager.GetType().Name);
                                    await ConversationManager.ReduceContextAsync(this, error, cancellationToken).ConfigureAwait(false);
                                    overflowed = true;
                                    break;
                                }

                                throw Rethrow(error);
                            }

                            var candidate = cancelledByAgent ? Message.Assistant("Cancelled by user") : processor.BuildMessage();
                            var candidateStopReason = cancelledByAgent ? AgentStopReasons.Cancelled : processor.StopReason;
                            if (processor.StopReasonCorrected)
                            {
                                AgentLog.EndTurnWithToolUse(_logger);
                            }

                            var after = await Hooks.InvokeAsync(new AfterModelCallEvent(this, new ModelStopResponse(candidate, candidateStopReason), null), cancellationToken).ConfigureAwait(false);
                            if (after.Retry)
                            {
                                continue;
                            }

                            if (!cancelledByAgent)
                            {
                                Metrics.AddModelCall(processor.Usage, processor.LatencyMs);
                            }

                            produced = candidate;
                            producedStopReason = candidateStopReason;
                            break;
                        }

                        if (overflowed)
                        {
                            Metrics.EndCycle(_timeProvider.GetElapsedTime(cycleStart));
                            continue;
                        }

                        message = produced!;
                        stopReason = producedStopReason;
                        if (stopReason == StopReason.MaxTokens)
                        {
                            message = ReplaceIncompleteToolUses(message);
                        }

                        await AddMessageAsync(message, cancellationToken).ConfigureAwait(false);
                        var messageEvent = new ModelMessageEvent(message, stopReason);
                        CallbackHandler?.Invoke(messageEvent);
                        yield return messageEvent;
                    }

                    if (stopReason == StopReason.MaxTokens)
                    {
                        Metrics.EndCycle(_timeProvider.GetElapsedTime(cycleStart));
                        AgentLog.MaxTokensReached(_logger);
                        throw new MaxTokensReachedException(message);
                    }

                    if (stopReason == StopReason.ToolUse && message.HasToolUse())
                    {
                        // ---- Tool phase: every tool use gets a result, in request order, whatever happens. ----
                        var toolUses = new List<ToolUseBlock>();
                        foreach (var block in message.Content)
                        {
                            if (block.ToolUse is { } toolUse)
                            {
                                toolUses.Add(toolUse);
                            }
                        }

                        var results = new ToolResultBlock?[toolUses.Count];
                        var cancelledBeforeTools = _cancelRequested;
                        Message? resultMessage = null;
                        Task? execution = null;
                        var missingResultText = "Tool execution cancelled";
                        try
                        {
                            if (!cancelledBeforeTools)
                            {
                                var runnable = new List<int>(toolUses.Count);
                                for (var i = 0; i < toolUses.Count; i++)
                                {
                                    if (InvalidToolNameResult(toolUses[i]) is { } invalid)
                                    {
                                        results[i] = invalid;
                                        var invalidEvent = new ToolResultEvent(toolUses[i], invalid);
                                        CallbackHandler?.Invoke(invalidEvent);
                                        yield return invalidEvent;
                                    }
                                    else
                                    {
                                        runnable.Add(i);
                                    }
                                }

                                if (runnable.Count > 0)
                                {
                                    var channel = Channel.CreateUnbounded<AgentEvent>(new UnboundedChannelOptions { SingleReader = true });
                                    execution = Task.Run(() => ExecuteToolsAsync(toolUses, runnable, results, channel.Writer, invocationState, cancellationToken), CancellationToken.None);
                                    var cancelledByToken = false;
                                    while (true)
                                    {
                                        bool more;
                                        try
                                        {
                                            more = await channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
                                        }
                                        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                                        {
                                            cancelledByToken = true;
                                            break;
                                        }

                                        if (!more)
                                        {
                                            break;
                                        }

                                        while (channel.Reader.TryRead(out var toolEvent))
                                        {
                                            CallbackHandler?.Invoke(toolEvent);
                                            yield return toolEvent;
                                        }
                                    }

                                    Exception? toolError = null;
                                    if (!cancelledByToken)
                                    {
                                        try
                                        {
                                            await execution.ConfigureAwait(false);
                                        }
                                        catch (Exception ex)
                                        {
                                            toolError = ex;
                                            cancelledByToken = ex is OperationCanceledException && cancellationToken.IsCancellationRequested;
                                        }
                                    }

                                    if (cancelledByToken)
                                    {
                                        AgentLog.InvocationCancelled(_logger, Name, AgentId);
                                        throw new OperationCanceledException("The invocation was cancelled while tools were running; every tool use got a result.", toolError, cancellationToken);
                                    }

                                    if (toolError is not null)
                                    {
                                        missingResultText = $"Error: {toolError.Message}";
                                        throw Rethrow(toolError);
                                    }
                                }
                            }

                            FillMissingResults(toolUses, results, missingResultText);
                            resultMessage = ToolResultMessage(results);
                            await AddMessageAsync(resultMessage, cancellationToken).ConfigureAwait(false);
                        }
                        finally
                        {
                            if (resultMessage is null)
                            {
                                // Cancelled, failed, or abandoned by the consumer: answer every tool use so the history stays valid.
                                if (execution is not null)
                                {
                                    Observe(execution);
                                }

                                FillMissingResults(toolUses, results, missingResultText);
                                try
                                {
                                    await AddMessageAsync(ToolResultMessage(results), CancellationToken.None).ConfigureAwait(false);
                                }
                                catch (Exception ex)
                                {
                                    AgentLog.FinishAfterFailureFailed(_logger, ex);
                                }

                                Metrics.EndCycle(_timeProvider.GetElapsedTime(cycleStart));
                            }
                        }

                        var resultMessageEvent = new ToolResultMessageEvent(resultMessage);
                        CallbackHandler?.Invoke(resultMessageEvent);
                        yield return resultMessageEvent;
                        Metrics.EndCycle(_timeProvider.GetElapsedTime(cycleStart));

                        if (cancelledBeforeTools)
                        {
                            result = new AgentResult(AgentStopReasons.Cancelled, message, Metrics, invocationState);
                            break;
                        }

                        if (structuredOutput is not null && structuredOutput.TryGetOutput(toolUses, out var output))
                        {
                            result = new AgentResult(StopReason.ToolUse, message, Metrics, invocationState, output);
                            break;
                        }

                        if (invocationState.TryGetValue(ToolContext.StopEventLoopKey, out var stop) && stop is true)
                        {
                            result = new AgentResult(StopReason.ToolUse, message, Metrics, invocationState);
                            break;
                        }

                        continue;
                    }

                    Metrics.EndCycle(_timeProvider.GetElapsedTime(cycleStart));
                    if (structuredOutput is not null && stopReason == StopReason.EndTurn)
                    {
                        if (structuredOutputForced)
                        {
                            throw new StructuredOutputException("The model failed to invoke the structured output tool even after it was forced.");
                        }

                        structuredOutputForced = true;
                        toolChoice = ToolChoice.AnyChoice;
                        await AddMessageAsync(Message.User(StructuredOutputPrompt), cancellationToken).ConfigureAwait(false);
                        continue;
                    }

                    result = new AgentResult(stopReason, message, Metrics, invocationState);
                    break;
                }

                finished = true;
                await FinishInvocationAsync(result!, cancellationToken).ConfigureAwait(false);
                AgentLog.InvocationFinished(_logger, Name, AgentId, result!.StopReason.Value);
            }
            finally
            {
                _structuredOutputTool = null;
                if (!finished)
                {
                    try
                    {
                        await FinishInvocationAsync(null, CancellationToken.None).ConfigureAwait(false);
                    }
                    catch (Exception ex)
                    {
                        AgentLog.FinishAfterFailureFailed(_logger, ex);
                    }
                }
            }
        }
        finally
        {
            _cancelRequested = false;
            Volatile.Write(ref _busy, 0);
        }

        var resultEvent = new AgentResultEvent(result!);
        CallbackHandler?.Invoke(resultEvent);
        yield return resultEvent;
    }

    /// <summary>Turns the input into messages; a prompt after unanswered tool uses first answers them with "Tool was interrupted.".</summary>
    private async Task<IReadOnlyList<Message>> PrepareInputAsync(AgentInput input, CancellationToken cancellationToken)
    {
        IReadOnlyList<Message> messages = input switch
        {
            { Text: { } text } => [Message.User(text)],
            { Content: { Count: > 0 } content } => [Message.User([.. content])],
            { Messages: { } list } => [.. list],
            _ => [],
        };

        if (messages.Count > 0 && _messages.Count > 0 && _messages[^1] is { } latest && latest.HasToolUse())
        {
            var interrupted = new List<ContentBlock>();
            foreach (var block in latest.Content)
            {
                if (block.ToolUse is { } toolUse)
                {
                    interrupted.Add(new ContentBlock { ToolResult = ToolResults.Create(ToolResultStatus.Error, "Tool was interrupted.", toolUse.ToolUseId) });
                }
            }

            await AddMessageAsync(Message.User(interrupted), cancellationToken).ConfigureAwait(false);
        }

        return messages;
    }

    private async Task ExecuteToolsAsync(
        List<ToolUseBlock> toolUses,
        List<int> runnable,
        ToolResultBlock?[] results,
        ChannelWriter<AgentEvent> writer,
        IDictionary<string, object?> invocationState,
        CancellationToken cancellationToken)
    {
        try
        {
            await ToolExecutor.ExecuteAsync(
                runnable.Count,
                async (k, token) =>
                {
                    var index = runnable[k];
                    var toolResult = await RunToolAsync(toolUses[index], invocationState, null, true, token).ConfigureAwait(false);
                    results[index] = toolResult;
                    writer.TryWrite(new ToolResultEvent(toolUses[index], toolResult));
                },
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            writer.TryComplete();
        }
    }

    private async Task AddMessageAsync(Message message, CancellationToken cancellationToken)
    {
        _messages.Add(message);
        await Hooks.InvokeAsync(new MessageAddedEvent(this, message), cancellationToken).ConfigureAwait(false);
    }

    private async Task FinishInvocationAsync(AgentResult? result, CancellationToken cancellationToken)
    {
        try
        {
            await ConversationManager.ApplyManagementAsync(this, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await Hooks.InvokeAsync(new AfterInvocationEvent(this, result), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Before each model call, repairs assistant messages Bedrock would reject (reference B.9): empty content and
    /// blank text become "[blank text]" (blank text next to tool uses is dropped), and invalid tool names become
    /// "INVALID_TOOL_NAME". User messages are never changed.
    /// </summary>
    private void NormalizeHistory()
    {
        for (var i = 0; i < _messages.Count; i++)
        {
            var message = _messages[i];
            if (message.Role == ConversationRole.User)
            {
                continue;
            }

            if (message.Content.Count == 0)
            {
                _messages[i] = message with { Content = [ContentBlock.FromText("[blank text]")] };
                continue;
            }

            var hasToolUse = message.HasToolUse();
            var needsRepair = false;
            foreach (var block in message.Content)
            {
                if ((block.Text is { } text && string.IsNullOrWhiteSpace(text)) || (block.ToolUse is { } toolUse && !Tools.ToolNames.IsValid(toolUse.Name)))
                {
                    needsRepair = true;
                    break;
                }
            }

            if (!needsRepair)
            {
                continue;
            }

            var repaired = new List<ContentBlock>(message.Content.Count);
            foreach (var block in message.Content)
            {
                if (block.Text is { } text && string.IsNullOrWhiteSpace(text))
                {
                    if (!hasToolUse)
                    {
                        repaired.Add(ContentBlock.FromText("[blank text]"));
                    }
                }
                else if (block.ToolUse is { } toolUse && !Tools.ToolNames.IsValid(toolUse.Name))
                {
                    repaired.Add(block with { ToolUse = toolUse with { Name = "INVALID_TOOL_NAME" } });
                }
                else
                {
                    repaired.Add(block);
                }
            }

            _messages[i] = message with { Content = repaired };
        }
    }

    /// <summary>
    /// Applies a guardrail's input redaction to the latest user message (reference A.9): tool results keep their id
    /// and status with the redaction as content, and other blocks are dropped; other messages become the redaction.
    /// </summary>
    private void RedactLatestUserMessage(string redaction)
    {
        if (_messages.Count == 0 || _messages[^1] is not { } message || message.Role != ConversationRole.User)
        {
            return;
        }

        List<ContentBlock> content = [];
        foreach (var block in message.Content)
        {
            if (block.ToolResult is { } toolResult)
            {
                content.Add(block with { ToolResult = toolResult with { Content = [ToolResultContentBlock.FromText(redaction)] } });
            }
        }

        _messages[^1] = message with { Content = content.Count > 0 ? content : [ContentBlock.FromText(redaction)] };
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

    private static ToolResultBlock? InvalidToolNameResult(ToolUseBlock toolUse)
    {
        var name = toolUse.Name;
        string? error = null;
        if (string.IsNullOrEmpty(name))
        {
            error = "Error: tool name missing";
        }
        else if (name.Length > Tools.ToolNames.MaxLength)
        {
            error = $"Error: tool_name=<{name}>, tool_name_max_length=<{Tools.ToolNames.MaxLength}> | invalid tool name length";
        }
        else if (!Tools.ToolNames.IsValid(name))
        {
            error = $"Error: tool_name=<{name}> | invalid tool name pattern";
        }

        return error is null ? null : ToolResults.Create(ToolResultStatus.Error, error, toolUse.ToolUseId);
    }

    private static void FillMissingResults(List<ToolUseBlock> toolUses, ToolResultBlock?[] results, string text)
    {
        for (var i = 0; i < results.Length; i++)
        {
            results[i] ??= ToolResults.Create(ToolResultStatus.Error, text, toolUses[i].ToolUseId);
        }
    }

    private static Message ToolResultMessage(ToolResultBlock?[] results)
    {
        var content = new ContentBlock[results.Length];
        for (var i = 0; i < results.Length; i++)
        {
            content[i] = new ContentBlock { ToolResult = results[i] };
        }

        return Message.User(content);
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

    private static void Observe(Task task)
        => _ = task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private static Exception Rethrow(Exception exception)
    {
        ExceptionDispatchInfo.Capture(exception).Throw();
        return exception;
    }

    /// <summary>What an invocation starts from: text, content blocks, messages, or nothing (the history as it is).</summary>
    private readonly record struct AgentInput(string? Text, IReadOnlyList<ContentBlock>? Content, IReadOnlyList<Message>? Messages);
}
