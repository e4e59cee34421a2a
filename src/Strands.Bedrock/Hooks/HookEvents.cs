using Strands.Agents;
using Strands.Content;
using Strands.Tools;

namespace Strands.Hooks;

/// <summary>The agent's constructor finished. Only synchronous callbacks may handle this event.</summary>
/// <param name="agent">The new agent.</param>
public sealed class AgentInitializedEvent(Agent agent) : HookEvent(agent);

/// <summary>An invocation starts, before its input messages are added to the history.</summary>
public sealed class BeforeInvocationEvent : HookEvent
{
    private IReadOnlyList<Message> _messages;

    /// <summary>Creates the event.</summary>
    /// <param name="agent">The agent.</param>
    /// <param name="messages">The input messages of the invocation.</param>
    public BeforeInvocationEvent(Agent agent, IReadOnlyList<Message> messages)
        : base(agent)
    {
        ArgumentNullException.ThrowIfNull(messages);
        _messages = messages;
    }

    /// <summary>The input messages that will be added to the history. A callback may replace them.</summary>
    public IReadOnlyList<Message> Messages
    {
        get => _messages;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            _messages = value;
        }
    }
}

/// <summary>An invocation ended, successfully or not. Callbacks run in reverse registration order.</summary>
/// <param name="agent">The agent.</param>
/// <param name="result">The result, or null when the invocation failed or was cancelled.</param>
public sealed class AfterInvocationEvent(Agent agent, AgentResult? result) : HookEvent(agent)
{
    /// <summary>The result, or null when the invocation failed or was cancelled.</summary>
    public AgentResult? Result { get; } = result;

    /// <inheritdoc />
    public override bool ReverseCallbackOrder => true;
}

/// <summary>A message was appended to the agent's history.</summary>
/// <param name="agent">The agent.</param>
/// <param name="message">The message.</param>
public sealed class MessageAddedEvent(Agent agent, Message message) : HookEvent(agent)
{
    /// <summary>The message that was appended.</summary>
    public Message Message { get; } = message;
}

/// <summary>
/// The latest message of the agent's history was replaced in place: a guardrail redacted the user's input
/// (<see cref="MessageReplacement.Redacted"/>), or new content joined it (<see cref="MessageReplacement.Extended"/>: input
/// joining a user message the model had not answered, or the model continuing an assistant message). A store of the
/// conversation rewrites its latest message.
/// </summary>
/// <param name="agent">The agent.</param>
/// <param name="previous">The message that was replaced.</param>
/// <param name="message">The message now in its place.</param>
/// <param name="reason">Why it was replaced.</param>
public sealed class MessageReplacedEvent(Agent agent, Message previous, Message message, MessageReplacement reason) : HookEvent(agent)
{
    /// <summary>The message that was replaced.</summary>
    public Message Previous { get; } = previous;

    /// <summary>The message now at the end of the history.</summary>
    public Message Message { get; } = message;

    /// <summary>Why it was replaced.</summary>
    public MessageReplacement Reason { get; } = reason;
}

/// <summary>Why the latest message of an agent's history was replaced (<see cref="MessageReplacedEvent"/>).</summary>
public enum MessageReplacement
{
    /// <summary>A guardrail blocked the user's input, and the message became the redaction.</summary>
    Redacted,

    /// <summary>New content joined the message: input for an unanswered user message, or the model continuing its own message.</summary>
    Extended,
}

/// <summary>The agent is about to call the model.</summary>
/// <param name="agent">The agent.</param>
public sealed class BeforeModelCallEvent(Agent agent) : HookEvent(agent);

/// <summary>What the model produced: the assistant message and why it stopped.</summary>
/// <param name="Message">The assistant message.</param>
/// <param name="StopReason">Why the model stopped.</param>
public sealed record ModelStopResponse(Message Message, StopReason StopReason);

/// <summary>
/// A model call ended, with a response or an exception. Set <see cref="Retry"/> to discard the outcome and call the
/// model again. Callbacks run in reverse registration order.
/// </summary>
public sealed class AfterModelCallEvent : HookEvent
{
    /// <summary>Creates the event.</summary>
    /// <param name="agent">The agent.</param>
    /// <param name="stopResponse">The response, when the call succeeded.</param>
    /// <param name="exception">The exception, when the call failed.</param>
    public AfterModelCallEvent(Agent agent, ModelStopResponse? stopResponse, Exception? exception)
        : base(agent)
    {
        StopResponse = stopResponse;
        Exception = exception;
    }

    /// <summary>The response, when the call succeeded.</summary>
    public ModelStopResponse? StopResponse { get; }

    /// <summary>The exception, when the call failed.</summary>
    public Exception? Exception { get; }

    /// <summary>Set to true to discard this outcome and call the model again.</summary>
    public bool Retry { get; set; }

    /// <summary>The back-off a retry strategy waited before this retry; reported as a <see cref="ThrottleDelayEvent"/>.</summary>
    internal TimeSpan? ThrottleDelay { get; set; }

    /// <inheritdoc />
    public override bool ReverseCallbackOrder => true;
}

/// <summary>
/// A tool is about to run. A callback may swap the tool or its input, or cancel the call, which gives the model an
/// error result instead.
/// </summary>
public sealed class BeforeToolCallEvent : HookEvent
{
    private ToolUseBlock _toolUse;

    /// <summary>Creates the event.</summary>
    /// <param name="agent">The agent.</param>
    /// <param name="selectedTool">The tool found for the request, or null when none has that name.</param>
    /// <param name="toolUse">The model's request.</param>
    /// <param name="invocationState">The state shared by the tools of this invocation.</param>
    public BeforeToolCallEvent(Agent agent, AgentTool? selectedTool, ToolUseBlock toolUse, IDictionary<string, object?> invocationState)
        : base(agent)
    {
        ArgumentNullException.ThrowIfNull(toolUse);
        SelectedTool = selectedTool;
        _toolUse = toolUse;
        InvocationState = invocationState;
    }

    /// <summary>The tool that will run; null when no tool has the requested name. A callback may replace it.</summary>
    public AgentTool? SelectedTool { get; set; }

    /// <summary>The model's request. A callback may replace it, e.g. to correct the input.</summary>
    public ToolUseBlock ToolUse
    {
        get => _toolUse;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            _toolUse = value;
        }
    }

    /// <summary>The state shared by the tools of this invocation.</summary>
    public IDictionary<string, object?> InvocationState { get; }

    /// <summary>Set to true to skip the tool; the model gets an error result with <see cref="CancelMessage"/>.</summary>
    public bool CancelTool { get; set; }

    /// <summary>The text of the error result when the call is cancelled; "tool cancelled by user" when null.</summary>
    public string? CancelMessage { get; set; }
}

/// <summary>
/// A tool call ended. A callback may replace <see cref="Result"/> or set <see cref="Retry"/> to run the tool again.
/// Callbacks run in reverse registration order; an exception a callback throws ends the invocation.
/// </summary>
public sealed class AfterToolCallEvent : HookEvent
{
    private ToolResultBlock _result;

    /// <summary>Creates the event.</summary>
    /// <param name="agent">The agent.</param>
    /// <param name="selectedTool">The tool that ran; null when none was found or the call was cancelled.</param>
    /// <param name="toolUse">The model's request.</param>
    /// <param name="invocationState">The state shared by the tools of this invocation.</param>
    /// <param name="result">The result.</param>
    /// <param name="exception">The exception the tool threw, if any.</param>
    /// <param name="cancelMessage">The cancel message, when a <see cref="BeforeToolCallEvent"/> callback cancelled the call.</param>
    public AfterToolCallEvent(
        Agent agent,
        AgentTool? selectedTool,
        ToolUseBlock toolUse,
        IDictionary<string, object?> invocationState,
        ToolResultBlock result,
        Exception? exception = null,
        string? cancelMessage = null)
        : base(agent)
    {
        ArgumentNullException.ThrowIfNull(toolUse);
        ArgumentNullException.ThrowIfNull(result);
        SelectedTool = selectedTool;
        ToolUse = toolUse;
        InvocationState = invocationState;
        _result = result;
        Exception = exception;
        CancelMessage = cancelMessage;
    }

    /// <summary>The tool that ran; null when none was found or the call was cancelled.</summary>
    public AgentTool? SelectedTool { get; }

    /// <summary>The model's request.</summary>
    public ToolUseBlock ToolUse { get; }

    /// <summary>The state shared by the tools of this invocation.</summary>
    public IDictionary<string, object?> InvocationState { get; }

    /// <summary>The result the model will see. A callback may replace it.</summary>
    public ToolResultBlock Result
    {
        get => _result;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            _result = value;
        }
    }

    /// <summary>The exception the tool threw, if any.</summary>
    public Exception? Exception { get; }

    /// <summary>The cancel message, when a <see cref="BeforeToolCallEvent"/> callback cancelled the call.</summary>
    public string? CancelMessage { get; }

    /// <summary>Set to true to discard this result and run the tool again.</summary>
    public bool Retry { get; set; }

    /// <inheritdoc />
    public override bool ReverseCallbackOrder => true;
}
