using System.ComponentModel;
using Strands.Agents;
using Strands.Content;
using Strands.Conversation;
using Strands.Models;
using Strands.Tests.TestUtilities;
using Strands.Tools;

namespace Strands.Tests.Agents;

/// <summary>The agent's event loop against a scripted model: answers, tool rounds, stop reasons, model errors and history repair.</summary>
public class AgentLoopTests
{
    internal static Agent NewAgent(ScriptedModel model, IEnumerable<AgentTool>? tools = null, SystemPrompt? systemPrompt = null, IConversationManager? conversationManager = null, ModelRetryStrategy? retryStrategy = null, ToolExecutor? toolExecutor = null, IEnumerable<Message>? messages = null, Action<AgentEvent>? callbackHandler = null)
        => new(model, new AgentOptions
        {
            CallbackHandler = callbackHandler,
            Tools = tools,
            SystemPrompt = systemPrompt,
            ConversationManager = conversationManager,
            RetryStrategy = retryStrategy,
            ToolExecutor = toolExecutor,
            Messages = messages,
        });

    internal static class EchoTools
    {
        [Tool, Description("Echoes the text back.")]
        public static string Echo([Description("The text.")] string text) => text;

        [Tool]
        public static int Add(int a, int b) => a + b;

        [Tool]
        public static string Fail() => throw new InvalidOperationException("boom");

        [Tool]
        public static string Stop(ToolContext context)
        {
            context.StopEventLoop();
            return "stopping";
        }
    }

    [Fact]
    public async Task A_text_answer_ends_with_end_turn_and_the_history_holds_the_prompt_and_the_answer()
    {
        var model = new ScriptedModel(Turn.Text("Hello ", "world!"));
        var agent = NewAgent(model);

        var result = await agent.InvokeAsync("Hi");

        Assert.Equal(StopReason.EndTurn, result.StopReason);
        Assert.Equal("Hello world!", result.ToString());
        Assert.Equal(ConversationRole.Assistant, result.Message.Role);
        Assert.Empty(result.State);
        Assert.Equal(2, agent.Messages.Count);
        Assert.Equal("Hi", agent.Messages[0].Content[0].Text);
        Assert.Same(result.Message, agent.Messages[1]);
        var call = Assert.Single(model.Calls);
        Assert.Single(call.Messages);
        Assert.Null(call.ToolSpecs);
        Assert.Null(call.SystemPrompt);
        Assert.Null(call.ToolChoice);
    }

    [Fact]
    public async Task After_a_tool_round_trip_the_model_sees_the_tool_use_and_its_result_with_the_tool_specs_and_system_prompt()
    {
        var model = new ScriptedModel(
            Turn.ToolsAfterText("Let me add.", ("t1", "add", """{"a": 2, "b": 3}""")),
            Turn.Text("It is 5."));
        var agent = NewAgent(model, AgentTool.FromType(typeof(EchoTools)), systemPrompt: "You add.");

        var result = await agent.InvokeAsync("2+3?");

        Assert.Equal("It is 5.", result.ToString());
        Assert.Equal(2, model.Calls.Count);
        var second = model.Calls[1];
        Assert.Equal(3, second.Messages.Count);
        Assert.Equal("Let me add.", second.Messages[1].Content[0].Text);
        var toolUse = second.Messages[1].Content[1].ToolUse!;
        Assert.Equal("t1", toolUse.ToolUseId);
        Assert.Equal(3, toolUse.Input.GetProperty("b").GetInt32());
        var toolResult = second.Messages[2].Content[0].ToolResult!;
        Assert.Equal(ConversationRole.User, second.Messages[2].Role);
        Assert.Equal("t1", toolResult.ToolUseId);
        Assert.Equal(ToolResultStatus.Success, toolResult.Status);
        Assert.Equal("5", toolResult.Content[0].Text);
        Assert.Equal(["echo", "add", "fail", "stop"], second.ToolSpecs!.Select(s => s.Name));
        Assert.Equal("You add.", second.SystemPrompt![0].Text);
        Assert.Equal(4, agent.Messages.Count);
    }

    [Fact]
    public async Task A_model_error_on_the_first_cycle_propagates_unchanged()
    {
        var error = new InvalidOperationException("model down");
        var agent = NewAgent(new ScriptedModel(Turn.Throws(error)));

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => agent.InvokeAsync("Hi"));

        Assert.Same(error, thrown);
        Assert.Single(agent.Messages);
    }

    [Fact]
    public async Task A_model_error_on_a_later_cycle_propagates_unchanged_and_the_tool_results_stay_in_the_history()
    {
        var error = new InvalidOperationException("model down");
        var model = new ScriptedModel(Turn.Tools(("t1", "echo", """{"text":"x"}""")), Turn.Throws(error));
        var agent = NewAgent(model, AgentTool.FromType(typeof(EchoTools)));

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => agent.InvokeAsync("Hi"));

        Assert.Same(error, thrown);
        Assert.Equal(3, agent.Messages.Count);
        Assert.NotNull(agent.Messages[2].Content[0].ToolResult);
    }

    [Fact]
    public async Task StreamAsync_throws_a_model_error_after_the_events_before_it()
    {
        var model = new ScriptedModel(Turn.Of(Ev.Start(), Ev.Text("par")).ThrowingBefore(2, new TimeoutException("slow")));
        var agent = NewAgent(model);
        var seen = new List<AgentEvent>();

        await Assert.ThrowsAsync<TimeoutException>(async () =>
        {
            await foreach (var e in agent.StreamAsync("Hi"))
            {
                seen.Add(e);
            }
        });

        Assert.Contains(seen, e => e is TextDeltaEvent { Text: "par" });
        Assert.Single(agent.Messages);
    }

    [Fact]
    public async Task A_tool_that_stops_the_event_loop_ends_the_invocation_after_the_tools_with_stop_reason_tool_use()
    {
        var model = new ScriptedModel(Turn.Tools(("t1", "stop", "{}")));
        var agent = NewAgent(model, AgentTool.FromType(typeof(EchoTools)));

        var result = await agent.InvokeAsync("Hi");

        Assert.Equal(StopReason.ToolUse, result.StopReason);
        Assert.NotNull(result.Message.Content[0].ToolUse);
        Assert.Equal(true, result.State[ToolContext.StopEventLoopKey]);
        Assert.Single(model.Calls);
        Assert.Equal(3, agent.Messages.Count);
    }

    [Fact]
    public async Task Max_tokens_throws_and_keeps_the_partial_message_with_its_tool_use_replaced_by_a_note()
    {
        var model = new ScriptedModel(Turn.Of(
            Ev.Start(), Ev.Text("Partial"), Ev.BlockStop(), Ev.ToolStart("t1", "echo", 1), Ev.ToolInput("{\"te", 1), Ev.BlockStop(1),
            Ev.Stop(StopReason.MaxTokens), Ev.Metadata(null)));
        var agent = NewAgent(model, AgentTool.FromType(typeof(EchoTools)));

        var ex = await Assert.ThrowsAsync<MaxTokensReachedException>(() => agent.InvokeAsync("Hi"));

        Assert.Equal(MaxTokensReachedException.DefaultMessage, ex.Message);
        Assert.DoesNotContain("unrecoverable", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, agent.Messages.Count);
        Assert.Same(agent.Messages[1], ex.PartialMessage);
        Assert.Equal("Partial", agent.Messages[1].Content[0].Text);
        Assert.Equal("The selected tool echo's tool use was incomplete due to maximum token limits being reached.", agent.Messages[1].Content[1].Text);
        Assert.DoesNotContain(agent.Messages[1].Content, b => b.ToolUse is not null);
    }

    [Fact]
    public async Task An_invalid_tool_name_gets_an_error_result_and_the_loop_continues()
    {
        var model = new ScriptedModel(Turn.Tools(("t1", "invalid tool", "{}")), Turn.Text("ok"));
        var agent = NewAgent(model, AgentTool.FromType(typeof(EchoTools)));

        var result = await agent.InvokeAsync("Hi");

        Assert.Equal(StopReason.EndTurn, result.StopReason);
        var toolResult = model.Calls[1].Messages[2].Content[0].ToolResult!;
        Assert.Equal(ToolResultStatus.Error, toolResult.Status);
        Assert.Equal("Error: tool_name=<invalid tool> | invalid tool name pattern", toolResult.Content[0].Text);
        Assert.Equal("INVALID_TOOL_NAME", model.Calls[1].Messages[1].Content[0].ToolUse!.Name);
    }

    [Fact]
    public async Task Unknown_tools_throwing_tools_and_invalid_input_become_error_results_and_the_loop_goes_on()
    {
        var model = new ScriptedModel(Turn.Tools(("t1", "nope", "{}"), ("t2", "fail", "{}"), ("t3", "add", """{"a":1}""")), Turn.Text("done"));
        var agent = NewAgent(model, AgentTool.FromType(typeof(EchoTools)));

        await agent.InvokeAsync("Hi");

        var results = model.Calls[1].Messages[2].Content.Select(b => b.ToolResult!).ToList();
        Assert.Equal(["t1", "t2", "t3"], results.Select(r => r.ToolUseId));
        Assert.All(results, r => Assert.Equal(ToolResultStatus.Error, r.Status));
        Assert.Equal("Unknown tool: nope", results[0].Content[0].Text);
        Assert.Equal("Error: InvalidOperationException - boom", results[1].Content[0].Text);
        Assert.StartsWith("Error: Validation failed for input parameters: 'b': field required", results[2].Content[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task End_turn_with_a_tool_use_is_treated_as_tool_use()
    {
        var model = new ScriptedModel(
            Turn.Of(Ev.Start(), Ev.ToolStart("t1", "echo"), Ev.ToolInput("""{"text":"x"}"""), Ev.BlockStop(), Ev.Stop(StopReason.EndTurn), Ev.Metadata(null)),
            Turn.Text("done"));
        var agent = NewAgent(model, AgentTool.FromType(typeof(EchoTools)));

        var result = await agent.InvokeAsync("Hi");

        Assert.Equal(2, model.Calls.Count);
        Assert.Equal("done", result.ToString());
    }

    [Fact]
    public async Task Metrics_count_cycles_tokens_latency_and_tool_calls_across_invocations()
    {
        var model = new ScriptedModel(
            Turn.Of(Ev.Start(), Ev.ToolStart("t1", "add"), Ev.ToolInput("""{"a":1,"b":2}"""), Ev.BlockStop(), Ev.ToolStart("t2", "fail", 1), Ev.BlockStop(1), Ev.Stop(StopReason.ToolUse),
                Ev.Metadata(new TokenUsage { InputTokens = 100, OutputTokens = 10, TotalTokens = 110, CacheReadInputTokens = 50, CacheWriteInputTokens = 7 }, 30)),
            Turn.TextWith(StopReason.EndTurn, new TokenUsage { InputTokens = 120, OutputTokens = 5, TotalTokens = 125, CacheReadInputTokens = 60 }, "3"));
        var agent = NewAgent(model, AgentTool.FromType(typeof(EchoTools)));

        var result = await agent.InvokeAsync("Hi");

        Assert.Equal(2, agent.Metrics.CycleCount);
        Assert.Equal(2, agent.Metrics.CycleDurations.Count);
        Assert.Equal(new TokenUsage { InputTokens = 220, OutputTokens = 15, TotalTokens = 235, CacheReadInputTokens = 110, CacheWriteInputTokens = 7 }, agent.Metrics.AccumulatedUsage);
        Assert.Equal(agent.Metrics.AccumulatedUsage, result.Usage);
        Assert.Equal(40, agent.Metrics.AccumulatedLatencyMs);
        Assert.Equal(120, agent.Metrics.LatestContextSize);
        var tools = agent.Metrics.ToolMetrics;
        Assert.Equal((1, 1, 0), (tools["add"].CallCount, tools["add"].SuccessCount, tools["add"].ErrorCount));
        Assert.Equal((1, 0, 1), (tools["fail"].CallCount, tools["fail"].SuccessCount, tools["fail"].ErrorCount));
        var invocation = agent.Metrics.LatestInvocation!;
        Assert.Equal(2, invocation.Cycles.Count);
        Assert.Equal(110, invocation.Cycles[0].Usage.TotalTokens);

        model.Enqueue(Turn.Text("again"));
        var second = await agent.InvokeAsync("More");
        Assert.Equal(2, agent.Metrics.Invocations.Count);
        Assert.Equal(15, second.Usage.TotalTokens);
        Assert.Equal(250, agent.Metrics.AccumulatedUsage.TotalTokens);
    }

    [Fact]
    public async Task A_prompt_of_content_blocks_is_one_user_message()
    {
        var model = new ScriptedModel(Turn.Text("seen"));
        var agent = NewAgent(model);
        var image = new ContentBlock { Image = new ImageBlock { Format = ImageFormat.Png, Source = new ImageSource { Bytes = [1, 2, 3] } } };

        await agent.InvokeAsync([ContentBlock.FromText("What is this?"), image]);

        var user = Assert.Single(model.Calls[0].Messages);
        Assert.Equal(ConversationRole.User, user.Role);
        Assert.Equal(2, user.Content.Count);
        Assert.NotNull(user.Content[1].Image);
    }

    [Fact]
    public async Task Without_a_prompt_the_agent_continues_from_a_history_ending_in_a_user_message()
    {
        var model = new ScriptedModel(Turn.Text("hello!"));
        var agent = NewAgent(model, messages: [Message.User("hello")]);

        var result = await agent.InvokeAsync();

        Assert.Equal("hello!", result.ToString());
        Assert.Equal(2, agent.Messages.Count);
    }

    [Fact]
    public async Task Messages_given_as_the_prompt_may_have_any_role_and_join_a_latest_message_of_their_role()
    {
        var model = new ScriptedModel(Turn.Text("a"), Turn.Text("b"));
        var agent = NewAgent(model);

        await agent.InvokeAsync([Message.User("hi")]);
        Assert.Equal(2, agent.Messages.Count);
        await agent.InvokeAsync([Message.Assistant("I said a."), Message.User("and?")]);

        // Two assistant messages in a row are what Bedrock rejects: the given one joins the model's.
        Assert.Equal(4, agent.Messages.Count);
        Assert.Equal(["a", "I said a."], agent.Messages[1].Content.Select(b => b.Text!).ToArray());
        Assert.Equal("and?", agent.Messages[2].Content[0].Text);
    }

    [Fact]
    public async Task A_history_ending_in_a_tool_use_runs_the_tools_before_calling_the_model()
    {
        var model = new ScriptedModel(Turn.Text("done"));
        var agent = NewAgent(model, AgentTool.FromType(typeof(EchoTools)), messages:
        [
            Message.User("echo x"),
            Message.Assistant(new ContentBlock { ToolUse = new ToolUseBlock { ToolUseId = "t1", Name = "echo", Input = JsonValues.Parse("""{"text":"x"}""") } }),
        ]);

        await agent.InvokeAsync();

        Assert.Single(model.Calls);
        Assert.Equal(4, agent.Messages.Count);
        Assert.Equal("x", agent.Messages[2].Content[0].ToolResult!.Content[0].Text);
    }

    [Fact]
    public async Task Unanswered_tool_uses_get_interrupted_results_in_the_same_user_message_as_the_new_prompt()
    {
        var model = new ScriptedModel(Turn.Text("ok"));
        var agent = NewAgent(model, messages:
        [
            Message.User("hi"),
            Message.Assistant(
                new ContentBlock { ToolUse = new ToolUseBlock { ToolUseId = "a", Name = "echo" } },
                new ContentBlock { ToolUse = new ToolUseBlock { ToolUseId = "b", Name = "echo" } }),
        ]);

        await agent.InvokeAsync("new question");

        // Bedrock wants the results in the very next message, and no two user messages in a row: one message holds both.
        var repaired = agent.Messages[2];
        Assert.Equal(ConversationRole.User, repaired.Role);
        Assert.Equal(["a", "b"], repaired.Content.Take(2).Select(b => b.ToolResult!.ToolUseId).ToArray());
        Assert.All(repaired.Content.Take(2), b => Assert.Equal("Tool was interrupted.", b.ToolResult!.Content[0].Text));
        Assert.All(repaired.Content.Take(2), b => Assert.Equal(ToolResultStatus.Error, b.ToolResult!.Status));
        Assert.Equal("new question", repaired.Content[2].Text);
        Assert.Equal(4, agent.Messages.Count);
    }

    [Fact]
    public async Task Blank_assistant_text_is_dropped_or_replaced_before_the_model_call_and_user_messages_are_sent_as_given()
    {
        var model = new ScriptedModel(Turn.Text("ok"));
        var first = Message.User(ContentBlock.FromText("q"), ContentBlock.CachePointDefault);
        var agent = NewAgent(model, messages:
        [
            first,
            Message.Assistant(ContentBlock.FromText("a"), ContentBlock.FromText(" \n"), new ContentBlock { ToolUse = new ToolUseBlock { ToolUseId = "t", Name = "echo" } }),
            Message.User(new ContentBlock { ToolResult = new ToolResultBlock { ToolUseId = "t", Status = ToolResultStatus.Success, Content = [ToolResultContentBlock.FromText("r")] } }),
            Message.Assistant(ContentBlock.FromText("  ")),
            Message.User("more"),
            new Message { Role = ConversationRole.Assistant, Content = [] },
            Message.User("next"),
        ]);

        await agent.InvokeAsync();

        var sent = model.Calls[0].Messages;
        Assert.Same(first, sent[0]);
        Assert.Equal(2, sent[1].Content.Count);
        Assert.Equal("a", sent[1].Content[0].Text);
        Assert.Equal("[blank text]", sent[3].Content[0].Text);
        Assert.Equal("[blank text]", sent[5].Content[0].Text);
    }

    [Fact]
    public async Task Stop_sequence_content_filtered_and_guardrail_intervened_end_the_loop()
    {
        foreach (var reason in new[] { StopReason.StopSequence, StopReason.ContentFiltered, StopReason.GuardrailIntervened })
        {
            var model = new ScriptedModel(Turn.TextWith(reason, null, "x"));
            var result = await NewAgent(model).InvokeAsync("Hi");
            Assert.Equal(reason, result.StopReason);
            Assert.Single(model.Calls);
        }
    }

    [Fact]
    public async Task A_system_prompt_of_blocks_with_a_cache_point_is_passed_to_the_model_as_given()
    {
        var model = new ScriptedModel(Turn.Text("ok"));
        var agent = NewAgent(model, systemPrompt: [SystemContentBlock.FromText("You are terse."), SystemContentBlock.CachePointDefault]);

        await agent.InvokeAsync("Hi");

        var system = model.Calls[0].SystemPrompt!;
        Assert.Equal(2, system.Count);
        Assert.NotNull(system[1].CachePoint);
        Assert.Equal("You are terse.", agent.SystemPrompt!.Text);
    }

    [Fact]
    public async Task Initial_messages_with_a_document_and_a_cache_point_are_sent_first_and_the_callers_list_is_not_changed()
    {
        var seed = new List<Message>
        {
            Message.User(
                new ContentBlock { Document = new DocumentBlock { Name = "doc", Format = DocumentFormat.Txt, Source = new DocumentSource { Bytes = [65] } } },
                ContentBlock.FromText("Use this document in your response."),
                ContentBlock.CachePointDefault),
            Message.Assistant("I read it."),
        };
        var model = new ScriptedModel(Turn.Text("ok"));
        var agent = NewAgent(model, messages: seed);

        await agent.InvokeAsync("Summarize");

        Assert.Equal(3, model.Calls[0].Messages.Count);
        Assert.NotNull(model.Calls[0].Messages[0].Content[2].CachePoint);
        Assert.Equal(2, seed.Count);
    }
}
