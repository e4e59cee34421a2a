// An agent with a tool as a Native AOT executable. No reflection-based JSON: the tool's parameter and result types are
// described by a source-generated JsonSerializerContext, and the library's own wire types are source-generated too.
//
// Configuration comes from the environment, as for every AWS program: AWS_REGION, the default credential chain
// (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, profiles, SSO, …) or AWS_BEARER_TOKEN_BEDROCK, and optionally
// AWS_ENDPOINT_URL_BEDROCK_RUNTIME. AotAgent.Harness runs it against the fake Bedrock in its own process:
//
//   dotnet publish samples/AotAgent -c Release
//   dotnet run --project samples/AotAgent.Harness -c Release -- samples/AotAgent/bin/Release/net10.0/linux-x64/publish/AotAgent
//
// Against Amazon Bedrock: export AWS_REGION and credentials, then run the published binary.

using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;
using Strands.Agents;
using Strands.Models;
using Strands.Samples.AotAgent;
using Strands.Tools;

var modelId = Environment.GetEnvironmentVariable("STRANDS_MODEL_ID") ?? "us.amazon.nova-premier-v1:0";
var prompt = args.Length > 0 ? string.Join(' ', args) : "What is the weather in Seattle?";

// Tool schemas, argument binding and results go through these options: the sample's own source-generated types
// first, then Microsoft.Extensions.AI's (strings, numbers, JSON values).
// <snippet:aot-json-options>
var json = new JsonSerializerOptions(JsonSerializerDefaults.Web)
{
    TypeInfoResolver = JsonTypeInfoResolver.Combine(AotAgentJson.Default, AIJsonUtilities.DefaultOptions.TypeInfoResolver),
};
// </snippet:aot-json-options>

using var model = new BedrockModel(new BedrockModelConfig { ModelId = modelId });
var agent = new Agent(model, new AgentOptions
{
    CallbackHandler = null,
    SystemPrompt = "You are a weather assistant. Use the get_weather tool.",
    Tools = AgentTool.FromType(typeof(WeatherTools), json),
});

AgentResult result = await agent.InvokeAsync(prompt);
Console.WriteLine($"AotAgent answer: {result.ToString().Trim()}");
Console.WriteLine($"AotAgent stop reason: {result.StopReason}, model calls: {result.Metrics.CycleCount}, tool calls: {result.Metrics.ToolMetrics.Values.Sum(t => t.CallCount)}");

namespace Strands.Samples.AotAgent
{
    /// <summary>The agent's tool, found by its [Tool] attribute.</summary>
    internal static class WeatherTools
    {
        [Tool, Description("Gets the current weather for a city.")]
        public static WeatherReport GetWeather([Description("The city, e.g. Seattle.")] string city)
            => new(city, "sunny", 18);
    }

    /// <summary>The tool's result; serialised to JSON for the model by the source-generated context.</summary>
    internal sealed record WeatherReport(string City, string Conditions, int TemperatureC);

    /// <summary>JSON metadata for the tool's types, generated at compile time (no reflection, trimming-safe).</summary>
    [JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
    [JsonSerializable(typeof(WeatherReport))]
    internal sealed partial class AotAgentJson : JsonSerializerContext;
}
