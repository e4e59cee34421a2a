using System.Buffers;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Strands.Agents;
using Strands.Content;

namespace Strands.Tools;

/// <summary>A tool backed by a Microsoft.Extensions.AI <see cref="AIFunction"/>: schema, argument binding and invocation.</summary>
internal sealed class FunctionTool : AgentTool
{
    private readonly AIFunction _function;
    private readonly JsonSerializerOptions _serializerOptions;
    private readonly ToolInputValidator _validator;

    public FunctionTool(AIFunction function, string name, string? description, JsonSerializerOptions? serializerOptions)
    {
        ToolNames.Validate(name);
        _function = function;
        _serializerOptions = serializerOptions ?? function.JsonSerializerOptions ?? AIJsonUtilities.DefaultOptions;
        var schema = function.JsonSchema.ValueKind == JsonValueKind.Object ? function.JsonSchema : JsonValues.Parse("""{"type":"object","properties":{}}""");
        _validator = new ToolInputValidator(schema);
        Spec = new ToolSpecification
        {
            Name = name,
            Description = string.IsNullOrWhiteSpace(description) ? name : description,
            InputSchema = new ToolInputSchema { Json = schema },
        };
    }

    public override ToolSpecification Spec { get; }

    /// <summary>Makes a tool from a method; Agent, ToolContext and CancellationToken parameters are injected.</summary>
    public static FunctionTool Create(MethodInfo method, object? target, string name, string? description, JsonSerializerOptions? serializerOptions)
    {
        ToolNames.Validate(name);
        description ??= method.GetCustomAttribute<System.ComponentModel.DescriptionAttribute>()?.Description;
        var options = new AIFunctionFactoryOptions
        {
            Name = name,
            Description = string.IsNullOrWhiteSpace(description) ? name : description,
            SerializerOptions = serializerOptions ?? AIJsonUtilities.DefaultOptions,
            ConfigureParameterBinding = BindInjectedParameter,
            MarshalResult = static (result, _, _) => new ValueTask<object?>(result),
        };
        var function = AIFunctionFactory.Create(method, target, options);
        return new FunctionTool(function, name, options.Description, options.SerializerOptions);
    }

    public override async Task<ToolResultBlock> InvokeAsync(ToolContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var input = context.ToolUse.Input;
        _validator.Validate(input);

        var arguments = new AIFunctionArguments
        {
            Context = new Dictionary<object, object?> { [typeof(ToolContext)] = context },
        };
        if (input.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in input.EnumerateObject())
            {
                arguments[property.Name] = property.Value;
            }
        }

        var result = await _function.InvokeAsync(arguments, cancellationToken).ConfigureAwait(false);
        return ToToolResult(result, _serializerOptions);
    }

    /// <summary>
    /// Turns a tool's return value into a result: a <see cref="ToolResultBlock"/> as is, result content blocks as the
    /// content, a string as text, anything else (null included) as its JSON text.
    /// </summary>
    internal static ToolResultBlock ToToolResult(object? value, JsonSerializerOptions serializerOptions)
    {
        switch (value)
        {
            case ToolResultBlock block:
                return block;
            case ToolResultContentBlock content:
                return new ToolResultBlock { Status = ToolResultStatus.Success, Content = [content] };
            case IEnumerable<ToolResultContentBlock> contents:
                return new ToolResultBlock { Status = ToolResultStatus.Success, Content = [.. contents] };
            case string text:
                return ToolResults.Success(text);
            case null:
                return ToolResults.Success("null");
            case JsonElement { ValueKind: JsonValueKind.String } element:
                return ToolResults.Success(element.GetString()!);
            case JsonElement element:
                return ToolResults.Success(element.GetRawText());
            default:
                return ToolResults.Success(SerializeCompact(value, serializerOptions));
        }
    }

    /// <summary>Serialises a value as compact JSON (the Microsoft.Extensions.AI defaults indent, which costs the model tokens).</summary>
    private static string SerializeCompact(object value, JsonSerializerOptions serializerOptions)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = serializerOptions.Encoder, SkipValidation = true }))
        {
            JsonSerializer.Serialize(writer, value, serializerOptions.GetTypeInfo(value.GetType()));
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static AIFunctionFactoryOptions.ParameterBindingOptions BindInjectedParameter(ParameterInfo parameter)
    {
        if (parameter.ParameterType == typeof(ToolContext))
        {
            return new AIFunctionFactoryOptions.ParameterBindingOptions { ExcludeFromSchema = true, BindParameter = static (_, arguments) => GetContext(arguments) };
        }

        if (parameter.ParameterType == typeof(Agent))
        {
            return new AIFunctionFactoryOptions.ParameterBindingOptions { ExcludeFromSchema = true, BindParameter = static (_, arguments) => GetContext(arguments).Agent };
        }

        return default;
    }

    private static ToolContext GetContext(AIFunctionArguments arguments)
        => arguments.Context?.TryGetValue(typeof(ToolContext), out var context) == true && context is ToolContext toolContext
            ? toolContext
            : throw new InvalidOperationException("This tool needs a ToolContext; run it through an agent.");
}
