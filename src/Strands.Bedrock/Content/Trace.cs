using System.Text.Json;

namespace Strands.Content;

/// <summary>What the service reports about how it handled a call: guardrail assessments and prompt routing.</summary>
public sealed record ConverseTrace
{
    /// <summary>The guardrail's assessments.</summary>
    public GuardrailTraceAssessment? Guardrail { get; init; }

    /// <summary>Which model a prompt router invoked.</summary>
    public PromptRouterTrace? PromptRouter { get; init; }
}

/// <summary>The model a prompt router invoked.</summary>
public sealed record PromptRouterTrace
{
    /// <summary>The invoked model's id.</summary>
    public string? InvokedModelId { get; init; }
}

/// <summary>A guardrail's assessment of the input and output of a call.</summary>
public sealed record GuardrailTraceAssessment
{
    /// <summary>The model output the guardrail assessed.</summary>
    public IReadOnlyList<string>? ModelOutput { get; init; }

    /// <summary>Assessments of the input, by guardrail id.</summary>
    public IReadOnlyDictionary<string, GuardrailAssessment>? InputAssessment { get; init; }

    /// <summary>Assessments of the output, by guardrail id.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<GuardrailAssessment>>? OutputAssessments { get; init; }

    /// <summary>Why the guardrail acted.</summary>
    public string? ActionReason { get; init; }
}

/// <summary>One guardrail assessment: what each policy found.</summary>
public sealed record GuardrailAssessment
{
    /// <summary>Denied topics found.</summary>
    public GuardrailTopicPolicyAssessment? TopicPolicy { get; init; }

    /// <summary>Harmful content found.</summary>
    public GuardrailContentPolicyAssessment? ContentPolicy { get; init; }

    /// <summary>Blocked words found.</summary>
    public GuardrailWordPolicyAssessment? WordPolicy { get; init; }

    /// <summary>Sensitive information found.</summary>
    public GuardrailSensitiveInformationPolicyAssessment? SensitiveInformationPolicy { get; init; }

    /// <summary>Grounding and relevance scores.</summary>
    public GuardrailContextualGroundingPolicyAssessment? ContextualGroundingPolicy { get; init; }

    /// <summary>Automated reasoning findings, kept as the service sent them.</summary>
    public JsonElement? AutomatedReasoningPolicy { get; init; }

    /// <summary>Processing metrics of the guardrail, kept as the service sent them.</summary>
    public JsonElement? InvocationMetrics { get; init; }

    /// <summary>Which guardrail applied, kept as the service sent it.</summary>
    public JsonElement? AppliedGuardrailDetails { get; init; }
}

/// <summary>Denied topics found by a guardrail.</summary>
public sealed record GuardrailTopicPolicyAssessment
{
    /// <summary>The topics.</summary>
    public IReadOnlyList<GuardrailTopic> Topics { get; init; } = [];
}

/// <summary>A denied topic found by a guardrail.</summary>
public sealed record GuardrailTopic
{
    /// <summary>The topic's name.</summary>
    public string? Name { get; init; }

    /// <summary>The topic type (<c>DENY</c>).</summary>
    public string? Type { get; init; }

    /// <summary>What the guardrail did.</summary>
    public GuardrailAction Action { get; init; }

    /// <summary>Whether the topic was detected.</summary>
    public bool? Detected { get; init; }
}

/// <summary>Harmful content found by a guardrail.</summary>
public sealed record GuardrailContentPolicyAssessment
{
    /// <summary>The content filters that matched.</summary>
    public IReadOnlyList<GuardrailContentFilter> Filters { get; init; } = [];
}

/// <summary>A content filter finding.</summary>
public sealed record GuardrailContentFilter
{
    /// <summary>The filter type, e.g. <c>HATE</c> or <c>PROMPT_ATTACK</c>.</summary>
    public string? Type { get; init; }

    /// <summary>How confident the filter is.</summary>
    public string? Confidence { get; init; }

    /// <summary>The filter's strength.</summary>
    public string? FilterStrength { get; init; }

    /// <summary>What the guardrail did.</summary>
    public GuardrailAction Action { get; init; }

    /// <summary>Whether the content was detected.</summary>
    public bool? Detected { get; init; }
}

/// <summary>Blocked words found by a guardrail.</summary>
public sealed record GuardrailWordPolicyAssessment
{
    /// <summary>Custom words found.</summary>
    public IReadOnlyList<GuardrailWordMatch> CustomWords { get; init; } = [];

    /// <summary>Words from managed lists found.</summary>
    public IReadOnlyList<GuardrailWordMatch> ManagedWordLists { get; init; } = [];
}

/// <summary>A blocked word found by a guardrail.</summary>
public sealed record GuardrailWordMatch
{
    /// <summary>The matched text.</summary>
    public string? Match { get; init; }

    /// <summary>The managed list type (e.g. <c>PROFANITY</c>), for managed words.</summary>
    public string? Type { get; init; }

    /// <summary>What the guardrail did.</summary>
    public GuardrailAction Action { get; init; }

    /// <summary>Whether the word was detected.</summary>
    public bool? Detected { get; init; }
}

/// <summary>Sensitive information found by a guardrail.</summary>
public sealed record GuardrailSensitiveInformationPolicyAssessment
{
    /// <summary>PII entities found.</summary>
    public IReadOnlyList<GuardrailPiiEntityFilter> PiiEntities { get; init; } = [];

    /// <summary>Regular-expression matches.</summary>
    public IReadOnlyList<GuardrailRegexFilter> Regexes { get; init; } = [];
}

/// <summary>A PII entity found by a guardrail.</summary>
public sealed record GuardrailPiiEntityFilter
{
    /// <summary>The matched text.</summary>
    public string? Match { get; init; }

    /// <summary>The entity type, e.g. <c>EMAIL</c>.</summary>
    public string? Type { get; init; }

    /// <summary>What the guardrail did.</summary>
    public GuardrailAction Action { get; init; }

    /// <summary>Whether the entity was detected.</summary>
    public bool? Detected { get; init; }
}

/// <summary>A regular-expression match found by a guardrail.</summary>
public sealed record GuardrailRegexFilter
{
    /// <summary>The filter's name.</summary>
    public string? Name { get; init; }

    /// <summary>The matched text.</summary>
    public string? Match { get; init; }

    /// <summary>The regular expression.</summary>
    public string? Regex { get; init; }

    /// <summary>What the guardrail did.</summary>
    public GuardrailAction Action { get; init; }

    /// <summary>Whether the match was detected.</summary>
    public bool? Detected { get; init; }
}

/// <summary>Grounding and relevance scores of a guardrail.</summary>
public sealed record GuardrailContextualGroundingPolicyAssessment
{
    /// <summary>The filters.</summary>
    public IReadOnlyList<GuardrailContextualGroundingFilter>? Filters { get; init; }
}

/// <summary>A grounding or relevance score.</summary>
public sealed record GuardrailContextualGroundingFilter
{
    /// <summary><c>GROUNDING</c> or <c>RELEVANCE</c>.</summary>
    public string? Type { get; init; }

    /// <summary>The threshold.</summary>
    public double Threshold { get; init; }

    /// <summary>The score.</summary>
    public double Score { get; init; }

    /// <summary>What the guardrail did.</summary>
    public GuardrailAction Action { get; init; }

    /// <summary>Whether the filter was triggered.</summary>
    public bool? Detected { get; init; }
}
