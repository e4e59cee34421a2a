using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Strands.Content;
using Strands.Tools;
using McpTool = ModelContextProtocol.Protocol.Tool;

namespace Strands.Mcp;

/// <summary>
/// A tool of an MCP server as an agent tool: its specification is the server's (under the agent's name for it), a
/// call is a <c>tools/call</c> request on the provider's connection, and the result is mapped by
/// <see cref="McpResultMapper"/>. A server that fails, dies or does not answer in time gives an error result for the
/// call; cancelling the invocation cancels the request on the server (MCP <c>notifications/cancelled</c>).
/// </summary>
internal sealed class McpAgentTool : AgentTool
{
    private static readonly JsonElement EmptySchema = JsonValues.Parse("""{"type":"object","properties":{}}""");

    private readonly McpConnection _connection;
    private readonly string _mcpName;

    public McpAgentTool(McpConnection connection, McpTool tool, string name)
    {
        _connection = connection;
        _mcpName = tool.Name;
        Spec = new ToolSpecification
        {
            Name = name,
            Description = string.IsNullOrWhiteSpace(tool.Description) ? $"Tool which performs {tool.Name}" : tool.Description,
            InputSchema = new ToolInputSchema { Json = tool.InputSchema.ValueKind == JsonValueKind.Object ? tool.InputSchema.Clone() : EmptySchema },
        };
    }

    public override ToolSpecification Spec { get; }

    public override async Task<ToolResultBlock> InvokeAsync(ToolContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var connection = _connection;
        var toolUseId = context.ToolUse.ToolUseId;
        if (connection.IsClosed)
        {
            return Failed("the provider's connection is closed (its last lease was disposed, or the provider was disposed)", null, toolUseId);
        }

        var request = new CallToolRequestParams { Name = _mcpName, Arguments = Arguments(context.ToolUse.Input) };
        using var timeout = connection.CallTimeout == Timeout.InfiniteTimeSpan ? null : new CancellationTokenSource(connection.CallTimeout);
        using var linked = timeout is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        McpLog.Calling(connection.Logger, _mcpName, connection.Server, toolUseId);
        CallToolResult result;
        try
        {
            result = await connection.Client.CallToolAsync(request, linked?.Token ?? cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            McpLog.CallCancelled(connection.Logger, _mcpName, connection.Server, toolUseId);
            throw;
        }
        catch (OperationCanceledException) when (timeout?.IsCancellationRequested == true)
        {
            McpLog.CallTimedOut(connection.Logger, _mcpName, connection.Server, toolUseId, connection.CallTimeout);
            return ToolResults.Error($"Tool execution failed: the MCP server '{connection.Server}' did not answer within {connection.CallTimeout.TotalSeconds:0.###} s.");
        }
        catch (McpProtocolException ex)
        {
            // A JSON-RPC error from the server (unknown tool, invalid arguments, …): its message is meant for the caller.
            return Failed($"the MCP server answered with error {(int)ex.ErrorCode}: {ex.Message}", ex, toolUseId);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or McpException or ObjectDisposedException)
        {
            return Failed(DescribeConnectionFailure(connection, ex), ex, toolUseId);
        }

        if (result.IsError == true)
        {
            McpLog.ToolReportedError(connection.Logger, _mcpName, connection.Server, toolUseId);
        }

        return McpResultMapper.ToToolResult(result);
    }

    private ToolResultBlock Failed(string reason, Exception? exception, string toolUseId)
    {
        McpLog.CallFailed(_connection.Logger, _mcpName, _connection.Server, toolUseId, reason);
        if (exception is not null)
        {
            McpLog.CallFailureDetails(_connection.Logger, _mcpName, _connection.Server, toolUseId, exception);
        }

        return ToolResults.Error($"Tool execution failed: {reason}");
    }

    /// <summary>
    /// Why the connection failed, in words for the model and the log: a stdio server's exit code, or the innermost
    /// error. The SDK's own message of a dead stdio server quotes its standard error, which stays out of both.
    /// </summary>
    private static string DescribeConnectionFailure(McpConnection connection, Exception exception)
    {
        var completion = connection.Client.Completion;
        var details = FindClosedDetails(exception) ?? (completion.IsCompletedSuccessfully ? completion.Result : null);
        if (details is StdioClientCompletionDetails { ExitCode: { } exitCode })
        {
            return $"the MCP server '{connection.Server}' exited (exit code {exitCode})";
        }

        if (details is not null)
        {
            return $"the connection to the MCP server '{connection.Server}' closed";
        }

        var innermost = exception;
        while (innermost.InnerException is not null)
        {
            innermost = innermost.InnerException;
        }

        return $"the connection to the MCP server '{connection.Server}' failed: {innermost.Message}";
    }

    private static ClientCompletionDetails? FindClosedDetails(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is ClientTransportClosedException closed)
            {
                return closed.Details;
            }
        }

        return null;
    }

    private static Dictionary<string, JsonElement>? Arguments(JsonElement input)
    {
        if (input.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var arguments = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in input.EnumerateObject())
        {
            arguments[property.Name] = property.Value;
        }

        return arguments;
    }
}
