using System.Collections.Concurrent;
using Strands.Content;
using Strands.Tools;

namespace Strands.Agents;

/// <summary>
/// What the steps of one invocation share: the agent, the invocation state the tools see, the structured output
/// request, and the two ways to stop (the caller's token, <see cref="Agent.Cancel"/>).
/// </summary>
internal sealed class Invocation(Agent agent, StructuredOutputTool? structuredOutput, CancellationToken cancellationToken)
{
    /// <summary>The agent.</summary>
    public Agent Agent { get; } = agent;

    /// <summary>The agent's history.</summary>
    public ConversationHistory History => Agent.History;

    /// <summary>The invocation state the tools share (<see cref="ToolContext.InvocationState"/>).</summary>
    public ConcurrentDictionary<string, object?> State { get; } = new(StringComparer.Ordinal);

    /// <summary>The tool that captures structured output, when the invocation asks for it.</summary>
    public StructuredOutputTool? StructuredOutput { get; } = structuredOutput;

    /// <summary>True once the model answered without the structured output tool and the next call forces it.</summary>
    public bool StructuredOutputForced { get; set; }

    /// <summary>The caller's token: cancelling it aborts the invocation with <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>Whether <see cref="Agent.Cancel"/> asked the invocation to stop.</summary>
    public bool CancelRequested => Agent.Gate.CancelRequested;

    /// <summary>Builds each model call's message and typed events; reused across the invocation's model calls.</summary>
    public StreamProcessor Processor { get; } = new(agent.TimeProvider);

    /// <summary>The tool specifications of the next model call, read per call so a tool registered mid-conversation is offered.</summary>
    public IReadOnlyList<ToolSpecification> ToolSpecs() => StructuredOutput switch
    {
        null => Agent.ToolRegistry.Specs,
        { } tool when StructuredOutputForced => [tool.Spec],
        { } tool => [.. Agent.ToolRegistry.Specs, tool.Spec],
    };

    /// <summary>The tool choice of the next model call: the structured output tool once it is forced.</summary>
    public ToolChoice? ToolChoice => StructuredOutputForced ? ToolChoice.AnyChoice : null;

    /// <summary>Finds the tool the model asked for, the structured output tool included.</summary>
    public AgentTool? FindTool(string name)
        => StructuredOutput is { } tool && tool.Name == name ? tool : Agent.ToolRegistry.Find(name);
}
