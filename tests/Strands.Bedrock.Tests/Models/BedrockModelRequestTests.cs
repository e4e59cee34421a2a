using System.Text.Json;
using System.Text.Json.Nodes;
using Strands.Content;
using Strands.Models;
using Strands.Tests.TestUtilities;

namespace Strands.Tests.Models;

/// <summary>
/// How <see cref="BedrockModel"/> builds the Converse request from its config, the messages, tools and system prompt,
/// as Strands for Python does. Where it differs from Python, and why:
/// - The default model id is the documented <c>us.anthropic.claude-3-7-sonnet-20250219-v1:0</c>, with no
///   region-dependent prefix (Python moved to a global profile after the documentation page was written).
/// - No context window table and no CountTokens call: the agent reduces context reactively, on overflow.
/// - Unknown config keys cannot be given: the C# config is typed, so they do not compile (Python warns).
/// - Python's deprecated <c>cache_prompt</c> is <see cref="CacheConfig.SystemPrompt"/>, which is not deprecated.
/// - Union members this version does not know are kept and sent back verbatim (Python drops them as
///   <c>SDK_UNKNOWN_MEMBER</c>), because our serializer can write them.
/// - Converse has only S3 locations; a location whose URI is not <c>s3://</c> plays Python's non-S3 location.
/// </summary>
public class BedrockModelRequestTests
{
    private static readonly ToolSpecification WeatherSpec = new()
    {
        Name = "get_weather",
        Description = "Weather",
        InputSchema = new ToolInputSchema { Json = JsonValues.Parse("""{"type":"object","properties":{"city":{"type":"string"},"nested":{"type":"object","properties":{}}}}""") },
    };

    private static async Task<JsonObject> RequestFor(
        BedrockModelConfig config,
        IReadOnlyList<Message>? messages = null,
        IReadOnlyList<ToolSpecification>? tools = null,
        IReadOnlyList<SystemContentBlock>? system = null,
        ToolChoice? choice = null,
        bool validateConversation = true)
    {
        var bedrock = new ScriptedBedrockClient { ValidateConversation = validateConversation }.Then(ScriptedBedrockClient.TextTurn("ok"));
        var model = new BedrockModel(bedrock, config);
        await foreach (var _ in model.StreamAsync(messages ?? [Message.User("hi")], tools, system, choice))
        {
        }

        return bedrock.LastStreamRequestJson();
    }

    private static JsonNode Json(string text) => JsonNode.Parse(text)!;

    [Fact]
    public void Default_config_is_the_documented_model_id_streaming_and_automatic_tool_result_status()
    {
        using var model = new BedrockModel(new ScriptedBedrockClient());
        Assert.Equal("us.anthropic.claude-3-7-sonnet-20250219-v1:0", model.Config.ModelId);
        Assert.True(model.Config.Streaming);
        Assert.Equal(ToolResultStatusPolicy.Auto, model.Config.IncludeToolResultStatus);
    }

    [Fact]
    public void Update_config_changes_the_model_id_and_keeps_the_rest()
    {
        var model = new BedrockModel(new ScriptedBedrockClient(), new BedrockModelConfig { MaxTokens = 1 });
        model.UpdateConfig(c => c with { ModelId = "m2" });
        Assert.Equal("m2", model.Config.ModelId);
        Assert.Equal(1, model.Config.MaxTokens);
    }

    [Theory]
    [InlineData("MaxTokens")]
    [InlineData("Temperature")]
    [InlineData("TopP")]
    [InlineData("ModelId")]
    [InlineData("BudgetTokens")]
    public void Invalid_updates_name_the_field_and_keep_the_old_config(string field)
    {
        var model = new BedrockModel(new ScriptedBedrockClient(), new BedrockModelConfig { Temperature = 0.5 });
        var before = model.Config;
        Func<BedrockModelConfig, BedrockModelConfig> update = field switch
        {
            "MaxTokens" => c => c with { MaxTokens = -1 },
            "Temperature" => c => c with { Temperature = 1.5 },
            "TopP" => c => c with { TopP = -0.1 },
            "ModelId" => c => c with { ModelId = "" },
            _ => c => c with { Reasoning = new ReasoningConfig { BudgetTokens = 1000 } },
        };

        var error = Assert.Throws<ArgumentException>(() => model.UpdateConfig(update));
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
        Assert.Same(before, model.Config);
    }

    [Fact]
    public void Update_through_the_provider_neutral_interface_keeps_bedrock_settings()
    {
        IModel model = new BedrockModel(new ScriptedBedrockClient(), new BedrockModelConfig { Streaming = false });
        model.UpdateConfig(c => c with { Temperature = 0.3, TopP = 0.2 });
        var config = Assert.IsType<BedrockModelConfig>(model.Config);
        Assert.Equal(0.3, config.Temperature);
        Assert.Equal(0.2, config.TopP);
        Assert.False(config.Streaming);
    }

    [Fact]
    public async Task Default_request_has_only_the_messages_an_empty_system_and_an_empty_inference_config()
    {
        var json = await RequestFor(new BedrockModelConfig { ModelId = "m1" });
        JsonAssert.Equal(Json("""{"modelId":"m1","messages":[{"role":"user","content":[{"text":"hi"}]}],"system":[],"inferenceConfig":{}}"""), json);
    }

    [Fact]
    public async Task Config_options_map_to_their_request_members()
    {
        var json = await RequestFor(new BedrockModelConfig
        {
            ModelId = "m1",
            MaxTokens = 100,
            Temperature = 0.5,
            TopP = 0.25,
            StopSequences = ["stop"],
            AdditionalRequestFields = JsonValues.Parse("""{"top_k":5}"""),
            AdditionalResponseFieldPaths = ["/stop_sequence"],
            ServiceTier = ServiceTierType.Flex,
        });

        JsonAssert.Equal(Json("""{"maxTokens":100,"temperature":0.5,"topP":0.25,"stopSequences":["stop"]}"""), json["inferenceConfig"]);
        JsonAssert.Equal(Json("""{"top_k":5}"""), json["additionalModelRequestFields"]);
        JsonAssert.Equal(Json("""["/stop_sequence"]"""), json["additionalModelResponseFieldPaths"]);
        JsonAssert.Equal(Json("""{"type":"flex"}"""), json["serviceTier"]);
    }

    [Fact]
    public async Task Guardrail_is_sent_with_id_and_version_and_trace_defaults_to_enabled()
    {
        var withBoth = await RequestFor(new BedrockModelConfig { Guardrail = new GuardrailConfig { Id = "g1", Version = "DRAFT" } });
        JsonAssert.Equal(Json("""{"guardrailIdentifier":"g1","guardrailVersion":"DRAFT","trace":"enabled"}"""), withBoth["guardrailConfig"]);

        var full = await RequestFor(new BedrockModelConfig
        {
            Guardrail = new GuardrailConfig { Id = "g1", Version = "2", Trace = GuardrailTrace.EnabledFull, StreamProcessingMode = GuardrailStreamProcessingMode.Async },
        });
        JsonAssert.Equal(Json("""{"guardrailIdentifier":"g1","guardrailVersion":"2","trace":"enabled_full","streamProcessingMode":"async"}"""), full["guardrailConfig"]);

        // An id without a version (or the reverse) is rejected when the configuration is made (BedrockModelValidationTests).
    }

    [Fact]
    public async Task Non_streaming_guardrail_has_no_stream_processing_mode()
    {
        var bedrock = new ScriptedBedrockClient().ThenRespond(new Strands.Bedrock.ConverseResponse { Output = new Strands.Bedrock.ConverseOutput { Message = Message.Assistant("ok") } });
        var model = new BedrockModel(bedrock, new BedrockModelConfig
        {
            Streaming = false,
            Guardrail = new GuardrailConfig { Id = "g1", Version = "1", StreamProcessingMode = GuardrailStreamProcessingMode.Async },
        });
        await foreach (var _ in model.StreamAsync([Message.User("hi")]))
        {
        }

        var json = JsonSerializer.SerializeToNode(bedrock.Requests.Single(), Strands.Bedrock.Json.BedrockJsonContext.Default.ConverseRequest)!;
        JsonAssert.Equal(Json("""{"guardrailIdentifier":"g1","guardrailVersion":"1","trace":"enabled"}"""), json["guardrailConfig"]);
    }

    [Fact]
    public async Task System_prompt_blocks_are_sent_verbatim_and_cache_points_follow_system_and_tools()
    {
        var json = await RequestFor(
            new BedrockModelConfig { Cache = new CacheConfig { SystemPrompt = CachePointType.Default, Tools = CachePointType.Default } },
            tools: [WeatherSpec],
            system: [SystemContentBlock.FromText("sys"), SystemContentBlock.CachePointDefault, SystemContentBlock.FromText("more")]);

        JsonAssert.Equal(Json("""[{"text":"sys"},{"cachePoint":{"type":"default"}},{"text":"more"},{"cachePoint":{"type":"default"}}]"""), json["system"]);
        var tools = json["toolConfig"]!["tools"]!.AsArray();
        Assert.Equal(2, tools.Count);
        JsonAssert.Equal(Json("""{"cachePoint":{"type":"default"}}"""), tools[1]);
    }

    [Fact]
    public async Task Tool_choice_defaults_to_auto_and_explicit_choices_pass_through()
    {
        var auto = await RequestFor(new BedrockModelConfig(), tools: [WeatherSpec]);
        JsonAssert.Equal(Json("""{"auto":{}}"""), auto["toolConfig"]!["toolChoice"]);
        JsonAssert.Equal(
            Json("""{"toolSpec":{"name":"get_weather","description":"Weather","inputSchema":{"json":{"type":"object","properties":{"city":{"type":"string"},"nested":{"type":"object","properties":{}}}}}}}"""),
            auto["toolConfig"]!["tools"]![0]);

        var any = await RequestFor(new BedrockModelConfig(), tools: [WeatherSpec], choice: ToolChoice.AnyChoice);
        JsonAssert.Equal(Json("""{"any":{}}"""), any["toolConfig"]!["toolChoice"]);

        var named = await RequestFor(new BedrockModelConfig(), tools: [WeatherSpec], choice: ToolChoice.ForTool("get_weather"));
        JsonAssert.Equal(Json("""{"tool":{"name":"get_weather"}}"""), named["toolConfig"]!["toolChoice"]);
    }

    [Fact]
    public async Task Strict_tools_are_marked_strict_and_objects_without_additionalProperties_are_closed_on_a_copy()
    {
        var spec = WeatherSpec with
        {
            InputSchema = new ToolInputSchema { Json = JsonValues.Parse("""{"type":"object","additionalProperties":true,"properties":{"inner":{"type":"object"}}}""") },
        };
        var original = spec.InputSchema.Json!.Value.GetRawText();

        var strict = await RequestFor(new BedrockModelConfig { StrictTools = true }, tools: [spec]);
        var toolSpec = strict["toolConfig"]!["tools"]![0]!["toolSpec"]!;
        Assert.True(toolSpec["strict"]!.GetValue<bool>());
        Assert.True(toolSpec["inputSchema"]!["json"]!["additionalProperties"]!.GetValue<bool>());
        Assert.False(toolSpec["inputSchema"]!["json"]!["properties"]!["inner"]!["additionalProperties"]!.GetValue<bool>());
        Assert.Equal(original, spec.InputSchema.Json!.Value.GetRawText());

        var loose = await RequestFor(new BedrockModelConfig(), tools: [spec]);
        Assert.Null(loose["toolConfig"]!["tools"]![0]!["toolSpec"]!["strict"]);
    }

    [Fact]
    public async Task A_noop_tool_is_added_when_history_has_tool_blocks_but_no_tools_are_given()
    {
        var messages = new[]
        {
            Message.User("hi"),
            Message.Assistant(new ContentBlock { ToolUse = new ToolUseBlock { ToolUseId = "t1", Name = "x", Input = JsonValues.EmptyObject } }),
            Message.User(new ContentBlock { ToolResult = new ToolResultBlock { ToolUseId = "t1", Content = [ToolResultContentBlock.FromText("r")] } }),
        };

        var json = await RequestFor(new BedrockModelConfig(), messages);

        Assert.Equal("noop", json["toolConfig"]!["tools"]![0]!["toolSpec"]!["name"]!.GetValue<string>());
        JsonAssert.Equal(Json("""{"auto":{}}"""), json["toolConfig"]!["toolChoice"]);
    }

    [Fact]
    public async Task Tool_results_are_rebuilt_with_empty_content_as_one_empty_text_and_status_per_model_and_policy()
    {
        var messages = new List<Message>
        {
            Message.User(new ContentBlock { ToolResult = new ToolResultBlock { ToolUseId = "t1", Status = ToolResultStatus.Error, Content = [], Type = "x" } }),
        };
        var messagesBefore = JsonSerializer.Serialize(messages, Strands.Bedrock.Json.BedrockJsonContext.Default.ListMessage);

        // A lone tool result (Bedrock wants its tool use first): only how the block is formatted is under test here.
        var claude = await RequestFor(new BedrockModelConfig { ModelId = "us.anthropic.claude-3-7-sonnet-20250219-v1:0" }, messages, validateConversation: false);
        JsonAssert.Equal(Json("""{"toolResult":{"toolUseId":"t1","content":[{"text":""}],"status":"error"}}"""), claude["messages"]![0]!["content"]![0]);

        var nova = await RequestFor(new BedrockModelConfig { ModelId = "us.amazon.nova-pro-v1:0" }, messages, validateConversation: false);
        JsonAssert.Equal(Json("""{"toolResult":{"toolUseId":"t1","content":[{"text":""}]}}"""), nova["messages"]![0]!["content"]![0]);

        var excluded = await RequestFor(new BedrockModelConfig { IncludeToolResultStatus = ToolResultStatusPolicy.Exclude }, messages, validateConversation: false);
        Assert.Null(excluded["messages"]![0]!["content"]![0]!["toolResult"]!["status"]);

        var included = await RequestFor(new BedrockModelConfig { ModelId = "nova", IncludeToolResultStatus = ToolResultStatusPolicy.Include }, messages, validateConversation: false);
        Assert.Equal("error", included["messages"]![0]!["content"]![0]!["toolResult"]!["status"]!.GetValue<string>());

        Assert.Equal(messagesBefore, JsonSerializer.Serialize(messages, Strands.Bedrock.Json.BedrockJsonContext.Default.ListMessage));
    }

    [Fact]
    public async Task DeepSeek_requests_drop_reasoning_and_join_the_messages_around_one_it_leaves_empty()
    {
        var messages = new[]
        {
            Message.User("q"),
            Message.Assistant(new ContentBlock { ReasoningContent = new ReasoningContentBlock { ReasoningText = new ReasoningTextBlock { Text = "think" } } }),
            Message.User("q2"),
        };

        // Dropping the emptied assistant message would leave two user messages in a row, which Bedrock rejects (Strands
        // for Python sends them so): they join, and the strict fake accepts the request.
        var json = await RequestFor(new BedrockModelConfig { ModelId = "us.deepseek.r1-v1:0" }, messages);

        var sent = Assert.Single(json["messages"]!.AsArray());
        JsonAssert.Equal(Json("""{"role":"user","content":[{"text":"q"},{"text":"q2"}]}"""), sent);
    }

    [Fact]
    public async Task Media_blocks_keep_only_format_and_source_and_blocks_with_a_non_S3_location_are_dropped()
    {
        var messages = new[]
        {
            Message.User(
                new ContentBlock { Image = new ImageBlock { Format = ImageFormat.Png, Source = new ImageSource { Bytes = [1, 2] }, Error = new ErrorBlock { Message = "x" } } },
                new ContentBlock { Document = new DocumentBlock { Name = "d", Format = DocumentFormat.Pdf, Source = new DocumentSource { S3Location = new S3Location { Uri = "s3://b/k", BucketOwner = "123456789012" } } } },
                new ContentBlock { Video = new VideoBlock { Format = VideoFormat.Mp4, Source = new VideoSource { S3Location = new S3Location { Uri = "s3://b/v.mp4" } } } },
                new ContentBlock { Image = new ImageBlock { Format = ImageFormat.Png, Source = new ImageSource { S3Location = new S3Location { Uri = "https://example.com/x.png" } } } },
                ContentBlock.FromText("what is this?")),
        };

        var content = (await RequestFor(new BedrockModelConfig(), messages))["messages"]![0]!["content"]!.AsArray();

        Assert.Equal(4, content.Count);
        JsonAssert.Equal(Json("""{"image":{"format":"png","source":{"bytes":"AQI="}}}"""), content[0]);
        JsonAssert.Equal(Json("""{"document":{"format":"pdf","name":"d","source":{"s3Location":{"uri":"s3://b/k","bucketOwner":"123456789012"}}}}"""), content[1]);
        JsonAssert.Equal(Json("""{"video":{"format":"mp4","source":{"s3Location":{"uri":"s3://b/v.mp4"}}}}"""), content[2]);
        Assert.Equal("what is this?", content[3]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Reasoning_cache_points_and_citations_keep_only_their_wire_fields()
    {
        var location = new CitationLocation { DocumentPage = new DocumentPageLocation { DocumentIndex = 0, Start = 1, End = 2 } };
        var messages = new[]
        {
            Message.User("q"),
            Message.Assistant(
                new ContentBlock { ReasoningContent = new ReasoningContentBlock { ReasoningText = new ReasoningTextBlock { Text = "t", Signature = "" } } },
                new ContentBlock { ReasoningContent = new ReasoningContentBlock { ReasoningText = new ReasoningTextBlock { Text = "", Signature = "sig-only" } } },
                new ContentBlock
                {
                    CitationsContent = new CitationsContentBlock
                    {
                        Content = [new CitationGeneratedContent { Text = "cited" }],
                        Citations = [new Citation { Title = "T", Location = location, SourceContent = [new CitationSourceContent { Text = "src" }] }],
                    },
                }),
            Message.User(ContentBlock.FromText("again"), new ContentBlock { CachePoint = new CachePointBlock { Ttl = CacheTtl.OneHour } }),
        };

        var json = (await RequestFor(new BedrockModelConfig(), messages))["messages"]!;

        JsonAssert.Equal(Json("""{"reasoningContent":{"reasoningText":{"text":"t"}}}"""), json[1]!["content"]![0]);
        JsonAssert.Equal(Json("""{"reasoningContent":{"reasoningText":{"text":"","signature":"sig-only"}}}"""), json[1]!["content"]![1]);
        JsonAssert.Equal(
            Json("""{"citationsContent":{"content":[{"text":"cited"}],"citations":[{"title":"T","sourceContent":[{"text":"src"}],"location":{"documentPage":{"documentIndex":0,"start":1,"end":2}}}]}}"""),
            json[1]!["content"]![2]);
        JsonAssert.Equal(Json("""{"cachePoint":{"type":"default","ttl":"1h"}}"""), json[2]!["content"]![1]);
    }

    [Fact]
    public async Task Guarding_the_latest_user_message_wraps_only_its_text_and_images()
    {
        var messages = new[]
        {
            Message.User("old"),
            Message.Assistant("a"),
            Message.User(ContentBlock.FromText("latest"), new ContentBlock { Image = new ImageBlock { Format = ImageFormat.Jpeg, Source = new ImageSource { Bytes = [9] } } }),
            Message.Assistant(new ContentBlock { ToolUse = new ToolUseBlock { ToolUseId = "t", Name = "x" } }),
            Message.User(new ContentBlock { ToolResult = new ToolResultBlock { ToolUseId = "t", Content = [ToolResultContentBlock.FromText("r")] } }),
        };

        var guarded = (await RequestFor(new BedrockModelConfig { Guardrail = new GuardrailConfig { GuardLatestUserMessage = true } }, messages))["messages"]!;
        JsonAssert.Equal(Json("""{"text":"old"}"""), guarded[0]!["content"]![0]);
        JsonAssert.Equal(Json("""{"guardContent":{"text":{"text":"latest"}}}"""), guarded[2]!["content"]![0]);
        JsonAssert.Equal(Json("""{"guardContent":{"image":{"format":"jpeg","source":{"bytes":"CQ=="}}}}"""), guarded[2]!["content"]![1]);
        Assert.NotNull(guarded[4]!["content"]![0]!["toolResult"]);

        var plain = (await RequestFor(new BedrockModelConfig(), messages))["messages"]!;
        JsonAssert.Equal(Json("""{"text":"latest"}"""), plain[2]!["content"]![0]);
    }

    [Fact]
    public void Finding_the_latest_user_text_or_image_message_skips_assistant_and_tool_result_messages()
    {
        Assert.Equal(-1, BedrockRequestFormatter.FindLatestUserTextOrImageMessage([]));
        Assert.Equal(-1, BedrockRequestFormatter.FindLatestUserTextOrImageMessage([Message.Assistant("a")]));
        Assert.Equal(-1, BedrockRequestFormatter.FindLatestUserTextOrImageMessage([Message.User(new ContentBlock { ToolResult = new ToolResultBlock { ToolUseId = "t" } })]));
        Assert.Equal(2, BedrockRequestFormatter.FindLatestUserTextOrImageMessage([Message.User("a"), Message.Assistant("b"), Message.User("c"), Message.Assistant("d")]));
    }

    [Fact]
    public async Task Message_caching_moves_the_cache_point_to_the_latest_user_message_on_a_copy_for_Claude_or_the_Anthropic_strategy()
    {
        var messages = new[]
        {
            Message.User(ContentBlock.FromText("first"), ContentBlock.CachePointDefault),
            Message.Assistant("a"),
            Message.User("second"),
        };

        var claude = (await RequestFor(new BedrockModelConfig { Cache = new CacheConfig { Messages = MessageCacheStrategy.Auto } }, messages))["messages"]!;
        Assert.Single(claude[0]!["content"]!.AsArray());
        JsonAssert.Equal(Json("""[{"text":"second"},{"cachePoint":{"type":"default"}}]"""), claude[2]!["content"]);
        Assert.Equal(2, messages[0].Content.Count);

        var nova = (await RequestFor(new BedrockModelConfig { ModelId = "us.amazon.nova-pro-v1:0", Cache = new CacheConfig { Messages = MessageCacheStrategy.Auto } }, messages))["messages"]!;
        Assert.Single(nova[2]!["content"]!.AsArray());

        var arn = (await RequestFor(
            new BedrockModelConfig { ModelId = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc", Cache = new CacheConfig { Messages = MessageCacheStrategy.Anthropic } },
            messages))["messages"]!;
        Assert.Equal(2, arn[2]!["content"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("any", false)]
    [InlineData("tool", false)]
    [InlineData("auto", true)]
    [InlineData("none", true)]
    public async Task Thinking_is_removed_when_the_tool_choice_forces_a_tool(string choice, bool kept)
    {
        var toolChoice = choice switch { "any" => ToolChoice.AnyChoice, "tool" => ToolChoice.ForTool("get_weather"), "auto" => ToolChoice.AutoChoice, _ => null };
        var json = await RequestFor(
            new BedrockModelConfig { Reasoning = new ReasoningConfig { BudgetTokens = 2048 }, AdditionalRequestFields = JsonValues.Parse("""{"top_k":3}""") },
            tools: [WeatherSpec],
            choice: toolChoice);

        var fields = json["additionalModelRequestFields"]!;
        Assert.Equal(3, fields["top_k"]!.GetValue<int>());
        if (kept)
        {
            JsonAssert.Equal(Json("""{"type":"enabled","budget_tokens":2048}"""), fields["thinking"]);
        }
        else
        {
            Assert.Null(fields["thinking"]);
        }
    }

    [Fact]
    public async Task Thinking_alone_forced_away_leaves_no_additional_fields()
    {
        var json = await RequestFor(new BedrockModelConfig { Reasoning = new ReasoningConfig() }, tools: [WeatherSpec], choice: ToolChoice.AnyChoice);
        Assert.False(json.ContainsKey("additionalModelRequestFields"));
    }

    [Fact]
    public async Task Additional_args_are_merged_last_and_can_add_members_this_version_does_not_model()
    {
        var json = await RequestFor(new BedrockModelConfig
        {
            MaxTokens = 10,
            AdditionalArgs = JsonValues.Parse("""{"inferenceConfig":{"maxTokens":99},"requestMetadata":{"tenant":"t"},"someFutureMember":{"x":1}}"""),
        });

        Assert.Equal(99, json["inferenceConfig"]!["maxTokens"]!.GetValue<int>());
        Assert.Equal("t", json["requestMetadata"]!["tenant"]!.GetValue<string>());
        JsonAssert.Equal(Json("""{"x":1}"""), json["someFutureMember"]);
    }
}
