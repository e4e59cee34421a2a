using Strands.Bedrock.Testing;
using Strands.Agents;
using Strands.Content;
using Strands.Conversation;
using Strands.Models;
using Strands.Tests.TestUtilities;

namespace Strands.Tests.Conversation;

/// <summary>The sliding window, summarizing and null conversation managers: what they trim, keep and throw.</summary>
public class ConversationManagerTests
{
    private static Agent AgentWith(params Message[] messages) => new(new ScriptedModel(), new AgentOptions { CallbackHandler = null, Messages = messages });

    private static Message ToolUse(string id) => Message.Assistant(new ContentBlock { ToolUse = new ToolUseBlock { ToolUseId = id, Name = "t" } });

    private static Message ToolResult(string id, params ToolResultContentBlock[] content)
        => Message.User(new ContentBlock { ToolResult = new ToolResultBlock { ToolUseId = id, Status = ToolResultStatus.Success, Content = content.Length > 0 ? content : [ToolResultContentBlock.FromText("r")] } });

    [Fact]
    public async Task The_sliding_window_keeps_the_last_messages_starting_with_a_user_message()
    {
        var agent = AgentWith(Message.User("1"), Message.Assistant("2"), Message.User("3"), Message.Assistant("4"));
        var manager = new SlidingWindowConversationManager(2);

        await manager.ApplyManagementAsync(agent);

        Assert.Equal(["3", "4"], agent.Messages.Select(m => m.Content[0].Text));
        Assert.Equal(2, manager.RemovedMessageCount);
    }

    [Fact]
    public async Task The_sliding_window_leaves_a_history_within_the_window_alone()
    {
        var agent = AgentWith(Message.User("1"), Message.Assistant("2"));
        await new SlidingWindowConversationManager(2).ApplyManagementAsync(agent);
        Assert.Equal(2, agent.Messages.Count);
    }

    [Fact]
    public async Task The_sliding_window_never_starts_with_a_tool_result()
    {
        var agent = AgentWith(Message.User("q"), ToolUse("a"), ToolResult("a"), Message.Assistant("answer"), Message.User("next"), Message.Assistant("ok"));
        var manager = new SlidingWindowConversationManager(4);

        await manager.ApplyManagementAsync(agent);

        Assert.Equal(["next", "ok"], agent.Messages.Select(m => m.Content[0].Text));
    }

    [Fact]
    public async Task The_sliding_window_leaves_a_tool_chain_without_a_plain_user_message_whole_and_overflow_throws()
    {
        // Starting the window at a tool use (sdk-python's fallback) is what Bedrock rejects: "A conversation must start
        // with a user message". A chain of tool rounds after one prompt has no other valid start.
        var agent = AgentWith(Message.User("q"), ToolUse("a"), ToolResult("a"), ToolUse("b"), ToolResult("b"), ToolUse("c"), ToolResult("c"));
        var manager = new SlidingWindowConversationManager(4, shouldTruncateResults: false);

        await manager.ApplyManagementAsync(agent);
        Assert.Equal(7, agent.Messages.Count);

        await Assert.ThrowsAsync<ContextWindowOverflowException>(() => manager.ReduceContextAsync(agent, new ContextWindowOverflowException("too long")).AsTask());
        Assert.Equal(7, agent.Messages.Count);
    }

    [Fact]
    public async Task The_sliding_window_starts_at_the_first_plain_user_message_in_the_window()
    {
        var agent = AgentWith(Message.User("q"), ToolUse("a"), ToolResult("a"), Message.Assistant("answer"), Message.User("plain"), ToolUse("b"), ToolResult("b"));
        await new SlidingWindowConversationManager(5).ApplyManagementAsync(agent);
        Assert.Equal("plain", agent.Messages[0].Content[0].Text);
        ConversationRules.Validate(agent.Messages.ToList());
    }

    [Fact]
    public async Task An_untrimmable_history_is_left_alone_routinely_and_throws_on_overflow()
    {
        var agent = AgentWith(Message.User("only"), Message.Assistant("one"), ToolResult("x"));
        var manager = new SlidingWindowConversationManager(1);

        await manager.ApplyManagementAsync(agent);
        Assert.Equal(3, agent.Messages.Count);

        var ex = await Assert.ThrowsAsync<ContextWindowOverflowException>(() => manager.ReduceContextAsync(agent, new ContextWindowOverflowException("too long")).AsTask());
        Assert.Equal("Unable to trim conversation context!", ex.Message);
    }

    [Fact]
    public async Task A_sliding_window_of_zero_clears_everything_and_a_negative_one_is_rejected()
    {
        var agent = AgentWith(Message.User("1"), Message.Assistant("2"));
        var manager = new SlidingWindowConversationManager(0);

        await manager.ApplyManagementAsync(agent);

        Assert.Empty(agent.Messages);
        Assert.Equal(2, manager.RemovedMessageCount);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SlidingWindowConversationManager(-1));
    }

    [Fact]
    public async Task Tool_results_are_truncated_only_on_overflow_oldest_first_with_images_as_placeholders()
    {
        var longText = new string('x', 500);
        var image = new ToolResultContentBlock { Image = new ImageBlock { Format = ImageFormat.Png, Source = new ImageSource { Bytes = new byte[1234] } } };
        var agent = AgentWith(
            Message.User("q"), ToolUse("a"), ToolResult("a", ToolResultContentBlock.FromText(longText), image, ToolResultContentBlock.FromText("short")),
            ToolUse("b"), ToolResult("b", ToolResultContentBlock.FromText(longText)), Message.Assistant("done"));
        var manager = new SlidingWindowConversationManager(40);

        var routine = AgentWith([.. agent.Messages]);
        await manager.ReduceContextAsync(routine);
        Assert.Equal(6, routine.Messages.Count); // no plain user message to start from but the first: nothing to drop
        Assert.Equal(longText, routine.Messages[2].Content[0].ToolResult!.Content[0].Text);

        await manager.ReduceContextAsync(agent, new ContextWindowOverflowException());
        var first = agent.Messages[2].Content[0].ToolResult!;
        Assert.Contains("... [truncated: 100 chars removed] ...", first.Content[0].Text, StringComparison.Ordinal);
        Assert.Equal("[image: png, 1234 bytes]", first.Content[1].Text);
        Assert.Equal("short", first.Content[2].Text);
        Assert.Equal(ToolResultStatus.Success, first.Status);
        Assert.Equal(longText, agent.Messages[4].Content[0].ToolResult!.Content[0].Text);

        await manager.ReduceContextAsync(agent, new ContextWindowOverflowException());
        Assert.Contains("[truncated:", agent.Messages[4].Content[0].ToolResult!.Content[0].Text, StringComparison.Ordinal);
        Assert.Equal(6, agent.Messages.Count);
    }

    [Fact]
    public async Task With_truncation_off_overflow_removes_messages_instead()
    {
        var agent = AgentWith(Message.User("q"), ToolUse("a"), ToolResult("a", ToolResultContentBlock.FromText(new string('x', 500))), Message.Assistant("ok"), Message.User("next"));
        await new SlidingWindowConversationManager(40, shouldTruncateResults: false).ReduceContextAsync(agent, new ContextWindowOverflowException());
        Assert.Equal("next", Assert.Single(agent.Messages).Content[0].Text);
    }

    [Fact]
    public async Task The_null_manager_never_changes_the_history_and_rethrows_overflow()
    {
        var agent = AgentWith(Message.User("1"), Message.Assistant("2"));
        var manager = new NullConversationManager();
        var overflow = new ContextWindowOverflowException("x");

        await manager.ApplyManagementAsync(agent);
        await manager.ReduceContextAsync(agent);
        var thrown = await Assert.ThrowsAsync<ContextWindowOverflowException>(() => manager.ReduceContextAsync(agent, overflow).AsTask());

        Assert.Same(overflow, thrown);
        Assert.Equal(2, agent.Messages.Count);
    }

    private static Message[] Conversation(int pairs)
        => [.. Enumerable.Range(0, pairs).SelectMany(i => new[] { Message.User($"u{i}"), Message.Assistant($"a{i}") })];

    [Fact]
    public async Task Summarizing_replaces_the_oldest_messages_with_a_summary_from_the_model()
    {
        var model = new ScriptedModel(Turn.Text("## Conversation Summary\n- talked"));
        var agent = new Agent(model, new AgentOptions { CallbackHandler = null, Messages = Conversation(10) });
        var manager = new SummarizingConversationManager(summaryRatio: 0.3, preserveRecentMessages: 4);

        await manager.ApplyManagementAsync(agent);
        Assert.Equal(20, agent.Messages.Count);

        await manager.ReduceContextAsync(agent, new ContextWindowOverflowException());

        // 30% of 20 is 6 messages, up to u2/a2; the summary is a user message, so the kept part starts at a3 (not u3).
        Assert.Equal(14, agent.Messages.Count);
        Assert.Equal(ConversationRole.User, agent.Messages[0].Role);
        Assert.Equal("## Conversation Summary\n- talked", agent.Messages[0].Content[0].Text);
        Assert.Equal("a3", agent.Messages[1].Content[0].Text);
        Assert.Equal(7, manager.RemovedMessageCount);
        Assert.Same(agent.Messages[0], manager.SummaryMessage);
        ConversationRules.Validate(agent.Messages.ToList());
        var call = Assert.Single(model.Calls);
        Assert.Equal(7, call.Messages.Count);
        Assert.Equal(["u3", SummarizingConversationManager.SummarizeRequest], call.Messages[^1].Content.Select(b => b.Text!).ToArray());
        Assert.Equal(SummarizingConversationManager.DefaultSummarizationPrompt, call.SystemPrompt![0].Text);
    }

    [Fact]
    public async Task Summarizing_does_not_split_a_tool_use_from_its_result()
    {
        var model = new ScriptedModel(Turn.Text("summary"));
        var agent = new Agent(model, new AgentOptions { CallbackHandler = null, Messages = [Message.User("q"), ToolUse("a"), ToolResult("a"), Message.Assistant("x"), Message.User("y"), Message.Assistant("z")] });
        var manager = new SummarizingConversationManager(summaryRatio: 0.4, preserveRecentMessages: 0);

        await manager.ReduceContextAsync(agent, new ContextWindowOverflowException());

        Assert.Equal(["summary", "x", "y", "z"], agent.Messages.Select(m => m.Content[0].Text));
        Assert.Equal("noop", Assert.Single(model.Calls[0].ToolSpecs!).Name);
    }

    [Fact]
    public async Task Summarizing_too_few_messages_throws_ContextWindowOverflowException()
    {
        var agent = new Agent(new ScriptedModel(), new AgentOptions { CallbackHandler = null, Messages = Conversation(2) });
        var manager = new SummarizingConversationManager(preserveRecentMessages: 10);

        var ex = await Assert.ThrowsAsync<ContextWindowOverflowException>(() => manager.ReduceContextAsync(agent, new ContextWindowOverflowException()).AsTask());
        Assert.Equal("Cannot summarize: insufficient messages for summarization", ex.Message);
    }

    [Fact]
    public async Task Summarizing_with_an_agent_restores_that_agents_history()
    {
        var summarizer = new Agent(new ScriptedModel(Turn.Text("agent summary")), new AgentOptions { CallbackHandler = null, Messages = [Message.User("own"), Message.Assistant("history")] });
        var agent = new Agent(new ScriptedModel(), new AgentOptions { CallbackHandler = null, Messages = Conversation(10) });
        var manager = new SummarizingConversationManager(preserveRecentMessages: 2, summarizationAgent: summarizer);

        await manager.ReduceContextAsync(agent);

        Assert.Equal("agent summary", agent.Messages[0].Content[0].Text);
        Assert.Equal(["own", "history"], summarizer.Messages.Select(m => m.Content[0].Text));
    }

    [Fact]
    public void Summarizing_clamps_the_ratio_and_rejects_a_system_prompt_beside_an_agent()
    {
        Assert.Equal(0.1, new SummarizingConversationManager(summaryRatio: 0.01).SummaryRatio);
        Assert.Equal(0.8, new SummarizingConversationManager(summaryRatio: 5).SummaryRatio);
        Assert.Throws<ArgumentException>(() => new SummarizingConversationManager(summarizationAgent: new Agent(new ScriptedModel(), new AgentOptions { CallbackHandler = null }), summarizationSystemPrompt: "x"));
    }

    [Fact]
    public async Task Summarizing_in_the_agent_loop_on_overflow_sends_the_summary_in_the_retry()
    {
        var model = new ScriptedModel(Turn.Throws(new ContextWindowOverflowException("too long")), Turn.Text("the summary"), Turn.Text("answer"));
        var agent = new Agent(model, new AgentOptions { CallbackHandler = null, Messages = Conversation(10), ConversationManager = new SummarizingConversationManager(preserveRecentMessages: 4) });

        var result = await agent.InvokeAsync("question");

        Assert.Equal("answer", result.ToString());
        Assert.Equal("the summary", model.Calls[2].Messages[0].Content[0].Text);
    }
}
