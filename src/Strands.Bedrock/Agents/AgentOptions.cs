using Microsoft.Extensions.Logging;
using Strands.Content;
using Strands.Conversation;
using Strands.Hooks;
using Strands.Tools;

namespace Strands.Agents;

/// <summary>
/// Everything about an <see cref="Agent"/> but its model; every member is optional. Set the ones you need in an
/// object initializer: <c>new Agent(model, new() { SystemPrompt = "…", Tools = [calculator] })</c>.
/// </summary>
public sealed record AgentOptions
{
    /// <summary>The system prompt: a string, or system content blocks such as text and a cache point.</summary>
    public SystemPrompt? SystemPrompt { get; init; }

    /// <summary>The tools the model may use; see <see cref="AgentTool"/> for the ways to make them.</summary>
    public IEnumerable<AgentTool>? Tools { get; init; }

    /// <summary>
    /// Sources of tools whose lifetime the agent manages, such as MCP servers (<see cref="Mcp.McpToolProvider"/>): each is
    /// started on the agent's first invocation (or <see cref="Agent.InitializeAsync"/>), its tools join
    /// <see cref="Tools"/>, and the agent lets go of it when disposed. The agent does not dispose the providers.
    /// </summary>
    public IEnumerable<IToolProvider>? ToolProviders { get; init; }

    /// <summary>
    /// Persists the conversation, the agent's state and the conversation manager's state (e.g.
    /// <see cref="Sessions.RepositorySessionManager"/> over files or S3, in Strands for Python's layout). The agent
    /// restores what the session holds for its <see cref="AgentId"/> before its first invocation (or at
    /// <see cref="Agent.InitializeAsync"/>), and stores each message as it joins the history.
    /// </summary>
    public Sessions.SessionManager? SessionManager { get; init; }

    /// <summary>A conversation to start from (copied), e.g. documents followed by a cache point.</summary>
    public IEnumerable<Message>? Messages { get; init; }

    /// <summary>
    /// Receives every <see cref="AgentEvent"/> of every invocation, on the invocation's flow. By default a
    /// <see cref="PrintingCallbackHandler"/> of the agent's own prints the streamed answer and tool names to the
    /// console, as in Python; null for none.
    /// </summary>
    public Action<AgentEvent>? CallbackHandler { get; init; } = PrintToConsole;

    /// <summary>Keeps the history within bounds; a sliding window of 40 messages when null.</summary>
    public IConversationManager? ConversationManager { get; init; }

    /// <summary>Retries throttled model calls; 6 attempts, 4 s first delay doubling, at most 240 s when null. <see cref="ModelRetryStrategy.None"/> disables retries.</summary>
    public ModelRetryStrategy? RetryStrategy { get; init; }

    /// <summary>Hook providers, registered after the conversation manager and the retry strategy.</summary>
    public IEnumerable<IHookProvider>? Hooks { get; init; }

    /// <summary>State kept outside the conversation; empty when null.</summary>
    public AgentState? State { get; init; }

    /// <summary>The agent's id, without path separators; "default" when null.</summary>
    public string? AgentId { get; init; }

    /// <summary>The agent's name; "Strands Agents" when null.</summary>
    public string? Name { get; init; }

    /// <summary>What the agent does.</summary>
    public string? Description { get; init; }

    /// <summary>How tools run; <see cref="ToolExecutor.Concurrent"/> when null.</summary>
    public ToolExecutor? ToolExecutor { get; init; }

    /// <summary>Whether direct tool calls (<see cref="Agent.Tool"/>) are recorded in the history (default true).</summary>
    public bool RecordDirectToolCall { get; init; } = true;

    /// <summary>The clock for metrics and the retry strategy's back-off; the system clock when null.</summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>
    /// Whether the agent's spans carry message content: prompts, answers, system prompt, tool arguments and results
    /// (personal or confidential data: enable it only where the telemetry backend may store them). From
    /// <see cref="Telemetry.StrandsTelemetry.CaptureMessageContentEnvironmentVariable"/> when null.
    /// </summary>
    public bool? CaptureMessageContent { get; init; }

    /// <summary>Where the agent logs; nowhere when null. Prompts and tool inputs are logged only at Trace level.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>
    /// The default handler: a console printer. An agent given it takes a printer of its own instead, since a printer
    /// numbers the tools of one agent.
    /// </summary>
    internal static readonly Action<AgentEvent> PrintToConsole = new PrintingCallbackHandler().Handle;
}
