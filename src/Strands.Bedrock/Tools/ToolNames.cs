using System.Text;
using System.Text.RegularExpressions;

namespace Strands.Tools;

/// <summary>Tool name rules: Bedrock's <c>^[a-zA-Z0-9_-]{1,64}$</c>, and names derived from method names.</summary>
internal static partial class ToolNames
{
    public const int MaxLength = 64;

    public static bool IsValid(string? name) => name is { Length: > 0 and <= MaxLength } && ValidPattern().IsMatch(name);

    /// <summary>Throws a clear error for a name a tool may not have.</summary>
    public static void Validate(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException("A tool must have a name.", nameof(name));
        }

        if (!IsValid(name))
        {
            throw new ArgumentException(
                $"Invalid tool name '{name}': a tool name must match ^[a-zA-Z0-9_-]{{1,64}}$ (letters, digits, '_' and '-', at most 64 characters).",
                nameof(name));
        }
    }

    /// <summary>The snake_case form of a method name, without an <c>Async</c> suffix: <c>GetWeatherAsync</c> → <c>get_weather</c>.</summary>
    public static string FromMethodName(string methodName)
    {
        var name = methodName.Length > 5 && methodName.EndsWith("Async", StringComparison.Ordinal) ? methodName[..^5] : methodName;
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                var previousIsLowerOrDigit = i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]));
                var acronymEnds = i > 0 && char.IsUpper(name[i - 1]) && i + 1 < name.Length && char.IsLower(name[i + 1]);
                if (builder.Length > 0 && builder[^1] != '_' && (previousIsLowerOrDigit || acronymEnds))
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    [GeneratedRegex("^[a-zA-Z0-9_-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ValidPattern();
}
