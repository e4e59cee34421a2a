using System.Globalization;
using System.Text.RegularExpressions;
using Strands.Content;

namespace Strands.Bedrock.Testing.Internal;

/// <summary>
/// The constraints of the Smithy model the service checks on the rest of a Converse / ConverseStream request (the
/// conversation's rules are <see cref="ConversationRules"/>), with the service's standard constraint message.
/// </summary>
internal static partial class RequestRules
{
    public static string? FindViolation(ConverseRequestBase request, string? guardrailId, string? guardrailVersion)
    {
        if (request.ToolConfig is { } tools)
        {
            if (tools.Tools.Count == 0)
            {
                return Constraint("[]", "toolConfig.tools", "Member must have length greater than or equal to 1");
            }

            for (var i = 0; i < tools.Tools.Count; i++)
            {
                if (tools.Tools[i].ToolSpec is { } spec && NameViolation(spec.Name, $"toolConfig.tools.{i}.member.toolSpec.name") is { } badName)
                {
                    return badName;
                }
            }
        }

        if (request.InferenceConfig is { } inference && InferenceViolation(inference) is { } badInference)
        {
            return badInference;
        }

        if (guardrailId is not null && !GuardrailId().IsMatch(guardrailId))
        {
            return Constraint(guardrailId, "guardrailConfig.guardrailIdentifier", $"Member must satisfy regular expression pattern: {GuardrailId()}");
        }

        return guardrailVersion is not null && !GuardrailVersion().IsMatch(guardrailVersion)
            ? Constraint(guardrailVersion, "guardrailConfig.guardrailVersion", $"Member must satisfy regular expression pattern: {GuardrailVersion()}")
            : null;
    }

    private static string? InferenceViolation(InferenceConfiguration inference)
    {
        if (inference.MaxTokens is < 1)
        {
            return Constraint(Format(inference.MaxTokens.Value), "inferenceConfig.maxTokens", "Member must have value greater than or equal to 1");
        }

        foreach (var (value, name) in new[] { (inference.Temperature, "temperature"), (inference.TopP, "topP") })
        {
            if (value is { } v && (float.IsNaN(v) || v < 0 || v > 1))
            {
                return Constraint(Format(v), $"inferenceConfig.{name}", v < 0 ? "Member must have value greater than or equal to 0" : "Member must have value less than or equal to 1");
            }
        }

        return inference.StopSequences is { Count: > 2500 } stops
            ? Constraint($"[{stops.Count} sequences]", "inferenceConfig.stopSequences", "Member must have length less than or equal to 2500")
            : null;
    }

    private static string? NameViolation(string name, string path) => name.Length is 0 or > 64
        ? Constraint(name, path, "Member must have length between 1 and 64")
        : ToolName().IsMatch(name) ? null : Constraint(name, path, $"Member must satisfy regular expression pattern: {ToolName()}");

    private static string Constraint(string value, string path, string constraint)
        => $"1 validation error detected: Value '{value}' at '{path}' failed to satisfy constraint: {constraint}";

    private static string Format(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);

    [GeneratedRegex("^[a-zA-Z0-9_-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ToolName();

    [GeneratedRegex("^(|([a-z0-9]+)|(arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:guardrail/[a-z0-9]+))$", RegexOptions.CultureInvariant)]
    private static partial Regex GuardrailId();

    [GeneratedRegex("^(|([1-9][0-9]{0,7})|(DRAFT))$", RegexOptions.CultureInvariant)]
    private static partial Regex GuardrailVersion();
}
