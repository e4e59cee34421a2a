using System.Collections.Concurrent;
using System.Text.Json;
using Strands.Content;
using Strands.Tools;

namespace Strands.Agents;

/// <summary>
/// Calls a tool directly, outside the model loop (<c>agent.Tool["calculator"].InvokeAsync(…)</c>): hooks run, and
/// unless recording is off the call joins the history as four messages (the request, the tool use, the result, a
/// note), after which the conversation manager runs. Recording takes the agent's invocation gate, so it cannot
/// interleave with an invocation.
/// </summary>
internal static class DirectToolCalls
{
    public static async Task<ToolResultBlock> CallAsync(
        Agent agent,
        AgentTool tool,
        JsonElement input,
        bool? recordDirectToolCall,
        string? userMessageOverride,
        CancellationToken cancellationToken)
    {
        var record = recordDirectToolCall ?? agent.RecordDirectToolCall;
        if (record && !agent.Gate.TryEnter())
        {
            throw new ConcurrencyException(
                "Direct tool call cannot be made while the agent is in the middle of an invocation. "
                + "Set recordDirectToolCall: false to allow direct tool calls during agent invocation.");
        }

        try
        {
            if (input.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
            {
                input = JsonValues.EmptyObject;
            }

            var toolUse = new ToolUseBlock
            {
                ToolUseId = $"tooluse_{tool.Name}_{Random.Shared.Next(100_000_000, 1_000_000_000)}",
                Name = tool.Name,
                Input = input,
            };
            var state = new ConcurrentDictionary<string, object?>(StringComparer.Ordinal);
            var result = await ToolInvoker.RunAsync(agent, toolUse, state, agent.ToolRegistry.Find, tool, false, cancellationToken).ConfigureAwait(false);
            if (record)
            {
                await agent.InitializeAsync(cancellationToken).ConfigureAwait(false);
                await agent.History.AppendInputAsync(Recorded(tool, toolUse, result, userMessageOverride), cancellationToken).ConfigureAwait(false);
            }

            await agent.ConversationManager.ApplyManagementAsync(agent, cancellationToken).ConfigureAwait(false);
            return result;
        }
        finally
        {
            if (record)
            {
                agent.Gate.ExitToolCall();
            }
        }
    }

    /// <summary>The four messages that record a call; the tool use keeps only the input properties its schema declares.</summary>
    private static Message[] Recorded(AgentTool tool, ToolUseBlock toolUse, ToolResultBlock result, string? userMessageOverride)
    {
        var filteredInput = FilterToSchema(toolUse.Input, tool.Spec.InputSchema.Json);
        var userContent = new List<ContentBlock>(2);
        if (userMessageOverride is not null)
        {
            userContent.Add(ContentBlock.FromText(userMessageOverride + "\n"));
        }

        userContent.Add(ContentBlock.FromText($"agent.tool.{tool.Name} direct tool call.\nInput parameters: {filteredInput.GetRawText()}\n"));
        return
        [
            Message.User(userContent),
            Message.Assistant(new ContentBlock { ToolUse = toolUse with { Input = filteredInput } }),
            Message.User(new ContentBlock { ToolResult = result }),
            Message.Assistant($"agent.tool.{tool.Name} was called."),
        ];
    }

    /// <summary>Keeps only the input properties the tool's schema declares.</summary>
    private static JsonElement FilterToSchema(JsonElement input, JsonElement? schema)
    {
        if (input.ValueKind != JsonValueKind.Object || schema is not { ValueKind: JsonValueKind.Object } s
            || !s.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
        {
            return input;
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in input.EnumerateObject())
            {
                if (properties.TryGetProperty(property.Name, out _))
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
