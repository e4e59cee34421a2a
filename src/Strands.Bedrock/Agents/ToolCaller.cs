using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Strands.Content;
using Strands.Tools;

namespace Strands.Agents;

/// <summary>Finds an agent's tools for direct calls: <c>agent.Tool["calculator"]</c>.</summary>
public sealed class ToolCaller
{
    private readonly Agent _agent;

    internal ToolCaller(Agent agent) => _agent = agent;

    /// <summary>The tool with this name; '_' may stand for '-' (<c>some_tool</c> finds <c>some-tool</c>).</summary>
    /// <param name="name">The tool's name.</param>
    /// <exception cref="KeyNotFoundException">The agent has no such tool.</exception>
    public DirectToolCall this[string name]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(name);
            var tool = _agent.ToolRegistry.FindForDirectCall(name) ?? throw new KeyNotFoundException($"Tool '{name}' not found");
            return new DirectToolCall(_agent, tool);
        }
    }
}

/// <summary>A tool of an agent, ready to be called directly, outside the model loop.</summary>
public sealed class DirectToolCall
{
    private readonly Agent _agent;

    internal DirectToolCall(Agent agent, AgentTool tool)
    {
        _agent = agent;
        Tool = tool;
    }

    /// <summary>The tool.</summary>
    public AgentTool Tool { get; }

    /// <summary>
    /// Calls the tool with a JSON input. The agent's tool hooks run; unless recording is off, four messages are added
    /// to the history so the model knows the call happened.
    /// </summary>
    /// <param name="input">The input object; <c>{}</c> when undefined.</param>
    /// <param name="recordDirectToolCall">Whether to record the call in the history; <see cref="Agent.RecordDirectToolCall"/> when null.</param>
    /// <param name="userMessageOverride">Text to put before the standard description in the recorded user message.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The tool result (errors included, as error results).</returns>
    /// <exception cref="ConcurrencyException">Recording is on and the agent is running an invocation.</exception>
    public Task<ToolResultBlock> InvokeAsync(JsonElement input = default, bool? recordDirectToolCall = null, string? userMessageOverride = null, CancellationToken cancellationToken = default)
        => DirectToolCalls.CallAsync(_agent, Tool, input, recordDirectToolCall, userMessageOverride, cancellationToken);

    /// <summary>
    /// Calls the tool with an input object serialised to JSON, e.g. <c>new { expression = "2+2" }</c> or a dictionary.
    /// </summary>
    /// <param name="input">The input; its public properties become the tool's arguments.</param>
    /// <param name="recordDirectToolCall">Whether to record the call in the history; <see cref="Agent.RecordDirectToolCall"/> when null.</param>
    /// <param name="userMessageOverride">Text to put before the standard description in the recorded user message.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The tool result (errors included, as error results).</returns>
    /// <exception cref="ConcurrencyException">Recording is on and the agent is running an invocation.</exception>
    [RequiresUnreferencedCode("Serialises the input with reflection; pass a JsonElement for trimmed or Native AOT applications.")]
    [RequiresDynamicCode("Serialises the input with reflection; pass a JsonElement for trimmed or Native AOT applications.")]
    public Task<ToolResultBlock> InvokeAsync(object? input, bool? recordDirectToolCall = null, string? userMessageOverride = null, CancellationToken cancellationToken = default)
    {
        var json = input switch
        {
            null => JsonValues.EmptyObject,
            JsonElement element => element,
            _ => JsonSerializer.SerializeToElement(input, input.GetType(), AIJsonUtilities.DefaultOptions),
        };
        return DirectToolCalls.CallAsync(_agent, Tool, json, recordDirectToolCall, userMessageOverride, cancellationToken);
    }
}
