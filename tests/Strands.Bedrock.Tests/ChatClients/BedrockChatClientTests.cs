using System.ComponentModel;
using System.Text;
using System.Text.Json;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Strands.Bedrock;
using Strands.Content;
using Strands.Models;
using Strands.Tests.TestUtilities;

namespace Strands.Tests.ChatClients;

public class BedrockChatClientTests
{
    private static (IChatClient Client, ScriptedBedrockClient Bedrock, BedrockModel Model) Create(BedrockModelConfig? config = null)
    {
        var bedrock = new ScriptedBedrockClient();
        var model = new BedrockModel(bedrock, config ?? new BedrockModelConfig { ModelId = "us.amazon.nova-pro-v1:0" });
        return (model.AsIChatClient(), bedrock, model);
    }

    [Fact]
    public void Metadata_names_the_provider_and_the_default_model()
    {
        var (client, bedrock, model) = Create();

        var metadata = client.GetService<ChatClientMetadata>();

        Assert.NotNull(metadata);
        Assert.Equal("aws.bedrock", metadata.ProviderName);
        Assert.Equal("us.amazon.nova-pro-v1:0", metadata.DefaultModelId);
        Assert.Same(model, client.GetService<BedrockModel>());
        Assert.Same(model, client.GetService<IModel>());
        Assert.Same(bedrock, client.GetService<IBedrockRuntimeClient>());
        Assert.Same(client, client.GetService<IChatClient>());
        Assert.Null(client.GetService<ChatClientMetadata>("some-key"));
    }

    [Fact]
    public void Metadata_has_the_endpoint_of_a_real_client()
    {
        using var runtime = new BedrockRuntimeClient(new BedrockClientOptions { Region = "eu-west-1", BearerToken = "test-token" });
        using var model = new BedrockModel(runtime, new BedrockModelConfig());

        var metadata = model.AsIChatClient().GetService<ChatClientMetadata>()!;

        Assert.Equal(new Uri("https://bedrock-runtime.eu-west-1.amazonaws.com"), metadata.ProviderUri);
    }

    [Fact]
    public async Task Chat_options_map_onto_the_converse_request()
    {
        var (client, bedrock, _) = Create(new BedrockModelConfig { ModelId = "base-model", Temperature = 0.9, AdditionalRequestFields = JsonValues.Parse("""{"keep":1,"top_k":1}""") });
        bedrock.Then(ScriptedBedrockClient.TextTurn("ok"));
        var weather = AIFunctionFactory.Create((string city) => "sunny", "get_weather", "Gets the weather.");

        await client.GetResponseAsync(
            [new ChatMessage(ChatRole.System, "Be brief."), new ChatMessage(ChatRole.User, "Weather in Paris?")],
            new ChatOptions
            {
                ModelId = "override-model",
                Instructions = "You are a weather bot.",
                Temperature = 0.2f,
                MaxOutputTokens = 123,
                TopP = 0.5f,
                TopK = 40,
                StopSequences = ["STOP"],
                Tools = [weather],
                ToolMode = ChatToolMode.RequireSpecific("get_weather"),
                AdditionalProperties = new() { ["seed"] = 7 },
            });

        Assert.True(bedrock.StreamRequests.TryDequeue(out var request));
        Assert.Equal("override-model", request.ModelId);
        Assert.Equal(0.2f, request.InferenceConfig!.Temperature);
        Assert.Equal(123, request.InferenceConfig.MaxTokens);
        Assert.Equal(0.5f, request.InferenceConfig.TopP);
        Assert.Equal(["STOP"], request.InferenceConfig.StopSequences!);
        Assert.Equal(["You are a weather bot.", "Be brief."], request.System!.Select(s => s.Text));
        var message = Assert.Single(request.Messages!);
        Assert.Equal(ConversationRole.User, message.Role);
        Assert.Equal("Weather in Paris?", message.Content[0].Text);

        var tool = Assert.Single(request.ToolConfig!.Tools);
        Assert.Equal("get_weather", tool.ToolSpec!.Name);
        Assert.Equal("Gets the weather.", tool.ToolSpec.Description);
        Assert.Equal("string", tool.ToolSpec.InputSchema.Json!.Value.GetProperty("properties").GetProperty("city").GetProperty("type").GetString());
        Assert.Equal("get_weather", request.ToolConfig.ToolChoice!.Tool!.Name);

        var fields = request.AdditionalModelRequestFields!.Value;
        Assert.Equal(1, fields.GetProperty("keep").GetInt32());
        Assert.Equal(40, fields.GetProperty("top_k").GetInt32());
        Assert.Equal(7, fields.GetProperty("seed").GetInt32());
    }

    [Fact]
    public async Task Tool_mode_require_any_sends_any_and_tool_mode_none_sends_no_tools()
    {
        var (client, bedrock, _) = Create();
        bedrock.Then(ScriptedBedrockClient.TextTurn("a")).Then(ScriptedBedrockClient.TextTurn("b"));
        var tool = AIFunctionFactory.Create(() => 1, "one");

        await client.GetResponseAsync("hi", new ChatOptions { Tools = [tool], ToolMode = ChatToolMode.RequireAny });
        await client.GetResponseAsync("hi", new ChatOptions { Tools = [tool], ToolMode = ChatToolMode.None });

        Assert.True(bedrock.StreamRequests.TryDequeue(out var any));
        Assert.NotNull(any.ToolConfig!.ToolChoice!.Any);
        Assert.True(bedrock.StreamRequests.TryDequeue(out var none));
        Assert.Null(none.ToolConfig);
    }

    [Fact]
    public async Task Invalid_options_are_rejected_before_calling_bedrock()
    {
        var (client, bedrock, _) = Create();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync("hi", new ChatOptions { Temperature = 3 }));

        Assert.Contains("Temperature", error.Message, StringComparison.Ordinal);
        Assert.Empty(bedrock.StreamRequests);
    }

    [Fact]
    public async Task Reasoning_effort_becomes_a_thinking_budget()
    {
        var (client, bedrock, _) = Create();
        bedrock.Then(ScriptedBedrockClient.TextTurn("ok"));

        await client.GetResponseAsync("think", new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.Medium } });

        Assert.True(bedrock.StreamRequests.TryDequeue(out var request));
        var thinking = request.AdditionalModelRequestFields!.Value.GetProperty("thinking");
        Assert.Equal(4096, thinking.GetProperty("budget_tokens").GetInt32());
    }

    [Fact]
    public async Task History_with_tool_calls_and_results_maps_to_alternating_converse_messages()
    {
        var (client, bedrock, _) = Create();
        bedrock.Then(ScriptedBedrockClient.TextTurn("done"));
        var image = new DataContent(new byte[] { 1, 2, 3 }, "image/png");
        var pdf = new DataContent(new byte[] { 4, 5 }, "application/pdf") { Name = "report" };

        await client.GetResponseAsync(
        [
            new ChatMessage(ChatRole.User, [new TextContent("Look"), image, pdf]),
            new ChatMessage(ChatRole.Assistant, [new TextReasoningContent("hmm") { ProtectedData = "sig" }, new FunctionCallContent("call-1", "lookup", new Dictionary<string, object?> { ["q"] = "x" })]),
            new ChatMessage(ChatRole.Tool, [new FunctionResultContent("call-1", "found it")]),
            new ChatMessage(ChatRole.User, "thanks"),
        ]);

        Assert.True(bedrock.StreamRequests.TryDequeue(out var request));
        var messages = request.Messages!;
        Assert.Equal([ConversationRole.User, ConversationRole.Assistant, ConversationRole.User], messages.Select(m => m.Role));
        Assert.Equal(ImageFormat.Png, messages[0].Content[1].Image!.Format);
        Assert.Equal(new byte[] { 1, 2, 3 }, messages[0].Content[1].Image!.Source.Bytes);
        Assert.Equal(DocumentFormat.Pdf, messages[0].Content[2].Document!.Format);
        Assert.Equal("report", messages[0].Content[2].Document!.Name);
        Assert.Equal("hmm", messages[1].Content[0].ReasoningContent!.ReasoningText!.Text);
        Assert.Equal("sig", messages[1].Content[0].ReasoningContent!.ReasoningText!.Signature);
        var toolUse = messages[1].Content[1].ToolUse!;
        Assert.Equal("call-1", toolUse.ToolUseId);
        Assert.Equal("x", toolUse.Input.GetProperty("q").GetString());
        var toolResult = messages[2].Content[0].ToolResult!;
        Assert.Equal("call-1", toolResult.ToolUseId);
        Assert.Equal("found it", toolResult.Content[0].Text);
        Assert.Null(toolResult.Status); // Set by the mapping, then removed by BedrockModel for non-Claude models.
        Assert.Equal("thanks", messages[2].Content[1].Text);
    }

    [Fact]
    public async Task Streaming_updates_share_one_response_id_and_merge_into_one_message()
    {
        var (client, bedrock, _) = Create();
        bedrock.Then(
            new MessageStartEvent(),
            new ContentBlockDeltaEvent { Delta = new ContentBlockDelta { ReasoningContent = new ReasoningContentBlockDelta { Text = "Let me " } } },
            new ContentBlockDeltaEvent { Delta = new ContentBlockDelta { ReasoningContent = new ReasoningContentBlockDelta { Text = "think." } } },
            new ContentBlockDeltaEvent { Delta = new ContentBlockDelta { ReasoningContent = new ReasoningContentBlockDelta { Signature = "sig-1" } } },
            new ContentBlockStopEvent(),
            new ContentBlockDeltaEvent { ContentBlockIndex = 1, Delta = new ContentBlockDelta { Text = "Hello, " } },
            new ContentBlockDeltaEvent { ContentBlockIndex = 1, Delta = new ContentBlockDelta { Text = "world." } },
            new ContentBlockStopEvent { ContentBlockIndex = 1 },
            new ContentBlockStartEvent { ContentBlockIndex = 2, Start = new ContentBlockStart { ToolUse = new ToolUseBlockStart { ToolUseId = "t1", Name = "calc" } } },
            new ContentBlockDeltaEvent { ContentBlockIndex = 2, Delta = new ContentBlockDelta { ToolUse = new ToolUseBlockDelta { Input = "{\"expr" } } },
            new ContentBlockDeltaEvent { ContentBlockIndex = 2, Delta = new ContentBlockDelta { ToolUse = new ToolUseBlockDelta { Input = "\":\"1+1\"}" } } },
            new ContentBlockStopEvent { ContentBlockIndex = 2 },
            new MessageStopEvent { StopReason = StopReason.ToolUse },
            ScriptedBedrockClient.Metadata(new TokenUsage { InputTokens = 10, OutputTokens = 20, TotalTokens = 130, CacheReadInputTokens = 60, CacheWriteInputTokens = 40 }));

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("hi"))
        {
            updates.Add(update);
        }

        Assert.Single(updates.Select(u => u.ResponseId).Distinct());
        Assert.NotNull(updates[0].ResponseId);
        Assert.All(updates, u => Assert.Equal(ChatRole.Assistant, u.Role));

        // The tool call comes once, complete.
        var call = Assert.Single(updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>());
        Assert.Equal("t1", call.CallId);
        Assert.Equal("calc", call.Name);
        Assert.Equal("1+1", ((JsonElement)call.Arguments!["expr"]!).GetString());

        var response = updates.ToChatResponse();
        var message = Assert.Single(response.Messages);
        Assert.Equal("Hello, world.", message.Text);
        var reasoning = Assert.Single(message.Contents.OfType<TextReasoningContent>());
        Assert.Equal("Let me think.", reasoning.Text);
        Assert.Equal("sig-1", reasoning.ProtectedData);
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        Assert.Equal("us.amazon.nova-pro-v1:0", response.ModelId);

        Assert.NotNull(response.Usage);
        Assert.Equal(110, response.Usage.InputTokenCount);
        Assert.Equal(20, response.Usage.OutputTokenCount);
        Assert.Equal(130, response.Usage.TotalTokenCount);
        Assert.Equal(60, response.Usage.CachedInputTokenCount);
        Assert.Equal(40, response.Usage.AdditionalCounts!["CacheWriteInputTokens"]);
    }

    [Fact]
    public async Task Redacted_reasoning_travels_as_base64_protected_data_and_back()
    {
        var (client, bedrock, _) = Create();
        byte[] secret = [9, 8, 7, 6];
        bedrock.Then(
            new MessageStartEvent(),
            new ContentBlockDeltaEvent { Delta = new ContentBlockDelta { ReasoningContent = new ReasoningContentBlockDelta { RedactedContent = secret } } },
            new ContentBlockStopEvent(),
            new ContentBlockDeltaEvent { ContentBlockIndex = 1, Delta = new ContentBlockDelta { Text = "Answer" } },
            new ContentBlockStopEvent { ContentBlockIndex = 1 },
            new MessageStopEvent { StopReason = StopReason.EndTurn },
            ScriptedBedrockClient.Metadata(null));
        bedrock.Then(ScriptedBedrockClient.TextTurn("next"));

        var first = await client.GetResponseAsync("q");
        var reasoning = Assert.Single(first.Messages[0].Contents.OfType<TextReasoningContent>());
        Assert.Equal(Convert.ToBase64String(secret), reasoning.ProtectedData);

        // Sent back as redacted reasoning even without its raw representation.
        var replay = new TextReasoningContent(string.Empty) { ProtectedData = reasoning.ProtectedData };
        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "q"), new ChatMessage(ChatRole.Assistant, [replay, new TextContent("Answer")]), new ChatMessage(ChatRole.User, "more")]);
        bedrock.StreamRequests.TryDequeue(out _);
        Assert.True(bedrock.StreamRequests.TryDequeue(out var request));
        Assert.Equal(secret, request.Messages![1].Content[0].ReasoningContent!.RedactedContent);
    }

    [Theory]
    [InlineData("end_turn", "stop")]
    [InlineData("stop_sequence", "stop")]
    [InlineData("max_tokens", "length")]
    [InlineData("tool_use", "tool_calls")]
    [InlineData("guardrail_intervened", "content_filter")]
    [InlineData("content_filtered", "content_filter")]
    [InlineData("something_new", "something_new")]
    public async Task Stop_reasons_map_to_finish_reasons(string stopReason, string finishReason)
    {
        var (client, bedrock, _) = Create();
        bedrock.Then(ScriptedBedrockClient.TextTurn("x", stopReason: StopReason.FromWire(stopReason)));

        var response = await client.GetResponseAsync("hi");

        Assert.Equal(finishReason, response.FinishReason?.Value);
    }

    [Fact]
    public async Task Non_streaming_configuration_uses_converse()
    {
        var (client, bedrock, _) = Create(new BedrockModelConfig { ModelId = "m", Streaming = false });
        bedrock.ThenRespond(new ConverseResponse
        {
            Output = new ConverseOutput { Message = Message.Assistant("From Converse") },
            StopReason = StopReason.EndTurn,
            Usage = new TokenUsage { InputTokens = 3, OutputTokens = 4, TotalTokens = 7 },
        });

        var response = await client.GetResponseAsync("hi");

        Assert.Equal("From Converse", response.Text);
        Assert.Equal(3, response.Usage!.InputTokenCount);
        Assert.Single(bedrock.Requests);
        Assert.Empty(bedrock.StreamRequests);
    }

    [Fact]
    public async Task Function_invocation_middleware_calls_an_AIFunction_and_returns_the_final_answer()
    {
        var (inner, bedrock, _) = Create();
        var calls = 0;
        var getWeather = AIFunctionFactory.Create(
            ([Description("The city")] string city) =>
            {
                Interlocked.Increment(ref calls);
                return $"It is sunny in {city}.";
            },
            "get_weather",
            "Gets the current weather for a city.");
        bedrock.Then(ScriptedBedrockClient.ToolTurn("tool-1", "get_weather", """{"city":"Paris"}"""));
        bedrock.Then(ScriptedBedrockClient.TextTurn("Paris is sunny today."));
        using var client = new ChatClientBuilder(inner).UseFunctionInvocation().Build();

        var response = await client.GetResponseAsync("What is the weather in Paris?", new ChatOptions { Tools = [getWeather] });

        Assert.Equal("Paris is sunny today.", response.Text);
        Assert.Equal(1, calls);
        Assert.Equal(2, bedrock.StreamRequests.Count);
        var second = bedrock.StreamRequests.ToArray()[1];
        var toolResult = second.Messages![^1].Content.Single().ToolResult!;
        Assert.Equal("tool-1", toolResult.ToolUseId);
        Assert.Contains("It is sunny in Paris.", toolResult.Content[0].Text ?? toolResult.Content[0].Json?.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(ConversationRole.Assistant, second.Messages![1].Role);
        Assert.Equal("get_weather", second.Messages[1].Content.Single().ToolUse!.Name);
    }

    [Fact]
    public async Task Function_invocation_middleware_streams_too()
    {
        var (inner, bedrock, _) = Create();
        var echo = AIFunctionFactory.Create((string text) => text.ToUpperInvariant(), "shout");
        bedrock.Then(ScriptedBedrockClient.ToolTurn("tool-1", "shout", """{"text":"hey"}"""));
        bedrock.Then(ScriptedBedrockClient.TextTurn("HEY"));
        using var client = new ChatClientBuilder(inner).UseFunctionInvocation().Build();

        var text = new StringBuilder();
        await foreach (var update in client.GetStreamingResponseAsync("shout hey", new ChatOptions { Tools = [echo] }))
        {
            text.Append(update.Text);
        }

        Assert.Equal("HEY", text.ToString());
        Assert.Equal("HEY", bedrock.StreamRequests.ToArray()[1].Messages![^1].Content.Single().ToolResult!.Content[0].Text);
    }

    [Fact]
    public async Task Agent_framework_chat_client_agent_runs_on_the_bedrock_chat_client()
    {
        var (client, bedrock, _) = Create();
        var lookups = 0;
        var lookup = AIFunctionFactory.Create(
            (string sku) =>
            {
                Interlocked.Increment(ref lookups);
                return 42;
            },
            "stock_level",
            "Returns the stock level of a product.");
        bedrock.Then(ScriptedBedrockClient.ToolTurn("t-9", "stock_level", """{"sku":"A-1"}"""));
        bedrock.Then(ScriptedBedrockClient.TextTurn("There are 42 in stock."));
        AIAgent agent = new ChatClientAgent(client, instructions: "You answer stock questions.", name: "stock-agent", tools: [lookup]);

        var session = await agent.CreateSessionAsync();
        var response = await agent.RunAsync("How many A-1 are left?", session);

        Assert.Equal("There are 42 in stock.", response.Text);
        Assert.Equal(1, lookups);
        Assert.True(bedrock.StreamRequests.TryDequeue(out var first));
        Assert.Equal("You answer stock questions.", first.System!.Single().Text);
        Assert.Equal("stock_level", first.ToolConfig!.Tools.Single().ToolSpec!.Name);
        Assert.Null(first.AdditionalModelRequestFields);
    }
}
