using System.Net;
using System.Text.Json;
using Strands.Bedrock;
using Strands.Content;
using Strands.Models;
using Strands.Tests.TestUtilities;

namespace Strands.Tests.Models;

/// <summary>
/// Streaming, non-streaming, guardrails and errors of <see cref="BedrockModel"/>, as Strands for Python behaves.
/// Where it differs from Python, and why:
/// - Non-streaming mode yields exactly the events streaming mode would, including the redaction before the metadata
///   event (Python puts it after, in non-streaming mode only).
/// - Redaction is source-aware: an output-only block never redacts the user's input (strands-agents/harness-sdk#3613).
/// - Blocked detection: action BLOCKED counts when <c>detected</c> is absent (Python fails open,
///   strands-agents/harness-sdk#3617).
/// - Tool input is the JSON the service sent (compact), not Python's <c>json.dumps</c> spacing.
/// - The log lines are Python's; the request body is logged only at Trace level.
/// </summary>
public class BedrockModelStreamTests
{
    private static async Task<List<StreamEvent>> Collect(IModel model, IReadOnlyList<Message>? messages = null)
    {
        var events = new List<StreamEvent>();
        await foreach (var e in model.StreamAsync(messages ?? [Message.User("hi")]))
        {
            events.Add(e);
        }

        return events;
    }

    private static ConverseTrace Trace(string inputAction = "NONE", string outputAction = "NONE", bool? detected = true) => new()
    {
        Guardrail = new GuardrailTraceAssessment
        {
            InputAssessment = new Dictionary<string, GuardrailAssessment>
            {
                ["g1"] = new() { TopicPolicy = new GuardrailTopicPolicyAssessment { Topics = [new GuardrailTopic { Name = "t", Type = "DENY", Action = GuardrailAction.FromWire(inputAction), Detected = detected }] } },
            },
            OutputAssessments = new Dictionary<string, IReadOnlyList<GuardrailAssessment>>
            {
                ["g1"] = [new() { ContentPolicy = new GuardrailContentPolicyAssessment { Filters = [new GuardrailContentFilter { Type = "HATE", Confidence = "HIGH", Action = GuardrailAction.FromWire(outputAction), Detected = detected }] } }],
            },
        },
    };

    private static StreamEvent[] TurnWithTrace(ConverseTrace trace) =>
    [
        new MessageStartEvent(),
        new ContentBlockDeltaEvent { Delta = new ContentBlockDelta { Text = "answer" } },
        new ContentBlockStopEvent(),
        new MessageStopEvent { StopReason = StopReason.GuardrailIntervened },
        new MetadataEvent { Usage = new TokenUsage { InputTokens = 1, OutputTokens = 1, TotalTokens = 2 }, Trace = trace },
    ];

    private static ConverseResponse ResponseWith(params ContentBlock[] blocks) => new()
    {
        Output = new ConverseOutput { Message = Message.Assistant(blocks) },
        StopReason = StopReason.EndTurn,
        Usage = new TokenUsage { InputTokens = 3, OutputTokens = 4, TotalTokens = 7, CacheReadInputTokens = 2 },
        Metrics = new ConverseMetrics { LatencyMs = 12 },
    };

    [Fact]
    public async Task Streaming_events_are_yielded_unchanged_and_the_stream_is_called_once()
    {
        var events = ScriptedBedrockClient.TextTurn("hello");
        var bedrock = new ScriptedBedrockClient().Then(events);
        var result = await Collect(new BedrockModel(bedrock));

        Assert.Equal(events, result);
        Assert.Single(bedrock.StreamRequests);
    }

    [Fact]
    public async Task A_message_without_content_is_an_ArgumentException_before_any_request()
    {
        var bedrock = new ScriptedBedrockClient().Then(ScriptedBedrockClient.TextTurn("x"));
        var model = new BedrockModel(bedrock);
        await Assert.ThrowsAsync<ArgumentException>(async () => await Collect(model, [new Message { Role = ConversationRole.User, Content = null! }]));
        Assert.Empty(bedrock.StreamRequests);
    }

    [Fact]
    public async Task Non_streaming_mode_yields_the_events_streaming_would()
    {
        var response = ResponseWith(
            new ContentBlock { ReasoningContent = new ReasoningContentBlock { ReasoningText = new ReasoningTextBlock { Text = "think", Signature = "sig" } } },
            ContentBlock.FromText("hello"),
            new ContentBlock { ToolUse = new ToolUseBlock { ToolUseId = "t1", Name = "tool", Input = JsonValues.Parse("""{"hello":"world!"}""") } },
            new ContentBlock
            {
                CitationsContent = new CitationsContentBlock
                {
                    Content = [new CitationGeneratedContent { Text = "a" }, new CitationGeneratedContent { Text = "b" }],
                    Citations = [new Citation { Location = new CitationLocation { Web = new WebLocation { Url = "https://x" } } }],
                },
            });
        var bedrock = new ScriptedBedrockClient().ThenRespond(response);

        var events = await Collect(new BedrockModel(bedrock, new BedrockModelConfig { Streaming = false }));

        var expected = new StreamEvent[]
        {
            new MessageStartEvent(),
            new ContentBlockDeltaEvent { ContentBlockIndex = 0, Delta = new ContentBlockDelta { ReasoningContent = new ReasoningContentBlockDelta { Text = "think" } } },
            new ContentBlockDeltaEvent { ContentBlockIndex = 0, Delta = new ContentBlockDelta { ReasoningContent = new ReasoningContentBlockDelta { Signature = "sig" } } },
            new ContentBlockStopEvent { ContentBlockIndex = 0 },
            new ContentBlockDeltaEvent { ContentBlockIndex = 1, Delta = new ContentBlockDelta { Text = "hello" } },
            new ContentBlockStopEvent { ContentBlockIndex = 1 },
            new ContentBlockStartEvent { ContentBlockIndex = 2, Start = new ContentBlockStart { ToolUse = new ToolUseBlockStart { ToolUseId = "t1", Name = "tool" } } },
            new ContentBlockDeltaEvent { ContentBlockIndex = 2, Delta = new ContentBlockDelta { ToolUse = new ToolUseBlockDelta { Input = """{"hello":"world!"}""" } } },
            new ContentBlockStopEvent { ContentBlockIndex = 2 },
            new ContentBlockDeltaEvent { ContentBlockIndex = 3, Delta = new ContentBlockDelta { Text = "ab" } },
            new ContentBlockDeltaEvent { ContentBlockIndex = 3, Delta = new ContentBlockDelta { Citation = new CitationsDelta { Location = response.Output.Message!.Content[3].CitationsContent!.Citations![0].Location } } },
            new ContentBlockStopEvent { ContentBlockIndex = 3 },
            new MessageStopEvent { StopReason = StopReason.EndTurn },
            new MetadataEvent { Usage = response.Usage, Metrics = response.Metrics },
        };
        Assert.Equal(expected, events);
        Assert.Empty(bedrock.StreamRequests);
        Assert.Single(bedrock.Requests);
    }

    [Fact]
    public async Task Redacted_reasoning_survives_non_streaming_mode()
    {
        var bedrock = new ScriptedBedrockClient().ThenRespond(ResponseWith(new ContentBlock { ReasoningContent = new ReasoningContentBlock { RedactedContent = [1, 2, 3] } }));
        var events = await Collect(new BedrockModel(bedrock, new BedrockModelConfig { Streaming = false }));
        var delta = Assert.IsType<ContentBlockDeltaEvent>(events[1]);
        Assert.Equal([1, 2, 3], delta.Delta.ReasoningContent!.RedactedContent!);
    }

    [Fact]
    public async Task A_guardrail_input_block_redacts_the_user_input_before_the_metadata_event()
    {
        var bedrock = new ScriptedBedrockClient().Then(TurnWithTrace(Trace(inputAction: "BLOCKED")));
        var events = await Collect(new BedrockModel(bedrock, new BedrockModelConfig { Guardrail = new GuardrailConfig { Id = "g", Version = "1" } }));

        var redaction = Assert.IsType<RedactContentEvent>(events[^2]);
        Assert.Equal("[User input redacted.]", redaction.RedactUserContentMessage);
        Assert.Null(redaction.RedactAssistantContentMessage);
        Assert.IsType<MetadataEvent>(events[^1]);
    }

    [Fact]
    public async Task Guardrail_NONE_actions_and_undetected_findings_do_not_redact()
    {
        var guardrail = new BedrockModelConfig { Guardrail = new GuardrailConfig { Id = "g", Version = "1", RedactOutput = true } };
        var noneDetected = await Collect(new BedrockModel(new ScriptedBedrockClient().Then(TurnWithTrace(Trace())), guardrail));
        Assert.DoesNotContain(noneDetected, e => e is RedactContentEvent);

        var blockedButUndetected = await Collect(new BedrockModel(new ScriptedBedrockClient().Then(TurnWithTrace(Trace("BLOCKED", "BLOCKED", detected: false))), guardrail));
        Assert.DoesNotContain(blockedButUndetected, e => e is RedactContentEvent);
    }

    [Fact]
    public async Task Blocked_without_a_detected_field_counts_as_blocked()
    {
        var guardrail = new BedrockModelConfig { Guardrail = new GuardrailConfig { Id = "g", Version = "1" } };
        var events = await Collect(new BedrockModel(new ScriptedBedrockClient().Then(TurnWithTrace(Trace(inputAction: "BLOCKED", detected: null))), guardrail));
        Assert.Contains(events, e => e is RedactContentEvent { RedactUserContentMessage: not null });
    }

    [Fact]
    public async Task A_guardrail_output_block_redacts_only_the_assistant_output()
    {
        var config = new BedrockModelConfig { Guardrail = new GuardrailConfig { Id = "g", Version = "1", RedactOutput = true, RedactOutputMessage = "[out]" } };
        var events = await Collect(new BedrockModel(new ScriptedBedrockClient().Then(TurnWithTrace(Trace(outputAction: "BLOCKED"))), config));

        var redactions = events.OfType<RedactContentEvent>().ToList();
        var only = Assert.Single(redactions);
        Assert.Equal("[out]", only.RedactAssistantContentMessage);
        Assert.Null(only.RedactUserContentMessage);
    }

    [Fact]
    public async Task Both_blocked_emit_user_redaction_first()
    {
        var config = new BedrockModelConfig { Guardrail = new GuardrailConfig { Id = "g", Version = "1", RedactOutput = true } };
        var events = await Collect(new BedrockModel(new ScriptedBedrockClient().Then(TurnWithTrace(Trace("BLOCKED", "BLOCKED"))), config));

        var redactions = events.OfType<RedactContentEvent>().ToList();
        Assert.Equal(2, redactions.Count);
        Assert.NotNull(redactions[0].RedactUserContentMessage);
        Assert.NotNull(redactions[1].RedactAssistantContentMessage);
    }

    [Fact]
    public async Task Redaction_flags_off_mean_no_redaction()
    {
        var config = new BedrockModelConfig { Guardrail = new GuardrailConfig { Id = "g", Version = "1", RedactInput = false, RedactOutput = false } };
        var events = await Collect(new BedrockModel(new ScriptedBedrockClient().Then(TurnWithTrace(Trace("BLOCKED", "BLOCKED"))), config));
        Assert.DoesNotContain(events, e => e is RedactContentEvent);
    }

    [Fact]
    public async Task A_non_streaming_guardrail_block_redacts_in_the_same_place_as_streaming()
    {
        var config = new BedrockModelConfig { Streaming = false, Guardrail = new GuardrailConfig { Id = "g", Version = "1" } };
        var response = ResponseWith(ContentBlock.FromText("x")) with { Trace = Trace(inputAction: "BLOCKED"), StopReason = StopReason.GuardrailIntervened };
        var events = await Collect(new BedrockModel(new ScriptedBedrockClient().ThenRespond(response), config));

        Assert.IsType<RedactContentEvent>(events[^2]);
        Assert.IsType<MetadataEvent>(events[^1]);
    }

    [Fact]
    public async Task Throttling_becomes_ModelThrottledException_before_and_during_the_stream_and_in_Converse()
    {
        var http = new ThrottlingException("Too many requests, please wait before trying again.", (HttpStatusCode)429, "r1");
        var streaming = new BedrockModel(new ScriptedBedrockClient().ThenThrow(http));
        var error = await Assert.ThrowsAsync<ModelThrottledException>(() => Collect(streaming));
        Assert.Contains("Too many requests", error.Message, StringComparison.Ordinal);
        Assert.Same(http, error.InnerException);

        var midStream = new ThrottlingException("slow down", null, null);
        var events = new List<StreamEvent>();
        var model = new BedrockModel(new ScriptedBedrockClient().Then([new MessageStartEvent()], midStream));
        await Assert.ThrowsAsync<ModelThrottledException>(async () =>
        {
            await foreach (var e in model.StreamAsync([Message.User("hi")]))
            {
                events.Add(e);
            }
        });
        Assert.Single(events);

        var nonStreaming = new BedrockModel(new ScriptedBedrockClient().ThenRespondWithError(http), new BedrockModelConfig { Streaming = false });
        await Assert.ThrowsAsync<ModelThrottledException>(() => Collect(nonStreaming));
    }

    [Fact]
    public async Task Other_exceptions_propagate_unchanged()
    {
        var model = new BedrockModel(new ScriptedBedrockClient().ThenThrow(new InvalidOperationException("boom")));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Collect(model));
        Assert.Equal("boom", error.Message);
    }

    [Fact]
    public async Task Access_and_on_demand_throughput_errors_carry_region_model_and_documentation_notes()
    {
        var denied = new AccessDeniedException("You don't have access to the model with the specified model ID.", HttpStatusCode.Forbidden, "r");
        var model = new BedrockModel(new ScriptedBedrockClient().ThenThrow(denied), new BedrockModelConfig { ModelId = "m1" });
        var error = await Assert.ThrowsAsync<AccessDeniedException>(() => Collect(model));
        Assert.Equal(["└ Bedrock region: unknown", "└ Model id: m1", "└ For more information see https://strandsagents.com/latest/user-guide/concepts/model-providers/amazon-bedrock/#model-access-issue"], error.Notes);
        Assert.Contains("└ Model id: m1", error.Message, StringComparison.Ordinal);

        var onDemand = new ValidationException("Invocation of model ID x with on-demand throughput isn\u2019t supported.", HttpStatusCode.BadRequest, "r");
        var model2 = new BedrockModel(new ScriptedBedrockClient().ThenThrow(onDemand), new BedrockModelConfig { ModelId = "m1" });
        var error2 = await Assert.ThrowsAsync<ValidationException>(() => Collect(model2));
        Assert.Contains(error2.Notes, n => n.Contains("#on-demand-throughput-isnt-supported", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Input is too long for requested model")]
    [InlineData("input length and `max_tokens` exceed context limit")]
    [InlineData("too many total text bytes")]
    [InlineData("prompt is too long: 903884 tokens > 200000 maximum")]
    public async Task Context_window_overflow_messages_become_ContextWindowOverflowException(string message)
    {
        var model = new BedrockModel(new ScriptedBedrockClient().ThenThrow(new ValidationException(message, HttpStatusCode.BadRequest, "r")));
        await Assert.ThrowsAsync<ContextWindowOverflowException>(() => Collect(model));
    }

    public sealed record Person(string Name, int Age);

    [Fact]
    public async Task Structured_output_comes_from_a_forced_tool_use_without_thinking()
    {
        var bedrock = new ScriptedBedrockClient().Then(
            new MessageStartEvent(),
            new ContentBlockStartEvent { Start = new ContentBlockStart { ToolUse = new ToolUseBlockStart { ToolUseId = "t", Name = "Person" } } },
            new ContentBlockDeltaEvent { Delta = new ContentBlockDelta { ToolUse = new ToolUseBlockDelta { Input = """{"name":"John",""" } } },
            new ContentBlockDeltaEvent { Delta = new ContentBlockDelta { ToolUse = new ToolUseBlockDelta { Input = "\"age\":30}" } } },
            new ContentBlockStopEvent(),
            new MessageStopEvent { StopReason = StopReason.ToolUse });
        IModel model = new BedrockModel(bedrock, new BedrockModelConfig { Reasoning = new ReasoningConfig() });

        var person = await model.StructuredOutputAsync<Person>([Message.User("John is 30")]);

        Assert.Equal(new Person("John", 30), person);
        var request = bedrock.LastStreamRequestJson();
        Assert.Equal("Person", request["toolConfig"]!["toolChoice"]!["tool"]!["name"]!.GetValue<string>());
        Assert.False(request.ContainsKey("additionalModelRequestFields"));
        var schema = request["toolConfig"]!["tools"]![0]!["toolSpec"]!["inputSchema"]!["json"]!;
        Assert.Equal("object", schema["type"]!.GetValue<string>());
        Assert.NotNull(schema["properties"]!["name"]);
    }

    [Fact]
    public async Task Structured_output_without_the_tool_call_is_a_typed_error()
    {
        IModel model = new BedrockModel(new ScriptedBedrockClient().Then(ScriptedBedrockClient.TextTurn("no")));
        var error = await Assert.ThrowsAsync<StructuredOutputException>(() => model.StructuredOutputAsync<Person>([Message.User("x")]));
        Assert.Contains("end_turn", error.Message, StringComparison.Ordinal);
    }
}
