using System.ComponentModel;
using System.Text.Json.Nodes;
using Strands.Agents;
using Strands.Bedrock;
using Strands.Bedrock.Testing;
using Strands.Content;
using Strands.Models;
using Strands.Tests.TestUtilities;
using Strands.Tools;

namespace Strands.Tests.Models;

/// <summary>
/// Every BedrockModel example of the Strands documentation page for Amazon Bedrock, written in C#, run against the
/// fake Bedrock over loopback; each test checks the request JSON the server received.
/// </summary>
public sealed class DocumentationExampleTests : IAsyncLifetime
{
    private FakeBedrockServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeBedrockServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private BedrockModel Model(BedrockModelConfig? config = null) => new(config, _server.CreateClientOptions());

    private RecordedRequest LastRequest => _server.Requests[^1];

    private JsonObject LastBody => JsonNode.Parse(LastRequest.Body)!.AsObject();

    private static JsonNode Json(string text) => JsonNode.Parse(text)!;

    [Fact]
    public async Task The_basic_example_sends_a_minimal_request_to_the_default_model()
    {
        _server.Enqueue(FakeResponse.Text("Amazon Bedrock is a fully managed service."));
        var agent = new Agent(Model(), new AgentOptions { CallbackHandler = null });

        var response = await agent.InvokeAsync("Tell me about Amazon Bedrock.");

        Assert.Equal("Amazon Bedrock is a fully managed service.", response.ToString());
        Assert.Equal("/model/us.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse-stream", LastRequest.RawPath);
        JsonAssert.Equal(Json("""{"messages":[{"role":"user","content":[{"text":"Tell me about Amazon Bedrock."}]}],"system":[],"inferenceConfig":{}}"""), LastBody);
    }

    [Fact]
    public async Task The_basic_example_with_a_model_id_string_calls_that_model()
    {
        _server.Enqueue(FakeResponse.Text("ok"));
        var agent = new Agent(Model(new BedrockModelConfig { ModelId = "anthropic.claude-sonnet-4-20250514-v1:0" }), new AgentOptions { CallbackHandler = null });

        await agent.InvokeAsync("Tell me about Amazon Bedrock.");

        Assert.Equal("anthropic.claude-sonnet-4-20250514-v1:0", LastRequest.ModelId);
    }

    [Fact]
    public async Task The_custom_configuration_example_sends_its_model_id_temperature_and_top_p()
    {
        _server.Enqueue(FakeResponse.Text("ok"));
        var model = Model(new BedrockModelConfig { ModelId = "us.amazon.nova-premier-v1:0", Temperature = 0.3, TopP = 0.8 });

        await new Agent(model, new AgentOptions { CallbackHandler = null }).InvokeAsync("Tell me about Amazon Bedrock.");

        Assert.Equal("us.amazon.nova-premier-v1:0", LastRequest.ModelId);
        JsonAssert.Equal(Json("""{"temperature":0.3,"topP":0.8}"""), LastBody["inferenceConfig"]);
    }

    [Fact]
    public async Task The_client_configuration_example_signs_for_its_region_and_sends_its_stop_sequences()
    {
        // A fake that expects signatures for us-east-1, the region the example picks.
        await using var server = await FakeBedrockServer.StartAsync(new FakeBedrockServerOptions { Region = "us-east-1" });
        server.Enqueue(FakeResponse.Text("Once upon a time###"));
        var clientOptions = server.CreateClientOptions() with
        {
            Region = "us-east-1",
            MaxAttempts = 3,
            RetryMode = RetryMode.Standard,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            ReadTimeout = TimeSpan.FromSeconds(60),
        };
        using var model = new BedrockModel(
            new BedrockModelConfig { ModelId = "anthropic.claude-sonnet-4-20250514-v1:0", Temperature = 0.3, TopP = 0.8, StopSequences = ["###", "END"] },
            clientOptions);

        await new Agent(model, new AgentOptions { CallbackHandler = null }).InvokeAsync("Write a short story about an AI assistant.");

        var request = server.Requests[^1];
        JsonAssert.Equal(Json("""{"temperature":0.3,"topP":0.8,"stopSequences":["###","END"]}"""), JsonNode.Parse(request.Body)!["inferenceConfig"]);
        Assert.True(request.IsAuthenticated);
        Assert.Contains("/us-east-1/bedrock/aws4_request", request.Headers.First(h => h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase)).Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streaming_and_non_streaming_send_the_same_body_to_their_operations()
    {
        _server.Enqueue(FakeResponse.Text("streamed"), FakeResponse.Text("whole"));
        var streaming = Model(new BedrockModelConfig { ModelId = "anthropic.claude-sonnet-4-20250514-v1:0", Streaming = true });
        var nonStreaming = Model(new BedrockModelConfig { ModelId = "us.meta.llama3-2-90b-instruct-v1:0", Streaming = false });

        var a = await new Agent(streaming, new AgentOptions { CallbackHandler = null }).InvokeAsync("hi");
        var b = await new Agent(nonStreaming, new AgentOptions { CallbackHandler = null }).InvokeAsync("hi");

        Assert.Equal(FakeOperation.ConverseStream, _server.Requests[0].Operation);
        Assert.Equal(FakeOperation.Converse, _server.Requests[1].Operation);
        Assert.Equal("streamed", a.ToString());
        Assert.Equal("whole", b.ToString());
        JsonAssert.Equal(JsonNode.Parse(_server.Requests[0].Body), JsonNode.Parse(_server.Requests[1].Body));
    }

    [Fact]
    public async Task The_multimodal_example_sends_the_document_bytes_and_the_text_in_one_user_message()
    {
        _server.Enqueue(FakeResponse.Text("It is a fairy tale."));
        var agent = new Agent(Model(new BedrockModelConfig { ModelId = "anthropic.claude-sonnet-4-20250514-v1:0" }), new AgentOptions { CallbackHandler = null });

        await agent.InvokeAsync(
        [
            new ContentBlock { Document = new DocumentBlock { Format = DocumentFormat.Txt, Name = "example", Source = new DocumentSource { Bytes = "Once upon a time..."u8.ToArray() } } },
            ContentBlock.FromText("Tell me about the document."),
        ]);

        JsonAssert.Equal(
            Json("""[{"role":"user","content":[{"document":{"format":"txt","name":"example","source":{"bytes":"T25jZSB1cG9uIGEgdGltZS4uLg=="}}},{"text":"Tell me about the document."}]}]"""),
            LastBody["messages"]);
    }

    [Fact]
    public async Task The_guardrail_example_sends_the_guardrail_config_and_redacts_the_blocked_input()
    {
        _server.Enqueue(FakeResponse.Text("Sorry, I can't.").WithStopReason(StopReason.GuardrailIntervened).WithGuardrailBlock(input: true, output: false));
        var model = Model(new BedrockModelConfig
        {
            ModelId = "anthropic.claude-sonnet-4-20250514-v1:0",
            Guardrail = new GuardrailConfig
            {
                Id = "yourguardrailid", // the page's "your-guardrail-id" is a placeholder Bedrock would reject (no hyphens)
                Version = "DRAFT",
                Trace = GuardrailTrace.Enabled,
                StreamProcessingMode = GuardrailStreamProcessingMode.Sync,
                RedactInput = true,
                RedactInputMessage = "Blocked Input!",
                RedactOutput = false,
                RedactOutputMessage = "Blocked Output!",
                GuardLatestUserMessage = false,
            },
        });
        var agent = new Agent(model, new AgentOptions { CallbackHandler = null });

        var response = await agent.InvokeAsync("Can you tell me about the Strands SDK?");

        JsonAssert.Equal(
            Json("""{"guardrailIdentifier":"yourguardrailid","guardrailVersion":"DRAFT","trace":"enabled","streamProcessingMode":"sync"}"""),
            LastBody["guardrailConfig"]);
        Assert.Equal(StopReason.GuardrailIntervened, response.StopReason);
        Assert.Equal("Blocked Input!", agent.Messages[0].Content.Single().Text);
    }

    [Fact]
    public async Task System_prompt_caching_reports_cache_writes_then_reads()
    {
        _server.Enqueue(FakeResponse.Text("Python is…").WithUsage(1100, 50, cacheRead: 0, cacheWrite: 1024), FakeResponse.Text("JavaScript is…").WithUsage(1100, 50, cacheRead: 1024, cacheWrite: 0));
        var longPrompt = "You are a helpful assistant that provides concise answers. " + string.Concat(Enumerable.Repeat("...", 1600));
        var agent = new Agent(Model(), new AgentOptions { SystemPrompt = new SystemPrompt([SystemContentBlock.FromText(longPrompt), SystemContentBlock.CachePointDefault]), CallbackHandler = null });

        var first = await agent.InvokeAsync("Tell me about Python");
        var second = await agent.InvokeAsync("Tell me about JavaScript");

        Assert.Equal(1024, first.Metrics.AccumulatedUsage.CacheWriteInputTokens);
        Assert.Equal(1024, second.Metrics.AccumulatedUsage.CacheReadInputTokens);
        JsonAssert.Equal(Json("""{"cachePoint":{"type":"default"}}"""), LastBody["system"]![1]);
    }

    [Fact]
    public async Task The_system_prompt_cache_setting_of_the_model_config_adds_a_cache_point_after_the_system_prompt()
    {
        _server.Enqueue(FakeResponse.Text("ok"));
        var model = Model(new BedrockModelConfig { ModelId = "anthropic.claude-sonnet-4-20250514-v1:0", Cache = new CacheConfig { SystemPrompt = CachePointType.Default } });

        await new Agent(model, new AgentOptions { SystemPrompt = "You are a helpful assistant that provides concise answers.", CallbackHandler = null }).InvokeAsync("Tell me about Python");

        JsonAssert.Equal(Json("""[{"text":"You are a helpful assistant that provides concise answers."},{"cachePoint":{"type":"default"}}]"""), LastBody["system"]);
    }

    [Fact]
    public async Task Tool_caching_adds_a_cache_point_after_the_built_in_tools_and_cache_usage_is_reported()
    {
        _server.Enqueue(
            FakeResponse.ToolUse("current_time", "{}").WithUsage(900, 20, cacheRead: 0, cacheWrite: 800),
            FakeResponse.Text("It is noon."),
            FakeResponse.ToolUse("calculator", """{"expression":"sqrt(1764)"}""").WithUsage(900, 20, cacheRead: 800, cacheWrite: 0),
            FakeResponse.Text("42"));
        var model = Model(new BedrockModelConfig { ModelId = "anthropic.claude-sonnet-4-20250514-v1:0", Cache = new CacheConfig { Tools = CachePointType.Default } });
        var agent = new Agent(model, new AgentOptions { Tools = [BuiltInTools.Calculator, BuiltInTools.CurrentTime], CallbackHandler = null });

        var first = await agent.InvokeAsync("What time is it?");
        var second = await agent.InvokeAsync("What is the square root of 1764?");

        var tools = LastBody["toolConfig"]!["tools"]!.AsArray();
        Assert.Equal(["calculator", "current_time"], tools.Take(2).Select(t => t!["toolSpec"]!["name"]!.GetValue<string>()));
        JsonAssert.Equal(Json("""{"cachePoint":{"type":"default"}}"""), tools[2]);
        Assert.True(first.Metrics.AccumulatedUsage.CacheWriteInputTokens > 0);
        Assert.True(second.Metrics.AccumulatedUsage.CacheReadInputTokens > 0);
        var toolResult = JsonNode.Parse(_server.Requests[3].Body)!["messages"]!.AsArray()[^1]!["content"]![0]!["toolResult"]!;
        Assert.Equal("42", toolResult["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("42", second.ToString());
    }

    [Fact]
    public async Task A_cache_point_in_the_initial_history_is_sent_on_every_later_request()
    {
        _server.Enqueue(FakeResponse.Text("A sample document."), FakeResponse.Text("Short."));
        Message[] messages =
        [
            Message.User(
                new ContentBlock { Document = new DocumentBlock { Format = DocumentFormat.Txt, Name = "example", Source = new DocumentSource { Bytes = "This is a sample document!"u8.ToArray() } } },
                ContentBlock.FromText("Use this document in your response."),
                ContentBlock.CachePointDefault),
            Message.Assistant("I will reference that document in my following responses."),
        ];
        var agent = new Agent(Model(), new AgentOptions { Messages = messages, CallbackHandler = null });

        await agent.InvokeAsync("What is in that document?");
        await agent.InvokeAsync("How long is the document?");

        JsonAssert.Equal(Json("""{"cachePoint":{"type":"default"}}"""), LastBody["messages"]![0]!["content"]![2]);
        Assert.Equal(5, LastBody["messages"]!.AsArray().Count);
    }

    [Fact]
    public async Task Updating_the_model_config_at_runtime_changes_the_next_request()
    {
        _server.Enqueue(FakeResponse.Text("a"), FakeResponse.Text("b"));
        var model = Model(new BedrockModelConfig { ModelId = "anthropic.claude-sonnet-4-20250514-v1:0", Temperature = 0.7 });
        var agent = new Agent(model, new AgentOptions { CallbackHandler = null });

        await agent.InvokeAsync("one");
        JsonAssert.Equal(Json("""{"temperature":0.7}"""), LastBody["inferenceConfig"]);

        model.UpdateConfig(c => c with { Temperature = 0.3, TopP = 0.2 });
        await agent.InvokeAsync("two");
        JsonAssert.Equal(Json("""{"temperature":0.3,"topP":0.2}"""), LastBody["inferenceConfig"]);
    }

    public static class ConfigTools
    {
        [Tool, Description("Update the model id of the agent.")]
        public static string UpdateModelId([Description("Bedrock model id to use.")] string modelId, Agent agent)
        {
            agent.Model.UpdateConfig(c => c with { ModelId = modelId });
            return $"Model updated to {modelId}";
        }

        [Tool, Description("Update the temperature of the agent.")]
        public static string UpdateTemperature([Description("Temperature value for the model to use.")] double temperature, Agent agent)
        {
            agent.Model.UpdateConfig(c => c with { Temperature = temperature });
            return $"Temperature updated to {temperature}";
        }
    }

    [Fact]
    public async Task Tools_that_update_the_model_configuration_mid_conversation()
    {
        _server.Enqueue(
            FakeResponse.ToolUse("update_model_id", """{"modelId":"us.amazon.nova-premier-v1:0"}"""),
            FakeResponse.ToolUse("update_temperature", """{"temperature":0.2}"""),
            FakeResponse.Text("Done."));
        var agent = new Agent(Model(), new AgentOptions { Tools = AgentTool.FromType(typeof(ConfigTools)), CallbackHandler = null });

        await agent.InvokeAsync("Switch to Nova Premier and cool down.");

        Assert.Equal(BedrockModelConfig.DefaultModelId, _server.Requests[0].ModelId);
        Assert.Equal("us.amazon.nova-premier-v1:0", _server.Requests[1].ModelId);
        Assert.Null(JsonNode.Parse(_server.Requests[1].Body)!["inferenceConfig"]!["temperature"]);
        Assert.Equal("us.amazon.nova-premier-v1:0", _server.Requests[2].ModelId);
        Assert.Equal(0.2, JsonNode.Parse(_server.Requests[2].Body)!["inferenceConfig"]!["temperature"]!.GetValue<double>(), 3);
    }

    [Fact]
    public async Task Reasoning_through_additional_request_fields_or_the_reasoning_config()
    {
        _server.Enqueue(FakeResponse.Reasoning("450 / 120 = 3.75", "3.75 hours"), FakeResponse.Reasoning("again", "3.75 hours"));
        var viaFields = Model(new BedrockModelConfig
        {
            ModelId = "anthropic.claude-sonnet-4-20250514-v1:0",
            AdditionalRequestFields = JsonValues.Parse("""{"thinking":{"type":"enabled","budget_tokens":4096}}"""),
        });
        var viaConfig = Model(new BedrockModelConfig { ModelId = "anthropic.claude-sonnet-4-20250514-v1:0", Reasoning = new ReasoningConfig { BudgetTokens = 4096 } });
        const string question = "If a train travels at 120 km/h and needs to cover 450 km, how long will the journey take?";

        var agent = new Agent(viaFields, new AgentOptions { CallbackHandler = null });
        var answer = await agent.InvokeAsync(question);
        await new Agent(viaConfig, new AgentOptions { CallbackHandler = null }).InvokeAsync(question);

        Assert.Equal("3.75 hours", answer.ToString());
        JsonAssert.Equal(JsonNode.Parse(_server.Requests[0].Body), JsonNode.Parse(_server.Requests[1].Body));
        JsonAssert.Equal(Json("""{"thinking":{"type":"enabled","budget_tokens":4096}}"""), LastBody["additionalModelRequestFields"]);
        var reasoning = agent.Messages[1].Content[0].ReasoningContent!.ReasoningText!;
        Assert.Equal("450 / 120 = 3.75", reasoning.Text);
        Assert.Equal(FakeResponse.DefaultReasoningSignature, reasoning.Signature);
    }

    [Description("Analyze product information from text.")]
    public sealed record ProductAnalysis(
        [property: Description("Product name")] string Name,
        [property: Description("Product category")] string Category,
        [property: Description("Price in USD")] double Price,
        [property: Description("Key product features")] IReadOnlyList<string> Features,
        [property: Description("Customer rating 1-5")] double? Rating);

    [Fact]
    public async Task The_structured_output_example_returns_the_object_from_a_forced_tool_with_the_records_schema()
    {
        _server.Enqueue(FakeResponse.ToolUse(
            "ProductAnalysis",
            """{"name":"UltraBook Pro","category":"laptop","price":1299,"features":["15-inch 4K display","16GB RAM"],"rating":4.5}"""));
        var agent = new Agent(Model(), new AgentOptions { CallbackHandler = null });

        var result = await agent.StructuredOutputAsync<ProductAnalysis>("Analyze this product: The UltraBook Pro is a premium laptop computer priced at $1,299.");

        Assert.Equal("UltraBook Pro", result.Name);
        Assert.Equal(1299, result.Price);
        Assert.Equal(4.5, result.Rating);
        var spec = LastBody["toolConfig"]!["tools"]![0]!["toolSpec"]!;
        Assert.Equal("ProductAnalysis", spec["name"]!.GetValue<string>());
        Assert.NotNull(spec["inputSchema"]!["json"]!["properties"]!["features"]);
    }
}
