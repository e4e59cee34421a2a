namespace Strands.Tools;

/// <summary>
/// Marks a method as a tool the model may call. The tool's name is the method name in snake_case without an
/// <c>Async</c> suffix (<c>GetWeatherAsync</c> → <c>get_weather</c>) unless <see cref="Name"/> is set; its
/// description and parameter descriptions come from <see cref="System.ComponentModel.DescriptionAttribute"/>, and its
/// input schema from the parameters. Parameters of type <see cref="Agents.Agent"/>, <see cref="ToolContext"/> and
/// <see cref="CancellationToken"/> are supplied by the agent and left out of the schema.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class ToolAttribute : Attribute
{
    /// <summary>Marks a method as a tool.</summary>
    public ToolAttribute()
    {
    }

    /// <summary>Marks a method as a tool with an explicit name.</summary>
    /// <param name="name">The tool name (<c>^[a-zA-Z0-9_-]{1,64}$</c>).</param>
    public ToolAttribute(string name)
    {
        Name = name;
    }

    /// <summary>The tool name; derived from the method name when null.</summary>
    public string? Name { get; set; }

    /// <summary>The description for the model; taken from <see cref="System.ComponentModel.DescriptionAttribute"/> when null.</summary>
    public string? Description { get; set; }
}
