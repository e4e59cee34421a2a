using Strands.Agents;
using Strands.Content;
using Strands.Models;
using Strands.Tools;

namespace Strands.Conversation;

/// <summary>
/// On a context window overflow, replaces the oldest part of the history with a summary the model writes, keeping
/// the most recent messages. The summary becomes a user message at the start of the history, followed by the kept
/// part, which therefore starts with an assistant message. Routine management after an invocation does nothing.
/// </summary>
public sealed class SummarizingConversationManager : IConversationManager
{
    /// <summary>The system prompt of the summarising call when none is given.</summary>
    public const string DefaultSummarizationPrompt = """
        You summarise conversations so that they can continue without their full history.
        Write a concise summary in the third person, as bullet points, that keeps every fact, decision, open question and result
        the rest of the conversation may need. Use these sections:

        ## Conversation Summary
        - the topics, requests and answers so far

        ## Tools Executed
        - each tool that ran, what it was asked and what it returned

        Write only the summary, with no preamble.
        """;

    /// <summary>The user message that asks for the summary.</summary>
    public const string SummarizeRequest = "Please summarize this conversation.";

    private static readonly ToolSpecification NoopSpec = new()
    {
        Name = "noop",
        Description = "Does nothing. Never call this tool; it only lets the conversation contain tool uses.",
        InputSchema = new ToolInputSchema { Json = JsonValues.Parse("""{"type":"object","properties":{}}""") },
    };

    private readonly Agent? _summarizationAgent;
    private readonly string? _summarizationSystemPrompt;
    private int _removedMessageCount;

    /// <summary>Creates the manager.</summary>
    /// <param name="summaryRatio">The share of the history to summarise, clamped to 0.1–0.8.</param>
    /// <param name="preserveRecentMessages">How many recent messages are never summarised.</param>
    /// <param name="summarizationAgent">An agent that writes the summary; the conversation's own model when null.</param>
    /// <param name="summarizationSystemPrompt">The system prompt of the summarising call; <see cref="DefaultSummarizationPrompt"/> when null.</param>
    /// <exception cref="ArgumentException">Both a summarisation agent and a system prompt were given (the agent has its own).</exception>
    public SummarizingConversationManager(double summaryRatio = 0.3, int preserveRecentMessages = 10, Agent? summarizationAgent = null, string? summarizationSystemPrompt = null)
    {
        if (summarizationAgent is not null && summarizationSystemPrompt is not null)
        {
            throw new ArgumentException("Give either a summarization agent or a summarization system prompt, not both: the agent has its own system prompt.", nameof(summarizationSystemPrompt));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(preserveRecentMessages);
        SummaryRatio = Math.Clamp(summaryRatio, 0.1, 0.8);
        PreserveRecentMessages = preserveRecentMessages;
        _summarizationAgent = summarizationAgent;
        _summarizationSystemPrompt = summarizationSystemPrompt;
    }

    /// <summary>The share of the history to summarise.</summary>
    public double SummaryRatio { get; }

    /// <summary>How many recent messages are never summarised.</summary>
    public int PreserveRecentMessages { get; }

    /// <summary>The latest summary message, or null.</summary>
    public Message? SummaryMessage { get; internal set; }

    /// <inheritdoc />
    public int RemovedMessageCount => Volatile.Read(ref _removedMessageCount);

    /// <inheritdoc />
    public ValueTask ApplyManagementAsync(Agent agent, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    /// <inheritdoc />
    /// <exception cref="ContextWindowOverflowException">There are too few messages to summarise.</exception>
    public async ValueTask ReduceContextAsync(Agent agent, Exception? exception = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var messages = agent.Messages;
        var count = Math.Min(Math.Max(1, (int)(messages.Count * SummaryRatio)), messages.Count - PreserveRecentMessages);
        if (count <= 0)
        {
            throw new ContextWindowOverflowException("Cannot summarize: insufficient messages for summarization");
        }

        // The summary is a user message, so the kept part starts with an assistant message: roles keep alternating, and
        // no tool result is kept without its tool use (a kept tool use keeps its results, which follow it).
        while (count < messages.Count && messages[count].Role != ConversationRole.Assistant)
        {
            count++;
        }

        if (count >= messages.Count)
        {
            throw new ContextWindowOverflowException("Unable to trim conversation context!");
        }

        var toSummarize = new List<Message>(count);
        for (var i = 0; i < count; i++)
        {
            toSummarize.Add(messages[i]);
        }

        var summary = _summarizationAgent is null
            ? await SummarizeWithModelAsync(agent, toSummarize, cancellationToken).ConfigureAwait(false)
            : await SummarizeWithAgentAsync(_summarizationAgent, toSummarize, cancellationToken).ConfigureAwait(false);

        // A previous summary at the front is summarised again, but it was never one of the conversation's messages:
        // the removed count (which a session uses to find the first stored message to restore) does not include it.
        var removed = SummaryMessage is not null && ReferenceEquals(messages[0], SummaryMessage) ? count - 1 : count;
        MessageInspection.RemoveRange(messages, count);
        messages.Insert(0, summary);
        Interlocked.Add(ref _removedMessageCount, removed);
        SummaryMessage = summary;
    }

    private async Task<Message> SummarizeWithModelAsync(Agent agent, List<Message> toSummarize, CancellationToken cancellationToken)
    {
        // The part to summarise ends with a user message: the request joins it, as two user messages in a row are rejected.
        var last = toSummarize[^1];
        List<Message> request = last.Role == ConversationRole.User
            ? [.. toSummarize.Take(toSummarize.Count - 1), last with { Content = [.. last.Content, ContentBlock.FromText(SummarizeRequest)] }]
            : [.. toSummarize, Message.User(SummarizeRequest)];
        var specs = agent.ToolRegistry.Specs;
        if (specs.Count == 0 && toSummarize.Any(m => m.HasToolUse() || m.HasToolResult()))
        {
            specs = [NoopSpec];
        }

        var processor = new StreamProcessor(TimeProvider.System);
        processor.Reset();
        await foreach (var streamEvent in agent.Model.StreamAsync(
            request,
            specs.Count == 0 ? null : specs,
            [SystemContentBlock.FromText(_summarizationSystemPrompt ?? DefaultSummarizationPrompt)],
            null,
            cancellationToken).ConfigureAwait(false))
        {
            processor.Process(streamEvent);
        }

        return ToSummary(processor.BuildMessage());
    }

    private static async Task<Message> SummarizeWithAgentAsync(Agent summarizer, List<Message> toSummarize, CancellationToken cancellationToken)
    {
        var saved = summarizer.Messages.ToList();
        var addedNoop = false;
        if (summarizer.ToolRegistry.Count == 0 && toSummarize.Any(m => m.HasToolUse() || m.HasToolResult()))
        {
            summarizer.ToolRegistry.Register(NoopTool.Instance);
            addedNoop = true;
        }

        summarizer.Messages.Clear();
        foreach (var message in toSummarize)
        {
            summarizer.Messages.Add(message);
        }

        try
        {
            var result = await summarizer.InvokeAsync(SummarizeRequest, cancellationToken).ConfigureAwait(false);
            return ToSummary(result.Message);
        }
        finally
        {
            summarizer.Messages.Clear();
            foreach (var message in saved)
            {
                summarizer.Messages.Add(message);
            }

            if (addedNoop)
            {
                summarizer.ToolRegistry.Unregister(NoopTool.Instance.Name);
            }
        }
    }

    /// <summary>The summary as a user message: the text of the model's answer.</summary>
    private static Message ToSummary(Message response)
    {
        var text = string.Join("\n", response.Content.Where(b => b.Text is not null).Select(b => b.Text));
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new InvalidOperationException("The model returned no summary text.");
        }

        return Message.User(text);
    }

    private sealed class NoopTool : AgentTool
    {
        public static NoopTool Instance { get; } = new();

        public override ToolSpecification Spec => NoopSpec;

        public override Task<ToolResultBlock> InvokeAsync(ToolContext context, CancellationToken cancellationToken = default)
            => Task.FromResult(ToolResults.Success("noop"));
    }
}
