using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Strands.Content;
using Strands.Conversation;
using Strands.Hooks;
using Strands.Models;
using Strands.Tools;

namespace Strands.Agents;

/// <summary>
/// An agent: it sends the conversation to a model, runs the tools the model asks for, gives it their results, and
/// repeats until the model answers. One agent holds one conversation (<see cref="Messages"/>) and serves one
/// invocation at a time (a second concurrent invocation throws <see cref="ConcurrencyException"/>); use one agent
/// per conversation, as many as you like in parallel.
/// </summary>
/// <remarks>
/// Exceptions from the model (after the retry strategy gave up) and from hooks reach the caller unchanged, on any
/// cycle. Whatever fails or is cancelled, the history stays valid: no half-streamed message is added, and every tool
/// use gets a tool result.
/// </remarks>
public sealed partial class Agent
{
    private readonly List<Message> _messages;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private int _busy;
    private volatile bool _cancelRequested;

    /// <summary>Creates an agent whose callback handler prints the streamed answer and tool names to the console.</summary>
    /// <param name="model">The model; a <c>BedrockModel</c> with the default model id when null.</param>
    /// <param name="systemPrompt">The system prompt: a string, or system content blocks such as text and a cache point.</param>
    /// <param name="tools">The tools the model may use; see <see cref="AgentTool"/> for the ways to make them.</param>
    /// <param name="messages">A conversation to start from (copied), e.g. documents followed by a cache point.</param>
    /// <param name="conversationManager">Keeps the history within bounds; a sliding window of 40 messages when null.</param>
    /// <param name="retryStrategy">Retries throttled model calls; 6 attempts, 4 s first delay doubling, at most 240 s when null. <see cref="ModelRetryStrategy.None"/> disables retries.</param>
    /// <param name="hooks">Hook providers, registered after the conversation manager and the retry strategy.</param>
    /// <param name="state">State kept outside the conversation; empty when null.</param>
    /// <param name="agentId">The agent's id, without path separators; "default" when null.</param>
    /// <param name="name">The agent's name; "Strands Agents" when null.</param>
    /// <param name="description">What the agent does.</param>
    /// <param name="toolExecutor">How tools run; <see cref="ToolExecutor.Concurrent"/> when null.</param>
    /// <param name="recordDirectToolCall">Whether direct tool calls (<see cref="Tool"/>) are recorded in the history.</param>
    /// <param name="timeProvider">The clock for metrics; the system clock when null.</param>
    /// <param name="loggerFactory">Where the agent logs; nowhere when null.</param>
    /// <exception cref="ArgumentException">A tool name is invalid or taken twice, or the agent id contains a path separator.</exception>
    public Agent(
        IModel? model = null,
        SystemPrompt? systemPrompt = null,
        IEnumerable<AgentTool>? tools = null,
        IEnumerable<Message>? messages = null,
        IConversationManager? conversationManager = null,
        ModelRetryStrategy? retryStrategy = null,
        IEnumerable<IHookProvider>? hooks = null,
        AgentState? state = null,
        string? agentId = null,
        string? name = null,
        string? description = null,
        ToolExecutor? toolExecutor = null,
        bool recordDirectToolCall = true,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null)
        : this(model ?? AgentDefaults.CreateModel(null), new PrintingCallbackHandler().Handle, systemPrompt, tools, messages, conversationManager, retryStrategy, hooks, state, agentId, name, description, toolExecutor, recordDirectToolCall, timeProvider, loggerFactory, default)
    {
    }

    /// <summary>Creates an agent with an explicit callback handler.</summary>
    /// <param name="callbackHandler">Receives every <see cref="AgentEvent"/> of every invocation, on the invocation's flow; null for none.</param>
    /// <param name="model">The model; a <c>BedrockModel</c> with the default model id when null.</param>
    /// <param name="systemPrompt">The system prompt: a string, or system content blocks such as text and a cache point.</param>
    /// <param name="tools">The tools the model may use; see <see cref="AgentTool"/> for the ways to make them.</param>
    /// <param name="messages">A conversation to start from (copied), e.g. documents followed by a cache point.</param>
    /// <param name="conversationManager">Keeps the history within bounds; a sliding window of 40 messages when null.</param>
    /// <param name="retryStrategy">Retries throttled model calls; 6 attempts, 4 s first delay doubling, at most 240 s when null. <see cref="ModelRetryStrategy.None"/> disables retries.</param>
    /// <param name="hooks">Hook providers, registered after the conversation manager and the retry strategy.</param>
    /// <param name="state">State kept outside the conversation; empty when null.</param>
    /// <param name="agentId">The agent's id, without path separators; "default" when null.</param>
    /// <param name="name">The agent's name; "Strands Agents" when null.</param>
    /// <param name="description">What the agent does.</param>
    /// <param name="toolExecutor">How tools run; <see cref="ToolExecutor.Concurrent"/> when null.</param>
    /// <param name="recordDirectToolCall">Whether direct tool calls (<see cref="Tool"/>) are recorded in the history.</param>
    /// <param name="timeProvider">The clock for metrics; the system clock when null.</param>
    /// <param name="loggerFactory">Where the agent logs; nowhere when null.</param>
    /// <exception cref="ArgumentException">A tool name is invalid or taken twice, or the agent id contains a path separator.</exception>
    public Agent(
        Action<AgentEvent>? callbackHandler,
        IModel? model = null,
        SystemPrompt? systemPrompt = null,
        IEnumerable<AgentTool>? tools = null,
        IEnumerable<Message>? messages = null,
        IConversationManager? conversationManager = null,
        ModelRetryStrategy? retryStrategy = null,
        IEnumerable<IHookProvider>? hooks = null,
        AgentState? state = null,
        string? agentId = null,
        string? name = null,
        string? description = null,
        ToolExecutor? toolExecutor = null,
        bool recordDirectToolCall = true,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null)
        : this(model ?? AgentDefaults.CreateModel(null), callbackHandler, systemPrompt, tools, messages, conversationManager, retryStrategy, hooks, state, agentId, name, description, toolExecutor, recordDirectToolCall, timeProvider, loggerFactory, default)
    {
    }

    /// <summary>Creates an agent on a <c>BedrockModel</c> for a model id, printing the streamed answer and tool names to the console.</summary>
    /// <param name="model">The Bedrock model id or inference profile, e.g. <c>us.anthropic.claude-sonnet-4-20250514-v1:0</c>.</param>
    /// <param name="systemPrompt">The system prompt: a string, or system content blocks such as text and a cache point.</param>
    /// <param name="tools">The tools the model may use; see <see cref="AgentTool"/> for the ways to make them.</param>
    /// <param name="messages">A conversation to start from (copied), e.g. documents followed by a cache point.</param>
    /// <param name="conversationManager">Keeps the history within bounds; a sliding window of 40 messages when null.</param>
    /// <param name="retryStrategy">Retries throttled model calls; 6 attempts, 4 s first delay doubling, at most 240 s when null. <see cref="ModelRetryStrategy.None"/> disables retries.</param>
    /// <param name="hooks">Hook providers, registered after the conversation manager and the retry strategy.</param>
    /// <param name="state">State kept outside the conversation; empty when null.</param>
    /// <param name="agentId">The agent's id, without path separators; "default" when null.</param>
    /// <param name="name">The agent's name; "Strands Agents" when null.</param>
    /// <param name="description">What the agent does.</param>
    /// <param name="toolExecutor">How tools run; <see cref="ToolExecutor.Concurrent"/> when null.</param>
    /// <param name="recordDirectToolCall">Whether direct tool calls (<see cref="Tool"/>) are recorded in the history.</param>
    /// <param name="timeProvider">The clock for metrics; the system clock when null.</param>
    /// <param name="loggerFactory">Where the agent logs; nowhere when null.</param>
    /// <exception cref="ArgumentException">A tool name is invalid or taken twice, or the agent id contains a path separator.</exception>
    public Agent(
        string model,
        SystemPrompt? systemPrompt = null,
        IEnumerable<AgentTool>? tools = null,
        IEnumerable<Message>? messages = null,
        IConversationManager? conversationManager = null,
        ModelRetryStrategy? retryStrategy = null,
        IEnumerable<IHookProvider>? hooks = null,
        AgentState? state = null,
        string? agentId = null,
        string? name = null,
        string? description = null,
        ToolExecutor? toolExecutor = null,
        bool recordDirectToolCall = true,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null)
        : this(AgentDefaults.CreateModel(ValidModelId(model)), new PrintingCallbackHandler().Handle, systemPrompt, tools, messages, conversationManager, retryStrategy, hooks, state, agentId, name, description, toolExecutor, recordDirectToolCall, timeProvider, loggerFactory, default)
    {
    }

    /// <summary>Creates an agent on a <c>BedrockModel</c> for a model id, with an explicit callback handler.</summary>
    /// <param name="model">The Bedrock model id or inference profile, e.g. <c>us.anthropic.claude-sonnet-4-20250514-v1:0</c>.</param>
    /// <param name="callbackHandler">Receives every <see cref="AgentEvent"/> of every invocation, on the invocation's flow; null for none.</param>
    /// <param name="systemPrompt">The system prompt: a string, or system content blocks such as text and a cache point.</param>
    /// <param name="tools">The tools the model may use; see <see cref="AgentTool"/> for the ways to make them.</param>
    /// <param name="messages">A conversation to start from (copied), e.g. documents followed by a cache point.</param>
    /// <param name="conversationManager">Keeps the history within bounds; a sliding window of 40 messages when null.</param>
    /// <param name="retryStrategy">Retries throttled model calls; 6 attempts, 4 s first delay doubling, at most 240 s when null. <see cref="ModelRetryStrategy.None"/> disables retries.</param>
    /// <param name="hooks">Hook providers, registered after the conversation manager and the retry strategy.</param>
    /// <param name="state">State kept outside the conversation; empty when null.</param>
    /// <param name="agentId">The agent's id, without path separators; "default" when null.</param>
    /// <param name="name">The agent's name; "Strands Agents" when null.</param>
    /// <param name="description">What the agent does.</param>
    /// <param name="toolExecutor">How tools run; <see cref="ToolExecutor.Concurrent"/> when null.</param>
    /// <param name="recordDirectToolCall">Whether direct tool calls (<see cref="Tool"/>) are recorded in the history.</param>
    /// <param name="timeProvider">The clock for metrics; the system clock when null.</param>
    /// <param name="loggerFactory">Where the agent logs; nowhere when null.</param>
    /// <exception cref="ArgumentException">A tool name is invalid or taken twice, or the agent id contains a path separator.</exception>
    public Agent(
        string model,
        Action<AgentEvent>? callbackHandler,
        SystemPrompt? systemPrompt = null,
        IEnumerable<AgentTool>? tools = null,
        IEnumerable<Message>? messages = null,
        IConversationManager? conversationManager = null,
        ModelRetryStrategy? retryStrategy = null,
        IEnumerable<IHookProvider>? hooks = null,
        AgentState? state = null,
        string? agentId = null,
        string? name = null,
        string? description = null,
        ToolExecutor? toolExecutor = null,
        bool recordDirectToolCall = true,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null)
        : this(AgentDefaults.CreateModel(ValidModelId(model)), callbackHandler, systemPrompt, tools, messages, conversationManager, retryStrategy, hooks, state, agentId, name, description, toolExecutor, recordDirectToolCall, timeProvider, loggerFactory, default)
    {
    }

    private Agent(
        IModel model,
        Action<AgentEvent>? callbackHandler,
        SystemPrompt? systemPrompt,
        IEnumerable<AgentTool>? tools,
        IEnumerable<Message>? messages,
        IConversationManager? conversationManager,
        ModelRetryStrategy? retryStrategy,
        IEnumerable<IHookProvider>? hooks,
        AgentState? state,
        string? agentId,
        string? name,
        string? description,
        ToolExecutor? toolExecutor,
        bool recordDirectToolCall,
        TimeProvider? timeProvider,
        ILoggerFactory? loggerFactory,
        ConstructorMarker marker)
    {
        _ = marker;
        ArgumentNullException.ThrowIfNull(model);
        agentId ??= AgentDefaults.AgentId;
        if (agentId.AsSpan().IndexOfAny('/', '\\') >= 0)
        {
            throw new ArgumentException($"agent_id={agentId} | id cannot contain path separators", nameof(agentId));
        }

        Model = model;
        _messages = messages is null ? [] : [.. messages];
        SystemPrompt = systemPrompt;
        AgentId = agentId;
        Name = name ?? AgentDefaults.Name;
        Description = description;
        CallbackHandler = callbackHandler;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = loggerFactory?.CreateLogger<Agent>() ?? NullLogger<Agent>.Instance;
        ConversationManager = conversationManager ?? new SlidingWindowConversationManager(AgentDefaults.WindowSize);
        ToolRegistry = new ToolRegistry();
        if (tools is not null)
        {
            ToolRegistry.Register(tools);
        }

        Metrics = new AgentMetrics();
        State = state ?? new AgentState();
        Tool = new ToolCaller(this);
        RecordDirectToolCall = recordDirectToolCall;
        ToolExecutor = toolExecutor ?? ToolExecutor.Concurrent;
        RetryStrategy = retryStrategy ?? new ModelRetryStrategy(timeProvider: timeProvider);
        Hooks = new HookRegistry();
        if (ConversationManager is IHookProvider conversationHooks)
        {
            Hooks.AddHook(conversationHooks);
        }

        Hooks.AddHook(RetryStrategy);
        foreach (var provider in hooks ?? [])
        {
            Hooks.AddHook(provider);
        }

        Hooks.Invoke(new AgentInitializedEvent(this));
    }

    /// <summary>The model the agent calls. A tool may change its configuration mid-conversation with <see cref="IModel.UpdateConfig"/>.</summary>
    public IModel Model { get; }

    /// <summary>The conversation history. Not thread-safe: change it only between invocations.</summary>
    public IList<Message> Messages => _messages;

    /// <summary>The system prompt, or null. Settable between invocations; a string converts implicitly.</summary>
    public SystemPrompt? SystemPrompt { get; set; }

    /// <summary>State kept outside the conversation.</summary>
    public AgentState State { get; }

    /// <summary>The agent's id.</summary>
    public string AgentId { get; }

    /// <summary>The agent's name.</summary>
    public string Name { get; }

    /// <summary>What the agent does.</summary>
    public string? Description { get; }

    /// <summary>The tools.</summary>
    public ToolRegistry ToolRegistry { get; }

    /// <summary>The tool names, in registration order.</summary>
    public IReadOnlyList<string> ToolNames => ToolRegistry.Names;

    /// <summary>Calls tools directly: <c>await agent.Tool["calculator"].InvokeAsync(new { expression = "2+2" })</c>.</summary>
    public ToolCaller Tool { get; }

    /// <summary>Whether direct tool calls are recorded in the history (four messages each) unless a call says otherwise.</summary>
    public bool RecordDirectToolCall { get; set; }

    /// <summary>The hook callbacks.</summary>
    public HookRegistry Hooks { get; }

    /// <summary>Cycles, tokens, latency and tool metrics over the agent's life.</summary>
    public AgentMetrics Metrics { get; }

    /// <summary>Keeps the history within bounds.</summary>
    public IConversationManager ConversationManager { get; }

    /// <summary>How tools run.</summary>
    public ToolExecutor ToolExecutor { get; }

    /// <summary>Retries throttled model calls.</summary>
    public ModelRetryStrategy RetryStrategy { get; }

    /// <summary>Receives every event of every invocation; null for none.</summary>
    public Action<AgentEvent>? CallbackHandler { get; }

    /// <summary>
    /// Asks the running invocation to stop, from any thread; idempotent. The agent checks before each streamed model
    /// event (the answer becomes "Cancelled by user") and before running tools (each gets the error result "Tool
    /// execution cancelled"); the invocation then ends normally with stop reason <see cref="AgentStopReasons.Cancelled"/>.
    /// A cancel before an invocation stops that invocation at its first event. To abort at once with an exception, cancel
    /// the invocation's <see cref="CancellationToken"/> instead.
    /// </summary>
    public void Cancel() => _cancelRequested = true;

    private static string ValidModelId(string model)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        return model;
    }

    /// <summary>Tells the private constructor apart from the public ones.</summary>
    private readonly struct ConstructorMarker;
}
