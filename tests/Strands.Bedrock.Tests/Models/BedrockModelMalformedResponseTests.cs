using Amazon.Runtime;
using Strands.Agents;
using Strands.Bedrock;
using Strands.Bedrock.EventStream;
using Strands.Content;
using Strands.Models;
using Strands.Tests.TestUtilities;
using Strands.Bedrock.Testing.Internal;

namespace Strands.Tests.Models;

/// <summary>
/// A response the client cannot decode reaches <see cref="BedrockModel"/> callers, and an agent's, as the typed
/// <see cref="MalformedResponseException"/> (a <see cref="BedrockRuntimeException"/>, with the model's hints), never as an
/// <see cref="InvalidOperationException"/> or a <see cref="NullReferenceException"/>.
/// </summary>
public class BedrockModelMalformedResponseTests
{
    private static MemoryStream Stream(params byte[][] frames) => new([.. frames.SelectMany(f => f)]);

    private static readonly byte[] MessageStart = EventStreamWriter.EncodeEvent("messageStart", """{"role":"assistant"}"""u8);

    private static BedrockModel Model(ScriptedHttpHandler transport) => new(new BedrockRuntimeClient(new BedrockClientOptions
    {
        Region = "eu-central-1",
        EndpointUrl = new Uri("http://127.0.0.1:1"),
        Credentials = new BasicAWSCredentials("AKIDEXAMPLE", "secret"),
        HttpHandler = transport,
    }), new BedrockModelConfig { ModelId = "us.amazon.nova-pro-v1:0" });

    public static TheoryData<string, byte[]> BadDeltas => new()
    {
        { "Latin-1 byte", [.. """{"contentBlockIndex":0,"delta":{"text":"caf"""u8, 0xE9, .. "\"}}"u8] },
        { "lone surrogate", """{"contentBlockIndex":0,"delta":{"text":"\uDC00"}}"""u8.ToArray() },
        { "null delta", """{"contentBlockIndex":0,"delta":null}"""u8.ToArray() },
    };

    [Theory]
    [MemberData(nameof(BadDeltas))]
    public async Task The_model_surfaces_the_typed_error_with_its_hints(string what, byte[] payload)
    {
        var transport = new ScriptedHttpHandler().EnqueueStream(Stream(MessageStart, EventStreamWriter.EncodeEvent("contentBlockDelta", payload)));
        using var model = Model(transport);

        var error = await Record.ExceptionAsync(async () =>
        {
            await foreach (var _ in model.StreamAsync([Message.User("Hi")]))
            {
            }
        });

        var malformed = Assert.IsType<MalformedResponseException>(error);
        Assert.Equal(ContentBlockDeltaEvent.Name, malformed.EventType);
        Assert.Equal(MessageStart.Length, malformed.FrameOffset);
        Assert.Contains("Bedrock region: eu-central-1", malformed.Message, StringComparison.Ordinal);
        Assert.Contains("Model id: us.amazon.nova-pro-v1:0", malformed.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(what));
    }

    [Theory]
    [MemberData(nameof(BadDeltas))]
    public async Task Agent_InvokeAsync_throws_the_typed_error_and_keeps_a_valid_history(string what, byte[] payload)
    {
        var transport = new ScriptedHttpHandler().EnqueueStream(Stream(MessageStart, EventStreamWriter.EncodeEvent("contentBlockDelta", payload)));
        using var model = Model(transport);
        var agent = new Agent(model, new AgentOptions { CallbackHandler = null, RetryStrategy = ModelRetryStrategy.None });

        var error = await Record.ExceptionAsync(() => agent.InvokeAsync("Hello"));

        Assert.IsType<MalformedResponseException>(error);
        Assert.All(agent.Messages, m => Assert.NotEmpty(m.Content));
        Assert.False(string.IsNullOrEmpty(what));
    }
}
