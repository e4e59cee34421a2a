// The agent app of the start-up harness: what a user's program does, configured from the environment like any AWS
// program (AWS_REGION, AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL_BEDROCK_RUNTIME).
//
//   StartupApp            one agent invocation with a tool round trip (two ConverseStream calls); prints the answer
//   StartupApp first-call warms HttpClient up with a plain request, then times the first ConverseStreamAsync of the
//                         process (client creation apart), and a second one
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
var mode = args.Length > 0 ? args[0] : "agent";
if (mode == "first-call")
{
    await FirstCallAsync();
}
else
{
    var json = new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = JsonTypeInfoResolver.Combine(StartupAppJson.Default, AIJsonUtilities.DefaultOptions.TypeInfoResolver),
    };
    using var model = new BedrockModel(new BedrockModelConfig { ModelId = ModelId });
    var agent = new Agent(model, new AgentOptions
    {
        CallbackHandler = null,
        SystemPrompt = "You are a weather assistant. Use the get_weather tool.",
        Tools = AgentTool.FromType(typeof(WeatherTools), json),
    });
    var result = await agent.InvokeAsync("What is the weather in Seattle?");
    Console.WriteLine($"answer: {result.ToString().Trim()}");
}

Console.WriteLine($"peak-rss-kib: {PeakRssKib()}");

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
