using System.Text.Json;
using Microsoft.Extensions.AI;
using Strands.Agents;
using Strands.ChatClients;
using Strands.Content;
using Strands.Models;
using Strands.Tests.TestUtilities;
using Strands.Tools;

namespace Strands.Tests.ChatClients;

public class ChatClientModelTests
{
    [Fact]
    public async Task Agent_with_a_tool_completes_a_round_trip_over_any_chat_client()
    {
        var chat = new ScriptedChatClient()
            .Then(
                ScriptedChatClient.Text("Let me check. "),
                ScriptedChatClient.Call("call_1", "get_time", new() { ["zone"] = "UTC" }),
                ScriptedChatClient.Finish(ChatFinishReason.ToolCalls))
            .Then(
                ScriptedChatClient.Text("It is "),
                ScriptedChatClient.Text("noon."),
                ScriptedChatClient.Finish(ChatFinishReason.Stop, input: 40, output: 4, cached: 30));
        var zones = new List<string>();
        var getTime = AgentTool.FromMethod(
            (string zone) =>
            {
                lock (zones)
                {
                    zones.Add(zone);
                }

                return "12:00";
            },
            name: "get_time",
            description: "Gets the time in a zone.");
        var agent = new Agent(chat.AsStrandsModel(), new AgentOptions { CallbackHandler = null, Tools = [getTime], SystemPrompt = "You tell the time." });

        var result = await agent.InvokeAsync("What time is it in UTC?");

        Assert.Equal("It is noon.", result.ToString());
        Assert.Equal(StopReason.EndTurn, result.StopReason);
        Assert.Equal(["UTC"], zones);

        var calls = chat.Calls.ToArray();
        Assert.Equal(2, calls.Length);
        var first = calls[0];
        Assert.True(first.Streaming);
        Assert.Equal("test-model", first.Options!.ModelId);
        Assert.Equal(ChatRole.System, first.Messages[0].Role);
        Assert.Equal("You tell the time.", first.Messages[0].Text);
        var declaration = Assert.IsAssignableFrom<AIFunctionDeclaration>(Assert.Single(first.Options.Tools!));
        Assert.False(declaration is AIFunction, "The agent runs its tools; the client only sees declarations.");
        Assert.Equal("get_time", declaration.Name);
        Assert.Equal("Gets the time in a zone.", declaration.Description);
        Assert.Equal("string", declaration.JsonSchema.GetProperty("properties").GetProperty("zone").GetProperty("type").GetString());
        Assert.Equal(ChatToolMode.Auto, first.Options.ToolMode);

        // The second call carries the assistant's tool call and the tool's result, as a tool message.
        var second = calls[1].Messages;
        Assert.Equal([ChatRole.System, ChatRole.User, ChatRole.Assistant, ChatRole.Tool], second.Select(m => m.Role));
        Assert.Equal("Let me check. ", second[2].Text);
        var call = Assert.Single(second[2].Contents.OfType<FunctionCallContent>());
        Assert.Equal("call_1", call.CallId);
        Assert.Equal("UTC", ((JsonElement)call.Arguments!["zone"]!).GetString());
        var toolResult = Assert.IsType<FunctionResultContent>(Assert.Single(second[3].Contents));
        Assert.Equal("call_1", toolResult.CallId);
        Assert.Equal("12:00", toolResult.Result?.ToString());

        // Usage: cached input tokens are reported as cache reads, apart from the other input tokens.
        var usage = result.Usage;
        Assert.Equal(12 + 10, usage.InputTokens);
        Assert.Equal(30, usage.CacheReadInputTokens);
        Assert.Equal(3 + 4, usage.OutputTokens);
    }

    [Fact]
    public async Task Config_maps_onto_chat_options_and_the_template_is_not_changed()
    {
        var chat = new ScriptedChatClient().Then(ScriptedChatClient.Text("ok"), ScriptedChatClient.Finish(ChatFinishReason.Stop));
        var template = new ChatOptions { Seed = 11, AdditionalProperties = new() { ["x"] = 1 } };
        var model = chat.AsStrandsModel(new ChatClientModelConfig
        {
            ModelId = "gpt-test",
            MaxTokens = 99,
            Temperature = 1.5,
            TopP = 0.25,
            TopK = 5,
            StopSequences = ["END"],
            Options = template,
        });

        await foreach (var _ in model.StreamAsync([Message.User("hi")], toolChoice: ToolChoice.AnyChoice))
        {
        }

        Assert.True(chat.Calls.TryDequeue(out var call));
        var options = call.Options!;
        Assert.Equal("gpt-test", options.ModelId);
        Assert.Equal(99, options.MaxOutputTokens);
        Assert.Equal(1.5f, options.Temperature);
        Assert.Equal(0.25f, options.TopP);
        Assert.Equal(5, options.TopK);
        Assert.Equal(["END"], options.StopSequences!);
        Assert.Equal(11, options.Seed);
        Assert.Equal(1, options.AdditionalProperties!["x"]);
        Assert.Null(options.Tools);
        Assert.Null(template.ModelId);
        Assert.NotSame(template, options);
    }

    [Fact]
    public async Task Tool_choices_map_to_tool_modes()
    {
        var chat = new ScriptedChatClient()
            .Then(ScriptedChatClient.Finish(ChatFinishReason.Stop))
            .Then(ScriptedChatClient.Finish(ChatFinishReason.Stop));
        var model = new ChatClientModel(chat);
        ToolSpecification[] specs = [new() { Name = "a", Description = "A", InputSchema = new ToolInputSchema { Json = JsonValues.Parse("""{"type":"object"}""") } }];

        await foreach (var _ in model.StreamAsync([Message.User("hi")], specs, toolChoice: ToolChoice.AnyChoice))
        {
        }

        await foreach (var _ in model.StreamAsync([Message.User("hi")], specs, toolChoice: ToolChoice.ForTool("a")))
        {
        }

        var calls = chat.Calls.ToArray();
        Assert.Equal(ChatToolMode.RequireAny, calls[0].Options!.ToolMode);
        Assert.Equal("a", Assert.IsType<RequiredChatToolMode>(calls[1].Options!.ToolMode).RequiredFunctionName);
    }

    [Fact]
    public async Task Updates_become_converse_events_the_agent_understands()
    {
        var chat = new ScriptedChatClient().Then(
            new ChatResponseUpdate(ChatRole.Assistant, [new TextReasoningContent("Thinking...")]),
            new ChatResponseUpdate(ChatRole.Assistant, [new TextReasoningContent(string.Empty) { ProtectedData = "signature" }]),
            ScriptedChatClient.Text("Answer"),
            ScriptedChatClient.Call("c1", "tool_a", new() { ["n"] = 1 }),
            ScriptedChatClient.Call("c2", "tool_b", []),
            ScriptedChatClient.Finish(ChatFinishReason.ToolCalls));
        var model = chat.AsStrandsModel();

        var events = new List<StreamEvent>();
        await foreach (var streamEvent in model.StreamAsync([Message.User("go")]))
        {
            events.Add(streamEvent);
        }

        Assert.IsType<MessageStartEvent>(events[0]);
        Assert.Equal(StopReason.ToolUse, Assert.Single(events.OfType<MessageStopEvent>()).StopReason);
        Assert.IsType<MetadataEvent>(events[^1]);
        var starts = events.OfType<ContentBlockStartEvent>().ToList();
        Assert.Equal(["c1", "c2"], starts.Select(s => s.Start.ToolUse!.ToolUseId));
        Assert.Equal([2, 3], starts.Select(s => s.ContentBlockIndex));
        Assert.Equal(4, events.OfType<ContentBlockStopEvent>().Count());

        // Built into a message by the agent's own stream processor.
        var processor = new StreamProcessor(TimeProvider.System);
        processor.Reset();
        foreach (var streamEvent in events)
        {
            processor.Process(streamEvent);
        }

        var message = processor.BuildMessage();
        Assert.Equal("Thinking...", message.Content[0].ReasoningContent!.ReasoningText!.Text);
        Assert.Equal("signature", message.Content[0].ReasoningContent!.ReasoningText!.Signature);
        Assert.Equal("Answer", message.Content[1].Text);
        Assert.Equal(1, message.Content[2].ToolUse!.Input.GetProperty("n").GetInt32());
        Assert.Equal("tool_b", message.Content[3].ToolUse!.Name);
    }

    [Theory]
    [InlineData("stop", "end_turn")]
    [InlineData("length", "max_tokens")]
    [InlineData("tool_calls", "tool_use")]
    [InlineData("content_filter", "content_filtered")]
    public async Task Finish_reasons_map_to_stop_reasons(string finishReason, string stopReason)
    {
        var chat = new ScriptedChatClient().Then(ScriptedChatClient.Text("x"), ScriptedChatClient.Finish(new ChatFinishReason(finishReason)));

        var events = new List<StreamEvent>();
        await foreach (var streamEvent in chat.AsStrandsModel().StreamAsync([Message.User("go")]))
        {
            events.Add(streamEvent);
        }

        Assert.Equal(stopReason, events.OfType<MessageStopEvent>().Single().StopReason.Value);
    }

    [Fact]
    public async Task Non_streaming_mode_uses_get_response()
    {
        var chat = new ScriptedChatClient().Then(ScriptedChatClient.Text("Whole answer"), ScriptedChatClient.Finish(ChatFinishReason.Stop, input: 5, output: 2));
        var agent = new Agent(chat.AsStrandsModel(new ChatClientModelConfig { Streaming = false }), new AgentOptions { CallbackHandler = null });

        var result = await agent.InvokeAsync("hi");

        Assert.Equal("Whole answer", result.ToString());
        Assert.False(Assert.Single(chat.Calls).Streaming);
        Assert.Equal(5, result.Usage.InputTokens);
        Assert.Equal(2, result.Usage.OutputTokens);
    }

    [Fact]
    public void Config_is_validated_and_updated_with_records()
    {
        var model = new ScriptedChatClient().AsStrandsModel();

        Assert.Equal("test-model", model.Config.ModelId);
        model.UpdateConfig(c => c with { Temperature = 0.4 });
        Assert.Equal(0.4, model.Config.Temperature);
        Assert.Throws<ArgumentException>(() => model.UpdateConfig(c => c with { TopP = 2 }));
        Assert.Equal(0.4, model.Config.Temperature);
        IModel asModel = model;
        Assert.Throws<ArgumentException>(() => asModel.UpdateConfig(_ => new BedrockModelConfig()));
    }

    [Fact]
    public async Task Agent_over_a_bedrock_chat_client_round_trips_tool_blocks_unchanged()
    {
        var bedrock = new ScriptedBedrockClient()
            .Then(ScriptedBedrockClient.ToolTurn("tooluse_1", "add", """{"a":2,"b":3}"""))
            .Then(ScriptedBedrockClient.TextTurn("5"));
        using var bedrockModel = new BedrockModel(bedrock, new BedrockModelConfig { ModelId = "m" });
        var add = AgentTool.FromMethod((int a, int b) => a + b, name: "add");
        var agent = new Agent(bedrockModel.AsIChatClient().AsStrandsModel(), new AgentOptions { CallbackHandler = null, Tools = [add] });

        var result = await agent.InvokeAsync("2+3?");

        Assert.Equal("5", result.ToString());
        var second = bedrock.StreamRequests.ToArray()[1];
        Assert.Equal("m", second.ModelId);
        Assert.Equal(3, second.Messages!.Count);
        var toolUse = second.Messages[1].Content.Single().ToolUse!;
        Assert.Equal("tooluse_1", toolUse.ToolUseId);
        Assert.Equal("add", toolUse.Name);
        Assert.Equal(5, toolUse.Input.GetProperty("a").GetInt32() + toolUse.Input.GetProperty("b").GetInt32());
        var toolResult = second.Messages[2].Content.Single().ToolResult!;
        Assert.Equal("tooluse_1", toolResult.ToolUseId);
        Assert.Equal(agent.Messages[2].Content[0].ToolResult!.Content[0].Text, toolResult.Content[0].Text);
        Assert.Equal(agent.Messages[2].Content[0].ToolResult!.Content[0].Json?.GetRawText(), toolResult.Content[0].Json?.GetRawText());
    }
}
