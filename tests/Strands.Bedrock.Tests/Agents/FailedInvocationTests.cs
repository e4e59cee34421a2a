using Strands.Agents;
using Strands.Bedrock.Testing;
using Strands.Content;
using Strands.Models;

namespace Strands.Tests.Agents;

/// <summary>
/// What a failed or cut-short invocation leaves behind, end to end over loopback against the strict
/// <see cref="FakeBedrockServer"/>: a history Bedrock accepts, so that the next prompt succeeds, and nothing of a
/// truncated response in it.
/// </summary>
public sealed class FailedInvocationTests : IAsyncLifetime
{
    private FakeBedrockServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeBedrockServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>An agent on the fake with one client attempt and no agent retries: every fault reaches the caller.</summary>
    private Agent NewAgent(bool streaming = true) => new(
        new BedrockModel(new BedrockModelConfig { ModelId = "us.amazon.nova-pro-v1:0", Streaming = streaming }, _server.CreateClientOptions(maxAttempts: 1)),
        new AgentOptions { CallbackHandler = null, RetryStrategy = ModelRetryStrategy.None });

    private IReadOnlyList<Message> LastRequestMessages() => _server.Requests[^1].ConverseStreamRequest?.Messages ?? _server.Requests[^1].ConverseRequest!.Messages!;

    public static TheoryData<string> Faults() => ["dropped connection", "throttled", "model stream error", "error frame"];

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task After_a_failed_invocation_the_next_prompt_is_accepted_and_answers_both(string fault)
    {
        _server.Enqueue(fault switch
        {
            "dropped connection" => FakeResponse.Text("Half an ans").WithTextDeltaLength(3).DropConnectionAfterBytes(150),
            "throttled" => FakeResponse.Error("ThrottlingException", 429, "Too many requests, please wait before trying again."),
            "model stream error" => FakeResponse.Text("Half").WithStreamExceptionAfter(2),
            _ => FakeResponse.Text("Half").WithErrorFrameAfter(2),
        });
        var agent = NewAgent();

        await Assert.ThrowsAnyAsync<Exception>(() => agent.InvokeAsync("What is the capital of France?"));

        // The prompt stays as the last, unanswered message: nothing half-streamed was added.
        var unanswered = Assert.Single(agent.Messages);
        Assert.Equal("What is the capital of France?", unanswered.Content[0].Text);

        _server.Enqueue(FakeResponse.Text("Paris, and Berlin."));
        var result = await agent.InvokeAsync("And of Germany?");

        Assert.Equal("Paris, and Berlin.", result.ToString());
        var sent = Assert.Single(LastRequestMessages());
        Assert.Equal(["What is the capital of France?", "And of Germany?"], sent.Content.Select(b => b.Text!).ToArray());
        Assert.Equal(2, agent.Messages.Count);
        ConversationRules.Validate(agent.Messages.ToList());
    }

    [Fact]
    public async Task A_cancelled_invocation_leaves_a_history_the_next_prompt_can_follow()
    {
        var agent = NewAgent();
        using var cancellation = new CancellationTokenSource();
        _server.Enqueue(FakeResponse.Text("A long answer that never arrives").WithTextDeltaLength(4).WithEventDelay(TimeSpan.FromMilliseconds(50)));

        var events = agent.StreamAsync("Tell me a story.", cancellation.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var agentEvent in events)
            {
                if (agentEvent is TextDeltaEvent)
                {
                    await cancellation.CancelAsync();
                }
            }
        });

        _server.Enqueue(FakeResponse.Text("Once upon a time."));
        var result = await agent.InvokeAsync("A short one, please.");

        Assert.Equal("Once upon a time.", result.ToString());
        Assert.Equal(["Tell me a story.", "A short one, please."], Assert.Single(LastRequestMessages()).Content.Select(b => b.Text!).ToArray());
        ConversationRules.Validate(agent.Messages.ToList());
    }

    [Fact]
    public async Task Sending_the_failed_prompt_again_retries_it_without_repeating_it()
    {
        var agent = NewAgent();
        _server.Enqueue(FakeResponse.Error("ThrottlingException", 429, "Too many requests, please wait before trying again."), FakeResponse.Text("Paris."));

        await Assert.ThrowsAsync<ModelThrottledException>(() => agent.InvokeAsync("What is the capital of France?"));
        var result = await agent.InvokeAsync("What is the capital of France?");

        Assert.Equal("Paris.", result.ToString());
        Assert.Equal(["What is the capital of France?"], Assert.Single(LastRequestMessages()).Content.Select(b => b.Text!).ToArray());
    }

    [Fact]
    public async Task Invoking_without_input_after_a_failure_asks_the_model_again()
    {
        var agent = NewAgent();
        _server.Enqueue(FakeResponse.Text("Half").WithStreamExceptionAfter(2), FakeResponse.Text("Paris."));

        await Assert.ThrowsAnyAsync<Exception>(() => agent.InvokeAsync("What is the capital of France?"));
        var result = await agent.InvokeAsync();

        Assert.Equal("Paris.", result.ToString());
        Assert.Equal(2, agent.Messages.Count);
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(true, 3)]
    [InlineData(false, 1)]
    public async Task A_response_that_ends_before_messageStop_is_an_IncompleteResponseException_and_adds_nothing(bool streaming, int events)
    {
        var agent = NewAgent(streaming);
        _server.Enqueue(FakeResponse.Text("Hello there, how").WithTextDeltaLength(5).EndStreamAfter(events));

        await Assert.ThrowsAsync<IncompleteResponseException>(() => agent.InvokeAsync("Hi"));

        Assert.Equal("Hi", Assert.Single(agent.Messages).Content[0].Text);
        Assert.Single(_server.Requests); // not retried silently

        _server.Enqueue(FakeResponse.Text("Hello!"));
        Assert.Equal("Hello!", (await agent.InvokeAsync()).ToString());
        ConversationRules.Validate(agent.Messages.ToList());
    }

    [Fact]
    public async Task BedrockModel_streams_what_arrived_then_throws_IncompleteResponseException()
    {
        using var model = new BedrockModel(new BedrockModelConfig { ModelId = "us.amazon.nova-pro-v1:0" }, _server.CreateClientOptions(maxAttempts: 1));
        _server.Enqueue(FakeResponse.Text("Hello").EndStreamAfter(2));
        var received = new List<StreamEvent>();

        await Assert.ThrowsAsync<IncompleteResponseException>(async () =>
        {
            await foreach (var streamEvent in model.StreamAsync([Message.User("Hi")]))
            {
                received.Add(streamEvent);
            }
        });

        Assert.Equal(2, received.Count);
        Assert.IsType<MessageStartEvent>(received[0]);
    }
}
