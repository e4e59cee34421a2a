using System.Collections.Frozen;

namespace Strands.Bedrock;

/// <summary>
/// The error codes AWS standard retry mode treats as throttling or transient
/// (the lists of the AWS SDKs' "standard" retry strategy, e.g. <c>@smithy/service-error-classification</c>).
/// </summary>
internal static class BedrockErrorCodes
{
    private static readonly FrozenSet<string> ThrottlingCodes = new[]
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled",
        "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> TransientCodes = new[]
    {
        "TimeoutError", "RequestTimeout", "RequestTimeoutException",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="code"/> is one of AWS standard mode's throttling error codes.</summary>
    public static bool IsThrottlingCode(string code) => ThrottlingCodes.Contains(code);

    /// <summary>Whether <paramref name="code"/> is one of AWS standard mode's transient error codes.</summary>
    public static bool IsTransientCode(string code) => TransientCodes.Contains(code);
}
