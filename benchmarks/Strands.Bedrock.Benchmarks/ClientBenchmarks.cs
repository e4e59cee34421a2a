using System.Net;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using BenchmarkDotNet.Attributes;
using Strands.Bedrock;
using Strands.Bedrock.EventStream;
using Strands.Bedrock.Json;
using Strands.Content;
using Strands.Bedrock.Testing.Internal;

namespace Strands.Benchmarks;

/// <summary>
/// The client's hot paths without sockets: decoding a ConverseStream body into typed events (frames + CRC + JSON),
/// serialising a Converse request, and signing a request with SigV4 through the handler chain.
/// </summary>
[MemoryDiagnoser]
public class ClientBenchmarks
{
    /// <summary>Text deltas per decoded stream.</summary>
    public const int DeltaCount = 10_000;

    private byte[] _stream = [];
    private BedrockRuntimeClient _streamClient = null!;
    private BedrockRuntimeClient _signingClient = null!;
    private ConverseRequest _request = null!;
    private ConverseStreamRequest _streamRequest = null!;

    /// <summary>Builds the stream, the request and the clients.</summary>
    [GlobalSetup]
    public void Setup()
    {
        using var frames = new MemoryStream();
        frames.Write(EventStreamWriter.EncodeEvent("messageStart", """{"role":"assistant","p":"abcdefghijklmn"}"""u8));
        for (var i = 0; i < DeltaCount; i++)
        {
            frames.Write(EventStreamWriter.EncodeEvent("contentBlockDelta", Encoding.UTF8.GetBytes($$"""{"contentBlockIndex":0,"delta":{"text":"token{{i % 100}} "},"p":"abcdefgh"}""")));
        }

        frames.Write(EventStreamWriter.EncodeEvent("contentBlockStop", """{"contentBlockIndex":0,"p":"abc"}"""u8));
        frames.Write(EventStreamWriter.EncodeEvent("messageStop", """{"stopReason":"end_turn","p":"abc"}"""u8));
        frames.Write(EventStreamWriter.EncodeEvent("metadata", """{"usage":{"inputTokens":10,"outputTokens":10000,"totalTokens":10010},"metrics":{"latencyMs":100},"p":"abc"}"""u8));
        _stream = frames.ToArray();
        Console.WriteLine($"// stream: {DeltaCount + 4} frames, {_stream.Length} bytes");

        var credentials = new BasicAWSCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        _streamClient = new BedrockRuntimeClient(new BedrockClientOptions
        {
            Region = "us-west-2", EndpointUrl = new Uri("http://127.0.0.1:1"), Credentials = credentials,
            HttpHandler = new CannedHandler(() => new StreamContent(new MemoryStream(_stream, writable: false))),
        });
        var tiny = Encoding.UTF8.GetBytes("""{"output":{"message":{"role":"assistant","content":[{"text":"ok"}]}},"stopReason":"end_turn","usage":{"inputTokens":1,"outputTokens":1,"totalTokens":2},"metrics":{"latencyMs":1}}""");
        _signingClient = new BedrockRuntimeClient(new BedrockClientOptions
        {
            Region = "us-west-2", EndpointUrl = new Uri("http://127.0.0.1:1"), Credentials = credentials,
            HttpHandler = new CannedHandler(() => new ByteArrayContent(tiny)),
        });

        _request = new ConverseRequest
        {
            ModelId = "us.anthropic.claude-3-7-sonnet-20250219-v1:0",
            System = [SystemContentBlock.FromText("You are a concise assistant."), SystemContentBlock.CachePointDefault],
            Messages =
            [
                Message.User("What is the weather in Seattle?"),
                Message.Assistant(new ContentBlock { ToolUse = new ToolUseBlock { ToolUseId = "tooluse_abc123", Name = "get_weather", Input = JsonValues.Parse("""{"city":"Seattle"}""") } }),
                Message.User(new ContentBlock { ToolResult = new ToolResultBlock { ToolUseId = "tooluse_abc123", Status = ToolResultStatus.Success, Content = [ToolResultContentBlock.FromText("12 C, cloudy")] } }),
            ],
            InferenceConfig = new InferenceConfiguration { MaxTokens = 512, Temperature = 0.2f },
            ToolConfig = new ToolConfiguration
            {
                Tools = [new Tool { ToolSpec = new ToolSpecification { Name = "get_weather", Description = "Weather", InputSchema = new ToolInputSchema { Json = JsonValues.Parse("""{"type":"object","properties":{"city":{"type":"string"}}}""") } } }],
                ToolChoice = ToolChoice.AutoChoice,
            },
        };
        _streamRequest = new ConverseStreamRequest { ModelId = _request.ModelId, Messages = [Message.User("hi")] };
    }

    /// <summary>Disposes the clients.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _streamClient.Dispose();
        _signingClient.Dispose();
    }

    /// <summary>One ConverseStream call whose body holds 10,004 frames, decoded into typed events.</summary>
    /// <returns>The number of text characters, so nothing is optimised away.</returns>
    [Benchmark]
    public async Task<int> DecodeStreamIntoEvents()
    {
        var chars = 0;
        await foreach (var e in _streamClient.ConverseStreamAsync(_streamRequest))
        {
            if (e is ContentBlockDeltaEvent { Delta.Text: { } text })
            {
                chars += text.Length;
            }
        }

        return chars;
    }

    /// <summary>Serialises a Converse request with a system prompt, a tool round trip and a tool spec.</summary>
    /// <returns>The body.</returns>
    [Benchmark]
    public byte[] SerializeRequest() => JsonSerializer.SerializeToUtf8Bytes(_request, BedrockJsonContext.Default.ConverseRequest);

    /// <summary>The same request through the hand-written writer the client uses for such shapes (the same bytes).</summary>
    /// <returns>The body.</returns>
    [Benchmark]
    public byte[] WriteRequest() => ConverseRequestWriter.TryWrite(_request) ?? throw new InvalidOperationException("The writer declined the request.");

    /// <summary>One whole Converse call on an in-process transport: serialise, SigV4-sign, send, parse a tiny response.</summary>
    /// <returns>The response.</returns>
    [Benchmark]
    public Task<ConverseResponse> SignedConverseCall() => _signingClient.ConverseAsync(_request);

    private sealed class CannedHandler(Func<HttpContent> content) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content() });
    }
}
