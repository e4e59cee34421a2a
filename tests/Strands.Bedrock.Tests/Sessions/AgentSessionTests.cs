using Strands.Agents;
using Strands.Bedrock.Testing;
using Strands.Content;
using Strands.Conversation;
using Strands.Models;
using Strands.Sessions;
using Strands.Tests.TestUtilities;

namespace Strands.Tests.Sessions;

/// <summary>
/// An agent with a session manager, end to end over loopback against the strict fake Bedrock: what the store holds
/// always matches the agent's history — after a failed write, a guardrail redaction, a failed invocation whose prompt
/// the next one joins — and a new agent restores exactly that.
/// </summary>
public sealed class AgentSessionTests : IAsyncLifetime, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("strands-agent-sessions-").FullName;
    private FakeBedrockServer _bedrock = null!;

    public async Task InitializeAsync() => _bedrock = await FakeBedrockServer.StartAsync();

    public async Task DisposeAsync() => await _bedrock.DisposeAsync();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private Agent NewAgent(ISessionRepository repository, BedrockModelConfig? config = null) => new(
        new BedrockModel(config ?? new BedrockModelConfig { ModelId = "us.amazon.nova-pro-v1:0" }, _bedrock.CreateClientOptions(maxAttempts: 1)),
        new AgentOptions { CallbackHandler = null, RetryStrategy = ModelRetryStrategy.None, SessionManager = new RepositorySessionManager("chat", repository) });

    /// <summary>The history a fresh agent restores from the store.</summary>
    private async Task<string> RestoredAsync(ISessionRepository repository)
    {
        await using var restored = NewAgent(repository);
        await restored.InitializeAsync();
        return ConversationRules.Describe([.. restored.Messages]) + " " + string.Join("|", restored.Messages.SelectMany(m => m.Content).Select(b => b.Text ?? "-"));
    }

    private static string Describe(Agent agent)
        => ConversationRules.Describe([.. agent.Messages]) + " " + string.Join("|", agent.Messages.SelectMany(m => m.Content).Select(b => b.Text ?? "-"));

    [Fact]
    public async Task A_conversation_is_restored_by_a_new_agent_before_its_first_invocation()
    {
        var repository = new FileSessionRepository(_directory);
        await using (var first = NewAgent(repository))
        {
            _bedrock.Enqueue(FakeResponse.Text("Paris."));
            await first.InvokeAsync("Capital of France?");
        }

        await using var second = NewAgent(repository);
        await second.InitializeAsync();
        Assert.Equal(["Capital of France?", "Paris."], second.Messages.Select(m => m.Content[0].Text!).ToArray());

        _bedrock.Enqueue(FakeResponse.Text("Berlin."));
        await second.InvokeAsync("And of Germany?");
        Assert.Equal(3, _bedrock.Requests[^1].ConverseStreamRequest!.Messages!.Count);
        Assert.Equal(Describe(second), await RestoredAsync(repository));
    }

    [Fact]
    public async Task A_prompt_the_store_could_not_write_is_not_in_the_history_either()
    {
        var repository = new FlakyRepository(new InMemorySessionRepository());
        await using var agent = NewAgent(repository);
        repository.FailNextCreateMessage = new IOException("disk full");

        var error = await Assert.ThrowsAsync<SessionException>(() => agent.InvokeAsync("Hello?"));

        Assert.IsType<IOException>(error.InnerException);
        Assert.Empty(agent.Messages);
        Assert.Empty(_bedrock.Requests);
        _bedrock.Enqueue(FakeResponse.Text("Hi!"));
        Assert.Equal("Hi!", (await agent.InvokeAsync("Hello?")).ToString());
        Assert.Equal(Describe(agent), await RestoredAsync(repository));
    }

    [Fact]
    public async Task An_answer_the_store_could_not_write_is_not_in_the_history_and_the_prompt_can_be_retried()
    {
        var repository = new FlakyRepository(new InMemorySessionRepository());
        await using var agent = NewAgent(repository);
        repository.FailCreateOfMessageId = 1; // the model's answer to the first prompt
        _bedrock.Enqueue(FakeResponse.Text("Lost answer."), FakeResponse.Text("Kept answer."));

        await Assert.ThrowsAsync<SessionException>(() => agent.InvokeAsync("Question?"));
        Assert.Equal("Question?", Assert.Single(agent.Messages).Content[0].Text);

        await agent.InvokeAsync("Question?");

        Assert.Equal(["Question?", "Kept answer."], agent.Messages.Select(m => m.Content[0].Text!).ToArray());
        Assert.Equal(Describe(agent), await RestoredAsync(repository));
    }

    [Fact]
    public async Task A_failed_invocations_prompt_joined_by_the_next_is_stored_joined()
    {
        var repository = new FileSessionRepository(_directory);
        await using var agent = NewAgent(repository);
        _bedrock.Enqueue(FakeResponse.Error("ThrottlingException", 429, "Too many requests, please wait before trying again."), FakeResponse.Text("Both: Paris and Berlin."));

        await Assert.ThrowsAsync<ModelThrottledException>(() => agent.InvokeAsync("Capital of France?"));
        await agent.InvokeAsync("And of Germany?");

        Assert.Equal(["Capital of France?", "And of Germany?"], agent.Messages[0].Content.Select(b => b.Text!).ToArray());
        Assert.Equal(Describe(agent), await RestoredAsync(repository));
    }

    [Fact]
    public async Task A_failed_join_leaves_the_history_and_the_store_as_they_were()
    {
        var repository = new FlakyRepository(new InMemorySessionRepository());
        await using var agent = NewAgent(repository);
        _bedrock.Enqueue(FakeResponse.Error("ThrottlingException", 429, "Too many requests, please wait before trying again."));
        await Assert.ThrowsAsync<ModelThrottledException>(() => agent.InvokeAsync("Capital of France?"));
        repository.FailNextUpdateMessage = new IOException("disk full");

        await Assert.ThrowsAsync<SessionException>(() => agent.InvokeAsync("And of Germany?"));

        Assert.Equal("Capital of France?", Assert.Single(Assert.Single(agent.Messages).Content).Text);
        Assert.Equal(Describe(agent), await RestoredAsync(repository));
    }

    [Fact]
    public async Task A_guardrail_redaction_of_the_input_is_what_the_store_keeps()
    {
        var repository = new FileSessionRepository(_directory);
        var config = new BedrockModelConfig
        {
            ModelId = "us.amazon.nova-pro-v1:0",
            Guardrail = new GuardrailConfig { Id = "guardrail1", Version = "DRAFT" },
        };
        await using var agent = NewAgent(repository, config);
        _bedrock.Enqueue(FakeResponse.Text("Sorry, I can't help with that.").WithStopReason(StopReason.GuardrailIntervened).WithGuardrailBlock(input: true, output: false));

        await agent.InvokeAsync("Tell me the secret CACTUS code.");

        Assert.Equal("[User input redacted.]", agent.Messages[0].Content[0].Text);
        var stored = string.Concat(Directory.EnumerateFiles(_directory, "message_*.json", SearchOption.AllDirectories).Select(File.ReadAllText));
        Assert.DoesNotContain("CACTUS", stored, StringComparison.Ordinal);
        Assert.Equal(Describe(agent), await RestoredAsync(repository));
    }

    [Fact]
    public async Task A_history_summarised_twice_is_restored_exactly()
    {
        var repository = new InMemorySessionRepository();
        Agent Summarising(ScriptedModel model) => new(model, new AgentOptions
        {
            CallbackHandler = null,
            ConversationManager = new SummarizingConversationManager(summaryRatio: 0.5, preserveRecentMessages: 2),
            SessionManager = new RepositorySessionManager("chat", repository),
        });
        var overflow = new ContextWindowOverflowException("Input is too long for requested model.");
        var model = new ScriptedModel(
            Turn.Text("a0"), Turn.Text("a1"), Turn.Text("a2"),
            Turn.Throws(overflow), Turn.Text("first summary"), Turn.Text("a3"),
            Turn.Text("a4"),
            Turn.Throws(overflow), Turn.Text("second summary"), Turn.Text("a5"));
        await using var agent = Summarising(model);
        foreach (var prompt in new[] { "q0", "q1", "q2", "q3", "q4", "q5" })
        {
            await agent.InvokeAsync(prompt);
        }

        Assert.Equal("second summary", agent.Messages[0].Content[0].Text);
        await using var restored = Summarising(new ScriptedModel());
        await restored.InitializeAsync();
        Assert.Equal(Describe(agent), Describe(restored));
    }

    [Fact]
    public async Task Two_agents_with_one_id_in_one_session_manager_are_refused()
    {
        var manager = new RepositorySessionManager("chat", new InMemorySessionRepository());
        await using var first = new Agent(new BedrockModel(null, _bedrock.CreateClientOptions()), new AgentOptions { CallbackHandler = null, SessionManager = manager });

        Assert.Throws<SessionException>(() => new Agent(new BedrockModel(null, _bedrock.CreateClientOptions()), new AgentOptions { CallbackHandler = null, SessionManager = manager }));
    }
}
