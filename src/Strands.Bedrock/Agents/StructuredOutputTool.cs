using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;
using Strands.Content;
using Strands.Models;
using Strands.Tools;

namespace Strands.Agents;

/// <summary>
/// The tool an invocation offers when it asks for structured output (reference B.15): its input schema is the
/// output type's schema, a valid input is kept as the output, and an invalid one gives the model an error to fix.
/// </summary>
internal sealed class StructuredOutputTool : AgentTool
{
    private const string Preamble = "IMPORTANT: This StructuredOutputTool should only be invoked as the last and final tool before returning the completed result to the caller. ";

    private readonly Func<JsonElement, object?> _deserialize;
    private readonly string _typeName;
    private readonly ConcurrentDictionary<string, object> _outputs = new(StringComparer.Ordinal);

    private StructuredOutputTool(ToolSpecification spec, string typeName, Func<JsonElement, object?> deserialize)
    {
        Spec = spec;
        _typeName = typeName;
        _deserialize = deserialize;
    }

    public override ToolSpecification Spec { get; }

    public static StructuredOutputTool Create<T>(JsonSerializerOptions? serializerOptions)
    {
        var options = serializerOptions ?? AIJsonUtilities.DefaultOptions;
        var spec = StructuredOutput.CreateToolSpec(typeof(T), options);
        spec = spec with { Description = Preamble + (spec.Description ?? "") };
        var typeInfo = (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
        return new StructuredOutputTool(spec, typeof(T).Name, input => input.Deserialize(typeInfo));
    }

    public override Task<ToolResultBlock> InvokeAsync(ToolContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            if (_deserialize(context.ToolUse.Input) is not { } output)
            {
                return Task.FromResult(ToolResults.Error($"Validation failed for {_typeName}. Please fix the following errors:\n- The input must not be null."));
            }

            _outputs[context.ToolUse.ToolUseId] = output;
            return Task.FromResult(ToolResults.Success($"Successfully validated {_typeName} structured output"));
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "" : $"Field '{ex.Path}': ";
            return Task.FromResult(ToolResults.Error($"Validation failed for {_typeName}. Please fix the following errors:\n- {field}{ex.Message}"));
        }
    }

    /// <summary>The output captured for one of <paramref name="toolUses"/>, if any.</summary>
    public bool TryGetOutput(List<ToolUseBlock> toolUses, out object? output)
    {
        foreach (var toolUse in toolUses)
        {
            if (toolUse.Name == Name && _outputs.TryGetValue(toolUse.ToolUseId, out var value))
            {
                output = value;
                return true;
            }
        }

        output = null;
        return false;
    }
}
