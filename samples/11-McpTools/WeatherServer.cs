using System.ComponentModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ModelContextProtocol.Server;

namespace Strands.Samples;

/// <summary>
/// A small MCP server on the official C# SDK, so that the sample needs nothing installed: the sample starts itself
/// with <c>--mcp-server</c> as the server process and talks to it over stdio, as it would to any MCP server.
/// </summary>
internal static class WeatherServer
{
    public static Task RunAsync()
    {
        var builder = Host.CreateEmptyApplicationBuilder(settings: null);
        builder.Services.AddMcpServer().WithStdioServerTransport().WithTools<WeatherTools>();
        return builder.Build().RunAsync();
    }
}

/// <summary>The server's tools.</summary>
[McpServerToolType]
internal sealed class WeatherTools
{
    [McpServerTool(Name = "get_forecast"), Description("Gets tomorrow's weather forecast for a city.")]
    public static string GetForecast([Description("The city.")] string city)
        => $"{city}: light rain in the morning, 14°C, clearing up in the afternoon.";

    [McpServerTool(Name = "get_alerts"), Description("Lists the weather alerts in force for a city.")]
    public static string GetAlerts([Description("The city.")] string city) => $"No weather alerts for {city}.";
}
