using Strands.Agents;
using Strands.Content;
using Strands.Hooks;
using Strands.Models;
using Strands.Tests.TestUtilities;
using Strands.Tools;
using static Strands.Tests.Agents.AgentLoopTests;

namespace Strands.Tests.Hooks;

/// <summary>Hook events: which fire, in what order, and how callbacks steer the agent (retry, cancel, swap, replace).</summary>
public class HookTests
{
    /// <summary>Records every hook event the agent fires.</summary>
    private sealed class Recorder : IHookProvider
    {
        public List<string> Events { get; } = [];

        public void RegisterHooks(HookRegistry registry)
        {
            registry.AddCallback<BeforeInvocationEvent>(_ => Events.Add("BeforeInvocation"));
            registry.AddCallback<AfterInvocationEvent>(e => Events.Add($"AfterInvocation({e.Result?.StopReason})"));
            registry.AddCallback<MessageAddedEvent>(e => Events.Add($"MessageAdded({e.Message.Role})"));
            registry.AddCallback<BeforeModelCallEvent>(_ => Events.Add("BeforeModelCall"));
            registry.AddCallback<AfterModelCallEvent>(e => Events.Add(e.Exception is null ? $"AfterModelCall({e.StopResponse!.StopReason})" : $"AfterModelCall({e.Exception.GetType().Name}, retry={e.Retry})"));
            registry.AddCallback<BeforeToolCallEvent>(e => Events.Add($"BeforeToolCall({e.ToolUse.Name})"));
            registry.AddCallback<AfterToolCallEvent>(e => Events.Add($"AfterToolCall({e.ToolUse.Name})"));
        }
    }

    [Fact]
    public async Task A_tool_round_trip_fires_the_twelve_events_in_order()
    {
        var recorder = new Recorder();
        var model = new ScriptedModel(Turn.Tools(("t1", "echo", """{"text":"x"}""")), Turn.Text("done"));
        var agent = new Agent(model, new AgentOptions { CallbackHandler = null, Tools = AgentTool.FromType(typeof(EchoTools)), Hooks = [recorder] });

        await agent.InvokeAsync("Hi");

        Assert.Equal(
        [
            "BeforeInvocation", "MessageAdded(user)", "BeforeModelCall", "AfterModelCall(tool_use)", "MessageAdded(assistant)",
            "BeforeToolCall(echo)", "AfterToolCall(echo)", "MessageAdded(user)", "BeforeModelCall", "AfterModelCall(end_turn)",
            "MessageAdded(assistant)", "AfterInvocation(end_turn)",
        ], recorder.Events);
    }

    [Fact]
    public async Task StreamAsync_fires_BeforeInvocation_when_the_first_event_is_read()
    {
        var recorder = new Recorder();
        var agent = new Agent(new ScriptedModel(Turn.Text("x")), new AgentOptions { CallbackHandler = null, Hooks = [recorder] });

        await using var enumerator = agent.StreamAsync("Hi").GetAsyncEnumerator();
        Assert.Empty(recorder.Events);
        Assert.True(await enumerator.MoveNextAsync());
        Assert.Equal("BeforeInvocation", recorder.Events[0]);
    }

    [Fact]
    public async Task Throttling_fires_the_model_call_events_per_attempt_and_the_strategy_sets_retry()
    {
        var recorder = new Recorder();
        var clock = new AutoAdvancingTimeProvider();
        var model = new ScriptedModel(
            Turn.Throws(new ModelThrottledException("t")), Turn.Throws(new ModelThrottledException("t")), Turn.Throws(new ModelThrottledException("t")), Turn.Text("ok"));
        var agent = new Agent(model, new AgentOptions { CallbackHandler = null, RetryStrategy = new ModelRetryStrategy(timeProvider: clock), Hooks = [recorder] });
        var afterEvents = new List<AfterModelCallEvent>();
        agent.Hooks.AddCallback<AfterModelCallEvent>(afterEvents.Add);

        await agent.InvokeAsync("Hi");

        // The recorder runs before the strategy (after-events run in reverse order), so it sees retry=False.
        Assert.Equal(
        [
            "BeforeModelCall", "AfterModelCall(ModelThrottledException, retry=False)",
            "BeforeModelCall", "AfterModelCall(ModelThrottledException, retry=False)",
            "BeforeModelCall", "AfterModelCall(ModelThrottledException, retry=False)",
            "BeforeModelCall", "AfterModelCall(end_turn)", "MessageAdded(assistant)",
        ], recorder.Events.Skip(2).SkipLast(1));
        Assert.Equal([true, true, true, false], afterEvents.Select(e => e.Retry));
    }

    [Fact]
    public async Task After_events_run_in_reverse_registration_order_async_callbacks_too()
    {
        var order = new List<string>();
        var agent = new Agent(new ScriptedModel(Turn.Text("x")), new AgentOptions { CallbackHandler = null });
        agent.Hooks.AddCallback<BeforeModelCallEvent>(_ => order.Add("before 1"));
        agent.Hooks.AddCallback<BeforeModelCallEvent>(async (_, ct) =>
        {
            await Task.Yield();
            order.Add("before 2");
        });
        agent.Hooks.AddCallback<AfterModelCallEvent>(_ => order.Add("after 1"));
        agent.Hooks.AddCallback<AfterModelCallEvent>(async (_, ct) =>
        {
            await Task.Yield();
            order.Add("after 2");
        });

        await agent.InvokeAsync("Hi");

        Assert.Equal(["before 1", "before 2", "after 2", "after 1"], order);
    }

    [Fact]
    public async Task Retry_set_after_a_model_call_calls_the_model_again_without_the_retry_strategy_sleeping()
    {
        var clock = new AutoAdvancingTimeProvider();
        var model = new ScriptedModel(Turn.Text("first"), Turn.Throws(new ModelThrottledException("t")), Turn.Text("third"));
        var agent = new Agent(model, new AgentOptions { CallbackHandler = null, RetryStrategy = new ModelRetryStrategy(timeProvider: clock) });
        var calls = 0;
        agent.Hooks.AddCallback<AfterModelCallEvent>(e => e.Retry = ++calls < 3);

        var result = await agent.InvokeAsync("Hi");

        Assert.Equal("third", result.ToString());
        Assert.Equal(3, model.Calls.Count);
        Assert.Empty(clock.Delays);
        Assert.Equal(2, agent.Messages.Count);
    }

    [Fact]
    public async Task Before_tool_call_can_cancel_the_tool()
    {
        var ran = false;
        var tool = AgentTool.FromMethod(() => { ran = true; return "ran"; }, "guarded");
        var model = new ScriptedModel(Turn.Tools(("t1", "guarded", "{}"), ("t2", "guarded", "{}")), Turn.Text("ok"));
        var agent = new Agent(model, new AgentOptions { CallbackHandler = null, Tools = [tool] });
        agent.Hooks.AddCallback<BeforeToolCallEvent>(e =>
        {
            e.CancelTool = true;
            e.CancelMessage = e.ToolUse.ToolUseId == "t2" ? "not allowed" : null;
        });
        // The default executor runs tools concurrently, so their hooks may run at the same time.
        var cancelMessages = new System.Collections.Concurrent.ConcurrentQueue<string?>();
        agent.Hooks.AddCallback<AfterToolCallEvent>(e => cancelMessages.Enqueue(e.CancelMessage));

        await agent.InvokeAsync("Hi");

        Assert.False(ran);
        var results = agent.Messages[2].Content.Select(b => b.ToolResult!).ToList();
        Assert.Equal(["tool cancelled by user", "not allowed"], results.Select(r => r.Content[0].Text));
        Assert.All(results, r => Assert.Equal(ToolResultStatus.Error, r.Status));
        Assert.Equal(2, cancelMessages.Count);
    }

    [Fact]
    public async Task Before_tool_call_can_swap_the_tool_and_the_input()
    {
        var model = new ScriptedModel(Turn.Tools(("t1", "missing", """{"text":"a"}""")), Turn.Text("ok"));
        var agent = new Agent(model, new AgentOptions { CallbackHandler = null, Tools = AgentTool.FromType(typeof(EchoTools)) });
        agent.Hooks.AddCallback<BeforeToolCallEvent>(e =>
        {
            e.SelectedTool = e.Agent.ToolRegistry.Find("echo");
            e.ToolUse = e.ToolUse with { Input = JsonValues.Parse("""{"text":"swapped"}""") };
        });

        await agent.InvokeAsync("Hi");

        Assert.Equal("swapped", agent.Messages[2].Content[0].ToolResult!.Content[0].Text);
    }

    [Fact]
    public async Task After_tool_call_can_replace_the_result_or_retry_the_tool()
    {
        var attempts = 0;
        var flaky = AgentTool.FromMethod(() => ++attempts < 3 ? throw new IOException("flaky") : "finally", "flaky");
        var model = new ScriptedModel(Turn.Tools(("t1", "flaky", "{}"), ("t2", "echo", """{"text":"x"}""")), Turn.Text("ok"));
        var agent = new Agent(model, new AgentOptions { CallbackHandler = null, Tools = [flaky, .. AgentTool.FromType(typeof(EchoTools))], ToolExecutor = ToolExecutor.Sequential });
        var exceptions = new List<Exception?>();
        agent.Hooks.AddCallback<AfterToolCallEvent>(e =>
        {
            exceptions.Add(e.Exception);
            if (e.ToolUse.Name == "flaky")
            {
                e.Retry = e.Exception is not null;
            }
            else
            {
                e.Result = ToolResults.Success("replaced");
            }
        });

        await agent.InvokeAsync("Hi");

        Assert.Equal(3, attempts);
        Assert.Equal(["finally", "replaced"], agent.Messages[2].Content.Select(b => b.ToolResult!.Content[0].Text));
        Assert.Equal("t2", agent.Messages[2].Content[1].ToolResult!.ToolUseId);
        Assert.IsType<IOException>(exceptions[0]);
        Assert.Equal(1, agent.Metrics.ToolMetrics["flaky"].CallCount);
    }

    [Fact]
    public async Task After_tool_call_sees_the_exception_of_an_unknown_tool()
    {
        Exception? seen = null;
        var agent = new Agent(new ScriptedModel(Turn.Tools(("t1", "ghost", "{}")), Turn.Text("ok")), new AgentOptions { CallbackHandler = null });
        agent.Hooks.AddCallback<AfterToolCallEvent>(e => seen = e.Exception);

        await agent.InvokeAsync("Hi");

        Assert.Equal("Unknown tool: ghost", seen!.Message);
    }

    [Fact]
    public async Task Before_invocation_can_replace_the_input_messages()
    {
        var model = new ScriptedModel(Turn.Text("x"));
        var agent = new Agent(model, new AgentOptions { CallbackHandler = null });
        agent.Hooks.AddCallback<BeforeInvocationEvent>(e => e.Messages = [Message.User("rewritten")]);

        await agent.InvokeAsync("original");

        Assert.Equal("rewritten", model.Calls[0].Messages[0].Content[0].Text);
    }

    [Fact]
    public async Task After_invocation_fires_with_a_null_result_on_failure()
    {
        AgentResult? seen = new(StopReason.EndTurn, Message.Assistant("x"), new AgentMetrics(), new Dictionary<string, object?>());
        var fired = 0;
        var agent = new Agent(new ScriptedModel(Turn.Throws(new InvalidOperationException())), new AgentOptions { CallbackHandler = null });
        agent.Hooks.AddCallback<AfterInvocationEvent>(e => { fired++; seen = e.Result; });

        await Assert.ThrowsAsync<InvalidOperationException>(() => agent.InvokeAsync("Hi"));

        Assert.Equal(1, fired);
        Assert.Null(seen);
    }

    [Fact]
    public void Agent_initialized_fires_once_at_construction_and_must_be_synchronous()
    {
        var fired = 0;
        var provider = new DelegateProvider(r => r.AddCallback<AgentInitializedEvent>(_ => fired++));
        _ = new Agent(new ScriptedModel(), new AgentOptions { CallbackHandler = null, Hooks = [provider] });
        Assert.Equal(1, fired);

        var registry = new HookRegistry();
        Assert.Throws<ArgumentException>(() => registry.AddCallback<AgentInitializedEvent>((_, _) => Task.CompletedTask));
        Assert.False(registry.HasCallbacks<AgentInitializedEvent>());
    }

    [Fact]
    public async Task Hook_exceptions_propagate()
    {
        var agent = new Agent(new ScriptedModel(Turn.Text("x")), new AgentOptions { CallbackHandler = null });
        agent.Hooks.AddCallback<BeforeModelCallEvent>(_ => throw new InvalidDataException("no"));

        await Assert.ThrowsAsync<InvalidDataException>(() => agent.InvokeAsync("Hi"));
    }

    private sealed class DelegateProvider(Action<HookRegistry> register) : IHookProvider
    {
        public void RegisterHooks(HookRegistry registry) => register(registry);
    }
}
