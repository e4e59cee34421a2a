using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using Strands.Agents;
using Strands.Bedrock.Testing;
using Strands.Content;
using Strands.Mcp;
using Strands.Models;
using Strands.Tests.TestUtilities;
using Strands.Tools;
using static Strands.Tests.TestUtilities.LoopbackAssertions;

namespace Strands.Tests.Mcp;

/// <summary>
/// The provider's lifecycle and options against the real test server: one server for every lease, stopped with the
/// last; restarts; failures to start; filters, prefixes, pagination and name rules; a client it does not own.
/// </summary>
public sealed class McpToolProviderTests : McpLoopbackTestBase
{
    /// <summary>Runs one echo round trip through an agent with the tools, and returns the text of the tool result.</summary>
    private async Task<string> EchoThroughAgentAsync(IEnumerable<AgentTool> tools, string text, string toolName = "echo")
    {
        Bedrock.Enqueue(FakeResponse.ToolUse(toolName, JsonSerializer.Serialize(new { text }), "tooluse_echo"), FakeResponse.Text("Done."));
        var agent = NewAgent(tools);
        await agent.InvokeAsync("Echo.").WaitAsync(TestMcpServer.HangGuard);
        AssertHistoryValid(agent.Messages);
        var result = agent.Messages[2].Content.Single().ToolResult!;
        return $"{result.Status}: {result.Content.Single().Text}";
    }

    private static Task<ToolResultBlock> InvokeDirectlyAsync(AgentTool tool, string inputJson)
    {
        var agent = new Agent(new ScriptedModel(), new AgentOptions { CallbackHandler = null });
        var toolUse = new ToolUseBlock { ToolUseId = "tooluse_direct", Name = tool.Name, Input = JsonDocument.Parse(inputJson).RootElement.Clone() };
        return tool.InvokeAsync(new ToolContext(toolUse, agent, new ConcurrentDictionary<string, object?>()));
    }

    // ---- Lifetime ----

    [Fact]
    public async Task Two_consumers_share_one_server_process_which_stops_with_the_last_lease_and_starts_again()
    {
        await using var server = await TestMcpServer.StartAsync(McpTransport.Stdio);
        await using var provider = server.CreateProvider();

        var first = await provider.AcquireToolsAsync();
        var pid = await server.WaitForStartAsync();
        var second = await provider.AcquireToolsAsync();
        Assert.Same(first.Tools[0], second.Tools[0]);

        Assert.Equal("success: [test-server] one", await EchoThroughAgentAsync(first.Tools, "one"));
        await first.DisposeAsync();
        await first.DisposeAsync(); // Idempotent: the second consumer keeps its lease.
        Assert.True(TestMcpServer.IsRunning(pid));
        Assert.Equal("success: [test-server] two", await EchoThroughAgentAsync(second.Tools, "two"));

        await second.DisposeAsync();
        await TestMcpServer.WaitForExitAsync(pid);

        // A tool kept past its lease answers with an error instead of reaching a stopped server.
        var stale = await InvokeDirectlyAsync(second.Tools.Single(t => t.Name == "echo"), """{"text":"late"}""");
        Assert.Equal(ToolResultStatus.Error, stale.Status);
        Assert.StartsWith("Tool execution failed: the provider's connection is closed", stale.Content.Single().Text, StringComparison.Ordinal);

        // Acquiring again starts a new server.
        await using var third = await provider.AcquireToolsAsync();
        var restarted = await server.WaitForStartAsync();
        Assert.NotEqual(pid, restarted);
        Assert.Equal("success: [test-server] three", await EchoThroughAgentAsync(third.Tools, "three"));
    }

    [Fact]
    public async Task Concurrent_first_acquisitions_start_one_server()
    {
        await using var server = await TestMcpServer.StartAsync(McpTransport.Stdio);
        await using var provider = server.CreateProvider();

        var leases = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => provider.AcquireToolsAsync()));
        var pid = await server.WaitForStartAsync();

        await Assert.ThrowsAsync<TimeoutException>(() => server.WaitForStderrAsync("started pid=").WaitAsync(TimeSpan.FromMilliseconds(300)));
        Assert.All(leases, l => Assert.Same(leases[0].Tools[0], l.Tools[0]));
        foreach (var lease in leases)
        {
            await lease.DisposeAsync();
        }

        await TestMcpServer.WaitForExitAsync(pid);
    }

    [Fact]
    public async Task Disposing_the_provider_stops_the_server_despite_leases_and_refuses_new_ones()
    {
        await using var server = await TestMcpServer.StartAsync(McpTransport.Stdio);
        var provider = server.CreateProvider();
        var lease = await provider.AcquireToolsAsync();
        var pid = await server.WaitForStartAsync();

        await provider.DisposeAsync();

        await TestMcpServer.WaitForExitAsync(pid);
        var result = await InvokeDirectlyAsync(lease.Tools.Single(t => t.Name == "echo"), """{"text":"x"}""");
        Assert.Equal(ToolResultStatus.Error, result.Status);
        await lease.DisposeAsync();
        await provider.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => provider.AcquireToolsAsync());
    }

    [Fact]
    public async Task A_cancelled_acquisition_holds_no_lease_and_the_next_one_starts_the_server()
    {
        await using var server = await TestMcpServer.StartAsync(McpTransport.Stdio);
        await using var provider = server.CreateProvider();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => provider.AcquireToolsAsync(new CancellationToken(canceled: true)));

        await using var lease = await provider.AcquireToolsAsync();
        Assert.Equal("success: [test-server] ok", await EchoThroughAgentAsync(lease.Tools, "ok"));
    }

    [Fact]
    public async Task A_server_that_cannot_start_fails_the_acquisition_with_a_clear_error()
    {
        await using var missingCommand = new McpToolProvider(new StdioClientTransportOptions { Command = "/nonexistent/mcp-server", Name = "missing" });
        var error = await Assert.ThrowsAsync<McpToolProviderException>(() => missingCommand.AcquireToolsAsync().WaitAsync(TestMcpServer.HangGuard));
        Assert.StartsWith("The MCP server 'missing' failed to start: ", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.InnerException);

        // A process that exits at once (dotnet with no such program).
        await using var exits = new McpToolProvider(new StdioClientTransportOptions { Command = "dotnet", Arguments = ["/nonexistent/server.dll"], Name = "exits" });
        error = await Assert.ThrowsAsync<McpToolProviderException>(() => exits.AcquireToolsAsync().WaitAsync(TestMcpServer.HangGuard));
        Assert.StartsWith("The MCP server 'exits' failed to start: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_never_answers_fails_the_acquisition_after_the_startup_timeout_and_is_ended()
    {
        var stderr = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var provider = new McpToolProvider(
            new StdioClientTransportOptions
            {
                // Speaks no MCP: reports its pid, then sleeps.
                Command = "sh",
                Arguments = ["-c", "echo pid=$$ >&2; exec sleep 60"],
                Name = "silent",
                StandardErrorLines = line => stderr.TrySetResult(line),
            },
            new McpToolProviderOptions { StartupTimeout = TimeSpan.FromSeconds(1) });

        var error = await Assert.ThrowsAsync<McpToolProviderException>(() => provider.AcquireToolsAsync().WaitAsync(TestMcpServer.HangGuard));

        Assert.Equal("The MCP server 'silent' did not start and list its tools within 1 s (McpToolProviderOptions.StartupTimeout).", error.Message);
        var pid = int.Parse((await stderr.Task.WaitAsync(TestMcpServer.HangGuard))["pid=".Length..], System.Globalization.CultureInfo.InvariantCulture);
        await TestMcpServer.WaitForExitAsync(pid);
    }

    [Fact]
    public async Task A_client_you_own_is_used_but_never_disposed()
    {
        await using var server = await TestMcpServer.StartAsync(McpTransport.Stdio);
        await using var client = await McpClient.CreateAsync(new StdioClientTransport(server.StdioOptions()));
        var provider = new McpToolProvider(client, new McpToolProviderOptions { Prefix = "mine" });

        var lease = await provider.AcquireToolsAsync();
        Assert.Equal("success: [test-server] owned", await EchoThroughAgentAsync(lease.Tools, "owned", "mine_echo"));
        await lease.DisposeAsync();
        await provider.DisposeAsync();

        Assert.False(client.Completion.IsCompleted);
        Assert.Contains((await client.ListToolsAsync()).Select(t => t.Name), n => n == "echo");
    }

    [Fact]
    public async Task A_connect_function_is_called_at_each_start_and_its_client_disposed_at_each_stop()
    {
        await using var server = await TestMcpServer.StartAsync(McpTransport.Stdio);
        var clients = new List<McpClient>();
        await using var provider = new McpToolProvider(
            async cancellationToken =>
            {
                var client = await McpClient.CreateAsync(new StdioClientTransport(server.StdioOptions()), cancellationToken: cancellationToken);
                clients.Add(client);
                return client;
            },
            name: "custom");

        await (await provider.AcquireToolsAsync()).DisposeAsync();
        await using var lease = await provider.AcquireToolsAsync();

        Assert.Equal(2, clients.Count);
        await clients[0].Completion.WaitAsync(TestMcpServer.HangGuard);
        Assert.False(clients[1].Completion.IsCompleted);
        Assert.Equal("success: [test-server] again", await EchoThroughAgentAsync(lease.Tools, "again"));
    }

    // ---- Names and filters ----

    [Theory]
    [InlineData(McpTransport.Stdio)]
    [InlineData(McpTransport.Http)]
    public async Task Every_page_of_the_tool_list_is_loaded(McpTransport transport)
    {
        await using var server = await TestMcpServer.StartAsync(transport, "--extra-tools", "page_tool_1,page_tool_2,page_tool_3");
        await using var provider = server.CreateProvider();
        await using var lease = await provider.AcquireToolsAsync();

        Assert.Equal(["page_tool_1", "page_tool_2", "page_tool_3"], lease.Tools.Select(t => t.Name).Where(n => n.StartsWith("page_", StringComparison.Ordinal)));
        var result = await InvokeDirectlyAsync(lease.Tools.Single(t => t.Name == "page_tool_3"), "{}");
        Assert.Equal("page_tool_3 answered", result.Content.Single().Text);
    }

    [Fact]
    public async Task Filters_keep_the_allowed_tools_then_drop_the_rejected_ones_by_the_server_names()
    {
        await using var server = await TestMcpServer.StartAsync(McpTransport.Stdio);
        async Task<string[]> NamesAsync(McpToolFilters filters, string? prefix = null)
        {
            await using var provider = server.CreateProvider(new McpToolProviderOptions { ToolFilters = filters, Prefix = prefix });
            await using var lease = await provider.AcquireToolsAsync();
            return [.. lease.Tools.Select(t => t.Name).Order(StringComparer.Ordinal)];
        }

        // Strings match whole names; a regex matches at the start of the name (Python's re.match), a predicate sees the tool.
        Assert.Equal(["echo", "get_weather"], await NamesAsync(new() { Allowed = ["echo", new Regex("get_")] }));
        Assert.Equal(["echo"], await NamesAsync(new() { Allowed = [new Regex("ec")] }));
        Assert.Empty(await NamesAsync(new() { Allowed = [new Regex("cho")] }));
        Assert.Equal(["fail"], await NamesAsync(new() { Allowed = [McpToolMatcher.FromPredicate(t => t.Description!.Contains("isError", StringComparison.Ordinal))] }));

        // Rejected entries apply after the allowed ones, and to the server's names, not the prefixed ones.
        Assert.Equal(["p_echo"], await NamesAsync(new() { Allowed = ["echo", "fail"], Rejected = ["fail", "p_echo"] }, prefix: "p"));
        var all = await NamesAsync(new() { Rejected = [new Regex("^(?!crash$)")] });
        Assert.Equal(["crash"], all);

        // An empty allowed list keeps nothing; an empty rejected list leaves everything.
        Assert.Empty(await NamesAsync(new() { Allowed = [] }));
        Assert.Equal(8, (await NamesAsync(new() { Rejected = [] })).Length);
    }

    [Fact]
    public async Task Two_server_tools_whose_names_end_up_alike_fail_the_acquisition_unless_one_is_rejected()
    {
        await using var server = await TestMcpServer.StartAsync(McpTransport.Stdio, "--extra-tools", "math_add");
        await using (var provider = server.CreateProvider())
        {
            var error = await Assert.ThrowsAsync<McpToolProviderException>(() => provider.AcquireToolsAsync());
            Assert.Equal(
                "The tools 'math_add' and 'math.add' of MCP server 'test-server' would both be named 'math_add' (Bedrock's tool names allow only [a-zA-Z0-9_-], and agents take '-' and '_' alike). "
                + "Leave one out with McpToolProviderOptions.ToolFilters.Rejected.",
                error.Message);
        }

        await using var filtered = server.CreateProvider(new McpToolProviderOptions { ToolFilters = new() { Rejected = ["math.add"] } });
        await using var lease = await filtered.AcquireToolsAsync();
        var result = await InvokeDirectlyAsync(lease.Tools.Single(t => t.Name == "math_add"), "{}");
        Assert.Equal("math_add answered", result.Content.Single().Text);
    }

    [Fact]
    public async Task A_name_longer_than_Bedrock_allows_fails_the_acquisition_with_what_to_do()
    {
        var longName = new string('t', 60);
        await using var server = await TestMcpServer.StartAsync(McpTransport.Stdio, "--extra-tools", longName);

        // 60 characters fit; with a prefix they do not.
        await using (var plain = server.CreateProvider())
        {
            await using var lease = await plain.AcquireToolsAsync();
            Assert.Contains(longName, lease.Tools.Select(t => t.Name));
        }

        await using var prefixed = server.CreateProvider(new McpToolProviderOptions { Prefix = "server" });
        var error = await Assert.ThrowsAsync<McpToolProviderException>(() => prefixed.AcquireToolsAsync());
        Assert.Equal(
            $"The tool '{longName}' of MCP server 'test-server' would be named 'server_{longName}' (67 characters), but Bedrock allows tool names of 1 to 64 characters. "
            + "Use a shorter prefix, or leave the tool out with McpToolProviderOptions.ToolFilters.Rejected.",
            error.Message);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("dot.ted")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123")]
    public void A_prefix_that_cannot_start_a_tool_name_is_rejected_at_once(string prefix)
    {
        var error = Assert.Throws<ArgumentException>(() => new McpToolProvider(new StdioClientTransportOptions { Command = "unused" }, new McpToolProviderOptions { Prefix = prefix }));
        Assert.StartsWith($"Invalid MCP tool name prefix '{prefix}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_right_to_left_pattern_is_rejected_since_patterns_match_at_the_start_of_names()
    {
        var error = Assert.Throws<ArgumentException>(() => McpToolMatcher.FromRegex(new Regex("echo", RegexOptions.RightToLeft)));
        Assert.StartsWith("A tool name pattern must not be RightToLeft", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Timeouts_must_be_positive_or_infinite()
    {
        var transport = new StdioClientTransportOptions { Command = "unused" };
        Assert.Throws<ArgumentOutOfRangeException>(() => new McpToolProvider(transport, new McpToolProviderOptions { CallTimeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new McpToolProvider(transport, new McpToolProviderOptions { StartupTimeout = TimeSpan.FromSeconds(-2) }));
        _ = new McpToolProvider(transport, new McpToolProviderOptions { CallTimeout = Timeout.InfiniteTimeSpan, StartupTimeout = Timeout.InfiniteTimeSpan });
    }

    // ---- Logging ----

    [Fact]
    public async Task Tool_arguments_results_and_server_output_are_not_logged_above_trace()
    {
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        await using var server = await TestMcpServer.StartAsync(McpTransport.Stdio);
        await using var provider = server.CreateProvider(new McpToolProviderOptions { LoggerFactory = loggerFactory });
        await using var lease = await provider.AcquireToolsAsync();

        await InvokeDirectlyAsync(lease.Tools.Single(t => t.Name == "echo"), """{"text":"s3cr3t-prompt"}""");
        await InvokeDirectlyAsync(lease.Tools.Single(t => t.Name == "crash"), "{}");

        var strandsAboveTrace = logs.Entries.Where(e => e.Category.StartsWith("Strands.", StringComparison.Ordinal) && e.Level > LogLevel.Trace).ToList();
        Assert.Contains(strandsAboveTrace, e => e.Message.Contains("Calling MCP tool echo of test-server", StringComparison.Ordinal));
        Assert.Contains(strandsAboveTrace, e => e.Level == LogLevel.Warning && e.Message == "MCP tool crash of test-server (tooluse_direct) failed: the MCP server 'test-server' exited (exit code 137)");
        Assert.DoesNotContain(strandsAboveTrace, e => e.Message.Contains("s3cr3t", StringComparison.Ordinal) || e.Message.Contains("killing the server", StringComparison.Ordinal) || e.Exception is not null);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Trace && e.Exception is not null);
    }

    private sealed record LogEntry(string Category, LogLevel Level, string Message, Exception? Exception);

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<LogEntry> _entries = new();

        public IReadOnlyList<LogEntry> Entries => [.. _entries];

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner._entries.Enqueue(new LogEntry(category, logLevel, formatter(state, exception), exception));
        }
    }
}
