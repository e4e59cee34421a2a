using Strands.Content;

namespace Strands.Agents;

/// <summary>
/// Something an invocation reports while it runs, yielded by <see cref="Agent.StreamAsync(string, CancellationToken)"/>
/// and passed to the agent's callback handler. The last event of a successful invocation is <see cref="AgentResultEvent"/>.
/// </summary>
public abstract record AgentEvent;

/// <summary>A raw event of the model's stream, before the agent interprets it.</summary>
/// <param name="Event">The model's event.</param>
public sealed record ModelStreamEvent(StreamEvent Event) : AgentEvent;

/// <summary>A piece of the model's answer text.</summary>
/// <param name="Text">The new text.</param>
public sealed record TextDeltaEvent(string Text) : AgentEvent;

/// <summary>A piece of the model's reasoning: text, a piece of its signature, or redacted (encrypted) reasoning.</summary>
/// <param name="Text">New reasoning text, if any.</param>
/// <param name="Signature">A piece of the reasoning signature, if any.</param>
/// <param name="RedactedContent">Redacted reasoning bytes, if any.</param>
public sealed record ReasoningDeltaEvent(string? Text = null, string? Signature = null, ReadOnlyMemory<byte>? RedactedContent = null) : AgentEvent;

/// <summary>A citation the model streamed with its answer.</summary>
/// <param name="Citation">The citation.</param>
public sealed record CitationDeltaEvent(CitationsDelta Citation) : AgentEvent;

/// <summary>The model started a tool use.</summary>
/// <param name="ToolUseId">The tool use id.</param>
/// <param name="Name">The tool's name.</param>
public sealed record ToolUseStartEvent(string ToolUseId, string Name) : AgentEvent;

/// <summary>A piece of the JSON input of the tool use in progress.</summary>
/// <param name="ToolUseId">The tool use id.</param>
/// <param name="Name">The tool's name.</param>
/// <param name="Delta">The new piece of JSON text.</param>
public sealed record ToolUseInputDeltaEvent(string ToolUseId, string Name, string Delta) : AgentEvent;

/// <summary>The complete assistant message of a model call, just added to the history.</summary>
/// <param name="Message">The message.</param>
/// <param name="StopReason">Why the model stopped.</param>
public sealed record ModelMessageEvent(Message Message, StopReason StopReason) : AgentEvent;

/// <summary>A tool finished (in completion order; the history keeps request order).</summary>
/// <param name="ToolUse">The model's request.</param>
/// <param name="Result">The result the model will see.</param>
public sealed record ToolResultEvent(ToolUseBlock ToolUse, ToolResultBlock Result) : AgentEvent;

/// <summary>The user message with every tool result of a cycle, in request order, just added to the history.</summary>
/// <param name="Message">The message.</param>
public sealed record ToolResultMessageEvent(Message Message) : AgentEvent;

/// <summary>The model was throttled; the agent waited <paramref name="Delay"/> and calls it again.</summary>
/// <param name="Delay">The back-off that was waited.</param>
public sealed record ThrottleDelayEvent(TimeSpan Delay) : AgentEvent;

/// <summary>The invocation finished; the last event.</summary>
/// <param name="Result">The result.</param>
public sealed record AgentResultEvent(AgentResult Result) : AgentEvent;
