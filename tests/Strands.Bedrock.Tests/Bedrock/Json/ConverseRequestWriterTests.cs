using System.Globalization;
using System.Text;
using System.Text.Json;
using Strands.Bedrock;
using Strands.Bedrock.Json;
using Strands.Content;
using Strands.Tests.TestUtilities;
using Xunit.Abstractions;

namespace Strands.Tests.Bedrock.Json;

/// <summary>
/// The hand-written request writer must write exactly the bytes of <see cref="BedrockJsonContext"/>, or decline (null)
/// so that the context writes them: on the recorded wire requests, on the agent's usual shapes, and on seeded random
/// requests mixing the members it covers with those it leaves to the context.
/// </summary>
public class ConverseRequestWriterTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("converse-request.json")]
    [InlineData("converse-stream-request.json")]
    public void Recorded_requests_are_written_byte_for_byte_or_left_to_the_context(string name)
    {
        var body = WireFixtures.Json(name)["wire"]!["body"]!.ToJsonString();
        var request = JsonSerializer.Deserialize(body, BedrockJsonContext.Default.ConverseStreamRequest)!;
        AssertSameAsContext(request, mustWrite: false);

        // The same conversation without the members the writer leaves to the context (image, document, guardrail,
        // request metadata, performance configuration).
        var agentShaped = request with
        {
            GuardrailConfig = null,
            RequestMetadata = null,
            PerformanceConfig = null,
            Messages = [.. request.Messages!.Select(m => m with { Content = [.. m.Content.Where(c => c.Image is null && c.Document is null)] })],
        };
        AssertSameAsContext(agentShaped, mustWrite: true);
    }

    [Fact]
    public void An_agent_tool_round_trip_is_written_by_the_writer()
    {
        var request = new ConverseStreamRequest
        {
            ModelId = "us.amazon.nova-pro-v1:0",
            System = [SystemContentBlock.FromText("You are a weather assistant. <Use> the \"get_weather\" tool & answer in 1 line."), SystemContentBlock.CachePointDefault],
            Messages =
            [
                Message.User("What is the weather in Seattle? ☔ \u2028 😀"),
                Message.Assistant(
                    new ContentBlock { ReasoningContent = new ReasoningContentBlock { ReasoningText = new ReasoningTextBlock { Text = "Use the tool.", Signature = "sig" } } },
                    new ContentBlock { ToolUse = new ToolUseBlock { ToolUseId = "tooluse_1", Name = "get_weather", Input = JsonValues.Parse("""{"city":"Seattle","days":[1,2.5,-3e2],"x":null,"y":true,"é":"\u00e9"}""") } }),
                Message.User(
                    new ContentBlock { ToolResult = new ToolResultBlock { ToolUseId = "tooluse_1", Status = ToolResultStatus.Success, Content = [ToolResultContentBlock.FromJson(JsonValues.Parse("""{"temperatureC":18}""")), ToolResultContentBlock.FromText("sunny")] } },
                    new ContentBlock { CachePoint = new CachePointBlock { Ttl = CacheTtl.OneHour } }),
            ],
            InferenceConfig = new InferenceConfiguration { MaxTokens = 4096, Temperature = 0.3f, TopP = 0.9f, StopSequences = ["\n\nHuman:"] },
            ToolConfig = new ToolConfiguration
            {
                Tools =
                [
                    new Tool { ToolSpec = new ToolSpecification { Name = "get_weather", Description = "Gets the weather.", InputSchema = new ToolInputSchema { Json = JsonValues.Parse("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""") }, Strict = true } },
                    new Tool { CachePoint = new CachePointBlock() },
                ],
                ToolChoice = ToolChoice.ForTool("get_weather"),
            },
            AdditionalModelRequestFields = JsonValues.Parse("""{"thinking":{"type":"enabled","budget_tokens":1024}}"""),
            AdditionalModelResponseFieldPaths = ["/stop_sequence"],
        };

        AssertSameAsContext(request, mustWrite: true);
        AssertSameAsContext(new ConverseRequest { ModelId = "m", Messages = request.Messages, ToolConfig = request.ToolConfig with { ToolChoice = ToolChoice.AnyChoice } }, mustWrite: true);
        AssertSameAsContext(new ConverseRequest { ModelId = "m", Messages = request.Messages, ToolConfig = request.ToolConfig with { ToolChoice = ToolChoice.AutoChoice } }, mustWrite: true);
    }

    [Fact]
    public void Members_it_does_not_cover_are_left_to_the_context()
    {
        var basic = new ConverseStreamRequest { ModelId = "m", Messages = [Message.User("Hi")] };
        Assert.NotNull(ConverseRequestWriter.TryWrite(basic));
        Assert.Null(ConverseRequestWriter.TryWrite(basic with { GuardrailConfig = new GuardrailStreamConfiguration { GuardrailIdentifier = "g", GuardrailVersion = "1" } }));
        Assert.Null(ConverseRequestWriter.TryWrite(basic with { RequestMetadata = new Dictionary<string, string> { ["k"] = "v" } }));
        Assert.Null(ConverseRequestWriter.TryWrite(basic with { AdditionalMembers = new Dictionary<string, JsonElement> { ["future"] = JsonValues.Parse("1") } }));
        Assert.Null(ConverseRequestWriter.TryWrite(basic with { Messages = [Message.User(new ContentBlock { Image = new ImageBlock { Format = ImageFormat.Png, Source = new ImageSource { Bytes = [1, 2] } } })] }));

        // An unpaired surrogate is escaped as the context escapes it.
        AssertSameAsContext(basic with { Messages = [Message.User("a\ud800b")] }, mustWrite: true);
    }

    [Fact]
    public void Seeded_random_requests_are_written_byte_for_byte_or_left_to_the_context()
    {
        var firstSeed = int.TryParse(Environment.GetEnvironmentVariable("STRANDS_PROPERTY_SEED"), CultureInfo.InvariantCulture, out var s) ? s : 20_261_201;
        var count = int.TryParse(Environment.GetEnvironmentVariable("STRANDS_PROPERTY_SCHEDULES"), CultureInfo.InvariantCulture, out var c) ? c : 3_000;
        var written = 0;
        var failures = new List<string>();
        for (var seed = firstSeed; seed < firstSeed + count; seed++)
        {
            var request = RandomRequest(new Random(seed));
            try
            {
                if (AssertSameAsContext(request, mustWrite: false))
                {
                    written++;
                }
            }
            catch (Exception ex) when (ex is Xunit.Sdk.XunitException)
            {
                failures.Add($"seed {seed}: {ex.Message}");
            }
        }

        output.WriteLine($"Request writer property: {count} random requests tried from seed {firstSeed} ({written} written by the writer, the rest left to the context), {failures.Count} failed.");
        Assert.True(failures.Count == 0, $"Replay with STRANDS_PROPERTY_SEED=<seed> STRANDS_PROPERTY_SCHEDULES=1.\n{string.Join("\n", failures.Take(10))}");
        Assert.True(written > count / 4, $"Only {written} of {count} requests were written by the writer: the generator no longer exercises it.");
    }

    /// <summary>Asserts the writer's bytes equal the context's; returns whether the writer wrote them.</summary>
    private static bool AssertSameAsContext(ConverseRequestBase request, bool mustWrite)
    {
        var expected = request switch
        {
            ConverseStreamRequest stream => JsonSerializer.SerializeToUtf8Bytes(stream, BedrockJsonContext.Default.ConverseStreamRequest),
            ConverseRequest converse => JsonSerializer.SerializeToUtf8Bytes(converse, BedrockJsonContext.Default.ConverseRequest),
            _ => throw new ArgumentException("Unknown request type.", nameof(request)),
        };
        var actual = ConverseRequestWriter.TryWrite(request);
        if (actual is null)
        {
            Assert.False(mustWrite, "The writer declined a request it covers.");
            return false;
        }

        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(actual));
        Assert.Equal(expected, actual);
        return true;
    }

    private static ConverseRequestBase RandomRequest(Random random)
    {
        var rare = random.Next(4) == 0; // a quarter of the requests may carry members the writer leaves to the context
        var messages = new List<Message>();
        for (var i = random.Next(1, 6); i > 0; i--)
        {
            var blocks = new List<ContentBlock>();
            for (var j = random.Next(0, 4); j >= 0; j--)
            {
                blocks.Add(RandomBlock(random, rare));
            }

            messages.Add(new Message { Role = random.Next(2) == 0 ? ConversationRole.User : ConversationRole.Assistant, Content = blocks });
        }

        var system = random.Next(3) == 0 ? null : (IReadOnlyList<SystemContentBlock>)[SystemContentBlock.FromText(RandomText(random)), .. random.Next(2) == 0 ? [SystemContentBlock.CachePointDefault] : Array.Empty<SystemContentBlock>()];
        var inference = random.Next(2) == 0 ? null : new InferenceConfiguration
        {
            MaxTokens = random.Next(2) == 0 ? null : random.Next(1, 100_000),
            Temperature = random.Next(2) == 0 ? null : (float)random.NextDouble(),
            TopP = random.Next(2) == 0 ? null : (float)random.NextDouble(),
            StopSequences = random.Next(2) == 0 ? null : [RandomText(random)],
        };
        var tools = random.Next(2) == 0 ? null : new ToolConfiguration
        {
            Tools = [new Tool { ToolSpec = new ToolSpecification { Name = "tool_" + random.Next(100), Description = random.Next(2) == 0 ? null : RandomText(random), InputSchema = new ToolInputSchema { Json = RandomJson(random, 3) }, Strict = random.Next(3) == 0 ? true : null } }],
            ToolChoice = random.Next(4) switch { 0 => null, 1 => ToolChoice.AutoChoice, 2 => ToolChoice.AnyChoice, _ => ToolChoice.ForTool("tool_1") },
        };
        ConverseRequestBase request = random.Next(2) == 0
            ? new ConverseStreamRequest { ModelId = "m", Messages = messages, System = system, InferenceConfig = inference, ToolConfig = tools, GuardrailConfig = rare && random.Next(3) == 0 ? new GuardrailStreamConfiguration { GuardrailIdentifier = "g", GuardrailVersion = "1" } : null }
            : new ConverseRequest { ModelId = "m", Messages = messages, System = system, InferenceConfig = inference, ToolConfig = tools };
        if (random.Next(3) == 0)
        {
            request = request with { AdditionalModelRequestFields = RandomJson(random, 3), AdditionalModelResponseFieldPaths = random.Next(2) == 0 ? null : ["/a", RandomText(random)] };
        }

        if (rare && random.Next(3) == 0)
        {
            request = request with { RequestMetadata = new Dictionary<string, string> { ["k"] = RandomText(random) } };
        }

        return request;
    }

    private static ContentBlock RandomBlock(Random random, bool rare)
    {
        var kind = random.Next(rare ? 8 : 6);
        return kind switch
        {
            0 => ContentBlock.FromText(RandomText(random)),
            1 => new ContentBlock { ToolUse = new ToolUseBlock { ToolUseId = "t" + random.Next(10), Name = "tool_" + random.Next(10), Input = RandomJson(random, 4) } },
            2 => new ContentBlock
            {
                ToolResult = new ToolResultBlock
                {
                    ToolUseId = "t" + random.Next(10),
                    Status = random.Next(3) switch { 0 => null, 1 => ToolResultStatus.Success, _ => ToolResultStatus.Error },
                    Content = [random.Next(2) == 0 ? ToolResultContentBlock.FromText(RandomText(random)) : ToolResultContentBlock.FromJson(RandomJson(random, 3))],
                },
            },
            3 => new ContentBlock { CachePoint = new CachePointBlock { Ttl = random.Next(2) == 0 ? null : CacheTtl.FiveMinutes } },
            4 => new ContentBlock { ReasoningContent = new ReasoningContentBlock { ReasoningText = new ReasoningTextBlock { Text = RandomText(random), Signature = random.Next(2) == 0 ? null : "sig" } } },
            5 => ContentBlock.FromText(RandomText(random) + RandomText(random)),
            6 => new ContentBlock { Image = new ImageBlock { Format = ImageFormat.Jpeg, Source = new ImageSource { Bytes = [(byte)random.Next(256)] } } },
            _ => new ContentBlock { ReasoningContent = new ReasoningContentBlock { RedactedContent = [1, 2, 3] } },
        };
    }

    private static string RandomText(Random random)
    {
        // ASCII, characters the default encoder escapes (HTML-sensitive, control, non-ASCII, a surrogate pair).
        string[] pieces = ["hello", " ", "<b>", "&", "'", "\"", "\\", "\n", "\t", "\u0001", "é", "日本", "\u2028", "😀", "/", "+", "0"];
        var text = new StringBuilder();
        for (var i = random.Next(1, 8); i > 0; i--)
        {
            text.Append(pieces[random.Next(pieces.Length)]);
        }

        return text.ToString();
    }

    private static JsonElement RandomJson(Random random, int depth)
    {
        var json = new StringBuilder();
        AppendJson(random, json, depth);
        return JsonValues.Parse(json.ToString());
    }

    private static void AppendJson(Random random, StringBuilder json, int depth)
    {
        switch (depth <= 0 ? random.Next(5) : random.Next(7))
        {
            case 0: json.Append(JsonSerializer.Serialize(RandomText(random), BedrockJsonContext.Default.String)); break;
            case 1: json.Append(random.Next(-1000, 1000).ToString(CultureInfo.InvariantCulture)); break;
            case 2: json.Append((random.NextDouble() * 1e6).ToString("R", CultureInfo.InvariantCulture)); break;
            case 3: json.Append(random.Next(2) == 0 ? "true" : "null"); break;
            case 4: json.Append("\"\\u00e9\\n\\/\""); break;
            case 5:
                json.Append('[');
                for (var i = random.Next(3); i > 0; i--)
                {
                    AppendJson(random, json, depth - 1);
                    json.Append(i > 1 ? "," : "");
                }

                json.Append(']');
                break;
            default:
                json.Append('{');
                for (var i = random.Next(3); i > 0; i--)
                {
                    json.Append("\"k").Append(random.Next(100)).Append(random.Next(2) == 0 ? "<&>" : "").Append("\":");
                    AppendJson(random, json, depth - 1);
                    json.Append(i > 1 ? "," : "");
                }

                json.Append('}');
                break;
        }
    }
}
