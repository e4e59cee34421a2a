using Amazon.Runtime;
using Strands.Bedrock;
using Strands.Content;
using Strands.Models;
using Strands.Tests.TestUtilities;

namespace Strands.Tests.Models;

/// <summary>
/// Input Bedrock would reject (or silently not apply) is refused by <see cref="BedrockModel"/> with an
/// <see cref="ArgumentException"/> naming the problem, before any request is sent.
/// </summary>
public class BedrockModelValidationTests
{
    private static (BedrockModel Model, ScriptedHttpHandler Transport) Model(BedrockModelConfig? config = null)
    {
        var transport = new ScriptedHttpHandler();
        var client = new BedrockRuntimeClient(new BedrockClientOptions
        {
            Region = "us-west-2",
            EndpointUrl = new Uri("http://127.0.0.1:1"),
            Credentials = new BasicAWSCredentials("AKIDEXAMPLE", "secret"),
            HttpHandler = transport,
        });
        return (new BedrockModel(client, config), transport);
    }

    private static async Task DrainAsync(IAsyncEnumerable<StreamEvent> events)
    {
        await foreach (var _ in events)
        {
        }
    }

    public static TheoryData<string, Message[]> BadConversations => new()
    {
        { "no messages", [] },
        { "no content blocks", [new Message { Role = ConversationRole.User, Content = [] }] },
        { "empty text", [Message.User("")] },
        { "whitespace-only text", [Message.User(" \n\t ")] },
        { "blank text next to a real block", [Message.User(ContentBlock.FromText("What is this?"), ContentBlock.FromText("   "))] },
        { "a later empty assistant message", [Message.User("Hi"), new Message { Role = ConversationRole.Assistant, Content = [] }, Message.User("Again")] },
    };

    [Theory]
    [MemberData(nameof(BadConversations))]
    public async Task A_conversation_Bedrock_would_reject_is_refused_before_any_request(string problem, Message[] messages)
    {
        var (model, transport) = Model();
        using (model)
        {
            foreach (var streaming in new[] { true, false })
            {
                model.UpdateConfig(c => c with { Streaming = streaming });
                var error = await Assert.ThrowsAsync<ArgumentException>(() => DrainAsync(model.StreamAsync(messages)));
                Assert.Equal("messages", error.ParamName);
            }
        }

        Assert.Empty(transport.Requests);
        Assert.False(string.IsNullOrEmpty(problem));
    }

    [Fact]
    public async Task The_error_names_the_message_and_block()
    {
        var (model, _) = Model();
        using (model)
        {
            var error = await Assert.ThrowsAsync<ArgumentException>(() => DrainAsync(model.StreamAsync([Message.User("Hi"), Message.Assistant("Hello"), Message.User(ContentBlock.FromText("ok"), ContentBlock.FromText(""))])));

            Assert.Contains("Message 2 (user), content block 1 is blank text", error.Message, StringComparison.Ordinal);
        }
    }

    public static TheoryData<string, GuardrailConfig> HalfGuardrails => new()
    {
        { "Version", new GuardrailConfig { Id = "gr-123" } },
        { "Version", new GuardrailConfig { Id = "gr-123", Version = " " } },
        { "Id", new GuardrailConfig { Version = "DRAFT" } },
        { "Id", new GuardrailConfig { Id = "", Version = "1" } },
    };

    [Theory]
    [MemberData(nameof(HalfGuardrails))]
    public void A_guardrail_with_only_an_id_or_only_a_version_is_rejected_at_construction(string missing, GuardrailConfig guardrail)
    {
        var error = Assert.Throws<ArgumentException>(() => new BedrockModel(new ScriptedBedrockClient(), new BedrockModelConfig { Guardrail = guardrail }));

        Assert.Contains($"no {missing}", error.Message, StringComparison.Ordinal);
        Assert.Equal("config", error.ParamName);
    }

    [Theory]
    [MemberData(nameof(HalfGuardrails))]
    public void A_guardrail_with_only_an_id_or_only_a_version_is_rejected_by_UpdateConfig_and_the_old_config_stays(string missing, GuardrailConfig guardrail)
    {
        using var model = new BedrockModel(new ScriptedBedrockClient(), new BedrockModelConfig { Temperature = 0.5 });
        var before = model.Config;

        var error = Assert.Throws<ArgumentException>(() => model.UpdateConfig(c => c with { Guardrail = guardrail, Temperature = 0.1 }));

        Assert.Contains($"no {missing}", error.Message, StringComparison.Ordinal);
        Assert.Same(before, model.Config);
    }

    [Fact]
    public void A_complete_guardrail_and_no_guardrail_are_accepted()
    {
        using var both = new BedrockModel(new ScriptedBedrockClient(), new BedrockModelConfig { Guardrail = new GuardrailConfig { Id = "gr-1", Version = "DRAFT" } });
        using var neither = new BedrockModel(new ScriptedBedrockClient(), new BedrockModelConfig { Guardrail = new GuardrailConfig { RedactOutput = true } });

        Assert.Equal("gr-1", both.Config.Guardrail!.Id);
        Assert.Null(neither.Config.Guardrail!.Id);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void A_blank_redaction_text_is_rejected_while_its_redaction_is_on(bool input, bool output)
    {
        var guardrail = new GuardrailConfig
        {
            Id = "gr-1",
            Version = "1",
            RedactInput = input,
            RedactInputMessage = input ? " " : "unused",
            RedactOutput = output,
            RedactOutputMessage = output ? "" : "unused",
        };

        var error = Assert.Throws<ArgumentException>(() => new BedrockModel(new ScriptedBedrockClient(), new BedrockModelConfig { Guardrail = guardrail }));

        Assert.Contains(input ? "RedactInputMessage" : "RedactOutputMessage", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "###", "" }, 1)]
    [InlineData(new[] { "" }, 0)]
    [InlineData(new[] { "END", "###", null }, 2)]
    public void A_stop_sequence_that_is_empty_is_rejected_at_construction_and_by_UpdateConfig(string?[] stopSequences, int badIndex)
    {
        var error = Assert.Throws<ArgumentException>(() => new BedrockModel(new ScriptedBedrockClient(), new BedrockModelConfig { StopSequences = stopSequences! }));
        Assert.Contains($"StopSequences[{badIndex}] is empty", error.Message, StringComparison.Ordinal);

        using var model = new BedrockModel(new ScriptedBedrockClient());
        Assert.Throws<ArgumentException>(() => model.UpdateConfig(c => c with { StopSequences = stopSequences! }));
        Assert.Null(model.Config.StopSequences);
    }

    [Fact]
    public void More_stop_sequences_than_Bedrock_accepts_are_rejected()
    {
        var tooMany = Enumerable.Range(0, 2501).Select(i => $"s{i}").ToArray();

        var error = Assert.Throws<ArgumentException>(() => new BedrockModel(new ScriptedBedrockClient(), new BedrockModelConfig { StopSequences = tooMany }));

        Assert.Contains("at most 2500", error.Message, StringComparison.Ordinal);
    }
}
