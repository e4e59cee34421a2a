using System.Collections.Concurrent;
using System.Text.Json;
using Strands.Content;
using Strands.Hooks;
using Strands.Telemetry;
using Strands.Tools;

namespace Strands.Agents;

public sealed partial class Agent
{
    private StructuredOutputTool? _structuredOutputTool;

    /// <summary>
    /// Runs one tool call with its hooks (reference B.13): <see cref="BeforeToolCallEvent"/> (which may swap the tool
    /// or the input, or cancel), the tool, <see cref="AfterToolCallEvent"/> (which may replace the result or retry).
    /// Tool failures become error results; an exception from an <see cref="AfterToolCallEvent"/> callback, or
    /// cancellation of <paramref name="cancellationToken"/>, propagates.
    /// </summary>
    private async Task<ToolResultBlock> RunToolCoreAsync(
        ToolUseBlock toolUse,
        IDictionary<string, object?> invocationState,
        AgentTool? tool,
        bool recordMetrics,
        CancellationToken cancellationToken)
    {
        var start = _timeProvider.GetTimestamp();
        var requested = toolUse;
        ToolResultBlock result;
        while (true)
        {
            var selected = tool ?? FindTool(toolUse.Name);
            ToolResultBlock attempt;
            Exception? exception = null;
            string? cancelMessage = null;
            try
            {
                var before = await Hooks.InvokeAsync(new BeforeToolCallEvent(this, selected, toolUse, invocationState), cancellationToken).ConfigureAwait(false);
                selected = before.SelectedTool;
                toolUse = before.ToolUse;
                if (before.CancelTool)
                {
                    cancelMessage = before.CancelMessage ?? "tool cancelled by user";
                    selected = null;
                    attempt = ToolResults.Error(cancelMessage);
                }
                else if (selected is null)
                {
                    AgentLog.UnknownTool(_logger, toolUse.Name, toolUse.ToolUseId);
                    exception = new KeyNotFoundException($"Unknown tool: {toolUse.Name}");
                    attempt = ToolResults.Error($"Unknown tool: {toolUse.Name}");
                }
                else
                {
                    AgentLog.ToolStarted(_logger, toolUse.Name, toolUse.ToolUseId);
                    AgentLog.ToolInput(_logger, toolUse);

                    attempt = await selected.InvokeAsync(new ToolContext(toolUse, this, invocationState), cancellationToken).ConfigureAwait(false)
                        ?? throw new InvalidOperationException($"Tool {selected.Name} returned no result.");
                }
            }
            catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                AgentLog.ToolFailed(_logger, toolUse.Name, toolUse.ToolUseId, ex);
                exception = ex;
                attempt = ToolResults.Error(FormatToolError(ex));
            }

            GenAITelemetry.ToolFailed(exception);
            var after = await Hooks.InvokeAsync(
                new AfterToolCallEvent(this, selected, toolUse, invocationState, attempt, exception, cancelMessage),
                cancellationToken).ConfigureAwait(false);
            if (after.Retry)
            {
                continue;
            }

            result = after.Result.ToolUseId == toolUse.ToolUseId ? after.Result : after.Result with { ToolUseId = toolUse.ToolUseId };
            result = result.Status is null ? result with { Status = ToolResultStatus.Success } : result;
            break;
        }

        if (recordMetrics)
        {
            Metrics.AddToolCall(requested, result.Status == ToolResultStatus.Success, _timeProvider.GetElapsedTime(start));
        }

        return result;
    }

    /// <summary>
    /// Calls a tool directly (reference B.14): hooks run, and unless recording is off four messages are added to the
    /// history (the request, the tool use, the result, a note), after which the conversation manager runs.
    /// </summary>
    internal async Task<ToolResultBlock> CallToolDirectlyAsync(
        AgentTool tool,
        JsonElement input,
        bool? recordDirectToolCall,
        string? userMessageOverride,
        CancellationToken cancellationToken)
    {
        var record = recordDirectToolCall ?? RecordDirectToolCall;
        if (record && Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
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
            var result = await RunToolAsync(toolUse, new ConcurrentDictionary<string, object?>(StringComparer.Ordinal), tool, false, cancellationToken).ConfigureAwait(false);
            if (record)
            {
                await RecordDirectToolCallAsync(tool, toolUse, result, userMessageOverride, cancellationToken).ConfigureAwait(false);
            }

            await ConversationManager.ApplyManagementAsync(this, cancellationToken).ConfigureAwait(false);
            return result;
        }
        finally
        {
            if (record)
            {
                Volatile.Write(ref _busy, 0);
            }
        }
    }

    private async Task RecordDirectToolCallAsync(AgentTool tool, ToolUseBlock toolUse, ToolResultBlock result, string? userMessageOverride, CancellationToken cancellationToken)
    {
        var filteredInput = FilterToSchema(toolUse.Input, tool.Spec.InputSchema.Json);
        var userContent = new List<ContentBlock>(2);
        if (userMessageOverride is not null)
        {
            userContent.Add(ContentBlock.FromText(userMessageOverride + "\n"));
        }

        userContent.Add(ContentBlock.FromText($"agent.tool.{tool.Name} direct tool call.\nInput parameters: {filteredInput.GetRawText()}\n"));
        Message[] recorded =
        [
            Message.User(userContent),
            Message.Assistant(new ContentBlock { ToolUse = toolUse with { Input = filteredInput } }),
            Message.User(new ContentBlock { ToolResult = result }),
            Message.Assistant($"agent.tool.{tool.Name} was called."),
        ];
        foreach (var message in recorded)
        {
            await AddMessageAsync(message, cancellationToken).ConfigureAwait(false);
        }
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

    private AgentTool? FindTool(string name)
        => _structuredOutputTool is { } structuredOutput && structuredOutput.Name == name ? structuredOutput : ToolRegistry.Find(name);

    /// <summary>How a tool failure reads for the model: the message of a validation or argument error, else the exception type and message.</summary>
    private static string FormatToolError(Exception exception) => exception switch
    {
        ToolValidationException or ArgumentException => $"Error: {exception.Message}",
        _ => $"Error: {exception.GetType().Name} - {exception.Message}",
    };
}
