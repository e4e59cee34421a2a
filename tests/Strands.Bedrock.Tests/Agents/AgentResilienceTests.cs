using System.Collections.Concurrent;
using Strands.Agents;
using Strands.Content;
using Strands.Conversation;
using Strands.Hooks;
using Strands.Models;
using Strands.Tests.TestUtilities;
using Strands.Tools;
using static Strands.Tests.Agents.AgentLoopTests;

namespace Strands.Tests.Agents;

/// <summary>Throttling, context overflow, guardrails, cancellation and concurrency.</summary>
public class AgentResilienceTests
{
    private static ModelThrottledException Throttled() => new("ThrottlingException: slow down");

    [Fact]
    public async Task One_throttle_then_success_sleeps_once_and_reports_the_delay()
    {
        var clock = new AutoAdvancingTimeProvider();
        var model = new ScriptedModel(Turn.Throws(Throttled()), Turn.Text("ok"));
        var agent = NewAgent(model, retryStrategy: new ModelRetryStrategy(timeProvider: clock));
        var events = new List<AgentEvent>();

        await foreach (var e in agent.StreamAsync("Hi"))
        {
            events.Add(e);
        }

        Assert.Equal([TimeSpan.FromSeconds(4)], clock.Delays);
        Assert.Equal(TimeSpan.FromSeconds(4), Assert.Single(events.OfType<ThrottleDelayEvent>()).Delay);
        Assert.Equal(2, model.Calls.Count);
        Assert.Equal(2, agent.Messages.Count);
    }

    [Fact]
    public async Task Three_throttles_sleep_four_eight_and_sixteen_seconds()
    {
        var clock = new AutoAdvancingTimeProvider();
        var model = new ScriptedModel(Turn.Throws(Throttled()), Turn.Throws(Throttled()), Turn.Throws(Throttled()), Turn.Text("ok"));
        var agent = NewAgent(model, retryStrategy: new ModelRetryStrategy(timeProvider: clock));

        var result = await agent.InvokeAsync("Hi");

        Assert.Equal("ok", result.ToString());
        Assert.Equal([4, 8, 16], clock.Delays.Select(d => d.TotalSeconds));
    }

    [Fact]
    public async Task Six_throttles_give_up_after_five_sleeps()
    {
        var clock = new AutoAdvancingTimeProvider();
        var model = new ScriptedModel(Enumerable.Range(0, 6).Select(_ => Turn.Throws(Throttled())).ToArray());
        var agent = NewAgent(model, retryStrategy: new ModelRetryStrategy(timeProvider: clock));

        await Assert.ThrowsAsync<ModelThrottledException>(() => agent.InvokeAsync("Hi"));

        Assert.Equal([4, 8, 16, 32, 64], clock.Delays.Select(d => d.TotalSeconds));
        Assert.Equal(6, model.Calls.Count);
        Assert.Single(agent.Messages);
    }

    [Fact]
    public async Task The_throttle_back_off_restarts_after_a_success_and_after_the_invocation()
    {
        var clock = new AutoAdvancingTimeProvider();
        var model = new ScriptedModel(
            Turn.Throws(Throttled()), Turn.Tools(("t1", "echo", """{"text":"x"}""")),
            Turn.Throws(Throttled()), Turn.Text("ok"),
            Turn.Throws(Throttled()), Turn.Text("again"));
        var agent = NewAgent(model, AgentTool.FromType(typeof(EchoTools)), retryStrategy: new ModelRetryStrategy(timeProvider: clock));

        await agent.InvokeAsync("Hi");
        await agent.InvokeAsync("More");

        Assert.Equal([4, 4, 4], clock.Delays.Select(d => d.TotalSeconds));
    }

    [Fact]
    public async Task No_retry_strategy_does_not_sleep_and_errors_other_than_throttling_are_never_retried()
    {
        var clock = new AutoAdvancingTimeProvider();
        var agent = NewAgent(new ScriptedModel(Turn.Throws(Throttled())), retryStrategy: ModelRetryStrategy.None);
        await Assert.ThrowsAsync<ModelThrottledException>(() => agent.InvokeAsync("Hi"));

        var other = NewAgent(new ScriptedModel(Turn.Throws(new InvalidOperationException("x"))), retryStrategy: new ModelRetryStrategy(timeProvider: clock));
        await Assert.ThrowsAsync<InvalidOperationException>(() => other.InvokeAsync("Hi"));
        Assert.Empty(clock.Delays);
    }

    [Fact]
    public void The_retry_strategy_defaults_to_six_attempts_doubling_from_four_seconds_up_to_240()
    {
        var strategy = new ModelRetryStrategy();
        Assert.Equal((6, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(240)), (strategy.MaxAttempts, strategy.InitialDelay, strategy.MaxDelay));
        Assert.Equal([4, 8, 16, 32, 64, 128, 240, 240], Enumerable.Range(0, 8).Select(k => strategy.GetDelay(k).TotalSeconds));
        Assert.Equal(1, ModelRetryStrategy.None.MaxAttempts);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ModelRetryStrategy(maxAttempts: 0));
    }

    [Fact]
    public async Task A_retry_strategy_of_two_attempts_sleeps_once()
    {
        var clock = new AutoAdvancingTimeProvider();
        var agent = NewAgent(new ScriptedModel(Turn.Throws(Throttled()), Turn.Throws(Throttled())), retryStrategy: new ModelRetryStrategy(maxAttempts: 2, timeProvider: clock));

        await Assert.ThrowsAsync<ModelThrottledException>(() => agent.InvokeAsync("Hi"));

        Assert.Single(clock.Delays);
    }

    [Fact]
    public async Task Context_overflow_on_the_first_call_makes_the_sliding_window_trim_and_the_cycle_rerun()
    {
        var manager = new CountingManager(new SlidingWindowConversationManager());
        var model = new ScriptedModel(Turn.Throws(new ContextWindowOverflowException("Input is too long for requested model")), Turn.Text("Green."));
        var agent = NewAgent(model, conversationManager: manager, messages:
        [
            Message.User("Hello!"), Message.Assistant("Hi!"), Message.User("Whats your favorite color?"), Message.Assistant("Blue!"),
        ]);

        var result = await agent.InvokeAsync("And now?");

        Assert.Equal("Green.", result.ToString());
        Assert.Equal(["Whats your favorite color?", "Blue!", "And now?"], model.Calls[1].Messages.Select(m => m.Content[0].Text));
        Assert.Equal(1, manager.ReduceCalls);
        Assert.Equal(1, manager.ApplyCalls);
        Assert.Equal(2, manager.RemovedMessageCount);
    }

    [Fact]
    public async Task Overflow_that_trimming_cannot_fix_ends_with_ContextWindowOverflowException()
    {
        foreach (var manager in new IConversationManager[] { new SlidingWindowConversationManager(500), new NullConversationManager() })
        {
            var model = new ScriptedModel(Enumerable.Range(0, 10).Select(_ => Turn.Throws(new ContextWindowOverflowException("too long"))).ToArray());
            var agent = NewAgent(model, conversationManager: manager);

            await Assert.ThrowsAsync<ContextWindowOverflowException>(() => agent.InvokeAsync("Hi"));
            Assert.Single(agent.Messages);
        }
    }

    [Fact]
    public async Task Overflow_with_an_oversized_tool_result_truncates_it_before_removing_messages()
    {
        var manager = new CountingManager(new SlidingWindowConversationManager());
        var big = new string('a', 250) + new string('b', 250);
        var model = new ScriptedModel(
            Turn.Throws(new ContextWindowOverflowException("too long")),
            Turn.Throws(new ContextWindowOverflowException("too long")),
            Turn.Text("done"));
        var agent = NewAgent(model, conversationManager: manager, messages:
        [
            Message.User("read"),
            Message.Assistant(new ContentBlock { ToolUse = new ToolUseBlock { ToolUseId = "t", Name = "read" } }),
            Message.User(new ContentBlock { ToolResult = new ToolResultBlock { ToolUseId = "t", Status = ToolResultStatus.Success, Content = [ToolResultContentBlock.FromText(big)] } }),
            Message.Assistant("It is long."),
        ]);

        await agent.InvokeAsync("Shorter?");

        Assert.Equal(2, manager.ReduceCalls);
        var truncated = model.Calls[1].Messages[2].Content[0].ToolResult!.Content[0].Text!;
        Assert.Equal(new string('a', 200) + "...\n\n... [truncated: 100 chars removed] ...\n\n..." + new string('b', 200), truncated);
        Assert.Equal(ToolResultStatus.Success, model.Calls[1].Messages[2].Content[0].ToolResult!.Status);
        Assert.Equal(["Shorter?"], model.Calls[2].Messages.Select(m => m.Content[0].Text));
    }

    [Fact]
    public async Task Guardrail_redaction_replaces_the_user_input_and_the_assistant_output()
    {
        var model = new ScriptedModel(Turn.Of(
            Ev.Start(), Ev.Text("Bad answer"), Ev.BlockStop(), Ev.Stop(StopReason.GuardrailIntervened), Ev.Metadata(null),
            new RedactContentEvent { RedactUserContentMessage = "[User input redacted.]" },
            new RedactContentEvent { RedactAssistantContentMessage = "[Assistant output redacted.]" }));
        var agent = NewAgent(model);

        var result = await agent.InvokeAsync("Bad question");

        Assert.Equal(StopReason.GuardrailIntervened, result.StopReason);
        Assert.Equal("[User input redacted.]", Assert.Single(agent.Messages[0].Content).Text);
        Assert.Equal("[Assistant output redacted.]", Assert.Single(agent.Messages[1].Content).Text);
        Assert.Equal("[Assistant output redacted.]", result.ToString());
    }

    [Fact]
    public async Task Guardrail_input_redaction_of_tool_results_keeps_their_ids_and_status()
    {
        var model = new ScriptedModel(
            Turn.Tools(("t1", "echo", """{"text":"secret"}""")),
            Turn.Of(Ev.Start(), Ev.Text("x"), Ev.BlockStop(), Ev.Stop(StopReason.GuardrailIntervened), new RedactContentEvent { RedactUserContentMessage = "[redacted]" }, Ev.Metadata(null)));
        var agent = NewAgent(model, AgentTool.FromType(typeof(EchoTools)));

        await agent.InvokeAsync("Hi");

        var redacted = Assert.Single(agent.Messages[2].Content).ToolResult!;
        Assert.Equal(("t1", ToolResultStatus.Success, "[redacted]"), (redacted.ToolUseId, redacted.Status!.Value, redacted.Content.Single().Text));
        Assert.Equal("Hi", agent.Messages[0].Content[0].Text);
    }

    [Fact]
    public async Task Cancellation_mid_stream_throws_and_leaves_no_half_message()
    {
        using var cts = new CancellationTokenSource();
        var gate = new TaskCompletionSource();
        var turn = Turn.Of(Ev.Start(), Ev.Text("Hal"), Ev.Text("f"), Ev.BlockStop(), Ev.Stop(StopReason.EndTurn)).PausingBefore(2, gate.Task);
        var model = new ScriptedModel(turn, Turn.Text("resumed"));
        var agent = NewAgent(model);

        var run = agent.InvokeAsync("Hi", cts.Token);
        await turn.ReachedGate.Task;
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Single(agent.Messages);

        var result = await agent.InvokeAsync();
        Assert.Equal("resumed", result.ToString());
    }

    [Fact]
    public async Task Cancellation_mid_tool_gives_every_tool_use_a_result_then_throws()
    {
        using var cts = new CancellationTokenSource();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = AgentTool.FromMethod(async (CancellationToken ct) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return "never";
        }, "slow");
        var model = new ScriptedModel(Turn.Tools(("t1", "echo", """{"text":"fast"}"""), ("t2", "slow", "{}")));
        var agent = NewAgent(model, [slow, .. AgentTool.FromType(typeof(EchoTools))]);

        var run = agent.InvokeAsync("Hi", cts.Token);
        await started.Task;
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Equal(3, agent.Messages.Count);
        var results = agent.Messages[2].Content.Select(b => b.ToolResult!).ToList();
        Assert.Equal(["t1", "t2"], results.Select(r => r.ToolUseId));
        Assert.Equal("Tool execution cancelled", results[1].Content[0].Text);
        Assert.Equal(ToolResultStatus.Error, results[1].Status);
    }

    [Fact]
    public async Task Cancel_before_an_invocation_stops_it_at_the_first_event_and_the_agent_stays_usable()
    {
        var model = new ScriptedModel(Turn.Text("never"), Turn.Text("fine"));
        var agent = NewAgent(model);

        agent.Cancel();
        var cancelled = await agent.InvokeAsync("Hi");

        Assert.Equal(AgentStopReasons.Cancelled, cancelled.StopReason);
        Assert.Equal("Cancelled by user", cancelled.ToString());
        Assert.Equal(2, agent.Messages.Count);

        var next = await agent.InvokeAsync("Again");
        Assert.Equal(StopReason.EndTurn, next.StopReason);
    }

    [Fact]
    public async Task Cancel_from_the_callback_during_streaming_is_idempotent()
    {
        var model = new ScriptedModel(Turn.Text("a", "b", "c"));
        Agent? agent = null;
        agent = NewAgent(model, callbackHandler: e =>
        {
            if (e is TextDeltaEvent)
            {
                agent!.Cancel();
                agent.Cancel();
            }
        });

        var result = await agent.InvokeAsync("Hi");

        Assert.Equal(AgentStopReasons.Cancelled, result.StopReason);
        Assert.Equal("Cancelled by user", agent.Messages[1].Content[0].Text);
    }

    [Fact]
    public async Task Cancel_before_the_tools_run_gives_cancelled_results()
    {
        var model = new ScriptedModel(Turn.Tools(("t1", "echo", """{"text":"x"}""")), Turn.Text("fine"));
        Agent? agent = null;
        agent = NewAgent(model, AgentTool.FromType(typeof(EchoTools)), callbackHandler: e =>
        {
            if (e is ModelMessageEvent)
            {
                agent!.Cancel();
            }
        });

        var result = await agent.InvokeAsync("Hi");

        Assert.Equal(AgentStopReasons.Cancelled, result.StopReason);
        Assert.Equal(3, agent.Messages.Count);
        var toolResult = agent.Messages[2].Content[0].ToolResult!;
        Assert.Equal((ToolResultStatus.Error, "Tool execution cancelled"), (toolResult.Status!.Value, toolResult.Content[0].Text));
        Assert.Equal("fine", (await agent.InvokeAsync("go on")).ToString());
    }

    [Fact]
    public async Task A_second_concurrent_invocation_throws_ConcurrencyException_and_the_lock_is_released()
    {
        var gate = new TaskCompletionSource();
        var turn = Turn.Text("first").PausingBefore(1, gate.Task);
        var model = new ScriptedModel(turn, Turn.Text("third"));
        var agent = NewAgent(model);

        var first = agent.InvokeAsync("one");
        await turn.ReachedGate.Task;
        var ex = await Assert.ThrowsAsync<ConcurrencyException>(() => agent.InvokeAsync("two"));
        Assert.Contains("Concurrent invocations", ex.Message, StringComparison.Ordinal);
        gate.SetResult();
        await first;

        Assert.Equal("third", (await agent.InvokeAsync("three")).ToString());
    }

    [Fact]
    public async Task The_invocation_lock_is_released_after_an_exception()
    {
        var model = new ScriptedModel(Turn.Throws(new InvalidOperationException("x")), Turn.Text("ok"));
        var agent = NewAgent(model);

        await Assert.ThrowsAsync<InvalidOperationException>(() => agent.InvokeAsync("Hi"));

        Assert.Equal("ok", (await agent.InvokeAsync()).ToString());
    }

    [Fact]
    public async Task Twenty_agents_in_parallel_each_get_their_own_answer()
    {
        var agents = Enumerable.Range(0, 20).Select(i => NewAgent(new ScriptedModel(Turn.Tools(("t", "add", $$"""{"a":{{i}},"b":1}""")), Turn.Text($"answer {i}")), AgentTool.FromType(typeof(EchoTools)))).ToList();

        var results = await Task.WhenAll(agents.Select(a => a.InvokeAsync("go")));

        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"answer {i}"), results.Select(r => r.ToString()));
    }

    [Fact]
    public async Task Concurrent_tools_run_together_and_their_results_are_in_request_order()
    {
        var order = new ConcurrentQueue<string>();
        var firstMayFinish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = AgentTool.FromMethod(async () =>
        {
            await firstMayFinish.Task;
            order.Enqueue("first");
            return "1";
        }, "first");
        var second = AgentTool.FromMethod(() =>
        {
            order.Enqueue("second");
            firstMayFinish.SetResult();
            return "2";
        }, "second");
        var model = new ScriptedModel(Turn.Tools(("a", "first", "{}"), ("b", "second", "{}")), Turn.Text("done"));
        var agent = NewAgent(model, [first, second]);
        var events = new List<AgentEvent>();

        await foreach (var e in agent.StreamAsync("Hi"))
        {
            events.Add(e);
        }

        Assert.Equal(["second", "first"], order);
        Assert.Equal(["b", "a"], events.OfType<ToolResultEvent>().Select(e => e.ToolUse.ToolUseId));
        Assert.Equal(["a", "b"], agent.Messages[2].Content.Select(b => b.ToolResult!.ToolUseId));
        Assert.Equal(["1", "2"], agent.Messages[2].Content.Select(b => b.ToolResult!.Content[0].Text));
    }

    [Fact]
    public async Task The_sequential_executor_runs_tools_in_request_order()
    {
        var order = new ConcurrentQueue<string>();
        var tools = new[] { "x", "y", "z" }.Select(n => AgentTool.FromMethod(() => { order.Enqueue(n); return n; }, n)).ToList();
        var model = new ScriptedModel(Turn.Tools(("1", "x", "{}"), ("2", "y", "{}"), ("3", "z", "{}")), Turn.Text("done"));
        var agent = NewAgent(model, tools, toolExecutor: ToolExecutor.Sequential);

        await agent.InvokeAsync("Hi");

        Assert.Equal(["x", "y", "z"], order);
    }

    [Fact]
    public async Task The_concurrent_executor_limited_to_one_still_completes()
    {
        var model = new ScriptedModel(Turn.Tools(("1", "echo", """{"text":"a"}"""), ("2", "echo", """{"text":"b"}""")), Turn.Text("done"));
        var agent = NewAgent(model, AgentTool.FromType(typeof(EchoTools)), toolExecutor: ToolExecutor.ConcurrentAtMost(1));

        await agent.InvokeAsync("Hi");

        Assert.Equal(["a", "b"], agent.Messages[2].Content.Select(b => b.ToolResult!.Content[0].Text));
    }

    [Fact]
    public async Task An_after_tool_call_hook_that_throws_ends_the_invocation_with_every_tool_use_answered()
    {
        var model = new ScriptedModel(Turn.Tools(("1", "echo", """{"text":"a"}"""), ("2", "echo", """{"text":"b"}""")));
        var agent = NewAgent(model, AgentTool.FromType(typeof(EchoTools)));
        agent.Hooks.AddCallback<AfterToolCallEvent>(e =>
        {
            if (e.ToolUse.ToolUseId == "2")
            {
                throw new InvalidDataException("hook failed");
            }
        });

        await Assert.ThrowsAsync<InvalidDataException>(() => agent.InvokeAsync("Hi"));

        Assert.Equal(3, agent.Messages.Count);
        Assert.Equal(["1", "2"], agent.Messages[2].Content.Select(b => b.ToolResult!.ToolUseId));
    }

    [Fact]
    public async Task A_consumer_stopping_during_tools_leaves_every_tool_use_answered_and_releases_the_agent()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = AgentTool.FromMethod(async () => { await release.Task; return "late"; }, "slow");
        var model = new ScriptedModel(Turn.Tools(("t1", "echo", """{"text":"x"}"""), ("t2", "slow", "{}")), Turn.Text("next"));
        var agent = NewAgent(model, [slow, .. AgentTool.FromType(typeof(EchoTools))]);

        await foreach (var e in agent.StreamAsync("Hi"))
        {
            if (e is ToolResultEvent)
            {
                break;
            }
        }

        release.SetResult();
        Assert.Equal(3, agent.Messages.Count);
        Assert.Equal(["x", "Tool execution cancelled"], agent.Messages[2].Content.Select(b => b.ToolResult!.Content[0].Text));
        Assert.Equal("next", (await agent.InvokeAsync()).ToString());
    }

    [Fact]
    public async Task A_callback_that_throws_during_tools_leaves_every_tool_use_answered()
    {
        var model = new ScriptedModel(Turn.Tools(("t1", "echo", """{"text":"x"}""")));
        var agent = NewAgent(model, AgentTool.FromType(typeof(EchoTools)), callbackHandler: e =>
        {
            if (e is ToolResultEvent)
            {
                throw new InvalidDataException("handler bug");
            }
        });

        await Assert.ThrowsAsync<InvalidDataException>(() => agent.InvokeAsync("Hi"));

        Assert.Equal(3, agent.Messages.Count);
        Assert.Equal("t1", agent.Messages[2].Content[0].ToolResult!.ToolUseId);
    }

    /// <summary>A conversation manager that counts calls.</summary>
    internal sealed class CountingManager(IConversationManager inner) : IConversationManager
    {
        public int ApplyCalls { get; private set; }

        public int ReduceCalls { get; private set; }

        public int RemovedMessageCount => inner.RemovedMessageCount;

        public ValueTask ApplyManagementAsync(Agent agent, CancellationToken cancellationToken = default)
        {
            ApplyCalls++;
            return inner.ApplyManagementAsync(agent, cancellationToken);
        }

        public ValueTask ReduceContextAsync(Agent agent, Exception? exception = null, CancellationToken cancellationToken = default)
        {
            ReduceCalls++;
            return inner.ReduceContextAsync(agent, exception, cancellationToken);
        }
    }
}
