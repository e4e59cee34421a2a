using System.Text.Json;
using System.Text.Json.Nodes;
using Strands.Bedrock;
using Strands.Bedrock.Json;
using Strands.Content;
using Strands.Tests.TestUtilities;

namespace Strands.Tests.Content;

public class WireSerializationTests
{
    private static readonly BedrockJsonContext Context = BedrockJsonContext.Default;

    [Fact]
    public void Converse_request_built_in_csharp_serialises_to_the_recorded_body()
    {
        var fixture = WireFixtures.Json("converse-request.json");
        var request = new ConverseRequest
        {
            ModelId = "arn:aws:bedrock:us-west-2:123456789012:inference-profile/us.anthropic.claude-sonnet-4-20250514-v1:0",
            System = [SystemContentBlock.FromText("You are a concise assistant."), SystemContentBlock.CachePointDefault],
            Messages =
            [
                Message.User(
                    ContentBlock.FromText("What is in this image and document? Then get the weather in Seattle."),
                    new ContentBlock { Image = new ImageBlock { Format = ImageFormat.Png, Source = new ImageSource { Bytes = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==") } } },
                    new ContentBlock { Document = new DocumentBlock { Format = DocumentFormat.Txt, Name = "notes", Source = new DocumentSource { Bytes = "Quarterly notes: revenue up 3%."u8.ToArray() } } }),
                Message.Assistant(
                    new ContentBlock { ReasoningContent = new ReasoningContentBlock { ReasoningText = new ReasoningTextBlock { Text = "Need the weather tool.", Signature = "EqQBCkYIARgCIkD" } } },
                    ContentBlock.FromText("A red pixel and quarterly notes. Checking weather."),
                    new ContentBlock { ToolUse = new ToolUseBlock { ToolUseId = "tooluse_abc123", Name = "get_weather", Input = JsonValues.Parse("""{"city":"Seattle"}""") } }),
                Message.User(
                    new ContentBlock
                    {
                        ToolResult = new ToolResultBlock
                        {
                            ToolUseId = "tooluse_abc123",
                            Status = ToolResultStatus.Success,
                            Content = [ToolResultContentBlock.FromJson(JsonValues.Parse("""{"tempC":12,"sky":"cloudy"}""")), ToolResultContentBlock.FromText("Source: test")],
                        },
                    },
                    ContentBlock.CachePointDefault),
            ],
            InferenceConfig = new InferenceConfiguration { MaxTokens = 512, Temperature = 0.2f, TopP = 0.9f, StopSequences = ["\n\nHuman:"] },
            ToolConfig = new ToolConfiguration
            {
                Tools =
                [
                    new Tool
                    {
                        ToolSpec = new ToolSpecification
                        {
                            Name = "get_weather",
                            Description = "Get current weather for a city",
                            InputSchema = new ToolInputSchema { Json = JsonValues.Parse("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""") },
                        },
                    },
                    new Tool { CachePoint = new CachePointBlock() },
                ],
                ToolChoice = ToolChoice.ForTool("get_weather"),
            },
            GuardrailConfig = new GuardrailConfiguration { GuardrailIdentifier = "gr1abc2def3", GuardrailVersion = "1", Trace = GuardrailTrace.Enabled },
            AdditionalModelRequestFields = JsonValues.Parse("""{"top_k":200,"thinking":{"type":"enabled","budget_tokens":1024}}"""),
            AdditionalModelResponseFieldPaths = ["/stop_sequence"],
            RequestMetadata = new Dictionary<string, string> { ["tenant"] = "t-001" },
            PerformanceConfig = new PerformanceConfiguration { Latency = PerformanceConfigLatency.Standard },
        };

        var json = JsonNode.Parse(JsonSerializer.SerializeToUtf8Bytes(request, Context.ConverseRequest));

        JsonAssert.Equal(fixture["wire"]!["body"], json);
    }

    [Theory]
    [InlineData("converse-request.json")]
    [InlineData("converse-stream-request.json")]
    public void Recorded_request_round_trips_to_the_recorded_body(string name)
    {
        var fixture = WireFixtures.Json(name);
        // The Converse fixture has the SDK's input; the ConverseStream one only the body on the wire.
        var input = WireFixtures.SdkToWire(fixture["sdkInput"] ?? fixture["wire"]!["body"])!.AsObject();
        input.Remove("modelId");
        var bytes = JsonSerializer.SerializeToUtf8Bytes(input);

        JsonNode? reserialised = name.Contains("stream", StringComparison.Ordinal)
            ? JsonNode.Parse(JsonSerializer.SerializeToUtf8Bytes(JsonSerializer.Deserialize(bytes, Context.ConverseStreamRequest)!, Context.ConverseStreamRequest))
            : JsonNode.Parse(JsonSerializer.SerializeToUtf8Bytes(JsonSerializer.Deserialize(bytes, Context.ConverseRequest)!, Context.ConverseRequest));

        JsonAssert.Equal(fixture["wire"]!["body"], reserialised);
    }

    [Fact]
    public void Converse_response_parses_field_for_field()
    {
        var fixture = WireFixtures.Json("converse-response.json");
        var body = fixture["served"]!["body"]!.ToJsonString();

        var response = JsonSerializer.Deserialize(body, Context.ConverseResponse)!;

        Assert.Equal(StopReason.ToolUse, response.StopReason);
        Assert.Equal(1200, response.Usage.InputTokens);
        Assert.Equal(55, response.Usage.OutputTokens);
        Assert.Equal(1255, response.Usage.TotalTokens);
        Assert.Equal(1024, response.Usage.CacheReadInputTokens);
        Assert.Equal(0, response.Usage.CacheWriteInputTokens);
        Assert.Equal(812, response.Metrics.LatencyMs);
        Assert.Equal(PerformanceConfigLatency.Standard, response.PerformanceConfig!.Latency);
        var message = response.Output.Message!;
        Assert.Equal(ConversationRole.Assistant, message.Role);
        Assert.Equal("The user wants the weather.", message.Content[0].ReasoningContent!.ReasoningText!.Text);
        Assert.Equal("EqQBCkYIARgCIkD", message.Content[0].ReasoningContent!.ReasoningText!.Signature);
        Assert.Equal("Let me look that up.", message.Content[1].Text);
        Assert.Equal("get_weather", message.Content[2].ToolUse!.Name);
        Assert.Equal("Seattle", message.Content[2].ToolUse!.Input.GetProperty("city").GetString());

        // And it serialises back to the same JSON the service sent (minus nothing: every member is modelled).
        var sdkParsed = fixture["sdkParsed"]!.AsObject().DeepClone().AsObject();
        sdkParsed.Remove("$metadata");
        JsonAssert.Equal(sdkParsed, JsonNode.Parse(JsonSerializer.SerializeToUtf8Bytes(response, Context.ConverseResponse)));
    }

    [Fact]
    public void Unknown_union_members_and_enum_values_parse_and_round_trip()
    {
        const string json = """
            {"output":{"message":{"role":"assistant","content":[
              {"text":"hi"},
              {"toolAddition":{"tool":{"name":"x"}}}]}},
             "stopReason":"a_new_stop_reason",
             "usage":{"inputTokens":1,"outputTokens":2,"totalTokens":3,"newCounter":7},
             "metrics":{"latencyMs":1},
             "someNewTopLevelMember":{"a":1}}
            """;

        var response = JsonSerializer.Deserialize(json, Context.ConverseResponse)!;

        Assert.Equal("a_new_stop_reason", response.StopReason.Value);
        var unknown = response.Output.Message!.Content[1];
        Assert.Null(unknown.Text);
        Assert.True(unknown.UnknownMembers!.ContainsKey("toolAddition"));
        var echoed = JsonNode.Parse(JsonSerializer.Serialize(unknown, Context.ContentBlock));
        JsonAssert.Equal(JsonNode.Parse("""{"toolAddition":{"tool":{"name":"x"}}}"""), echoed);
    }

    [Fact]
    public void Tool_choices_and_empty_structures_serialise_as_empty_objects()
    {
        Assert.Equal("""{"auto":{}}""", JsonSerializer.Serialize(ToolChoice.AutoChoice, Context.ToolChoice));
        Assert.Equal("""{"any":{}}""", JsonSerializer.Serialize(ToolChoice.AnyChoice, Context.ToolChoice));
        Assert.Equal("""{"tool":{"name":"t"}}""", JsonSerializer.Serialize(ToolChoice.ForTool("t"), Context.ToolChoice));
    }

    [Fact]
    public void Blobs_are_base64_and_enum_values_use_wire_spelling()
    {
        var block = new ContentBlock { Video = new VideoBlock { Format = VideoFormat.ThreeGp, Source = new VideoSource { Bytes = [1, 2, 3, 250] } } };

        Assert.Equal("""{"video":{"format":"three_gp","source":{"bytes":"AQID+g=="}}}""", JsonSerializer.Serialize(block, Context.ContentBlock));
    }

    [Fact]
    public void Stream_events_parse_with_padding_ignored()
    {
        var delta = JsonSerializer.Deserialize("""{"contentBlockIndex":2,"delta":{"toolUse":{"input":"{\"a\""}},"p":"abcdefgh"}""", Context.ContentBlockDeltaEvent)!;

        Assert.Equal(2, delta.ContentBlockIndex);
        Assert.Equal("{\"a\"", delta.Delta.ToolUse!.Input);
        Assert.Null(delta.Delta.UnknownMembers);
    }
}
