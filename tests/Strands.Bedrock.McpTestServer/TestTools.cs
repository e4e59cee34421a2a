using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Strands.Bedrock.McpTestServer;

/// <summary>The test server's tools: one per behaviour the MCP tool tests check.</summary>
[McpServerToolType]
public sealed class TestTools
{
    /// <summary>The smallest valid PNG (1×1, transparent): what render_chart and read_resources return as an image.</summary>
    public static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    /// <summary>A minimal PDF document, the blob of an embedded resource.</summary>
    public static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");

    public static string ServerName { get; set; } = "test-server";

    [McpServerTool(Name = "echo"), Description("Echoes the text back, prefixed with the server's name.")]
    public static string Echo([Description("The text to echo.")] string text) => $"[{ServerName}] {text}";

    [McpServerTool(Name = "get_weather", UseStructuredContent = true), Description("Gets the weather of a city as structured data.")]
    public static WeatherReport GetWeather([Description("The city.")] string city) => new(city, 21.5, "sunny");

    [McpServerTool(Name = "render_chart"), Description("Renders a chart as a PNG image.")]
    public static CallToolResult RenderChart() => new()
    {
        Content = [new TextContentBlock { Text = "Here is the chart." }, ImageContentBlock.FromBytes(Png, "image/png")],
    };

    [McpServerTool(Name = "read_resources"), Description("Returns embedded resources of several kinds, a resource link and an audio clip.")]
    public static CallToolResult ReadResources() => new()
    {
        Content =
        [
            new EmbeddedResourceBlock { Resource = new TextResourceContents { Uri = "file:///notes.txt", MimeType = "text/plain", Text = "Meeting notes" } },
            new EmbeddedResourceBlock { Resource = BlobResourceContents.FromBytes(Pdf, "file:///reports/Q3 report.pdf", "application/pdf") },
            new EmbeddedResourceBlock { Resource = BlobResourceContents.FromBytes("""{"a":1}"""u8.ToArray(), "file:///data.json", "application/json") },
            new EmbeddedResourceBlock { Resource = BlobResourceContents.FromBytes(Png, "file:///logo.png", "image/png") },
            new EmbeddedResourceBlock { Resource = BlobResourceContents.FromBytes(new byte[] { 0, 1, 2, 3 }, "file:///data.bin", "application/octet-stream") },
            new ResourceLinkBlock { Uri = "https://example.com/spec", Name = "spec", Description = "The specification", MimeType = "text/html" },
            AudioContentBlock.FromBytes(new byte[] { 1, 2, 3 }, "audio/wav"),
        ],
    };

    [McpServerTool(Name = "fail"), Description("Reports a tool error (isError) with the reason.")]
    public static CallToolResult Fail([Description("Why it fails.")] string reason) => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = $"Failed: {reason}" }],
    };

    [McpServerTool(Name = "crash"), Description("Kills the server process in the middle of the call.")]
    public static string Crash()
    {
        Console.Error.WriteLine("crash: killing the server");
        Console.Error.Flush();
        Process.GetCurrentProcess().Kill();
        Thread.Sleep(Timeout.Infinite);
        return "unreachable";
    }

    [McpServerTool(Name = "wait_for_cancel"), Description("Waits until the call is cancelled.")]
    public static async Task<string> WaitForCancel(CancellationToken cancellationToken)
    {
        Console.Error.WriteLine("wait_for_cancel started");
        Console.Error.Flush();
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("wait_for_cancel cancelled");
            Console.Error.Flush();
            throw;
        }

        return "unreachable";
    }

    [McpServerTool(Name = "math.add"), Description("Adds two numbers (a name with a dot, which Bedrock does not accept).")]
    public static double Add(double a, double b) => a + b;

    /// <summary>An extra tool (see --extra-tools), on a page of its own.</summary>
    public static Tool ExtraTool(string name) => new()
    {
        Name = name,
        Description = $"The extra tool {name}.",
        InputSchema = JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement,
    };

    public sealed record WeatherReport(string City, double TemperatureC, string Conditions);
}
