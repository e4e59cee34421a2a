using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Strands.Content;

namespace Strands.Tools;

/// <summary>
/// A tool the agent can run for the model. Make one from a method marked <see cref="ToolAttribute"/>
/// (<see cref="FromType"/>, <see cref="FromObject{T}"/>), from a delegate (<see cref="FromMethod"/>), from a
/// Microsoft.Extensions.AI <see cref="AIFunction"/> (<see cref="FromAIFunction"/>, or implicitly), or derive from
/// this class. Implementations must be thread-safe: the agent may run several calls at once.
/// </summary>
public abstract class AgentTool
{
    /// <summary>The tool's name, as the model calls it.</summary>
    public virtual string Name => Spec.Name;

    /// <summary>The specification sent to the model: name, description and input schema.</summary>
    public abstract ToolSpecification Spec { get; }

    /// <summary>
    /// Runs the tool. An exception becomes an error result the model can read; throw
    /// <see cref="ToolValidationException"/> when the input does not fit the schema.
    /// </summary>
    /// <param name="context">The call: the model's request, the agent, and the invocation state.</param>
    /// <param name="cancellationToken">Cancelled when the invocation is cancelled.</param>
    /// <returns>The result; the agent sets its <see cref="ToolResultBlock.ToolUseId"/>.</returns>
    public abstract Task<ToolResultBlock> InvokeAsync(ToolContext context, CancellationToken cancellationToken = default);

    /// <summary>Wraps a Microsoft.Extensions.AI function as a tool.</summary>
    /// <param name="function">The function.</param>
    public static implicit operator AgentTool(AIFunction function) => FromAIFunction(function);

    /// <summary>Wraps a Microsoft.Extensions.AI function as a tool; its name must be a valid tool name.</summary>
    /// <param name="function">The function.</param>
    /// <param name="serializerOptions">Options that turn non-string results into JSON; the Microsoft.Extensions.AI defaults when null.</param>
    /// <returns>The tool.</returns>
    public static AgentTool FromAIFunction(AIFunction function, JsonSerializerOptions? serializerOptions = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        return new FunctionTool(function, function.Name, function.Description, serializerOptions);
    }

    /// <summary>Makes a tool from a delegate, e.g. a lambda or a method group.</summary>
    /// <param name="method">The method. Parameters of type Agent, <see cref="ToolContext"/> and <see cref="CancellationToken"/> are injected.</param>
    /// <param name="name">The tool name; from <see cref="ToolAttribute"/> or the method name in snake_case when null (required for lambdas).</param>
    /// <param name="description">The description; from <see cref="DescriptionAttribute"/> when null.</param>
    /// <param name="serializerOptions">Options for the input schema, argument binding and results; the Microsoft.Extensions.AI defaults when null.</param>
    /// <returns>The tool.</returns>
    /// <exception cref="ArgumentException">No valid name could be found.</exception>
    public static AgentTool FromMethod(Delegate method, string? name = null, string? description = null, JsonSerializerOptions? serializerOptions = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        var attribute = method.Method.GetCustomAttribute<ToolAttribute>();
        name ??= attribute?.Name;
        if (name is null)
        {
            if (method.Method.Name.Contains('<', StringComparison.Ordinal))
            {
                throw new ArgumentException("A tool made from a lambda or local function needs an explicit name.", nameof(name));
            }

            name = ToolNames.FromMethodName(method.Method.Name);
        }

        return FunctionTool.Create(method.Method, method.Target, name, description ?? attribute?.Description, serializerOptions);
    }

    /// <summary>Makes a tool of every static method of <paramref name="type"/> marked <see cref="ToolAttribute"/>.</summary>
    /// <param name="type">The type, e.g. <c>typeof(MyTools)</c>; static classes work.</param>
    /// <param name="serializerOptions">Options for input schemas, argument binding and results; the Microsoft.Extensions.AI defaults when null.</param>
    /// <returns>The tools, in declaration order.</returns>
    /// <exception cref="ArgumentException">The type has no static <see cref="ToolAttribute"/> method, or a name is invalid.</exception>
    public static IReadOnlyList<AgentTool> FromType(
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods | DynamicallyAccessedMemberTypes.NonPublicMethods)] Type type,
        JsonSerializerOptions? serializerOptions = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        var tools = FromMethods(type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static), null, serializerOptions);
        if (tools.Count == 0)
        {
            throw new ArgumentException($"{type.Name} has no static method marked [Tool]. For instance methods use AgentTool.FromObject(instance).", nameof(type));
        }

        return tools;
    }

    /// <summary>Makes a tool of every method of <typeparamref name="T"/> marked <see cref="ToolAttribute"/>, instance methods bound to <paramref name="target"/>.</summary>
    /// <typeparam name="T">The type whose methods are scanned.</typeparam>
    /// <param name="target">The instance the instance methods run on.</param>
    /// <param name="serializerOptions">Options for input schemas, argument binding and results; the Microsoft.Extensions.AI defaults when null.</param>
    /// <returns>The tools, in declaration order.</returns>
    /// <exception cref="ArgumentException">The type has no <see cref="ToolAttribute"/> method, or a name is invalid.</exception>
    public static IReadOnlyList<AgentTool> FromObject<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods | DynamicallyAccessedMemberTypes.NonPublicMethods)] T>(
        T target,
        JsonSerializerOptions? serializerOptions = null)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(target);
        var tools = FromMethods(typeof(T).GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance), target, serializerOptions);
        if (tools.Count == 0)
        {
            throw new ArgumentException($"{typeof(T).Name} has no method marked [Tool].", nameof(target));
        }

        return tools;
    }

    private static List<AgentTool> FromMethods(MethodInfo[] methods, object? target, JsonSerializerOptions? serializerOptions)
    {
        var tools = new List<AgentTool>();

        // Declaration order is metadata token order. Native AOT keeps no metadata tokens (reading one throws), and
        // there the order of GetMethods stands.
        foreach (var method in methods.OrderBy(m => m.HasMetadataToken() ? m.MetadataToken : 0))
        {
            if (method.GetCustomAttribute<ToolAttribute>() is not { } attribute)
            {
                continue;
            }

            var name = attribute.Name ?? ToolNames.FromMethodName(method.Name);
            tools.Add(FunctionTool.Create(method, method.IsStatic ? null : target, name, attribute.Description, serializerOptions));
        }

        return tools;
    }
}
