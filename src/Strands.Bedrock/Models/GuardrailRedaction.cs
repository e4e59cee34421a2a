using Strands.Content;

namespace Strands.Models;

/// <summary>
/// Decides from a guardrail trace what to redact. Unlike the Python reference, the decision is source-aware: user
/// input is redacted only when the input assessment blocked it, the output only when an output assessment did
/// (the reference redacts clean input on an output-only block, Strands issue #3613). A finding counts as blocked
/// when its action is BLOCKED, also when <c>detected</c> is absent (the reference fails open there, issue #3617).
/// </summary>
internal static class GuardrailRedaction
{
    /// <summary>The redaction events for a trace, user input first; empty when nothing is to be redacted.</summary>
    public static IReadOnlyList<RedactContentEvent> EventsFor(ConverseTrace? trace, GuardrailConfig? config)
    {
        if (config is null || trace?.Guardrail is not { } guardrail)
        {
            return [];
        }

        var inputBlocked = guardrail.InputAssessment?.Values.Any(IsBlocked) == true;
        var outputBlocked = guardrail.OutputAssessments?.Values.Any(list => list.Any(IsBlocked)) == true;
        List<RedactContentEvent>? events = null;
        if (inputBlocked && config.RedactInput)
        {
            (events ??= []).Add(new RedactContentEvent { RedactUserContentMessage = config.RedactInputMessage });
        }

        if (outputBlocked && config.RedactOutput)
        {
            (events ??= []).Add(new RedactContentEvent { RedactAssistantContentMessage = config.RedactOutputMessage });
        }

        return events ?? (IReadOnlyList<RedactContentEvent>)[];
    }

    /// <summary>True when any policy of the assessment blocked a finding.</summary>
    public static bool IsBlocked(GuardrailAssessment assessment) =>
        assessment.TopicPolicy?.Topics.Any(t => Blocked(t.Action, t.Detected)) == true
        || assessment.ContentPolicy?.Filters.Any(f => Blocked(f.Action, f.Detected)) == true
        || assessment.WordPolicy?.CustomWords.Any(w => Blocked(w.Action, w.Detected)) == true
        || assessment.WordPolicy?.ManagedWordLists.Any(w => Blocked(w.Action, w.Detected)) == true
        || assessment.SensitiveInformationPolicy?.PiiEntities.Any(p => Blocked(p.Action, p.Detected)) == true
        || assessment.SensitiveInformationPolicy?.Regexes.Any(r => Blocked(r.Action, r.Detected)) == true
        || assessment.ContextualGroundingPolicy?.Filters?.Any(f => Blocked(f.Action, f.Detected)) == true;

    private static bool Blocked(GuardrailAction action, bool? detected) => action == GuardrailAction.Blocked && detected != false;
}
