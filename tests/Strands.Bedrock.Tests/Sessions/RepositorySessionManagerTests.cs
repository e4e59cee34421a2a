using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Strands.Agents;
using Strands.Content;
using Strands.Conversation;
using Strands.Sessions;
using Strands.Tests.TestUtilities;
using Strands.Tools;

namespace Strands.Tests.Sessions;

/// <summary>
/// The session manager on agents that register it as a hook provider (the wiring that exists today), over the
/// one-class in-memory store and the file store.
/// </summary>
public sealed class RepositorySessionManagerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("strands-session-manager-").FullName;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 6, 1, 10, 0, 0, TimeSpan.Zero));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_new_agent_is_stored_with_the_messages_it_starts_with()
    {
        var repository = new InMemorySessionRepository();
        var manager = new RepositorySessionManager("s1", repository, _clock);
        var agent = NewAgent(manager, new ScriptedModel(), messages: [Message.User("earlier"), Message.Assistant("noted")], agentId: "helper");

        await manager.InitializeAsync(agent);

        Assert.NotNull(await repository.ReadSessionAsync("s1"));
        var stored = await repository.ReadAgentAsync("s1", "helper");
        Assert.Equal("SlidingWindowConversationManager", stored!.ConversationManagerState["__name__"].GetString());
        Assert.Equal(0, stored.ConversationManagerState["removed_message_count"].GetInt32());
        Assert.False(stored.InternalState["interrupt_state"].GetProperty("activated").GetBoolean());
        Assert.Equal(["earlier", "noted"], (await repository.ListMessagesAsync("s1", "helper")).Select(m => m.Message.Content[0].Text));
    }

    [Fact]
    public async Task A_conversation_continues_in_a_new_agent_instance()
    {
        var repository = new FileSessionRepository(_directory);
        var first = NewAgent(new RepositorySessionManager("chat", repository, _clock), new ScriptedModel(Turn.Text("Hello Ada."), Turn.Text("You are Ada.")));
        first.State.Set("user", JsonValues.Parse("\"Ada\""));
        await first.InvokeAsync("I am Ada.");
        await first.InvokeAsync("Who am I?");

        var model = new ScriptedModel(Turn.Text("Still Ada."));
        var second = NewAgent(new RepositorySessionManager("chat", repository, _clock), model);
        await second.InvokeAsync("And now?");

        Assert.Equal(TestJson.Of(first.Messages), TestJson.Of(second.Messages.Take(4)));
        Assert.Equal("Ada", second.State.Get("user")!.Value.GetString());
        Assert.Equal(5, model.Calls[0].Messages.Count);
        Assert.Equal(Enumerable.Range(0, 6), (await repository.ListMessagesAsync("chat", "default")).Select(m => m.MessageId));
    }

    [Fact]
    public void Agent_ids_are_unique_within_a_session_manager()
    {
        var manager = new RepositorySessionManager("s", new InMemorySessionRepository(), _clock);
        NewAgent(manager, new ScriptedModel(), agentId: "same");

        var error = Assert.Throws<SessionException>(() => NewAgent(manager, new ScriptedModel(), agentId: "same"));

        Assert.Contains("unique", error.Message, StringComparison.Ordinal);
        NewAgent(manager, new ScriptedModel(), agentId: "other");
    }

    [Fact]
    public async Task Of_two_live_agents_with_the_same_session_the_stale_one_is_refused_and_nothing_is_overwritten()
    {
        var repository = new InMemorySessionRepository();
        var a = NewAgent(new RepositorySessionManager("s", repository, _clock), new ScriptedModel(Turn.Text("A1"), Turn.Text("A2")));
        var b = NewAgent(new RepositorySessionManager("s", repository, _clock), new ScriptedModel(Turn.Text("B1")));
        await a.InvokeAsync("from a");
        await b.InvokeAsync("from b");

        var error = await Assert.ThrowsAsync<SessionConflictException>(() => a.InvokeAsync("a again"));

        Assert.Contains("out of date", error.Message, StringComparison.Ordinal);
        var stored = await repository.ListMessagesAsync("s", "default");
        Assert.Equal(["from a", "A1", "from b", "B1"], stored.Select(m => m.Message.Content[0].Text));
    }

    [Fact]
    public async Task A_failed_write_is_a_typed_error_and_the_next_message_takes_its_place()
    {
        var repository = new FlakyRepository(new InMemorySessionRepository());
        var manager = new RepositorySessionManager("s", repository, _clock);
        var agent = NewAgent(manager, new ScriptedModel());
        await manager.InitializeAsync(agent);
        await manager.AppendMessageAsync(Message.User("one"), agent);

        repository.FailNextCreateMessage = new IOException("disk full");
        var error = await Assert.ThrowsAsync<SessionException>(() => manager.AppendMessageAsync(Message.User("lost"), agent));
        await manager.AppendMessageAsync(Message.User("two"), agent);

        Assert.IsType<IOException>(error.InnerException);
        Assert.Equal(["one", "two"], (await repository.ListMessagesAsync("s", "default")).Select(m => m.Message.Content[0].Text));
        Assert.Equal([0, 1], (await repository.ListMessagesAsync("s", "default")).Select(m => m.MessageId));
    }

    [Fact]
    public async Task A_write_that_landed_but_reported_failure_is_not_a_conflict_when_retried()
    {
        var repository = new FlakyRepository(new InMemorySessionRepository());
        var manager = new RepositorySessionManager("s", repository, _clock);
        var agent = NewAgent(manager, new ScriptedModel());
        await manager.InitializeAsync(agent);
        var message = Message.User("sent twice");

        repository.LoseNextCreateMessageResponse = true;
        await Assert.ThrowsAsync<SessionException>(() => manager.AppendMessageAsync(message, agent));
        await manager.AppendMessageAsync(message, agent);
        await manager.AppendMessageAsync(Message.User("next"), agent);

        Assert.Equal(["sent twice", "next"], (await repository.ListMessagesAsync("s", "default")).Select(m => m.Message.Content[0].Text));
    }

    [Fact]
    public async Task A_redaction_replaces_the_stored_message_so_the_input_does_not_stay_in_storage()
    {
        var repository = new FileSessionRepository(_directory);
        var manager = new RepositorySessionManager("guarded", repository, _clock);
        var agent = NewAgent(manager, new ScriptedModel());
        await manager.InitializeAsync(agent);
        await manager.AppendMessageAsync(Message.User("CACTUS"), agent);
        var redaction = Message.User("[User input redacted.]");

        await manager.RedactLatestMessageAsync(redaction, agent);

        var stored = await repository.ReadMessageAsync("guarded", "default", 0);
        Assert.Equal("[User input redacted.]", stored!.Message.Content[0].Text);
        Assert.Equal("[User input redacted.]", stored.RedactMessage!.Content[0].Text);
        var file = File.ReadAllText(Path.Combine(_directory, "session_guarded", "agents", "agent_default", "messages", "message_0.json"));
        Assert.DoesNotContain("CACTUS", file, StringComparison.Ordinal);

        var restoreManager = new RepositorySessionManager("guarded", repository, _clock);
        var restored = NewAgent(restoreManager, new ScriptedModel());
        await restoreManager.InitializeAsync(restored);
        Assert.Equal("[User input redacted.]", restored.Messages.Single().Content[0].Text);
    }

    [Fact]
    public async Task Redacting_before_any_message_was_stored_fails()
    {
        var manager = new RepositorySessionManager("s", new InMemorySessionRepository(), _clock);
        var agent = NewAgent(manager, new ScriptedModel());
        await manager.InitializeAsync(agent);

        await Assert.ThrowsAsync<SessionException>(() => manager.RedactLatestMessageAsync(Message.User("x"), agent));
    }

    [Fact]
    public async Task The_agent_is_stored_only_when_its_state_changed()
    {
        var repository = new FlakyRepository(new InMemorySessionRepository());
        var manager = new RepositorySessionManager("s", repository, _clock);
        var agent = NewAgent(manager, new ScriptedModel(Turn.Text("a"), Turn.Text("b")));
        await agent.InvokeAsync("one");
        var afterFirst = repository.AgentUpdates;

        await agent.InvokeAsync("two");
        var unchanged = repository.AgentUpdates - afterFirst;
        agent.State.Set("k", JsonValues.Parse("1"));
        await manager.SyncAgentAsync(agent);

        Assert.Equal(0, unchanged);
        Assert.Equal(afterFirst + 1, repository.AgentUpdates);
        Assert.Equal(1, (await repository.ReadAgentAsync("s", "default"))!.State["k"].GetInt32());
    }

    [Fact]
    public async Task Messages_the_sliding_window_removed_are_not_restored_and_ids_keep_counting()
    {
        var repository = new InMemorySessionRepository();
        var first = NewAgent(new RepositorySessionManager("s", repository, _clock), new ScriptedModel(Turn.Text("a1"), Turn.Text("a2"), Turn.Text("a3")), window: 4);
        await first.InvokeAsync("u1");
        await first.InvokeAsync("u2");
        await first.InvokeAsync("u3");
        Assert.Equal(["u2", "a2", "u3", "a3"], first.Messages.Select(m => m.Content[0].Text));

        var second = NewAgent(new RepositorySessionManager("s", repository, _clock), new ScriptedModel(Turn.Text("a4")), window: 4);
        await second.InvokeAsync("u4");

        Assert.Equal(["u3", "a3", "u4", "a4"], second.Messages.Select(m => m.Content[0].Text));
        var stored = await repository.ListMessagesAsync("s", "default");
        Assert.Equal(Enumerable.Range(0, 8), stored.Select(m => m.MessageId));
        Assert.Equal(4, (await repository.ReadAgentAsync("s", "default"))!.ConversationManagerState["removed_message_count"].GetInt32());
    }

    [Fact]
    public async Task A_restored_history_with_unanswered_tool_uses_is_repaired()
    {
        var repository = new InMemorySessionRepository();
        await repository.CreateSessionAsync(new Session { SessionId = "s" });
        await repository.CreateAgentAsync("s", new SessionAgent { AgentId = "default", ConversationManagerState = Values("""{"__name__":"SlidingWindowConversationManager","removed_message_count":0}""") });
        Message[] history =
        [
            Message.User(new ContentBlock { ToolResult = new ToolResultBlock { ToolUseId = "orphan", Content = [ToolResultContentBlock.FromText("late")] } }),
            Message.User("weather?"),
            Message.Assistant(ToolUse("t1"), ToolUse("t2")),
            Message.User(ToolResult("t1")),
            Message.Assistant(ToolUse("t3")),
            Message.Assistant("crashed before the result"),
            Message.User("again?"),
            Message.Assistant(ToolUse("t4")),
        ];
        for (var i = 0; i < history.Length; i++)
        {
            await repository.CreateMessageAsync("s", "default", new SessionMessage { Message = history[i], MessageId = i });
        }

        var manager = new RepositorySessionManager("s", repository, _clock);
        var agent = NewAgent(manager, new ScriptedModel());
        await manager.InitializeAsync(agent);

        var restored = agent.Messages;
        Assert.Equal("weather?", restored[0].Content[0].Text);
        Assert.Equal(["t1", "t2"], restored[2].Content.Select(b => b.ToolResult!.ToolUseId));
        Assert.Equal("Tool was interrupted.", restored[2].Content[1].ToolResult!.Content[0].Text);
        Assert.Equal(ToolResultStatus.Error, restored[2].Content[1].ToolResult!.Status);
        Assert.Equal("t3", restored[4].Content[0].ToolResult!.ToolUseId);
        Assert.Equal("crashed before the result", restored[5].Content[0].Text);
        Assert.Equal("t4", restored[^1].Content[0].ToolUse!.ToolUseId);
        Assert.Equal(8, restored.Count);
    }

    [Fact]
    public async Task A_state_written_by_another_conversation_manager_is_refused_and_the_agent_is_unchanged()
    {
        var repository = new InMemorySessionRepository();
        var writer = NewAgent(new RepositorySessionManager("s", repository, _clock), new ScriptedModel(Turn.Text("hi")), conversationManager: new NullConversationManager());
        await writer.InvokeAsync("hello");

        var manager = new RepositorySessionManager("s", repository, _clock);
        var reader = NewAgent(manager, new ScriptedModel(), messages: [Message.User("mine")]);
        var error = await Assert.ThrowsAsync<SessionException>(() => manager.InitializeAsync(reader));

        Assert.Contains("NullConversationManager", error.Message, StringComparison.Ordinal);
        Assert.Equal("mine", reader.Messages.Single().Content[0].Text);
    }

    [Fact]
    public async Task A_failed_restore_leaves_the_agent_as_it_was_and_can_be_retried()
    {
        var inner = new InMemorySessionRepository();
        var writer = NewAgent(new RepositorySessionManager("s", inner, _clock), new ScriptedModel(Turn.Text("hi")));
        writer.State.Set("k", JsonValues.Parse("\"stored\""));
        await writer.InvokeAsync("hello");

        var repository = new FlakyRepository(inner) { FailNextList = new IOException("network") };
        var manager = new RepositorySessionManager("s", repository, _clock);
        var reader = NewAgent(manager, new ScriptedModel(), messages: [Message.User("mine")]);
        reader.State.Set("k", JsonValues.Parse("\"local\""));

        await Assert.ThrowsAsync<SessionException>(() => manager.InitializeAsync(reader));
        Assert.Equal("mine", reader.Messages.Single().Content[0].Text);
        Assert.Equal("local", reader.State.Get("k")!.Value.GetString());

        await manager.InitializeAsync(reader);
        Assert.Equal(["hello", "hi"], reader.Messages.Select(m => m.Content[0].Text));
        Assert.Equal("stored", reader.State.Get("k")!.Value.GetString());
    }

    [Fact]
    public async Task A_direct_tool_call_before_the_first_invocation_is_recorded_after_the_restored_history()
    {
        var repository = new InMemorySessionRepository();
        var first = NewAgent(new RepositorySessionManager("s", repository, _clock), new ScriptedModel(Turn.Text("hi")));
        await first.InvokeAsync("hello");

        var second = NewAgent(new RepositorySessionManager("s", repository, _clock), new ScriptedModel(), tools: [BuiltInTools.Calculator]);
        await second.Tool["calculator"].InvokeAsync(new { expression = "2+2" });

        var stored = await repository.ListMessagesAsync("s", "default");
        Assert.Equal(TestJson.Of(second.Messages), TestJson.Of(stored.Select(m => m.Message)));
        Assert.Equal(["hello", "hi"], second.Messages.Take(2).Select(m => m.Content[0].Text));
        Assert.Equal(6, second.Messages.Count);
    }

    [Fact]
    public async Task A_model_answer_that_a_hook_discards_is_never_stored()
    {
        var repository = new InMemorySessionRepository();
        var manager = new RepositorySessionManager("s", repository, _clock);
        var agent = NewAgent(manager, new ScriptedModel(Turn.Text("draft"), Turn.Text("final")));
        var retried = false;
        agent.Hooks.AddCallback<Strands.Hooks.AfterModelCallEvent>(e =>
        {
            if (!retried)
            {
                retried = true;
                e.Retry = true;
            }
        });

        await agent.InvokeAsync("question");

        Assert.Equal(["question", "final"], (await repository.ListMessagesAsync("s", "default")).Select(m => m.Message.Content[0].Text));
    }

    [Fact]
    public async Task A_failing_store_fails_the_invocation_with_a_session_error()
    {
        var repository = new FlakyRepository(new InMemorySessionRepository());
        var manager = new RepositorySessionManager("s", repository, _clock);
        var agent = NewAgent(manager, new ScriptedModel(Turn.Text("never asked")));
        await manager.InitializeAsync(agent);
        repository.FailNextCreateMessage = new IOException("disk full");

        var error = await Assert.ThrowsAsync<SessionException>(() => agent.InvokeAsync("hello"));

        Assert.IsType<IOException>(error.InnerException);
        Assert.Empty(await repository.ListMessagesAsync("s", "default"));
    }

    [Fact]
    public async Task The_invalid_session_id_is_refused_at_once()
    {
        Assert.Throws<ArgumentException>(() => new RepositorySessionManager("../etc", new InMemorySessionRepository()));
        await Task.CompletedTask;
    }

    internal static Agent NewAgent(
        RepositorySessionManager manager,
        ScriptedModel model,
        IEnumerable<Message>? messages = null,
        string? agentId = null,
        int window = 40,
        IConversationManager? conversationManager = null,
        IEnumerable<AgentTool>? tools = null) =>
        new(model, new AgentOptions
        {
            CallbackHandler = null,
            Messages = messages,
            AgentId = agentId,
            SessionManager = manager,
            Tools = tools,
            ConversationManager = conversationManager ?? new SlidingWindowConversationManager(window),
            RetryStrategy = ModelRetryStrategy.None,
        });

    private static ContentBlock ToolUse(string id) => new() { ToolUse = new ToolUseBlock { ToolUseId = id, Name = "get_weather", Input = JsonValues.Parse("{}") } };

    private static ContentBlock ToolResult(string id) => new() { ToolResult = new ToolResultBlock { ToolUseId = id, Status = ToolResultStatus.Success, Content = [ToolResultContentBlock.FromText("ok")] } };

    private static IReadOnlyDictionary<string, JsonElement> Values(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
    }
}
