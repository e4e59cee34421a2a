using System.Net;
using System.Text;
using System.Text.Json;
using Strands.Bedrock.EventStream;
using Strands.Bedrock.Testing.Tests.Support;
using Strands.Content;

namespace Strands.Bedrock.Testing.Tests;

/// <summary>Routing, validation, recording and the script's order.</summary>
public sealed class RequestTests
{
    public static TheoryData<string> Transports => Fake.Transports;

    private static FakeBedrockServerOptions Open => new() { VerifyAuthentication = false };

    private static async Task<HttpResponseMessage> PostAsync(FakeBedrockServer server, string path, string body, HttpMethod? method = null)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(method ?? HttpMethod.Post, new Uri(server.Endpoint.GetLeftPart(UriPartial.Authority) + path)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    [Theory]
    [InlineData("{not json", "Malformed input request")]
    [InlineData("[1,2]", "Malformed input request")]
    [InlineData("""{"system":[{"text":"hi"}]}""", "Value null at 'messages'")]
    [InlineData("""{"messages":"nope"}""", "Malformed input request")]
    public async Task Bad_bodies_get_400_ValidationException(string body, string message)
    {
        await using var server = await FakeBedrockServer.StartAsync(Open);

        using var response = await PostAsync(server, "/model/m/converse", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("ValidationException", response.Headers.GetValues("x-amzn-ErrorType").Single());
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(message, json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task A_missing_messages_member_reaches_the_client_as_ValidationException(string transport)
    {
        await using var fake = await Fake.StartAsync(transport);
        using var client = fake.Client();

        var error = await Assert.ThrowsAsync<ValidationException>(() => client.ConverseAsync(new ConverseRequest { ModelId = "m" }));

        Assert.Contains("messages", error.Message, StringComparison.Ordinal);
        Assert.Equal(400, fake.Bedrock.Requests.Single().StatusCode);
    }

    [Theory]
    [InlineData("POST", "/model/m/invoke")]
    [InlineData("POST", "/model/m")]
    [InlineData("POST", "/model//converse")]
    [InlineData("POST", "/model/a/b/converse")]
    [InlineData("POST", "/models/m/converse")]
    [InlineData("GET", "/model/m/converse")]
    [InlineData("PUT", "/model/m/converse-stream")]
    public async Task Unknown_routes_get_404_UnknownOperationException(string method, string path)
    {
        await using var server = await FakeBedrockServer.StartAsync(Open);
        server.Enqueue(FakeResponse.Text("unused"));

        using var response = await PostAsync(server, path, "{}", new HttpMethod(method));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("UnknownOperationException", response.Headers.GetValues("x-amzn-ErrorType").Single());
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("Unknown operation", json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(FakeOperation.Unknown, server.Requests.Single().Operation);
        Assert.Equal(1, server.PendingResponses);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Nothing_scripted_is_a_clear_501_that_is_not_retried(string transport)
    {
        await using var fake = await Fake.StartAsync(transport);
        using var client = fake.Client(maxAttempts: 3);

        var error = await Assert.ThrowsAnyAsync<BedrockRuntimeException>(() => client.ConverseAsync(Fake.Converse()));

        Assert.Equal("FakeBedrockNoScriptedResponse", error.ErrorCode);
        Assert.Equal(HttpStatusCode.NotImplemented, error.StatusCode);
        Assert.Contains("Enqueue or RespondWith", error.Message, StringComparison.Ordinal);
        Assert.Single(fake.Bedrock.Requests);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task The_default_response_answers_when_nothing_else_does(string transport)
    {
        await using var fake = await Fake.StartAsync(transport, new FakeBedrockServerOptions { DefaultResponse = FakeResponse.Text("default") });
        using var client = fake.Client();

        var first = await client.ConverseAsync(Fake.Converse());
        var second = await client.ConverseAsync(Fake.Converse());

        Assert.Equal("default", first.Output.Message!.Content[0].Text);
        Assert.Equal("default", second.Output.Message!.Content[0].Text);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task The_queue_comes_first_then_the_responder(string transport)
    {
        await using var fake = await Fake.StartAsync(transport);
        fake.Bedrock.Enqueue(FakeResponse.Text("queued"));
        fake.Bedrock.RespondWith(request => FakeResponse.Text($"echo {request.ConverseRequest!.Messages![0].Content[0].Text} to {request.ModelId}"));
        using var client = fake.Client();

        var first = await client.ConverseAsync(Fake.Converse(prompt: "one"));
        var second = await client.ConverseAsync(Fake.Converse(modelId: "anthropic.claude-3-haiku-20240307-v1:0", prompt: "two"));

        Assert.Equal("queued", first.Output.Message!.Content[0].Text);
        Assert.Equal("echo two to anthropic.claude-3-haiku-20240307-v1:0", second.Output.Message!.Content[0].Text);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task A_responder_that_throws_fails_the_call_clearly(string transport)
    {
        await using var fake = await Fake.StartAsync(transport);
        fake.Bedrock.RespondWith(_ => throw new InvalidOperationException("boom"));
        using var client = fake.Client(maxAttempts: 3);

        var error = await Assert.ThrowsAnyAsync<BedrockRuntimeException>(() => client.ConverseAsync(Fake.Converse()));

        Assert.Equal("FakeBedrockResponderFailed", error.ErrorCode);
        Assert.Contains("boom", error.Message, StringComparison.Ordinal);
        Assert.Equal(FakeResponseOutcome.Faulted, await fake.Bedrock.Requests.Single().Completion);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Requests_are_recorded_raw_and_parsed(string transport)
    {
        await using var fake = await Fake.StartAsync(transport);
        fake.Bedrock.Enqueue(FakeResponse.Text("a"), FakeResponse.Text("b"));
        using var client = fake.Client();
        const string arn = "arn:aws:bedrock:us-west-2:123456789012:inference-profile/us.anthropic.claude-sonnet-4-20250514-v1:0";

        await client.ConverseAsync(new ConverseRequest { ModelId = arn, Messages = [Message.User("Hello")], InferenceConfig = new InferenceConfiguration { MaxTokens = 512 } });
        await Fake.CollectAsync(client.ConverseStreamAsync(new ConverseStreamRequest { ModelId = "m", Messages = [Message.User("Stream")] }));

        var (converse, stream) = (fake.Bedrock.Requests[0], fake.Bedrock.Requests[1]);
        Assert.Equal("POST", converse.Method);
        Assert.Equal("/model/arn%3Aaws%3Abedrock%3Aus-west-2%3A123456789012%3Ainference-profile%2Fus.anthropic.claude-sonnet-4-20250514-v1%3A0/converse", converse.RawPath);
        Assert.Null(converse.RawQuery);
        Assert.Equal(arn, converse.ModelId);
        Assert.Equal(FakeOperation.Converse, converse.Operation);
        Assert.Equal(arn, converse.ConverseRequest!.ModelId);
        Assert.Equal(512, converse.ConverseRequest.InferenceConfig!.MaxTokens);
        Assert.Null(converse.ConverseStreamRequest);
        Assert.Equal("application/json", converse.Header("content-type"));
        Assert.StartsWith("""{"messages":[{"role":"user","content":[{"text":"Hello"}]}]""", converse.BodyText(), StringComparison.Ordinal);
        Assert.Equal(0, converse.Sequence);

        Assert.Equal(FakeOperation.ConverseStream, stream.Operation);
        Assert.Equal("/model/m/converse-stream", stream.RawPath);
        Assert.Equal("Stream", stream.ConverseStreamRequest!.Messages![0].Content[0].Text);
        Assert.Equal(1, stream.Sequence);
        Assert.Contains("attempt=1; max=1", stream.Header("amz-sdk-request"), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Concurrent_calls_are_all_recorded(string transport)
    {
        await using var fake = await Fake.StartAsync(transport);
        fake.Bedrock.RespondWith(r => FakeResponse.Text(r.ConverseRequest!.Messages![0].Content[0].Text!));
        using var client = fake.Client();

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => client.ConverseAsync(Fake.Converse(prompt: $"p{i}"))));

        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"p{i}"), answers.Select(a => a.Output.Message!.Content[0].Text));
        Assert.Equal(20, fake.Bedrock.Requests.Count);
        Assert.Equal(Enumerable.Range(0, 20), fake.Bedrock.Requests.Select(r => r.Sequence));
    }

    [Fact]
    public async Task Reset_clears_script_and_requests()
    {
        await using var fake = await Fake.StartAsync("handler");
        fake.Bedrock.Enqueue(FakeResponse.Text("a"));
        fake.Bedrock.RespondWith(_ => FakeResponse.Text("b"));
        using var client = fake.Client();
        await client.ConverseAsync(Fake.Converse());

        fake.Bedrock.Reset();

        Assert.Empty(fake.Bedrock.Requests);
        Assert.Equal(0, fake.Bedrock.PendingResponses);
        await Assert.ThrowsAnyAsync<BedrockRuntimeException>(() => client.ConverseAsync(Fake.Converse()));
    }

    [Fact]
    public async Task Stream_frames_look_like_the_services()
    {
        await using var server = await FakeBedrockServer.StartAsync(Open);
        server.Enqueue(FakeResponse.Blocks(FakeBlocks.Text("Hello there, how are you today?"), FakeBlocks.ToolUse("t", """{"a":1}""", "tooluse_x")));

        using var response = await PostAsync(server, "/model/m/converse-stream", """{"messages":[]}""");

        Assert.Equal("application/vnd.amazon.eventstream", response.Content.Headers.ContentType!.MediaType);
        Assert.True(response.Headers.Contains("x-amzn-RequestId"));
        Assert.True(response.Headers.TransferEncodingChunked);
        await using var reader = new EventStreamReader(await response.Content.ReadAsStreamAsync());
        var types = new List<string>();
        while (await reader.ReadNextAsync())
        {
            Assert.Equal("event", reader.MessageType);
            Assert.True(reader.TryGetHeader(":content-type", out var contentType));
            Assert.Equal("application/json", contentType.GetString());
            using var payload = JsonDocument.Parse(reader.Payload);
            Assert.False(string.IsNullOrEmpty(payload.RootElement.GetProperty("p").GetString()));
            types.Add(reader.EventType!);
        }

        Assert.Equal(
            ["messageStart", "contentBlockDelta", "contentBlockDelta", "contentBlockStop", "contentBlockStart", "contentBlockDelta", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata"],
            types);
    }

    [Fact]
    public async Task The_server_speaks_h2c_when_enabled()
    {
        await using var server = await FakeBedrockServer.StartAsync(new FakeBedrockServerOptions { VerifyAuthentication = false, UseHttp2 = true });
        server.Enqueue(FakeResponse.Text("over h2"));
        using var http = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };

        using var response = await http.PostAsync(new Uri(server.Endpoint, "model/m/converse"), new StringContent("""{"messages":[]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Contains("over h2", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_servers_run_side_by_side_and_dispose_releases_the_port()
    {
        var first = await FakeBedrockServer.StartAsync();
        await using var second = await FakeBedrockServer.StartAsync();
        Assert.NotEqual(first.Endpoint, second.Endpoint);
        Assert.Equal("127.0.0.1", first.Endpoint.Host);

        await first.DisposeAsync();

        using var client = first.CreateClient(maxAttempts: 1);
        await Assert.ThrowsAsync<HttpRequestException>(() => client.ConverseAsync(Fake.Converse()));
    }
}
