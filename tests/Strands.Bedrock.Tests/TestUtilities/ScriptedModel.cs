using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Strands.Bedrock;
using Strands.Bedrock.Testing;
using Strands.Content;
using Strands.Models;

namespace Strands.Tests.TestUtilities;

/// <summary>A small model config for tests.</summary>
public sealed record TestModelConfig : ModelConfig;

/// <summary>What the agent passed to one <see cref="ScriptedModel.StreamAsync"/> call.</summary>
public sealed record ModelCall(
    IReadOnlyList<Message> Messages,
    IReadOnlyList<ToolSpecification>? ToolSpecs,
    IReadOnlyList<SystemContentBlock>? SystemPrompt,
    ToolChoice? ToolChoice,
    ModelConfig Config);

/// <summary>
/// A fake <see cref="IModel"/> that plays a queue of scripted turns. Like Bedrock, it rejects a conversation that breaks
/// the service's rules (<see cref="ConversationRules"/>) with a <see cref="ValidationException"/>, unless
/// <see cref="ValidateConversation"/> is off. Each turn is a list of stream events, optionally
/// with an exception thrown before a given event (or at the end) and a gate awaited before a given event. Every call
/// is recorded with a copy of what the agent passed.
/// </summary>
public sealed class ScriptedModel : IModel
{
    private readonly ConcurrentQueue<Turn> _turns = new();
    private readonly List<ModelCall> _calls = [];
    private ModelConfig _config;

    public ScriptedModel(params Turn[] turns)
    {
        _config = new TestModelConfig { ModelId = "scripted-model" };
        Enqueue(turns);
    }

    public ModelConfig Config => Volatile.Read(ref _config);

    public IReadOnlyList<ModelCall> Calls
    {
        get
        {
            lock (_calls)
            {
                return [.. _calls];
            }
        }
    }

    public int RemainingTurns => _turns.Count;

    /// <summary>Whether each call's messages are checked like Bedrock checks them (default true).</summary>
    public bool ValidateConversation { get; init; } = true;

    public ScriptedModel Enqueue(params Turn[] turns)
    {
        foreach (var turn in turns)
        {
            _turns.Enqueue(turn);
        }

        return this;
    }

    public void UpdateConfig(Func<ModelConfig, ModelConfig> update)
    {
        ArgumentNullException.ThrowIfNull(update);
        lock (_calls)
        {
            _config = update(_config);
        }
    }

    public async IAsyncEnumerable<StreamEvent> StreamAsync(
        IReadOnlyList<Message> messages,
        IReadOnlyList<ToolSpecification>? toolSpecs = null,
        IReadOnlyList<SystemContentBlock>? systemPrompt = null,
        ToolChoice? toolChoice = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        lock (_calls)
        {
            _calls.Add(new ModelCall([.. messages], toolSpecs is null ? null : [.. toolSpecs], systemPrompt is null ? null : [.. systemPrompt], toolChoice, _config));
        }

        if (ValidateConversation && ConversationRules.FindViolation(messages) is { } violation)
        {
            throw new ValidationException(violation);
        }

        if (!_turns.TryDequeue(out var turn))
        {
            throw new InvalidOperationException("The scripted model has no turn left.");
        }

        for (var i = 0; i <= turn.Events.Count; i++)
        {
            if (turn.GateIndex == i && turn.Gate is { } gate)
            {
                turn.ReachedGate.TrySetResult();
                await gate.WaitAsync(cancellationToken);
            }

            if (turn.ThrowIndex == i && turn.Exception is { } exception)
            {
                throw exception;
            }

            if (i == turn.Events.Count)
            {
                break;
            }

            cancellationToken.ThrowIfCancellationRequested();
            yield return turn.Events[i];
        }
    }
}

/// <summary>One scripted model turn.</summary>
public sealed class Turn
{
    public Turn(IEnumerable<StreamEvent> events) => Events = [.. events];

    public List<StreamEvent> Events { get; }

    public Exception? Exception { get; private set; }

    public int ThrowIndex { get; private set; } = -1;

    public Task? Gate { get; private set; }

    public int GateIndex { get; private set; } = -1;

    /// <summary>Completes when the model reached the gate.</summary>
    public TaskCompletionSource ReachedGate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A text answer, streamed in the given pieces.</summary>
    public static Turn Text(params string[] pieces) => TextWith(StopReason.EndTurn, null, pieces);

    /// <summary>A text answer with a stop reason and usage.</summary>
    public static Turn TextWith(StopReason stopReason, TokenUsage? usage, params string[] pieces)
    {
        var events = new List<StreamEvent> { Ev.Start() };
        events.AddRange(pieces.Select(Ev.Text));
        events.Add(Ev.BlockStop());
        events.Add(Ev.Stop(stopReason));
        events.Add(Ev.Metadata(usage));
        return new Turn(events);
    }

    /// <summary>Tool uses (optionally after some text), stop reason tool_use.</summary>
    public static Turn Tools(params (string Id, string Name, string InputJson)[] uses) => ToolsAfterText(null, uses);

    public static Turn ToolsAfterText(string? text, params (string Id, string Name, string InputJson)[] uses)
    {
        var events = new List<StreamEvent> { Ev.Start() };
        var index = 0;
        if (text is not null)
        {
            events.Add(Ev.Text(text));
            events.Add(Ev.BlockStop(index++));
        }

        foreach (var (id, name, input) in uses)
        {
            events.Add(Ev.ToolStart(id, name, index));
            events.Add(Ev.ToolInput(input, index));
            events.Add(Ev.BlockStop(index++));
        }

        events.Add(Ev.Stop(StopReason.ToolUse));
        events.Add(Ev.Metadata(null));
        return new Turn(events);
    }

    /// <summary>A turn of raw events.</summary>
    public static Turn Of(params StreamEvent[] events) => new(events);

    /// <summary>A turn that fails at once.</summary>
    public static Turn Throws(Exception exception) => new Turn([]).ThrowingBefore(0, exception);

    /// <summary>Throws <paramref name="exception"/> before event <paramref name="index"/> (the event count: at the end).</summary>
    public Turn ThrowingBefore(int index, Exception exception)
    {
        ThrowIndex = index;
        Exception = exception;
        return this;
    }

    /// <summary>Waits for <paramref name="gate"/> before event <paramref name="index"/>.</summary>
    public Turn PausingBefore(int index, Task gate)
    {
        GateIndex = index;
        Gate = gate;
        return this;
    }
}

/// <summary>Stream event builders.</summary>
public static class Ev
{
    public static MessageStartEvent Start() => new() { Role = ConversationRole.Assistant };

    public static ContentBlockDeltaEvent Text(string text) => new() { Delta = new ContentBlockDelta { Text = text } };

    public static ContentBlockDeltaEvent Reasoning(string text) => new() { Delta = new ContentBlockDelta { ReasoningContent = new ReasoningContentBlockDelta { Text = text } } };

    public static ContentBlockDeltaEvent Signature(string signature) => new() { Delta = new ContentBlockDelta { ReasoningContent = new ReasoningContentBlockDelta { Signature = signature } } };

    public static ContentBlockDeltaEvent Redacted(byte[] bytes) => new() { Delta = new ContentBlockDelta { ReasoningContent = new ReasoningContentBlockDelta { RedactedContent = bytes } } };

    public static ContentBlockDeltaEvent Citation(string title) => new() { Delta = new ContentBlockDelta { Citation = new CitationsDelta { Title = title } } };

    public static ContentBlockStartEvent ToolStart(string id, string name, int index = 0)
        => new() { ContentBlockIndex = index, Start = new ContentBlockStart { ToolUse = new ToolUseBlockStart { ToolUseId = id, Name = name } } };

    public static ContentBlockDeltaEvent ToolInput(string json, int index = 0)
        => new() { ContentBlockIndex = index, Delta = new ContentBlockDelta { ToolUse = new ToolUseBlockDelta { Input = json } } };

    public static ContentBlockStopEvent BlockStop(int index = 0) => new() { ContentBlockIndex = index };

    public static MessageStopEvent Stop(StopReason reason) => new() { StopReason = reason };

    public static MetadataEvent Metadata(TokenUsage? usage, long latencyMs = 10)
        => new() { Usage = usage ?? new TokenUsage { InputTokens = 10, OutputTokens = 5, TotalTokens = 15 }, Metrics = new ConverseMetrics { LatencyMs = latencyMs } };
}
