// The agent app of the start-up harness: what a user's program does, configured from the environment like any AWS
// program (AWS_REGION, AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL_BEDROCK_RUNTIME).
//
//   StartupApp              one agent invocation with a tool round trip (two ConverseStream calls); prints the answer
//   StartupApp first-call   warms HttpClient up with a plain request, then times the first ConverseStreamAsync of the
//                           process (client creation apart), and a second one
//   StartupApp invocations  1,000 invocations with a tool round trip, one after the other, each by a new agent over
//                           the same model and tools: the first, the median of the 2nd-100th, and the median and CPU
//                           time per invocation of the last 500 (steady state, as far as the JIT gets in that time)
//   StartupApp stream       two answers of 100,000 text deltas through Agent.StreamAsync: deltas per second and CPU
//                           time per delta of the first (the process's first model call) and of the second
//
// Both print "peak-rss-kib: N" (VmHWM) last. The harness times the process from outside; timings printed here are
// only those that cannot be seen from outside (inside a process that is already running).

using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;
using Strands.Agents;
using Strands.Bedrock;
using Strands.Benchmarks.StartupApp;
using Strands.Content;
using Strands.Models;
using Strands.Tools;

const string ModelId = "us.amazon.nova-pro-v1:0";
const string DeltasModelId = "bench.deltas-v1:0";
var mode = args.Length > 0 ? args[0] : "agent";
switch (mode)
{
    case "first-call":
        await FirstCallAsync();
        break;
    case "invocations":
        await InvocationsAsync(1_000);
        break;
    case "stream":
        await StreamAsync();
        break;
    default:
    {
        using var model = new BedrockModel(new BedrockModelConfig { ModelId = ModelId });
        var result = await NewAgent(model, CreateTools()).InvokeAsync("What is the weather in Seattle?");
        Console.WriteLine($"answer: {result.ToString().Trim()}");
        break;
    }
}

Console.WriteLine($"peak-rss-kib: {PeakRssKib()}");

static IReadOnlyList<AgentTool> CreateTools()
{
    var json = new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = JsonTypeInfoResolver.Combine(StartupAppJson.Default, AIJsonUtilities.DefaultOptions.TypeInfoResolver),
    };
    return AgentTool.FromType(typeof(WeatherTools), json);
}

static Agent NewAgent(IModel model, IReadOnlyList<AgentTool> tools) => new(model, new AgentOptions
{
    CallbackHandler = null,
    SystemPrompt = "You are a weather assistant. Use the get_weather tool.",
    Tools = tools,
});

static async Task InvocationsAsync(int count)
{
    using var model = new BedrockModel(new BedrockModelConfig { ModelId = ModelId });
    var tools = CreateTools();
    var times = new double[count];
    TimeSpan steadyCpuStart = default;
    for (var i = 0; i < count; i++)
    {
        if (i == count / 2)
        {
            steadyCpuStart = Environment.CpuUsage.TotalTime;
        }

        var started = Stopwatch.GetTimestamp();
        var result = await NewAgent(model, tools).InvokeAsync("What is the weather in Seattle?");
        times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (result.Metrics.CycleCount != 2)
        {
            throw new InvalidOperationException($"Invocation {i} made {result.Metrics.CycleCount} model calls.");
        }
    }

    var steadyCpu = (Environment.CpuUsage.TotalTime - steadyCpuStart).TotalMilliseconds / (count - (count / 2));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"invocations: {count} first-ms: {times[0]:F2} early-ms: {Median(times[1..100]):F3} steady-ms: {Median(times[(count / 2)..]):F3} steady-cpu-ms: {steadyCpu:F3}"));
}

static async Task StreamAsync()
{
    using var model = new BedrockModel(new BedrockModelConfig { ModelId = DeltasModelId });
    var line = new StringBuilder("stream:");
    for (var round = 1; round <= 2; round++)
    {
        var cpu = Environment.CpuUsage.TotalTime;
        var started = Stopwatch.GetTimestamp();
        var deltas = 0;
        await foreach (var agentEvent in new Agent(model, new AgentOptions { CallbackHandler = null }).StreamAsync("Stream a lot."))
        {
            if (agentEvent is TextDeltaEvent)
            {
                deltas++;
            }
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpuPerDelta = (Environment.CpuUsage.TotalTime - cpu).TotalMicroseconds / deltas;
        line.Append(CultureInfo.InvariantCulture, $" deltas{round}: {deltas} deltas-per-s{round}: {deltas / seconds:F0} cpu-us-per-delta{round}: {cpuPerDelta:F3}");
    }

    Console.WriteLine(line);
}

static double Median(double[] values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}

static async Task FirstCallAsync()
{
    var endpoint = new Uri(Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_BEDROCK_RUNTIME") ?? throw new InvalidOperationException("AWS_ENDPOINT_URL_BEDROCK_RUNTIME is not set."));

    // HttpClient's own first request (connection, HTTP/1.1, headers, body) is paid here, outside the measurement. The
    // fake rejects it (unsigned): the answer does not matter, only that the HTTP code has run.
    using (var http = new HttpClient { BaseAddress = endpoint })
    using (var content = new StringContent("""{"messages":[{"role":"user","content":[{"text":"Hi"}]}]}""", Encoding.UTF8, "application/json"))
    using (var warmUp = await http.PostAsync($"model/{Uri.EscapeDataString(ModelId)}/converse-stream", content))
    {
        await warmUp.Content.ReadAsByteArrayAsync();
    }

    var started = Stopwatch.GetTimestamp();
    using var client = new BedrockRuntimeClient();
    var created = Stopwatch.GetTimestamp();
    var request = new ConverseStreamRequest { ModelId = ModelId, Messages = [Message.User("What is the weather in Seattle?")] };
    var first = await CountEventsAsync(client, request);
    var firstDone = Stopwatch.GetTimestamp();
    var second = await CountEventsAsync(client, request);
    var secondDone = Stopwatch.GetTimestamp();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"client-create-ms: {Stopwatch.GetElapsedTime(started, created).TotalMilliseconds:F2} first-call-ms: {Stopwatch.GetElapsedTime(created, firstDone).TotalMilliseconds:F2} second-call-ms: {Stopwatch.GetElapsedTime(firstDone, secondDone).TotalMilliseconds:F2} events: {first}+{second}"));
}

static async Task<int> CountEventsAsync(BedrockRuntimeClient client, ConverseStreamRequest request)
{
    var events = 0;
    await foreach (var unused in client.ConverseStreamAsync(request))
    {
        events++;
    }

    return events;
}

// The peak resident set size of this process (Linux: VmHWM in /proc/self/status); 0 where it cannot be read.
static long PeakRssKib()
{
    try
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }
    }
    catch (IOException)
    {
    }

    return 0;
}

namespace Strands.Benchmarks.StartupApp
{
    /// <summary>The agent's tool.</summary>
    internal static class WeatherTools
    {
        [Tool, Description("Gets the current weather for a city.")]
        public static WeatherReport GetWeather([Description("The city, e.g. Seattle.")] string city) => new(city, "sunny", 18);
    }

    /// <summary>The tool's result, serialised by the source-generated context.</summary>
    internal sealed record WeatherReport(string City, string Conditions, int TemperatureC);

    /// <summary>JSON metadata for the tool's types, generated at compile time (trimming- and AOT-safe).</summary>
    [JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
    [JsonSerializable(typeof(WeatherReport))]
    internal sealed partial class StartupAppJson : JsonSerializerContext;
}
