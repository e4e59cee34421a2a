using Strands.Bedrock.Testing.Tests.Support;
using Strands.Content;
using Strands.Models;

namespace Strands.Bedrock.Testing.Tests;

/// <summary>The fake under a <see cref="BedrockModel"/>: what users test their agents with.</summary>
public sealed class BedrockModelTests
{
    // The README's example, verbatim (checked by Strands.Tests.Docs.GuideSnippetsTests).
    // <snippet:readme-fake-server>
    [Fact]
    public async Task Model_answers_from_the_fake()
    {
        await using var server = await FakeBedrockServer.StartAsync();
        server.Enqueue(FakeResponse.Text("Hello from the fake!").WithUsage(12, 5));
        using var model = new BedrockModel(new BedrockModelConfig { ModelId = "us.amazon.nova-pro-v1:0" }, server.CreateClientOptions());

        var events = new List<StreamEvent>();
        await foreach (var e in model.StreamAsync([Message.User("Hi")])) events.Add(e);

        Assert.Equal("Hello from the fake!", string.Concat(events.OfType<ContentBlockDeltaEvent>().Select(d => d.Delta.Text)));
        Assert.Equal("us.amazon.nova-pro-v1:0", server.Requests.Single().ModelId);
    }
    // </snippet:readme-fake-server>

    public static TheoryData<string> Scripts => ["text", "tool", "reasoning", "citations", "guardrail"];

    private static FakeResponse Script(string name) => name switch
    {
        "text" => FakeResponse.Text("A fairly long answer that the fake splits into several deltas.").WithUsage(100, 20, 80, 0),
        "tool" => FakeResponse.Blocks(FakeBlocks.Text("Checking."), FakeBlocks.ToolUse("get_weather", """{"city":"Seattle"}""", "tooluse_1")),
        "reasoning" => FakeResponse.Reasoning("Think first.", "Then answer.", "sig"),
        "citations" => FakeResponse.Citations("Cited text."),
        "guardrail" => FakeResponse.Text("Sorry, I cannot help.").WithGuardrailBlock(input: true, output: true),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task Streaming_and_non_streaming_models_give_the_same_turn(string script)
    {
        await using var server = await FakeBedrockServer.StartAsync();
        server.RespondWith(_ => Script(script));
        var guardrail = new GuardrailConfig { Id = "gr1", Version = "1", RedactOutput = true };
        using var streaming = new BedrockModel(new BedrockModelConfig { ModelId = "m", Guardrail = guardrail }, server.CreateClientOptions());
        using var converse = new BedrockModel(new BedrockModelConfig { ModelId = "m", Guardrail = guardrail, Streaming = false }, server.CreateClientOptions());

        var fromStream = await Fake.CollectAsync(streaming.StreamAsync([Message.User("Hi")]));
        var fromConverse = await Fake.CollectAsync(converse.StreamAsync([Message.User("Hi")]));

        Assert.Equal(Turn.From(fromConverse).ToJson(), Turn.From(fromStream).ToJson());
        Assert.Equal(
            fromConverse.OfType<RedactContentEvent>(),
            fromStream.OfType<RedactContentEvent>());
        Assert.Equal([FakeOperation.ConverseStream, FakeOperation.Converse], server.Requests.Select(r => r.Operation));
        Assert.Equal("gr1", server.Requests[0].ConverseStreamRequest!.GuardrailConfig!.GuardrailIdentifier);
        if (script == "guardrail")
        {
            Assert.Equal(2, fromStream.OfType<RedactContentEvent>().Count());
        }
    }
}
