using System.ComponentModel;
using System.Net.Http.Headers;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Strands.Agents;
using Strands.Bedrock;
using Strands.Bedrock.Testing;
using Strands.Benchmarks.Shared;
using Strands.Models;
using Strands.Tools;

namespace Strands.Benchmarks;

/// <summary>
/// The agent end to end against the fake Bedrock in another process (Strands.Bedrock.FakeBedrockHost), over HTTP/1.1
/// on loopback: SigV4 signing, request JSON, event-stream frames with CRCs, response JSON, the agent loop.
/// <list type="bullet">
/// <item><c>tools</c>: a new agent answers one prompt with a tool round trip (two ConverseStream calls and the tool).</item>
/// <item><c>deltas</c>: one answer of 100,000 text deltas consumed through <see cref="Agent.StreamAsync(string, CancellationToken)"/>.</item>
/// </list>
/// Each has a raw <see cref="HttpClient"/> baseline in the same run: the same request bytes (no signing, no JSON),
/// the same response bytes read and discarded, so the Ratio column is the agent's cost over the HTTP floor. The fake
/// renders the tool conversation event by event (one HTTP chunk per event, as the service does) and serves the long
/// answer from pre-rendered bytes in 16 KiB writes. CPU/op is the CPU time of this process only (see
/// <see cref="CpuTimeDiagnoser"/>). See BENCHMARKS.md.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class LoopbackAgentBenchmarks
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly byte[] _buffer = new byte[64 * 1024];
    private FakeBedrockProcess _fake = null!;
    private BedrockModel _toolModel = null!;
    private BedrockModel _deltasModel = null!;
    private IReadOnlyList<AgentTool> _tools = [];
    private HttpClient _http = null!;
    private (string Path, byte[] Body)[] _toolRequests = [];
    private (string Path, byte[] Body) _deltasRequest;

    /// <summary>Starts the fake, the models and the baseline's client, and records the bytes of the agent's requests.</summary>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        _fake = await FakeBedrockProcess.StartAsync().ConfigureAwait(false);
        var options = new BedrockClientOptions
        {
            EndpointUrl = _fake.Endpoint,
            Region = "us-west-2",
            Credentials = FakeBedrockServerOptions.DefaultCredentials,
        };
        _tools = AgentTool.FromType(typeof(WeatherTools));
        _toolModel = new BedrockModel(new BedrockModelConfig { ModelId = LoopbackScript.ToolModelId }, options);
        _deltasModel = new BedrockModel(new BedrockModelConfig { ModelId = LoopbackScript.DeltasModelId }, options);
        _http = new HttpClient { BaseAddress = _fake.Endpoint };

        // The baselines send exactly what the agent sends: record it once through the in-process fake.
        var recorder = new FakeBedrockHandler(new FakeBedrockServerOptions { VerifyAuthentication = false });
        recorder.RespondWith(LoopbackScript.Responder(FakeResponse.Text("A short answer.")));
        using (var model = new BedrockModel(new BedrockModelConfig { ModelId = LoopbackScript.ToolModelId }, recorder.CreateClientOptions()))
        {
            await NewToolAgent(model).InvokeAsync(LoopbackScript.Prompt).ConfigureAwait(false);
        }

        using (var model = new BedrockModel(new BedrockModelConfig { ModelId = LoopbackScript.DeltasModelId }, recorder.CreateClientOptions()))
        {
            await foreach (var unused in new Agent(model, new AgentOptions { CallbackHandler = null }).StreamAsync("Stream a lot.").ConfigureAwait(false))
            {
            }
        }

        var recorded = recorder.Requests.Select(r => (r.RawPath.TrimStart('/'), r.Body)).ToArray();
        if (recorded.Length != 3)
        {
            throw new InvalidOperationException($"Expected 3 recorded requests (2 for the tool conversation, 1 for the long answer), got {recorded.Length}.");
        }

        _toolRequests = recorded[..2];
        _deltasRequest = recorded[2];
    }

    /// <summary>Stops the fake.</summary>
    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _http.Dispose();
        _toolModel.Dispose();
        _deltasModel.Dispose();
        await _fake.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>A new agent answers one prompt: ConverseStream (tool use), the tool, ConverseStream (answer).</summary>
    /// <returns>The result (checked).</returns>
    [Benchmark, BenchmarkCategory("tools")]
    public async Task<AgentResult> ToolInvocation()
    {
        var result = await NewToolAgent(_toolModel).InvokeAsync(LoopbackScript.Prompt).ConfigureAwait(false);
        if (result.Metrics.CycleCount != 2 || !result.ToString().StartsWith(LoopbackScript.AnswerPrefix, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Unexpected result: {result}");
        }

        return result;
    }

    /// <summary>The floor: the same two requests and responses over a plain <see cref="HttpClient"/>.</summary>
    /// <returns>The response bytes.</returns>
    [Benchmark(Baseline = true), BenchmarkCategory("tools")]
    public async Task<long> ToolInvocationRawHttp()
    {
        long total = 0;
        foreach (var (path, body) in _toolRequests)
        {
            total += await PostAsync(path, body).ConfigureAwait(false);
        }

        return total;
    }

    /// <summary>A new agent streams an answer of 100,000 text deltas.</summary>
    /// <returns>The number of text deltas (checked).</returns>
    [Benchmark, BenchmarkCategory("deltas")]
    public async Task<int> StreamDeltas()
    {
        var agent = new Agent(_deltasModel, new AgentOptions { CallbackHandler = null });
        var deltas = 0;
        await foreach (var agentEvent in agent.StreamAsync("Stream a lot.").ConfigureAwait(false))
        {
            if (agentEvent is TextDeltaEvent)
            {
                deltas++;
            }
        }

        if (deltas != LoopbackScript.Deltas)
        {
            throw new InvalidOperationException($"Expected {LoopbackScript.Deltas} text deltas, got {deltas}.");
        }

        return deltas;
    }

    /// <summary>The floor: the same request and the same 100,000-event body over a plain <see cref="HttpClient"/>.</summary>
    /// <returns>The response bytes.</returns>
    [Benchmark(Baseline = true), BenchmarkCategory("deltas")]
    public Task<long> StreamDeltasRawHttp() => PostAsync(_deltasRequest.Path, _deltasRequest.Body);

    private Agent NewToolAgent(IModel model) =>
        new(model, new AgentOptions { CallbackHandler = null, SystemPrompt = LoopbackScript.SystemPrompt, Tools = _tools });

    private async Task<long> PostAsync(string path, byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = Json;
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            long total = 0;
            int read;
            while ((read = await stream.ReadAsync(_buffer).ConfigureAwait(false)) > 0)
            {
                total += read;
            }

            return total;
        }
    }

    /// <summary>The agent's tool.</summary>
    private static class WeatherTools
    {
        [Tool, Description("Gets the current weather for a city.")]
        public static WeatherReport GetWeather([Description("The city, e.g. Seattle.")] string city) => new(city, "sunny", 18);
    }

    /// <summary>The tool's result.</summary>
    private sealed record WeatherReport(string City, string Conditions, int TemperatureC);
}
