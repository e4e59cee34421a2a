using Strands.Bedrock.Testing.Tests.Support;
using Strands.Content;

namespace Strands.Bedrock.Testing.Tests;

/// <summary>Every scripted response kind, through the real client, streaming and not, over loopback HTTP and in process.</summary>
public sealed class RoundTripTests
{
    private static readonly Dictionary<string, Func<FakeResponse>> Kinds = new()
    {
        ["text"] = () => FakeResponse.Text("Hello from the fake Bedrock!"),
        ["long text"] = () => FakeResponse.Text(string.Concat(Enumerable.Range(0, 200).Select(i => $"word{i} "))),
        ["unicode text"] = () => FakeResponse.Text("héllo 😀😀😀😀😀😀😀😀😀😀 wörld ✓").WithTextDeltaLength(3),
        ["tool use"] = () => FakeResponse.ToolUse("get_weather", """{"city":"Seattle","unit":"c"}""", "tooluse_abc123"),
        ["several blocks"] = () => FakeResponse.Blocks(
            FakeBlocks.Text("Let me check."),
            FakeBlocks.ToolUse("get_weather", """{"city":"Seattle"}""", "tooluse_1"),
            FakeBlocks.ToolUse("get_time", "{}", "tooluse_2")),
        ["reasoning"] = () => FakeResponse.Reasoning("The user wants the weather, so I should call the tool.", "Sure.", "sig-123"),
        ["reasoning without signature"] = () => FakeResponse.Blocks(FakeBlocks.Reasoning("thinking", signature: null), FakeBlocks.Text("ok")),
        ["redacted reasoning"] = () => FakeResponse.RedactedReasoning([1, 2, 3, 250], "Answer."),
        ["citations"] = () => FakeResponse.Citations("Paris is the capital of France.",
            FakeBlocks.WebCitation("France", "https://example.com/france", "Paris is the capital."),
            FakeBlocks.DocumentCitation("Atlas", 0, 10, 42, "capital: Paris")),
        ["usage with cache"] = () => FakeResponse.Text("cached").WithUsage(1200, 55, cacheRead: 1024, cacheWrite: 16).WithLatency(640),
        ["guardrail input"] = () => FakeResponse.Text("Sorry, the model cannot answer this question.").WithGuardrailBlock(input: true, output: false),
        ["guardrail output"] = () => FakeResponse.Text("Sorry, the model cannot answer this question.").WithGuardrailBlock(),
        ["max tokens"] = () => FakeResponse.Text("This answer was cut").WithStopReason(StopReason.MaxTokens),
        ["additional fields"] = () => FakeResponse.Text("x").WithAdditionalModelResponseFields("""{"stop_sequence":"\n\nHuman:"}"""),
        ["empty"] = () => FakeResponse.Blocks(),
        ["prompt router trace"] = () => FakeResponse.Text("routed").WithTrace(new ConverseTrace { PromptRouter = new PromptRouterTrace { InvokedModelId = "arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-3-haiku-20240307-v1:0" } }),
    };

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var transport in new[] { "server", "handler" })
        {
            foreach (var kind in Kinds.Keys)
            {
                data.Add(transport, kind);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Converse_and_ConverseStream_give_the_same_turn(string transport, string kind)
    {
        await using var fake = await Fake.StartAsync(transport);
        var scripted = Kinds[kind]();
        fake.Bedrock.Enqueue(scripted, scripted);
        using var client = fake.Client();

        var response = await client.ConverseAsync(Fake.Converse());
        var events = await Fake.CollectAsync(client.ConverseStreamAsync(Fake.Stream()));

        var fromConverse = Turn.From(response);
        var fromStream = Turn.From(events);
        Assert.Equal(fromConverse.ToJson(), fromStream.ToJson());

        // And both are what was scripted.
        var expected = new Turn(Message.Assistant(scripted.Content), scripted.EffectiveStopReason, scripted.Usage, scripted.LatencyMs, scripted.Trace, scripted.AdditionalModelResponseFields);
        Assert.Equal(expected.ToJson(), fromConverse.ToJson());
        Assert.NotNull(response.RequestId);
        Assert.All(fake.Bedrock.Requests, r => Assert.Equal(FakeResponseOutcome.Completed, r.Completion.Result));
    }
}
