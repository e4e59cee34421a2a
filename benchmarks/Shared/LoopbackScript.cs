using System.Globalization;
using System.Text;
using Strands.Bedrock.Testing;
using Strands.Content;

namespace Strands.Benchmarks.Shared;

/// <summary>
/// What the fake Bedrock answers in the loopback benchmarks and the start-up harness (linked into each project, so
/// they all measure the same conversation): a tool round trip (a <c>get_weather</c> tool use, then an answer that
/// quotes the tool's result), or, for <see cref="DeltasModelId"/>, one answer of <see cref="Deltas"/> text deltas.
/// </summary>
internal static class LoopbackScript
{
    /// <summary>The model id of the tool conversation.</summary>
    public const string ToolModelId = "us.amazon.nova-pro-v1:0";

    /// <summary>The model id whose answer is <see cref="Deltas"/> text deltas.</summary>
    public const string DeltasModelId = "bench.deltas-v1:0";

    /// <summary>Text deltas in the long answer.</summary>
    public const int Deltas = 100_000;

    /// <summary>Characters per text delta.</summary>
    public const int DeltaLength = 8;

    /// <summary>The prompt of the tool conversation.</summary>
    public const string Prompt = "What is the weather in Seattle?";

    /// <summary>The system prompt of the tool conversation.</summary>
    public const string SystemPrompt = "You are a weather assistant. Use the get_weather tool.";

    /// <summary>What the answer starts with; the tool's JSON result follows.</summary>
    public const string AnswerPrefix = "It is sunny in Seattle. get_weather returned ";

    /// <summary>The first turn: the model asks for the tool.</summary>
    public static FakeResponse ToolTurn { get; } =
        FakeResponse.ToolUse("get_weather", """{"city":"Seattle"}""", "tooluse_weather_1").WithUsage(50, 12);

    /// <summary>The second turn: an answer quoting the tool result, so a check can see the tool really ran.</summary>
    /// <param name="toolResult">The tool result's text or JSON.</param>
    /// <returns>The response.</returns>
    public static FakeResponse Answer(string toolResult) => FakeResponse.Text(AnswerPrefix + toolResult).WithUsage(80, 20);

    /// <summary>The long answer, rendered by the fake event by event (one HTTP chunk per event).</summary>
    /// <returns>The response.</returns>
    public static FakeResponse DeltasAnswer()
    {
        var text = new StringBuilder(Deltas * DeltaLength);
        for (var i = 0; i < Deltas; i++)
        {
            text.Append("tok").Append((i % 10_000).ToString("D4", CultureInfo.InvariantCulture)).Append(' ');
        }

        return FakeResponse.Text(text.ToString()).WithTextDeltaLength(DeltaLength);
    }

    /// <summary>
    /// The responder: the long answer for <see cref="DeltasModelId"/>, otherwise the tool use, or the answer once the
    /// conversation ends with a tool result.
    /// </summary>
    /// <param name="deltas">The long answer (e.g. the pre-rendered bytes of <see cref="DeltasAnswer"/>).</param>
    /// <returns>The responder.</returns>
    public static Func<RecordedRequest, FakeResponse> Responder(FakeResponse deltas) => request =>
    {
        if (request.ModelId == DeltasModelId)
        {
            return deltas;
        }

        var messages = request.ConverseStreamRequest?.Messages ?? request.ConverseRequest?.Messages ?? [];
        var toolResult = messages.Count == 0 ? null : messages[^1].Content.Select(c => c.ToolResult).LastOrDefault(r => r is not null);
        if (toolResult is null)
        {
            return ToolTurn;
        }

        var report = toolResult.Content.Select(c => c.Json?.GetRawText() ?? c.Text).FirstOrDefault(t => t is not null) ?? "(empty)";
        return Answer(report);
    };

    /// <summary>
    /// Renders <paramref name="response"/> once (through an in-process fake) and returns it as a raw stream of the same
    /// bytes, served in 16 KiB writes: the fake then costs next to nothing per event.
    /// </summary>
    /// <param name="response">The response to render.</param>
    /// <returns>The pre-rendered response and its body.</returns>
    public static async Task<(FakeResponse Response, byte[] Body)> PreRenderAsync(FakeResponse response)
    {
        using var fake = new FakeBedrockHandler(new FakeBedrockServerOptions { VerifyAuthentication = false });
        using var http = new HttpClient(fake, disposeHandler: false) { BaseAddress = FakeBedrockHandler.DefaultEndpoint };
        fake.Enqueue(response);
        using var message = new HttpRequestMessage(HttpMethod.Post, $"model/{Uri.EscapeDataString(DeltasModelId)}/converse-stream")
        {
            Content = new StringContent("""{"messages":[{"role":"user","content":[{"text":"Stream a lot."}]}]}""", Encoding.UTF8, "application/json"),
        };
        using var reply = await http.SendAsync(message).ConfigureAwait(false);
        reply.EnsureSuccessStatusCode();
        var body = await reply.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        return (FakeResponse.RawStream(body, chunkSize: 16 * 1024), body);
    }
}
