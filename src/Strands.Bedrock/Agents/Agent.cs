using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Strands.Content;
using Strands.Conversation;
using Strands.Hooks;
using Strands.Models;
using Strands.Telemetry;
using Strands.Tools;

namespace Strands.Agents;

/// <summary>
/// An agent: it sends the conversation to a model, runs the tools the model asks for, gives it their results, and
/// repeats until the model answers. One agent holds one conversation (<see cref="Messages"/>) and serves one
/// invocation at a time (a second concurrent invocation throws <see cref="ConcurrencyException"/>); use one agent
/// per conversation, as many as you like in parallel.
/// </summary>
/// <remarks>
/// <para>
/// Exceptions from the model (after the retry strategy gave up) and from hooks reach the caller unchanged, on any
/// cycle. However an invocation ends, the history stays one Amazon Bedrock accepts: it starts with a user message,
/// roles alternate, every tool use is answered by its result in the next message, and no empty message or blank text
/// is added. No half-streamed message is added.
/// </para>
/// <para>
/// A failed invocation keeps what it added: its prompt, and the turns the model completed with the results of the
/// tools that ran (their effects happened). The history may then end with a user message the model has not answered
/// yet (<c>Messages[^1]</c>): <see cref="InvokeAsync(CancellationToken)"/> without input retries from there, and new
/// input instead joins that message, so roles keep alternating — input that repeats the end of it exactly (the same
/// prompt sent again) is not added twice.
/// </para>
/// </remarks>
public sealed class Agent : IAsyncDisposable
{
    private static readonly AgentOptions DefaultOptions = new();
    private readonly List<Message> _messages;
    private readonly bool _ownsModel;
    private int _disposed;

    /// <summary>Creates an agent on a model.</summary>
    /// <param name="model">The model; a <c>BedrockModel</c> with <c>BedrockModelConfig.DefaultModelId</c> when null.</param>
    /// <param name="options">Everything else: system prompt, tools, callback handler, …; the defaults when null.</param>
    /// <exception cref="ArgumentException">A tool name is invalid or taken twice, or the agent id contains a path separator.</exception>
    [OverloadResolutionPriority(1)]
    public Agent(IModel? model = null, AgentOptions? options = null)
    {
        options ??= DefaultOptions;
        var agentId = options.AgentId ?? AgentDefaults.AgentId;
        if (agentId.AsSpan().IndexOfAny('/', '\\') >= 0)
        {
            throw new ArgumentException($"agent_id={agentId} | id cannot contain path separators", nameof(options));
        }

        _ownsModel = model is null;
        Model = model ?? AgentDefaults.CreateModel(null);
        _messages = options.Messages is null ? [] : [.. options.Messages];
        History = new ConversationHistory(this, _messages);
        SystemPrompt = options.SystemPrompt;
        AgentId = agentId;
        Name = options.Name ?? AgentDefaults.Name;
        Description = options.Description;
        CallbackHandler = ReferenceEquals(options.CallbackHandler, AgentOptions.PrintToConsole) ? new PrintingCallbackHandler().Handle : options.CallbackHandler;
        TimeProvider = options.TimeProvider ?? TimeProvider.System;
        CaptureMessageContent = options.CaptureMessageContent ?? StrandsTelemetry.CaptureMessageContentByDefault;
        ObservedModel = Model.GetService<OpenTelemetryModel>() is null ? new OpenTelemetryModel(Model, CaptureMessageContent, TimeProvider) : Model;
        Logger = options.LoggerFactory?.CreateLogger<Agent>() ?? NullLogger<Agent>.Instance;
        ConversationManager = options.ConversationManager ?? new SlidingWindowConversationManager(AgentDefaults.WindowSize);
        ToolRegistry = new ToolRegistry();
        if (options.Tools is not null)
        {
            ToolRegistry.Register(options.Tools);
        }

        ToolProviders = new ToolProviderLeases([.. options.ToolProviders ?? []], ToolRegistry);
        Metrics = new AgentMetrics();
        State = options.State ?? new AgentState();
        Tool = new ToolCaller(this);
        RecordDirectToolCall = options.RecordDirectToolCall;
        ToolExecutor = options.ToolExecutor ?? ToolExecutor.Concurrent;
        RetryStrategy = options.RetryStrategy ?? new ModelRetryStrategy(timeProvider: options.TimeProvider, loggerFactory: options.LoggerFactory);
        Hooks = new HookRegistry();
        SessionManager = options.SessionManager;
        if (SessionManager is not null)
        {
            // First, so that a message is stored before any other hook sees it.
            Hooks.AddHook(SessionManager);
        }

        if (ConversationManager is IHookProvider conversationHooks)
        {
            Hooks.AddHook(conversationHooks);
        }

        Hooks.AddHook(RetryStrategy);
        foreach (var provider in options.Hooks ?? [])
        {
            Hooks.AddHook(provider);
        }

        Hooks.Invoke(new AgentInitializedEvent(this));
    }

    /// <summary>Creates an agent on a <c>BedrockModel</c> for a model id.</summary>
    /// <param name="model">The Bedrock model id or inference profile, e.g. <c>us.anthropic.claude-3-7-sonnet-20250219-v1:0</c>.</param>
    /// <param name="options">Everything else: system prompt, tools, callback handler, …; the defaults when null.</param>
    /// <exception cref="ArgumentException">The model id is empty, a tool name is invalid or taken twice, or the agent id contains a path separator.</exception>
    public Agent(string model, AgentOptions? options = null)
        : this(AgentDefaults.CreateModel(ValidModelId(model)), options)
    {
        _ownsModel = true;
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
    public void Cancel() => Gate.RequestCancel();

    /// <summary>
    /// Does now what the first invocation does by itself: restores the conversation and state from the session
    /// (<see cref="AgentOptions.SessionManager"/>), and starts the tool providers (<see cref="AgentOptions.ToolProviders"/>)
    /// and registers their tools. Call it to read the restored <see cref="Messages"/>, or to list or call the providers'
    /// tools, before the first invocation. Idempotent.
    /// </summary>
    /// <param name="cancellationToken">Cancels it; the next call or invocation tries again.</param>
    /// <returns>A task that completes when the agent is ready.</returns>
    /// <exception cref="Sessions.SessionException">The session store failed; the agent is unchanged.</exception>
    /// <exception cref="ArgumentException">A provider's tool has the name of a tool the agent already has.</exception>
    /// <exception cref="ObjectDisposedException">The agent was disposed.</exception>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (SessionManager is { } sessions)
        {
            await sessions.InitializeAsync(this, cancellationToken).ConfigureAwait(false);
        }

        await ToolProviders.EnsureLoadedAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Lets go of the agent's tool providers (an MCP server stops when no agent holds it any more) and disposes the
    /// model the agent created itself (from a model id, or by default); a model given to the agent is left alone.
    /// </summary>
    /// <returns>A task that completes when the providers have been released.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await ToolProviders.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            if (_ownsModel && Model is IDisposable model)
            {
                model.Dispose();
            }
        }
    }

    /// <summary>Whether <see cref="DisposeAsync"/> was called.</summary>
    internal bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>The session manager that stores the conversation, or null.</summary>
    public Sessions.SessionManager? SessionManager { get; }

    /// <summary>The leases of the tool providers.</summary>
    internal ToolProviderLeases ToolProviders { get; }

    /// <summary>The history, changed only through this during invocations.</summary>
    internal ConversationHistory History { get; }

    /// <summary>One invocation at a time, and the cancel request.</summary>
    internal InvocationGate Gate { get; } = new();

    /// <summary>The model as the loop calls it: <see cref="Model"/> with its <c>chat</c> spans (never disposed: the model is not the agent's to dispose).</summary>
    internal IModel ObservedModel { get; }

    /// <summary>Whether the agent's spans carry message content.</summary>
    internal bool CaptureMessageContent { get; }

    /// <summary>The clock of metrics.</summary>
    internal TimeProvider TimeProvider { get; }

    /// <summary>Where the agent logs.</summary>
    internal ILogger Logger { get; }

    /// <summary>Sends a prompt and runs the loop until the model answers.</summary>
    /// <param name="prompt">The user's text; not empty or whitespace.</param>
    /// <param name="cancellationToken">Aborts the invocation with <see cref="OperationCanceledException"/>; the history stays valid.</param>
    /// <returns>The result; its <c>ToString()</c> is the answer text.</returns>
    /// <exception cref="ArgumentException">The prompt is empty or whitespace.</exception>
    /// <exception cref="ConcurrencyException">The agent is already running an invocation.</exception>
    /// <exception cref="MaxTokensReachedException">The model reached its output token limit.</exception>
    /// <exception cref="IncompleteResponseException">The model's response was cut short.</exception>
    /// <remarks>If the invocation fails, the prompt stays in the history as its last, unanswered message (see the class remarks).</remarks>
    public Task<AgentResult> InvokeAsync(string prompt, CancellationToken cancellationToken = default)
        => CollectAsync(RunAsync(AgentInput.FromPrompt(prompt), null, cancellationToken));

    /// <summary>Sends content blocks (text, images, documents, cache points, …) as one user message and runs the loop.</summary>
    /// <param name="content">The blocks of the user message; at least one, and no blank text.</param>
    /// <param name="cancellationToken">Aborts the invocation with <see cref="OperationCanceledException"/>; the history stays valid.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentException">The list is empty or has a blank text block.</exception>
    /// <exception cref="ConcurrencyException">The agent is already running an invocation.</exception>
    /// <exception cref="MaxTokensReachedException">The model reached its output token limit.</exception>
    public Task<AgentResult> InvokeAsync(IReadOnlyList<ContentBlock> content, CancellationToken cancellationToken = default)
        => CollectAsync(RunAsync(AgentInput.FromContent(content), null, cancellationToken));

    /// <summary>Appends messages (of any role) to the history and runs the loop.</summary>
    /// <param name="messages">The messages; at least one, each with content and no blank text.</param>
    /// <param name="cancellationToken">Aborts the invocation with <see cref="OperationCanceledException"/>; the history stays valid.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentException">The list is empty, or a message has no content or a blank text block.</exception>
    /// <exception cref="ConcurrencyException">The agent is already running an invocation.</exception>
    /// <exception cref="MaxTokensReachedException">The model reached its output token limit.</exception>
    public Task<AgentResult> InvokeAsync(IReadOnlyList<Message> messages, CancellationToken cancellationToken = default)
        => CollectAsync(RunAsync(AgentInput.FromMessages(messages), null, cancellationToken));

    /// <summary>
    /// Runs the loop on the history as it is: after a failed invocation, it asks the model again to answer the last
    /// user message; with pending tool uses, it runs them.
    /// </summary>
    /// <param name="cancellationToken">Aborts the invocation with <see cref="OperationCanceledException"/>; the history stays valid.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ConcurrencyException">The agent is already running an invocation.</exception>
    /// <exception cref="MaxTokensReachedException">The model reached its output token limit.</exception>
    public Task<AgentResult> InvokeAsync(CancellationToken cancellationToken = default)
        => CollectAsync(RunAsync([], null, cancellationToken));

    /// <summary>
    /// Sends a prompt and streams what happens: text and reasoning deltas, tool input deltas, tool results, messages,
    /// throttling delays, and last an <see cref="AgentResultEvent"/>. Each event also goes to the callback handler.
    /// </summary>
    /// <param name="prompt">The user's text; not empty or whitespace.</param>
    /// <param name="cancellationToken">Aborts the invocation with <see cref="OperationCanceledException"/>; the history stays valid.</param>
    /// <returns>The events, in order.</returns>
    /// <exception cref="ArgumentException">The prompt is empty or whitespace.</exception>
    /// <exception cref="ConcurrencyException">The agent is already running an invocation.</exception>
    /// <exception cref="MaxTokensReachedException">The model reached its output token limit.</exception>
    /// <remarks>If the invocation fails, or the consumer stops reading, the prompt stays in the history as its last, unanswered message (see the class remarks).</remarks>
    public IAsyncEnumerable<AgentEvent> StreamAsync(string prompt, CancellationToken cancellationToken = default)
        => RunAsync(AgentInput.FromPrompt(prompt), null, cancellationToken);

    /// <summary>Sends content blocks as one user message and streams what happens.</summary>
    /// <param name="content">The blocks of the user message; at least one, and no blank text.</param>
    /// <param name="cancellationToken">Aborts the invocation with <see cref="OperationCanceledException"/>; the history stays valid.</param>
    /// <returns>The events, in order; the last is an <see cref="AgentResultEvent"/>.</returns>
    /// <exception cref="ArgumentException">The list is empty or has a blank text block.</exception>
    public IAsyncEnumerable<AgentEvent> StreamAsync(IReadOnlyList<ContentBlock> content, CancellationToken cancellationToken = default)
        => RunAsync(AgentInput.FromContent(content), null, cancellationToken);

    /// <summary>Appends messages to the history and streams what happens.</summary>
    /// <param name="messages">The messages; at least one, each with content and no blank text.</param>
    /// <param name="cancellationToken">Aborts the invocation with <see cref="OperationCanceledException"/>; the history stays valid.</param>
    /// <returns>The events, in order; the last is an <see cref="AgentResultEvent"/>.</returns>
    /// <exception cref="ArgumentException">The list is empty, or a message has no content or a blank text block.</exception>
    public IAsyncEnumerable<AgentEvent> StreamAsync(IReadOnlyList<Message> messages, CancellationToken cancellationToken = default)
        => RunAsync(AgentInput.FromMessages(messages), null, cancellationToken);

    /// <summary>Runs the loop on the history as it is and streams what happens (see <see cref="InvokeAsync(CancellationToken)"/>).</summary>
    /// <param name="cancellationToken">Aborts the invocation with <see cref="OperationCanceledException"/>; the history stays valid.</param>
    /// <returns>The events, in order; the last is an <see cref="AgentResultEvent"/>.</returns>
    public IAsyncEnumerable<AgentEvent> StreamAsync(CancellationToken cancellationToken = default)
        => RunAsync([], null, cancellationToken);

    /// <summary>
    /// Asks for a <typeparamref name="T"/>. The model gets a tool whose input schema is the JSON schema of
    /// <typeparamref name="T"/> and may use the other tools first; when it answers without calling that tool, the
    /// agent asks once more with the tool forced. The conversation is recorded in the history like any other.
    /// </summary>
    /// <typeparam name="T">The output type; <see cref="System.ComponentModel.DescriptionAttribute"/> on it and its properties guides the model.</typeparam>
    /// <param name="prompt">The user's text; null to continue from the history.</param>
    /// <param name="serializerOptions">Options with type information for <typeparamref name="T"/> (required for Native AOT); the Microsoft.Extensions.AI defaults when null.</param>
    /// <param name="cancellationToken">Aborts the invocation with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The output.</returns>
    /// <exception cref="StructuredOutputException">The model did not call the tool even when forced.</exception>
    /// <exception cref="InvalidOperationException">A tool of the agent has the name of the structured output tool.</exception>
    public async Task<T> StructuredOutputAsync<T>(string? prompt = null, JsonSerializerOptions? serializerOptions = null, CancellationToken cancellationToken = default)
    {
        var input = prompt is null ? [] : AgentInput.FromPrompt(prompt);
        var tool = StructuredOutputTool.Create<T>(serializerOptions);
        if (ToolRegistry.Find(tool.Name) is not null)
        {
            throw new InvalidOperationException($"The agent already has a tool named '{tool.Name}', the name of the structured output tool.");
        }

        var result = await CollectAsync(RunAsync(input, tool, cancellationToken)).ConfigureAwait(false);
        return (T)result.StructuredOutput!;
    }

    private IAsyncEnumerable<AgentEvent> RunAsync(IReadOnlyList<Message> input, StructuredOutputTool? structuredOutput, CancellationToken cancellationToken)
        => AgentTelemetry.ObserveInvocation(this, input, EventLoop.RunAsync(this, input, structuredOutput, cancellationToken));

    private static async Task<AgentResult> CollectAsync(IAsyncEnumerable<AgentEvent> events)
    {
        AgentResult? result = null;
        await foreach (var agentEvent in events.ConfigureAwait(false))
        {
            if (agentEvent is AgentResultEvent final)
            {
                result = final.Result;
            }
        }

        return result ?? throw new InvalidOperationException("The invocation ended without a result.");
    }

    private static string ValidModelId(string model)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        return model;
    }

}
