namespace Strands.Tools;

/// <summary>
/// A source of tools whose lifetime an agent manages, such as the tools of an MCP server
/// (<see cref="Mcp.McpToolProvider"/>). A provider starts on first use and may be shared by several agents: each
/// <see cref="AcquireToolsAsync"/> returns a lease, and the provider releases what it holds (a server process, a
/// connection) when the last lease is disposed. Acquiring again after that starts it anew.
/// </summary>
/// <remarks>
/// <para>
/// How an agent uses a provider: before its first model call it acquires a lease, and registers
/// <see cref="ToolProviderLease.Tools"/> beside its other tools (a failure to acquire fails that invocation; the next
/// one tries again). It keeps the lease for its whole life and disposes it, once, when the agent is disposed. An agent
/// that never ran never acquires, so the provider never starts.
/// </para>
/// <para>
/// Implementations must be thread-safe: leases may be acquired and disposed concurrently, and disposing a lease twice
/// has no further effect.
/// </para>
/// </remarks>
public interface IToolProvider
{
    /// <summary>Starts the provider if it is not running, and leases its tools until the lease is disposed.</summary>
    /// <param name="cancellationToken">Cancels the start; a cancelled acquisition holds no lease.</param>
    /// <returns>The lease: the tools, valid until it is disposed.</returns>
    Task<ToolProviderLease> AcquireToolsAsync(CancellationToken cancellationToken = default);
}
