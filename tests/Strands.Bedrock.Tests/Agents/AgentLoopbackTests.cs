using System.ComponentModel;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Strands.Agents;
using Strands.Bedrock.EventStream;
using Strands.Bedrock.Json;
using Strands.Bedrock.Testing;
using Strands.Content;
using Strands.Conversation;
using Strands.Models;
using Strands.Tests.Models;
using Strands.Tests.TestUtilities;
using Strands.Tools;
using static Strands.Tests.TestUtilities.LoopbackAssertions;
using Strands.Bedrock.Testing.Internal;

namespace Strands.Tests.Agents;

/// <summary>
/// The <see cref="Agent"/> end to end: a <see cref="BedrockModel"/> over loopback HTTP to <see cref="FakeBedrockServer"/>,
/// with real tools, retries, guardrails, conversation management and cancellation. Each test checks the requests the
/// server received as well as the agent's events and history.
/// </summary>
public sealed class AgentLoopbackTests : IAsyncLifetime
{
    private const string ClaudeId = "us.anthropic.claude-sonnet-4-20250514-v1:0";
    private const string NovaId = "us.amazon.nova-pro-v1:0";

    /// <summary>Only bounds a wait that a correct implementation always ends; it fails a broken one instead of hanging the run.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    private FakeBedrockServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeBedrockServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>A model on the fake; one client attempt, so throttling is left to the agent's retry strategy.</summary>
    private BedrockModel Model(bool streaming = true, string modelId = ClaudeId, FakeBedrockServer? server = null) =>
        new(new BedrockModelConfig { ModelId = modelId, Streaming = streaming }, (server ?? _server).CreateClientOptions(maxAttempts: 1));

    private static JsonNode Json(string text) => JsonNode.Parse(text)!;

    private static JsonNode? MessagesJson(IEnumerable<Message> messages) =>
        System.Text.Json.JsonSerializer.SerializeToNode(messages.ToList(), BedrockJsonContext.Default.ListMessage);

    private static async Task<List<AgentEvent>> CollectAsync(IAsyncEnumerable<AgentEvent> events)
    {
        var list = new List<AgentEvent>();
        await foreach (var e in events)
        {
            list.Add(e);
        }

        return list;
    }

    public static class TravelTools
    {
        [Tool, Description("Gets the current weather of a city.")]
        public static string GetWeather([Description("The city.")] string city) => $"{city}: 21°C and sunny";

        [Tool, Description("Gets the local time in a time zone.")]
        public static string GetTime([Description("An IANA time zone.")] string timezone) => $"09:30 in {timezone}";
    }

    // ---- Tools ----

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Two_tools_in_one_turn_then_a_final_answer(bool streaming)
    {
        _server.Enqueue(
            FakeResponse.Blocks(
                FakeBlocks.Text("Let me check both."),
                FakeBlocks.ToolUse("get_weather", """{"city":"Paris"}""", "tooluse_weather"),
                FakeBlocks.ToolUse("get_time", """{"timezone":"Europe/Paris"}""", "tooluse_time")),
            FakeResponse.Text("It is 09:30 in Paris, 21°C and sunny."));
        using var model = Model(streaming);
        var agent = new Agent(model, new AgentOptions { CallbackHandler = null, Tools = AgentTool.FromType(typeof(TravelTools)), SystemPrompt = "You are a travel assistant." });

        var events = await CollectAsync(agent.StreamAsync("Weather and time in Paris?"));

        var result = Assert.IsType<AgentResultEvent>(events[^1]).Result;
        Assert.Equal("It is 09:30 in Paris, 21°C and sunny.", result.ToString());
        Assert.Equal(StopReason.EndTurn, result.StopReason);
        Assert.Equal(2, _server.Requests.Count);
        var second = Body(_server.Requests[1]);
        JsonAssert.Equal(
            Json("""
                [{"role":"user","content":[{"text":"Weather and time in Paris?"}]},
                 {"role":"assistant","content":[
                   {"text":"Let me check both."},
                   {"toolUse":{"toolUseId":"tooluse_weather","name":"get_weather","input":{"city":"Paris"}}},
                   {"toolUse":{"toolUseId":"tooluse_time","name":"get_time","input":{"timezone":"Europe/Paris"}}}]},
                 {"role":"user","content":[
                   {"toolResult":{"toolUseId":"tooluse_weather","content":[{"text":"Paris: 21°C and sunny"}],"status":"success"}},
                   {"toolResult":{"toolUseId":"tooluse_time","content":[{"text":"09:30 in Europe/Paris"}],"status":"success"}}]}]
                """),
            second["messages"]);
        JsonAssert.Equal(Json("""[{"text":"You are a travel assistant."}]"""), second["system"]);
        Assert.Equal(["get_time", "get_weather"], second["toolConfig"]!["tools"]!.AsArray().Select(t => t!["toolSpec"]!["name"]!.GetValue<string>()).Order());

        // The history is what was sent, plus the final answer, and Bedrock would accept it.
        Assert.Equal(4, agent.Messages.Count);
        AssertHistoryValid(agent.Messages);
        JsonAssert.Equal(second["messages"], MessagesJson(agent.Messages.Take(3)));
        Assert.Equal(2, events.OfType<ToolResultEvent>().Count());
        Assert.Single(events.OfType<ToolResultMessageEvent>());
    }

    public sealed class RendezvousTools
    {
        public TaskCompletionSource WeatherStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource TimeStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource TimeResultSeen { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        [Tool, Description("Gets the current weather of a city, slowly.")]
        public async Task<string> SlowWeather(string city, CancellationToken cancellationToken)
        {
            WeatherStarted.TrySetResult();

            // Both tools must be running at once for this to return...
            await TimeStarted.Task.WaitAsync(HangGuard, cancellationToken);

            // ...and this one finishes only after the agent reported the other's result: completion order is the reverse of request order.
            await TimeResultSeen.Task.WaitAsync(HangGuard, cancellationToken);
            return $"Sunny in {city}";
        }

        [Tool, Description("Gets the local time in a time zone, slowly.")]
        public async Task<string> SlowTime(string timezone, CancellationToken cancellationToken)
        {
            TimeStarted.TrySetResult();
            await WeatherStarted.Task.WaitAsync(HangGuard, cancellationToken);
            return $"Noon in {timezone}";
        }
    }

    [Fact]
    public async Task Tools_of_one_turn_run_concurrently_and_their_results_go_back_in_request_order()
    {
        _server.Enqueue(
            FakeResponse.Blocks(
                FakeBlocks.ToolUse("slow_weather", """{"city":"Oslo"}""", "tooluse_1"),
                FakeBlocks.ToolUse("slow_time", """{"timezone":"Europe/Oslo"}""", "tooluse_2")),
            FakeResponse.Text("Sunny at noon."));
        using var model = Model();
        var tools = new RendezvousTools();
        var completionOrder = new List<string>();
        var agent = new Agent(model, new AgentOptions
        {
            CallbackHandler = e =>
            {
                if (e is ToolResultEvent r)
                {
                    completionOrder.Add(r.Result.ToolUseId);
                    if (r.ToolUse.Name == "slow_time")
                    {
                        tools.TimeResultSeen.TrySetResult();
                    }
                }
            },
            Tools = AgentTool.FromObject(tools),
        });

        var result = await agent.InvokeAsync("Weather and time in Oslo?");

        Assert.Equal("Sunny at noon.", result.ToString());
        Assert.Equal(["tooluse_2", "tooluse_1"], completionOrder);
        var results = Body(_server.Requests[1])["messages"]!.AsArray()[^1]!["content"]!.AsArray();
        Assert.Equal(["tooluse_1", "tooluse_2"], results.Select(r => r!["toolResult"]!["toolUseId"]!.GetValue<string>()));
        Assert.Equal(["Sunny in Oslo", "Noon in Europe/Oslo"], results.Select(r => r!["toolResult"]!["content"]![0]!["text"]!.GetValue<string>()));
        AssertHistoryValid(agent.Messages);
    }

    [Fact]
    public async Task Agents_sharing_one_model_run_concurrently_over_one_client()
    {
        // Each request is answered from its own last user message, so crossed wires would show.
        _server.RespondWith(request =>
            FakeResponse.Text("echo: " + request.ConverseStreamRequest!.Messages![^1].Content[0].Text).WithTextDeltaLength(3));
        using var model = Model();
        var agents = Enumerable.Range(0, 4).Select(_ => new Agent(model, new AgentOptions { CallbackHandler = null })).ToArray();

        var results = await Task.WhenAll(agents.Select(async (agent, i) =>
        {
            var first = await agent.InvokeAsync($"agent {i} first");
            var second = await agent.InvokeAsync($"agent {i} second");
            return (first.ToString(), second.ToString());
        }));

        for (var i = 0; i < agents.Length; i++)
        {
            Assert.Equal(($"echo: agent {i} first", $"echo: agent {i} second"), results[i]);
            Assert.Equal(4, agents[i].Messages.Count);
            AssertHistoryValid(agents[i].Messages);
        }

        Assert.Equal(8, _server.Requests.Count);
    }

    // ---- Throttling ----

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Throttled_once_the_agent_backs_off_on_its_clock_and_then_answers(bool streaming)
    {
        var clock = new AutoAdvancingTimeProvider();
        _server.Enqueue(
            FakeResponse.Error("ThrottlingException", 429, "Too many requests, please wait before trying again."),
            FakeResponse.Text("Finally through."));
        using var model = Model(streaming);
        var agent = new Agent(model, new AgentOptions { CallbackHandler = null, TimeProvider = clock });

        var events = await CollectAsync(agent.StreamAsync("Hi"));

        var throttle = Assert.Single(events.OfType<ThrottleDelayEvent>());
        Assert.Equal(TimeSpan.FromSeconds(4), throttle.Delay);
        Assert.Equal([TimeSpan.FromSeconds(4)], clock.Delays);
        Assert.True(events.IndexOf(throttle) < events.FindIndex(e => e is TextDeltaEvent));
        Assert.Equal("Finally through.", Assert.IsType<AgentResultEvent>(events[^1]).Result.ToString());
        Assert.Equal(new int?[] { 429, 200 }, _server.Requests.Select(r => r.StatusCode));
        Assert.Equal("ThrottlingException", _server.Requests[0].ErrorType);
        JsonAssert.Equal(Body(_server.Requests[0])["messages"], Body(_server.Requests[1])["messages"]);
        Assert.Equal(2, agent.Messages.Count);
        AssertHistoryValid(agent.Messages);
    }

    [Fact]
    public async Task Throttled_mid_stream_the_partial_answer_is_dropped_and_the_retry_answer_is_kept()
    {
        var clock = new AutoAdvancingTimeProvider();
        _server.Enqueue(
            FakeResponse.Text("A partial answer that is thrown away").WithTextDeltaLength(8)
                .WithStreamExceptionAfter(3, "throttlingException", "Too many tokens, please wait before trying again."),
            FakeResponse.Text("The complete answer."));
        using var model = Model();
        var agent = new Agent(model, new AgentOptions { CallbackHandler = null, TimeProvider = clock });

        var events = await CollectAsync(agent.StreamAsync("Hi"));

        // The deltas of the failed attempt were streamed before the throttle; the history only has the retry's answer.
        var throttleAt = events.FindIndex(e => e is ThrottleDelayEvent);
        Assert.Equal("A partial answer", string.Concat(events.Take(throttleAt).OfType<TextDeltaEvent>().Select(t => t.Text)));
        Assert.Equal("The complete answer.", string.Concat(events.Skip(throttleAt).OfType<TextDeltaEvent>().Select(t => t.Text)));
        Assert.Equal([TimeSpan.FromSeconds(4)], clock.Delays);
        Assert.Equal(["Hi", "The complete answer."], agent.Messages.Select(m => m.Content.Single().Text));
        Assert.Equal("The complete answer.", Assert.Single(events.OfType<ModelMessageEvent>()).Message.Content.Single().Text);
        Assert.Equal(2, _server.Requests.Count);
    }

    // ---- Max tokens ----

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Max_tokens_with_a_tool_use_keeps_the_partial_message_with_the_tool_use_replaced_by_text(bool streaming)
    {
        _server.Enqueue(
            FakeResponse.Blocks(FakeBlocks.Text("I will look that up with"), FakeBlocks.ToolUse("get_weather", """{"city":"Par"}""", "tooluse_cut"))
                .WithStopReason(StopReason.MaxTokens),
            FakeResponse.Text("Paris is sunny."));
        using var model = Model(streaming);
        var toolResults = new List<ToolResultEvent>();
        var agent = new Agent(model, new AgentOptions { CallbackHandler = e => { if (e is ToolResultEvent r) toolResults.Add(r); }, Tools = AgentTool.FromType(typeof(TravelTools)) });

        var error = await Assert.ThrowsAsync<MaxTokensReachedException>(() => agent.InvokeAsync("Weather in Paris?"));

        const string replaced = "The selected tool get_weather's tool use was incomplete due to maximum token limits being reached.";
        Assert.Equal(2, agent.Messages.Count);
        Assert.Same(agent.Messages[1], error.PartialMessage);
        Assert.Equal(["I will look that up with", replaced], agent.Messages[1].Content.Select(b => b.Text));
        Assert.Empty(toolResults);

        // The conversation goes on from the kept message; Bedrock sees no dangling tool use.
        var next = await agent.InvokeAsync("Please continue.");
        Assert.Equal("Paris is sunny.", next.ToString());
        JsonAssert.Equal(
            Json($$"""
                [{"role":"user","content":[{"text":"Weather in Paris?"}]},
                 {"role":"assistant","content":[{"text":"I will look that up with"},{"text":"{{replaced}}"}]},
                 {"role":"user","content":[{"text":"Please continue."}]}]
                """),
            Body(_server.Requests[1])["messages"]);
        AssertHistoryValid(agent.Messages);
    }

    [Fact]
    public async Task Max_tokens_in_the_middle_of_a_streamed_tool_input_is_handled_the_same_way()
    {
        // The service stops mid-JSON: the tool input never completes. Built frame by frame, as the service sends it.
        static byte[] Frame(string type, string json) => EventStreamWriter.EncodeEvent(type, Encoding.UTF8.GetBytes(json));
        byte[] body =
        [
            .. Frame("messageStart", """{"role":"assistant"}"""),
            .. Frame("contentBlockDelta", """{"delta":{"text":"Checking the weather"},"contentBlockIndex":0}"""),
            .. Frame("contentBlockStop", """{"contentBlockIndex":0}"""),
            .. Frame("contentBlockStart", """{"start":{"toolUse":{"toolUseId":"tooluse_partial","name":"get_weather"}},"contentBlockIndex":1}"""),
            .. Frame("contentBlockDelta", """{"delta":{"toolUse":{"input":"{\"city\":\"Pa"}},"contentBlockIndex":1}"""),
            .. Frame("contentBlockStop", """{"contentBlockIndex":1}"""),
            .. Frame("messageStop", """{"stopReason":"max_tokens"}"""),
            .. Frame("metadata", """{"usage":{"inputTokens":20,"outputTokens":8,"totalTokens":28},"metrics":{"latencyMs":12}}"""),
        ];
        _server.Enqueue(FakeResponse.RawStream(body));
        using var model = Model();
        var agent = new Agent(model, new AgentOptions { CallbackHandler = null, Tools = AgentTool.FromType(typeof(TravelTools)) });

        var error = await Assert.ThrowsAsync<MaxTokensReachedException>(() => agent.InvokeAsync("Weather in Paris?"));

        Assert.Equal(
            ["Checking the weather", "The selected tool get_weather's tool use was incomplete due to maximum token limits being reached."],
            error.PartialMessage!.Content.Select(b => b.Text));
        Assert.Same(agent.Messages[^1], error.PartialMessage);
        AssertHistoryValid(agent.Messages);
    }

    // ---- Guardrails ----

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Guardrail_block_of_input_and_output_redacts_both_in_the_history_and_the_next_request_sends_the_redactions(bool streaming)
    {
        _server.Enqueue(
            FakeResponse.Text("Here is how to pick a lock...").WithGuardrailBlock(input: true, output: true),
            FakeResponse.Text("Happy to help with cooking."));
        using var model = new BedrockModel(
            new BedrockModelConfig
            {
                ModelId = ClaudeId,
                Streaming = streaming,
                Guardrail = new GuardrailConfig { Id = "grlocks", Version = "2", RedactInputMessage = "[Input blocked]", RedactOutput = true, RedactOutputMessage = "[Output blocked]" },
            },
            _server.CreateClientOptions(maxAttempts: 1));
        var agent = new Agent(model, new AgentOptions { CallbackHandler = null });

        var result = await agent.InvokeAsync("How do I pick my neighbour's lock?");

        Assert.Equal(StopReason.GuardrailIntervened, result.StopReason);
        Assert.Equal("[Output blocked]", result.ToString());
        Assert.Equal("[Input blocked]", Assert.Single(agent.Messages[0].Content).Text);
        Assert.Equal("[Output blocked]", Assert.Single(agent.Messages[1].Content).Text);

        await agent.InvokeAsync("What about cooking?");
        JsonAssert.Equal(
            Json("""
                [{"role":"user","content":[{"text":"[Input blocked]"}]},
                 {"role":"assistant","content":[{"text":"[Output blocked]"}]},
                 {"role":"user","content":[{"text":"What about cooking?"}]}]
                """),
            Body(_server.Requests[1])["messages"]);
        Assert.Equal("grlocks", Body(_server.Requests[1])["guardrailConfig"]!["guardrailIdentifier"]!.GetValue<string>());
    }

    // ---- Context window overflow ----

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Context_overflow_makes_the_sliding_window_trim_and_the_retry_sends_fewer_messages(bool streaming)
    {
        _server.Enqueue(
            FakeResponse.Error("ValidationException", 400, "Input is too long for requested model."),
            FakeResponse.Text("Green."));
        using var model = Model(streaming);
        var manager = new SlidingWindowConversationManager();
        var agent = new Agent(model, new AgentOptions
        {
            CallbackHandler = null,
            ConversationManager = manager,
            Messages = [Message.User("Hello!"), Message.Assistant("Hi!"), Message.User("What's your favourite colour?"), Message.Assistant("Blue!")],
        });

        var result = await agent.InvokeAsync("And now?");

        Assert.Equal("Green.", result.ToString());
        Assert.Equal(new int?[] { 400, 200 }, _server.Requests.Select(r => r.StatusCode));
        Assert.Equal(5, Body(_server.Requests[0])["messages"]!.AsArray().Count);
        JsonAssert.Equal(
            Json("""
                [{"role":"user","content":[{"text":"What's your favourite colour?"}]},
                 {"role":"assistant","content":[{"text":"Blue!"}]},
                 {"role":"user","content":[{"text":"And now?"}]}]
                """),
            Body(_server.Requests[1])["messages"]);
        Assert.Equal(2, manager.RemovedMessageCount);
        Assert.Equal(["What's your favourite colour?", "Blue!", "And now?", "Green."], agent.Messages.Select(m => m.Content[0].Text));
    }

    // ---- Cancellation ----

    [Fact]
    public async Task Cancelling_mid_stream_throws_and_leaves_no_half_assistant_message()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await FakeBedrockServer.StartAsync(new FakeBedrockServerOptions { TimeProvider = clock });
        var step = TimeSpan.FromSeconds(1);
        server.Enqueue(FakeResponse.Text("Once upon a time, a very long story was streamed one tick at a time.").WithTextDeltaLength(4).WithEventDelay(step));
        using var model = Model(server: server);
        var agent = new Agent(model, new AgentOptions { CallbackHandler = null, Messages = [Message.User("Earlier question"), Message.Assistant("Earlier answer")] });
        using var cts = new CancellationTokenSource();
        var seen = new List<AgentEvent>();

        await using (var events = agent.StreamAsync("Tell me a story.", cts.Token).GetAsyncEnumerator(CancellationToken.None))
        {
            // The fake sends one event per tick of its clock; tick until the first piece of text arrives.
            while (seen.LastOrDefault() is not TextDeltaEvent)
            {
                Assert.True(await AdvanceUntilDoneAsync(clock, events.MoveNextAsync().AsTask(), step));
                seen.Add(events.Current);
            }

            // The clock stands still from now on, so the rest of the story never comes; cancelling ends the wait.
            await cts.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            {
                while (await events.MoveNextAsync())
                {
                    seen.Add(events.Current);
                }
            });
        }

        Assert.Equal("Once", seen.OfType<TextDeltaEvent>().First().Text);
        Assert.DoesNotContain(seen, e => e is ModelMessageEvent or AgentResultEvent);
        Assert.Equal(["Earlier question", "Earlier answer", "Tell me a story."], agent.Messages.Select(m => m.Content.Single().Text));
        Assert.Equal(FakeResponseOutcome.ClientDisconnected, await server.Requests[0].Completion.WaitAsync(HangGuard));

        // The agent is usable again: continuing from the history answers the prompt that was cut off.
        server.Enqueue(FakeResponse.Text("The end."));
        var resumed = await agent.InvokeAsync();
        Assert.Equal("The end.", resumed.ToString());
        Assert.Equal(3, Body(server.Requests[1])["messages"]!.AsArray().Count);
        AssertHistoryValid(agent.Messages);
    }

    [Fact]
    public async Task Agent_Cancel_mid_stream_ends_normally_without_waiting_for_the_rest_of_the_stream()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await FakeBedrockServer.StartAsync(new FakeBedrockServerOptions { TimeProvider = clock });
        var step = TimeSpan.FromSeconds(1);
        server.Enqueue(FakeResponse.Text("A story that would take a long time to finish streaming.").WithTextDeltaLength(4).WithEventDelay(step));
        using var model = Model(server: server);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Agent? agent = null;
        agent = new Agent(model, new AgentOptions
        {
            CallbackHandler = e =>
            {
                // Only in the first invocation.
                if (e is TextDeltaEvent && cancelled.TrySetResult())
                {
                    agent!.Cancel();
                }
            },
        });

        var run = agent.InvokeAsync("Tell me a story.");
        await AdvanceUntilDoneAsync(clock, cancelled.Task, step);

        // The fake's clock stands still now: the rest of the story is never sent, and the agent must not wait for it.
        var result = await run.WaitAsync(HangGuard);
        Assert.Equal(AgentStopReasons.Cancelled, result.StopReason);
        Assert.Equal(["Tell me a story.", "Cancelled by user"], agent.Messages.Select(m => m.Content.Single().Text));

        server.Enqueue(FakeResponse.Text("Here is a shorter one."));
        Assert.Equal("Here is a shorter one.", (await agent.InvokeAsync("A short one, then.")).ToString());
        Assert.Equal(3, Body(server.Requests[1])["messages"]!.AsArray().Count);
        AssertHistoryValid(agent.Messages);
    }

    public sealed class BlockingTools
    {
        [Tool, Description("Finishes at once.")]
        public static string Quick(string job) => $"done {job}";

        [Tool, Description("Never finishes unless cancelled.")]
        public static async Task<string> Stuck(string job, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            return $"never {job}";
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Cancelling_while_a_tool_runs_throws_and_every_tool_use_still_gets_a_result(bool streaming)
    {
        _server.Enqueue(FakeResponse.Blocks(
            FakeBlocks.ToolUse("quick", """{"job":"a"}""", "tooluse_quick"),
            FakeBlocks.ToolUse("stuck", """{"job":"b"}""", "tooluse_stuck")));
        using var model = Model(streaming);
        var quickDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var agent = new Agent(model, new AgentOptions
        {
            CallbackHandler = e => { if (e is ToolResultEvent { ToolUse.Name: "quick" }) quickDone.TrySetResult(); },
            Tools = AgentTool.FromType(typeof(BlockingTools)),
        });
        using var cts = new CancellationTokenSource();

        var run = agent.InvokeAsync("Run both jobs.", cts.Token);
        await quickDone.Task.WaitAsync(HangGuard);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Equal(3, agent.Messages.Count);
        AssertHistoryValid(agent.Messages);
        var results = agent.Messages[2].Content.Select(b => b.ToolResult!).ToList();
        Assert.Equal(
            [("tooluse_quick", ToolResultStatus.Success, "done a"), ("tooluse_stuck", ToolResultStatus.Error, "Tool execution cancelled")],
            results.Select(r => (r.ToolUseId, r.Status!.Value, r.Content.Single().Text)));

        // Continuing sends the answered tool uses to Bedrock as they are.
        _server.Enqueue(FakeResponse.Text("Job a is done; job b was cancelled."));
        await agent.InvokeAsync();
        JsonAssert.Equal(
            Json("""
                [{"toolResult":{"toolUseId":"tooluse_quick","content":[{"text":"done a"}],"status":"success"}},
                 {"toolResult":{"toolUseId":"tooluse_stuck","content":[{"text":"Tool execution cancelled"}],"status":"error"}}]
                """),
            Body(_server.Requests[1])["messages"]![2]!["content"]);
        AssertHistoryValid(agent.Messages);
    }

    // ---- Structured output ----

    [Description("Facts about a city.")]
    public sealed record CityFacts(
        [property: Description("The city's name")] string Name,
        [property: Description("The country it is in")] string Country,
        [property: Description("Inhabitants")] int Population);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Structured_output_forces_the_tool_when_the_model_first_answers_in_prose(bool streaming)
    {
        _server.Enqueue(
            FakeResponse.Reasoning("The user asks about Paris.", "Paris is the capital of France, with about 2.1 million inhabitants.", "sig-paris"),
            FakeResponse.ToolUse("CityFacts", """{"name":"Paris","country":"France","population":2100000}""", "tooluse_facts"));
        using var model = new BedrockModel(
            new BedrockModelConfig { ModelId = ClaudeId, Streaming = streaming, Reasoning = new ReasoningConfig { BudgetTokens = 1024 } },
            _server.CreateClientOptions(maxAttempts: 1));
        var agent = new Agent(model, new AgentOptions { CallbackHandler = null, Tools = AgentTool.FromType(typeof(TravelTools)) });

        var facts = await agent.StructuredOutputAsync<CityFacts>("Tell me about Paris.");

        Assert.Equal(new CityFacts("Paris", "France", 2_100_000), facts);
        var (first, second) = (Body(_server.Requests[0]), Body(_server.Requests[1]));
        Assert.Equal(["CityFacts", "get_time", "get_weather"], first["toolConfig"]!["tools"]!.AsArray().Select(t => t!["toolSpec"]!["name"]!.GetValue<string>()).Order());
        JsonAssert.Equal(Json("""{"auto":{}}"""), first["toolConfig"]!["toolChoice"]);
        Assert.Equal(["CityFacts"], second["toolConfig"]!["tools"]!.AsArray().Select(t => t!["toolSpec"]!["name"]!.GetValue<string>()));
        JsonAssert.Equal(Json("""{"any":{}}"""), second["toolConfig"]!["toolChoice"]);

        // Thinking is sent while the model may choose, and left out once a tool is forced (Bedrock rejects both at once).
        JsonAssert.Equal(Json("""{"thinking":{"type":"enabled","budget_tokens":1024}}"""), first["additionalModelRequestFields"]);
        Assert.False(second.ContainsKey("additionalModelRequestFields"));
        JsonAssert.Equal(
            Json("""{"reasoningContent":{"reasoningText":{"text":"The user asks about Paris.","signature":"sig-paris"}}}"""),
            second["messages"]![1]!["content"]![0]);
        JsonAssert.Equal(
            Json("""{"role":"user","content":[{"text":"You must format the previous response as structured output."}]}"""),
            second["messages"]!.AsArray()[^1]);
        Assert.NotNull(second["toolConfig"]!["tools"]![0]!["toolSpec"]!["inputSchema"]!["json"]!["properties"]!["population"]);
        Assert.Equal(5, agent.Messages.Count);
        AssertHistoryValid(agent.Messages);
    }

    // ---- Runtime configuration from tools ----

    [Fact]
    public async Task Config_tools_change_the_next_converse_request_in_non_streaming_mode()
    {
        _server.Enqueue(
            FakeResponse.ToolUse("update_temperature", """{"temperature":0.25}""", "tooluse_temp"),
            FakeResponse.ToolUse("update_model_id", """{"modelId":"us.amazon.nova-lite-v1:0"}""", "tooluse_model"),
            FakeResponse.Text("Switched."));
        using var model = Model(streaming: false, modelId: NovaId);
        var agent = new Agent(model, new AgentOptions { CallbackHandler = null, Tools = AgentTool.FromType(typeof(DocumentationExampleTests.ConfigTools)) });

        var result = await agent.InvokeAsync("Cool down, then switch to Nova Lite.");

        Assert.Equal("Switched.", result.ToString());
        Assert.Equal(
            ["/model/us.amazon.nova-pro-v1%3A0/converse", "/model/us.amazon.nova-pro-v1%3A0/converse", "/model/us.amazon.nova-lite-v1%3A0/converse"],
            _server.Requests.Select(r => r.RawPath));
        Assert.Null(Body(_server.Requests[0])["inferenceConfig"]!["temperature"]);
        Assert.Equal(0.25, Body(_server.Requests[1])["inferenceConfig"]!["temperature"]!.GetValue<double>(), 3);
        Assert.Equal(0.25, Body(_server.Requests[2])["inferenceConfig"]!["temperature"]!.GetValue<double>(), 3);
        var toolResult = Body(_server.Requests[1])["messages"]!.AsArray()[^1]!["content"]![0]!["toolResult"]!;
        Assert.Equal("Temperature updated to 0.25", toolResult["content"]![0]!["text"]!.GetValue<string>());
        Assert.Null(toolResult["status"]); // not a Claude model: tool result status is left out
        Assert.Equal(("us.amazon.nova-lite-v1:0", 0.25), (model.Config.ModelId, model.Config.Temperature));
        Assert.False(model.Config.Streaming);
    }
}
