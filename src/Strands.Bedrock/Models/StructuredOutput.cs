using System.ComponentModel;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;
using Strands.Content;

namespace Strands.Models;

/// <summary>Structured output through a forced tool call, for any <see cref="IModel"/>.</summary>
internal static class StructuredOutput
{
    /// <summary>Builds the tool specification whose input schema is the JSON schema of <paramref name="type"/>.</summary>
    public static ToolSpecification CreateToolSpec(Type type, JsonSerializerOptions options)
    {
        var name = ToolName(type);
        var description = type.GetCustomAttribute<DescriptionAttribute>()?.Description ?? $"{name} structured output tool";
        var schema = AIJsonUtilities.CreateJsonSchema(type, serializerOptions: options);
        return new ToolSpecification { Name = name, Description = description, InputSchema = new ToolInputSchema { Json = schema } };
    }

    public static async Task<T> InvokeAsync<T>(
        IModel model,
        IReadOnlyList<Message> messages,
        IReadOnlyList<SystemContentBlock>? systemPrompt,
        JsonSerializerOptions? serializerOptions,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(messages);
        var options = serializerOptions ?? AIJsonUtilities.DefaultOptions;
        var spec = CreateToolSpec(typeof(T), options);

        string? toolName = null;
        string? lastInput = null;
        var input = new StringBuilder();
        var stopReason = StopReason.EndTurn;
        await foreach (var streamEvent in model.StreamAsync(messages, [spec], systemPrompt, ToolChoice.ForTool(spec.Name), cancellationToken).ConfigureAwait(false))
        {
            switch (streamEvent)
            {
                case ContentBlockStartEvent { Start.ToolUse: { } start }:
                    toolName = start.Name;
                    input.Clear();
                    break;
                case ContentBlockDeltaEvent { Delta.ToolUse: { } delta } when toolName is not null:
                    input.Append(delta.Input);
                    break;
                case ContentBlockStopEvent when toolName is not null:
                    if (toolName == spec.Name)
                    {
                        lastInput = input.ToString();
                    }

                    toolName = null;
                    break;
                case MessageStopEvent stop:
                    stopReason = stop.StopReason;
                    break;
            }
        }

        if (stopReason != StopReason.ToolUse)
        {
            throw new StructuredOutputException($"Model returned stop_reason: {stopReason} instead of \"tool_use\".");
        }

        if (lastInput is null)
        {
            throw new StructuredOutputException($"The model did not call the {spec.Name} tool, so no structured output was produced.");
        }

        try
        {
            var typeInfo = (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
            return JsonSerializer.Deserialize(string.IsNullOrWhiteSpace(lastInput) ? "{}" : lastInput, typeInfo)
                ?? throw new StructuredOutputException($"The model's {spec.Name} input was null.");
        }
        catch (JsonException ex)
        {
            throw new StructuredOutputException($"The model's {spec.Name} input does not fit {typeof(T).Name}: {ex.Message}", ex);
        }
    }

    /// <summary>A tool name from a type name: only the characters Bedrock allows, at most 64.</summary>
    private static string ToolName(Type type)
    {
        var name = new string(type.Name.Where(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-').ToArray());
        return name.Length == 0 ? "structured_output" : name[..Math.Min(64, name.Length)];
    }
}
