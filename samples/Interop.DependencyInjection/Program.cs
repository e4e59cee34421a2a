// Strands in a .NET generic host: AddStrandsBedrock registers the Bedrock client, the BedrockModel (as IModel) and its
// IChatClient from configuration; an Agent is built from them; OpenTelemetry exports the gen_ai spans and metrics
// (invoke_agent, chat, execute_tool; gen_ai.client.operation.duration, gen_ai.client.token.usage) to the console.
//
//   dotnet run --project samples/Interop.DependencyInjection            # offline, against FakeBedrockServer
//   dotnet run --project samples/Interop.DependencyInjection -- --live  # Amazon Bedrock (AWS_REGION, AWS credentials)
//
// Configuration keys (environment variables work too, e.g. Strands__Bedrock__ModelId): Strands:Bedrock:ModelId,
// Region, Endpoint, Temperature, MaxTokens, ... Prints "DI agent answer: ..." and the exported telemetry.

using System.ComponentModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Strands.Agents;
using Strands.Bedrock.Testing;
using Strands.Models;
using Strands.Samples;
using Strands.Telemetry;
using Strands.Tools;

var live = args.Contains("--live");

await SampleHost.RunAsync(args, async () =>
{
    // Offline, the fake Bedrock answers over loopback HTTP: a tool use, then an answer quoting the tool result.
    await using var fake = live ? null : await FakeBedrockServer.StartAsync();
    fake?.RespondWith(request =>
    {
        var result = request.ConverseStreamRequest?.Messages?[^1].Content.Select(c => c.ToolResult).FirstOrDefault(r => r is not null);
        return result is null
            ? FakeResponse.ToolUse("get_weather", """{"city":"Berlin"}""").WithUsage(120, 18)
            : FakeResponse.Text($"Here is the weather: {result.Content[0].Text}.").WithUsage(160, 12);
    });

    var builder = Host.CreateApplicationBuilder(args);
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Strands:Bedrock:ModelId"] = "us.amazon.nova-premier-v1:0",
        ["Strands:Bedrock:MaxTokens"] = "1024",
    });
    if (fake is not null)
    {
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Strands:Bedrock:Endpoint"] = fake.Endpoint.ToString(),
            ["Strands:Bedrock:Region"] = fake.Options.Region,
        });
    }

    builder.Services.AddStrandsBedrock(builder.Configuration.GetSection("Strands:Bedrock"), options =>
    {
        if (fake is not null)
        {
            // The fake checks SigV4 signatures against its own example credentials.
            options.ConfigureClient = client => client with { Credentials = FakeBedrockServerOptions.DefaultCredentials };
        }
    });

    // An agent per resolution (an agent holds one conversation), on the registered model.
    builder.Services.AddTransient(services => new Agent(services.GetRequiredService<IModel>(), new AgentOptions
    {
        CallbackHandler = null,
        SystemPrompt = "You are a weather assistant.",
        Tools = AgentTool.FromType(typeof(WeatherTools)),
        Name = "weather-agent",
        LoggerFactory = services.GetRequiredService<ILoggerFactory>(),
    }));

    builder.Services.AddOpenTelemetry()
        .ConfigureResource(resource => resource.AddService("strands-weather-service"))
        .WithTracing(tracing => tracing.AddSource(StrandsTelemetry.ActivitySourceName).AddConsoleExporter())
        .WithMetrics(metrics => metrics.AddMeter(StrandsTelemetry.MeterName).AddConsoleExporter());

    using (var host = builder.Build())
    {
        await host.StartAsync();

        var agent = host.Services.GetRequiredService<Agent>();
        AgentResult result = await agent.InvokeAsync("What is the weather in Berlin?");
        Console.WriteLine($"DI agent answer: {result}");

        await host.StopAsync();
    }

    // Disposing the host flushed the exporters: the metrics above were printed on the way out.
    Console.WriteLine("DI sample done.");
});

internal static class WeatherTools
{
    [Tool, Description("Gets the current weather for a city.")]
    public static string GetWeather([Description("The city, e.g. Berlin.")] string city) => $"cloudy and 14 °C in {city}";
}
