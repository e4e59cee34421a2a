using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Strands.Bedrock.McpTestServer;

// The MCP server of the MCP tool tests, on the official SDK's server API.
//
//   dotnet Strands.Bedrock.McpTestServer.dll [--http] [--name NAME] [--extra-tools NAME,NAME,...]
//
// stdio (default): JSON-RPC on stdin/stdout, as an MCP client's child process.
// --http: Streamable HTTP at http://127.0.0.1:<free port>/mcp; the first line on stdout is "MCP_ENDPOINT <url>", and
//         the server exits when its stdin closes, so that it never outlives the test that started it.
// --name: the server's name, in its serverInfo and in what "echo" answers (two servers with the same tools).
// --extra-tools: more tools, listed one per page after the first (so that clients must follow cursors), each
//                answering "<name> answered"; also for names a client must rename or reject.
// Diagnostics, and the markers the tests wait for ("started pid=N", "wait_for_cancel started"), go to stderr.
var http = args.Contains("--http");
var name = Option("--name") ?? "test-server";
var extraTools = Option("--extra-tools")?.Split(',') ?? [];
TestTools.ServerName = name;
Console.Error.WriteLine($"started pid={Environment.ProcessId}");
Console.Error.Flush();

if (http)
{
    var builder = WebApplication.CreateSlimBuilder(args);
    builder.Logging.ClearProviders();
    builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
    ConfigureMcp(builder.Services.AddMcpServer(o => o.ServerInfo = new Implementation { Name = name, Version = "1.0.0" }).WithHttpTransport());
    var app = builder.Build();
    app.MapMcp("/mcp");
    await app.StartAsync();
    var address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
    Console.Out.WriteLine($"MCP_ENDPOINT http://127.0.0.1:{address.Port}/mcp");
    Console.Out.Flush();

    // Runs until the parent closes stdin (or kills the process).
    await Task.Run(() => Console.In.ReadToEnd());
    await app.StopAsync();
}
else
{
    var builder = Host.CreateEmptyApplicationBuilder(settings: null);
    ConfigureMcp(builder.Services.AddMcpServer(o => o.ServerInfo = new Implementation { Name = name, Version = "1.0.0" }).WithStdioServerTransport());
    await builder.Build().RunAsync();
}

void ConfigureMcp(IMcpServerBuilder mcp)
{
    mcp.WithTools<TestTools>();
    if (extraTools.Length > 0)
    {
        // Page k (cursor "k") lists the k-th extra tool; the SDK adds the [McpServerTool] methods to the first page.
        mcp.WithListToolsHandler((request, _) =>
        {
            var page = request.Params?.Cursor is { } cursor ? int.Parse(cursor, System.Globalization.CultureInfo.InvariantCulture) : 1;
            return ValueTask.FromResult(new ListToolsResult
            {
                Tools = [TestTools.ExtraTool(extraTools[page - 1])],
                NextCursor = page < extraTools.Length ? (page + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
            });
        });
        mcp.WithCallToolHandler((request, _) => ValueTask.FromResult(new CallToolResult
        {
            Content = [new TextContentBlock { Text = $"{request.Params!.Name} answered" }],
        }));
    }
}

string? Option(string option)
{
    var index = Array.IndexOf(args, option);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}
