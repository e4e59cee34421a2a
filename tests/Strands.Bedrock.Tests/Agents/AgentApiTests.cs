using System.ComponentModel;
using System.Text.Json;
using Strands.Agents;
using Strands.Content;
using Strands.Models;
using Strands.Tests.TestUtilities;
using Strands.Tools;
using static Strands.Tests.Agents.AgentLoopTests;

namespace Strands.Tests.Agents;

/// <summary>Construction, streaming events, callbacks, structured output, runtime config and results.</summary>
public class AgentApiTests
{
    [Fact]
    public void A_null_model_compiles_and_means_the_default_model_and_each_agent_prints_with_its_own_handler()
    {
        var first = new Agent(null);
        var second = new Agent(null, new AgentOptions { Name = "second" });

        Assert.Equal(BedrockModelConfig.DefaultModelId, Assert.IsType<BedrockModel>(first.Model).Config.ModelId);
        Assert.NotNull(first.CallbackHandler);
        Assert.NotSame(first.CallbackHandler!.Target, second.CallbackHandler!.Target);
        Assert.IsType<PrintingCallbackHandler>(first.CallbackHandler.Target);
        Assert.Null(new Agent(options: new AgentOptions { CallbackHandler = null }).CallbackHandler);
    }

    [Fact]
    public void No_model_makes_the_default_bedrock_model_a_model_id_makes_a_bedrock_model_an_explicit_model_is_kept()
    {
        var defaultModel = Assert.IsType<BedrockModel>(new Agent(options: new AgentOptions { CallbackHandler = null }).Model);
        Assert.Equal(BedrockModelConfig.DefaultModelId, defaultModel.Config.ModelId);

        Assert.Equal("nonsense", Assert.IsType<BedrockModel>(new Agent("nonsense").Model).Config.ModelId);
        Assert.Equal("nonsense", Assert.IsType<BedrockModel>(new Agent("nonsense", new AgentOptions { CallbackHandler = null }).Model).Config.ModelId);

        var explicitModel = new ScriptedModel();
        Assert.Same(explicitModel, new Agent(explicitModel).Model);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a/../b")]
    [InlineData("a\\b")]
    public void An_agent_id_with_path_separators_is_rejected(string id)
    {
        var ex = Assert.Throws<ArgumentException>(() => new Agent(new ScriptedModel(), new AgentOptions { AgentId = id }));
        Assert.StartsWith($"agent_id={id} | id cannot contain path separators", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_new_agent_has_the_default_id_name_handler_window_executor_retries_and_an_empty_history()
    {
        var agent = new Agent(new ScriptedModel());

        Assert.Equal("default", agent.AgentId);
        Assert.Equal("Strands Agents", agent.Name);
        Assert.IsType<PrintingCallbackHandler>(agent.CallbackHandler!.Target);
        Assert.NotSame(agent.CallbackHandler.Target, new Agent(new ScriptedModel()).CallbackHandler!.Target);
        Assert.Null(new Agent(new ScriptedModel(), new AgentOptions { CallbackHandler = null }).CallbackHandler);
        var window = Assert.IsType<Strands.Conversation.SlidingWindowConversationManager>(agent.ConversationManager);
        Assert.Equal(40, window.WindowSize);
        Assert.Same(ToolExecutor.Concurrent, agent.ToolExecutor);
        Assert.Equal(6, agent.RetryStrategy.MaxAttempts);
        Assert.True(agent.RecordDirectToolCall);
        Assert.Empty(agent.Messages);
        Assert.Null(agent.SystemPrompt);
    }

    [Fact]
    public void The_system_prompt_is_text_or_blocks_its_text_skips_cache_points_and_it_can_be_cleared()
    {
        var agent = new Agent(new ScriptedModel(), new AgentOptions { SystemPrompt = "You are helpful." });
        Assert.Equal("You are helpful.", agent.SystemPrompt!.Text);
        Assert.Equal("You are helpful.", Assert.Single(agent.SystemPrompt).Text);

        agent.SystemPrompt = [SystemContentBlock.FromText("a"), SystemContentBlock.CachePointDefault, SystemContentBlock.FromText("b")];
        Assert.Equal("a\nb", agent.SystemPrompt.Text);
        Assert.Equal(3, agent.SystemPrompt.Count);

        agent.SystemPrompt = [SystemContentBlock.CachePointDefault];
        Assert.Null(agent.SystemPrompt.Text);
        Assert.Equal("", agent.SystemPrompt.ToString());

        agent.SystemPrompt = (string?)null;
        Assert.Null(agent.SystemPrompt);
    }

    [Fact]
    public async Task StreamAsync_yields_raw_chunks_typed_deltas_and_messages_with_the_result_last_and_the_callback_sees_the_same()
    {
        var model = new ScriptedModel(
            Turn.Of(
                Ev.Start(), Ev.Reasoning("think"), Ev.Signature("sig"), Ev.BlockStop(0),
                Ev.ToolStart("t1", "echo", 1), Ev.ToolInput("""{"text":""", 1), Ev.ToolInput("\"x\"}", 1), Ev.BlockStop(1),
                Ev.Stop(StopReason.ToolUse), Ev.Metadata(null)),
            Turn.Text("Hello"));
        var callbackEvents = new List<AgentEvent>();
        var agent = NewAgent(model, AgentTool.FromType(typeof(EchoTools)), callbackHandler: callbackEvents.Add);
        var streamed = new List<AgentEvent>();

        await foreach (var e in agent.StreamAsync("Hi"))
        {
            streamed.Add(e);
        }

        Assert.Equal(streamed, callbackEvents);
        Assert.IsType<AgentResultEvent>(streamed[^1]);
        Assert.Equal(15, streamed.OfType<ModelStreamEvent>().Count());
        Assert.Equal(
            ["ModelStreamEvent", "ModelStreamEvent", "ReasoningDeltaEvent", "ModelStreamEvent", "ReasoningDeltaEvent", "ModelStreamEvent",
             "ModelStreamEvent", "ToolUseStartEvent", "ModelStreamEvent", "ToolUseInputDeltaEvent", "ModelStreamEvent", "ToolUseInputDeltaEvent", "ModelStreamEvent",
             "ModelStreamEvent", "ModelStreamEvent", "ModelMessageEvent", "ToolResultEvent", "ToolResultMessageEvent",
             "ModelStreamEvent", "ModelStreamEvent", "TextDeltaEvent", "ModelStreamEvent", "ModelStreamEvent", "ModelStreamEvent", "ModelMessageEvent", "AgentResultEvent"],
            streamed.Select(e => e.GetType().Name));
        Assert.Equal(new ReasoningDeltaEvent(Text: "think"), streamed[2]);
        Assert.Equal(new ToolUseInputDeltaEvent("t1", "echo", "\"x\"}"), streamed[11]);
        var reasoning = agent.Messages[1].Content[0].ReasoningContent!.ReasoningText!;
        Assert.Equal(("think", "sig"), (reasoning.Text, reasoning.Signature));
    }

    [Fact]
    public void PrintingCallbackHandler_prints_text_reasoning_and_numbered_tool_names()
    {
        var writer = new StringWriter();
        var handler = new PrintingCallbackHandler(writer);

        handler.Handle(new ReasoningDeltaEvent(Text: "hmm "));
        handler.Handle(new TextDeltaEvent("Hello"));
        handler.Handle(new ToolUseStartEvent("t1", "calculator"));
        handler.Handle(new ToolUseInputDeltaEvent("t1", "calculator", "{}"));
        handler.Handle(new ToolUseStartEvent("t2", "current_time"));

        Assert.Equal("hmm Hello\nTool #1: calculator\n\nTool #2: current_time\n", writer.ToString());
    }

    public sealed record Weather([property: Description("City name")] string City, [property: Description("Degrees Celsius")] double Temperature);

    [Fact]
    public async Task Structured_output_returns_the_object_when_the_model_calls_its_tool()
    {
        var model = new ScriptedModel(Turn.Tools(("s1", "Weather", """{"city":"Paris","temperature":21.5}""")));
        var agent = NewAgent(model);

        var weather = await agent.StructuredOutputAsync<Weather>("Weather in Paris?");

        Assert.Equal(new Weather("Paris", 21.5), weather);
        var spec = Assert.Single(model.Calls[0].ToolSpecs!);
        Assert.Equal("Weather", spec.Name);
        Assert.StartsWith("IMPORTANT: This StructuredOutputTool should only be invoked as the last and final tool", spec.Description, StringComparison.Ordinal);
        Assert.Equal("Successfully validated Weather structured output", agent.Messages[2].Content[0].ToolResult!.Content[0].Text);
        Assert.Empty(agent.ToolNames);
    }

    [Fact]
    public async Task Structured_output_is_forced_once_when_the_model_ends_its_turn_without_it()
    {
        var model = new ScriptedModel(Turn.Text("It is sunny."), Turn.Tools(("s1", "Weather", """{"city":"Paris","temperature":20}""")));
        var agent = NewAgent(model, AgentTool.FromType(typeof(EchoTools)));

        var weather = await agent.StructuredOutputAsync<Weather>("Weather in Paris?");

        Assert.Equal("Paris", weather.City);
        Assert.Equal(5, model.Calls[0].ToolSpecs!.Count);
        var forced = model.Calls[1];
        Assert.Equal("Weather", Assert.Single(forced.ToolSpecs!).Name);
        Assert.NotNull(forced.ToolChoice!.Any);
        Assert.Equal("You must format the previous response as structured output.", forced.Messages[^1].Content[0].Text);
    }

    [Fact]
    public async Task Structured_output_the_model_does_not_give_even_when_forced_is_a_StructuredOutputException()
    {
        var agent = NewAgent(new ScriptedModel(Turn.Text("no"), Turn.Text("still no")));

        var ex = await Assert.ThrowsAsync<StructuredOutputException>(() => agent.StructuredOutputAsync<Weather>("Weather?"));

        Assert.Equal("The model failed to invoke the structured output tool even after it was forced.", ex.Message);
    }

    [Fact]
    public async Task Invalid_structured_output_goes_back_to_the_model_as_an_error_to_fix()
    {
        var model = new ScriptedModel(
            Turn.Tools(("s1", "Weather", """{"city":"Paris","temperature":"warm"}""")),
            Turn.Tools(("s2", "Weather", """{"city":"Paris","temperature":19}""")));
        var agent = NewAgent(model);

        var weather = await agent.StructuredOutputAsync<Weather>("Weather?");

        Assert.Equal(19, weather.Temperature);
        var error = agent.Messages[2].Content[0].ToolResult!;
        Assert.Equal(ToolResultStatus.Error, error.Status);
        Assert.StartsWith("Validation failed for Weather. Please fix the following errors:\n- Field '$.temperature'", error.Content[0].Text, StringComparison.Ordinal);
    }

    internal static class RuntimeConfigTools
    {
        [Tool, Description("Switches the model the agent uses.")]
        public static string UpdateModelId([Description("The new model id.")] string modelId, Agent agent)
        {
            agent.Model.UpdateConfig(c => c with { ModelId = modelId });
            return $"Model id updated to {modelId}";
        }

        [Tool, Description("Changes the sampling temperature.")]
        public static string UpdateTemperature([Description("The new temperature.")] double temperature, Agent agent)
        {
            agent.Model.UpdateConfig(c => c with { Temperature = temperature });
            return $"Temperature updated to {temperature}";
        }
    }

    [Fact]
    public async Task Tools_that_change_the_model_config_change_the_next_model_call()
    {
        var model = new ScriptedModel(
            Turn.Tools(("t1", "update_model_id", """{"modelId":"us.amazon.nova-premier-v1:0"}""")),
            Turn.Tools(("t2", "update_temperature", """{"temperature":0.7}""")),
            Turn.Text("Done."));
        var agent = NewAgent(model, AgentTool.FromType(typeof(RuntimeConfigTools)));

        Assert.Equal(["update_model_id", "update_temperature"], agent.ToolNames);
        var schema = agent.ToolRegistry.Specs[0].InputSchema.Json!.Value;
        Assert.False(schema.GetProperty("properties").TryGetProperty("agent", out _));

        await agent.InvokeAsync("Switch to Nova, then make it more creative.");

        Assert.Equal(("scripted-model", (double?)null), (model.Calls[0].Config.ModelId, model.Calls[0].Config.Temperature));
        Assert.Equal(("us.amazon.nova-premier-v1:0", (double?)null), (model.Calls[1].Config.ModelId, model.Calls[1].Config.Temperature));
        Assert.Equal(("us.amazon.nova-premier-v1:0", (double?)0.7), (model.Calls[2].Config.ModelId, model.Calls[2].Config.Temperature));
        Assert.IsType<TestModelConfig>(model.Config);
    }

    [Fact]
    public void AgentResult_ToString_joins_the_text_and_cited_text_of_the_message_by_lines()
    {
        var metrics = new AgentMetrics();
        var state = new Dictionary<string, object?>();
        AgentResult Result(params ContentBlock[] blocks) => new(StopReason.EndTurn, Message.Assistant(blocks), metrics, state);

        Assert.Equal("Hello world!", Result(ContentBlock.FromText("Hello world!")).ToString());
        Assert.Equal("a\nb", Result(ContentBlock.FromText("a"), new ContentBlock { ToolUse = new ToolUseBlock() }, ContentBlock.FromText("b")).ToString());
        Assert.Equal("", Result().ToString());
        Assert.Equal("cited", Result(new ContentBlock { CitationsContent = new CitationsContentBlock { Content = [new CitationGeneratedContent { Text = "cited" }] } }).ToString());
    }

    [Fact]
    public void AgentState_stores_JSON_copies_and_rejects_empty_keys_and_values_that_are_not_JSON()
    {
        var state = new AgentState();
        var list = new List<int> { 1, 2 };
        state.Set("numbers", list);
        list.Add(3);

        Assert.Equal([1, 2], state.Get<List<int>>("numbers"));
        Assert.Null(state.Get("missing"));
        state.Set("doc", JsonValues.Parse("""{"a":1}"""));
        Assert.Equal(1, state.Get("doc")!.Value.GetProperty("a").GetInt32());
        Assert.Equal(["numbers", "doc"], state.Keys);
        Assert.True(state.Delete("doc"));
        Assert.Throws<ArgumentException>(() => state.Set("", 1));
        var ex = Assert.Throws<ArgumentException>(() => state.Set("bad", new Action(() => { })));
        Assert.StartsWith("Value is not JSON serializable: Action", ex.Message, StringComparison.Ordinal);

        var initial = new AgentState([new("k", JsonValues.Parse("\"v\""))]);
        Assert.Equal("v", new Agent(new ScriptedModel(), new AgentOptions { State = initial }).State.Get<string>("k"));
    }

    [Fact]
    public async Task Tools_see_and_change_the_agent_state_and_the_invocation_state()
    {
        var tool = AgentTool.FromMethod((ToolContext context) =>
        {
            context.Agent.State.Set("visits", context.Agent.State.Get<int>("visits") + 1);
            context.InvocationState["seen"] = context.ToolUse.ToolUseId;
            return "ok";
        }, "visit");
        var agent = NewAgent(new ScriptedModel(Turn.Tools(("t9", "visit", "{}")), Turn.Text("done")), [tool]);

        var result = await agent.InvokeAsync("Hi");

        Assert.Equal(1, agent.State.Get<int>("visits"));
        Assert.Equal("t9", result.State["seen"]);
    }
}
