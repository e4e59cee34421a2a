using Strands.Agents;
using Strands.Content;

namespace Strands.Tools;

/// <summary>What a running tool knows about its call: the request, the agent, and the invocation's shared state.</summary>
public sealed class ToolContext
{
    /// <summary>The key of <see cref="InvocationState"/> that stops the agent loop after the current tools.</summary>
    public const string StopEventLoopKey = "stop_event_loop";

    /// <summary>Creates a context.</summary>
    /// <param name="toolUse">The model's request.</param>
    /// <param name="agent">The agent running the tool.</param>
    /// <param name="invocationState">The state shared by the tools of the invocation.</param>
    public ToolContext(ToolUseBlock toolUse, Agent agent, IDictionary<string, object?> invocationState)
    {
        ArgumentNullException.ThrowIfNull(toolUse);
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(invocationState);
        ToolUse = toolUse;
        Agent = agent;
        InvocationState = invocationState;
    }

    /// <summary>The model's request: the tool use id, the tool name and its input.</summary>
    public ToolUseBlock ToolUse { get; }

    /// <summary>The agent running the tool.</summary>
    public Agent Agent { get; }

    /// <summary>
    /// State shared by the tools of one invocation (thread-safe); it becomes <see cref="AgentResult.State"/>.
    /// </summary>
    public IDictionary<string, object?> InvocationState { get; }

    /// <summary>Asks the agent to stop after the current tools instead of calling the model again.</summary>
    public void StopEventLoop() => InvocationState[StopEventLoopKey] = true;
}
