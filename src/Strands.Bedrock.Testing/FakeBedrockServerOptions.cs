using Amazon.Runtime;

namespace Strands.Bedrock.Testing;

/// <summary>How a <see cref="FakeBedrockServer"/> or <see cref="FakeBedrockHandler"/> authenticates requests and what it answers by default.</summary>
public sealed record FakeBedrockServerOptions
{
    /// <summary>The access key id of <see cref="DefaultCredentials"/> (the AWS documentation's example key).</summary>
    public const string DefaultAccessKeyId = "AKIDEXAMPLE";

    /// <summary>The secret key of <see cref="DefaultCredentials"/> (the AWS documentation's example key).</summary>
    public const string DefaultSecretAccessKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    /// <summary>Credentials with <see cref="DefaultAccessKeyId"/> and <see cref="DefaultSecretAccessKey"/>.</summary>
    public static AWSCredentials DefaultCredentials => new BasicAWSCredentials(DefaultAccessKeyId, DefaultSecretAccessKey);

    /// <summary>
    /// The credentials requests must be SigV4-signed with (default <see cref="DefaultCredentials"/>). A session token,
    /// when the credentials have one, must arrive signed in <c>x-amz-security-token</c>. Null: SigV4 is not accepted
    /// (set <see cref="BearerToken"/>).
    /// </summary>
    public AWSCredentials? Credentials { get; init; } = DefaultCredentials;

    /// <summary>
    /// A Bedrock API key the fake accepts as <c>Authorization: Bearer &lt;key&gt;</c>, besides SigV4 with
    /// <see cref="Credentials"/>. <see cref="FakeBedrockServer.CreateClientOptions"/> uses it when set.
    /// </summary>
    public string? BearerToken { get; init; }

    /// <summary>
    /// Whether requests must be authenticated (default true): a wrong signature is answered with 403
    /// <c>InvalidSignatureException</c>, a missing or wrong bearer token with 403 too. False accepts anything.
    /// </summary>
    public bool VerifyAuthentication { get; init; } = true;

    /// <summary>
    /// Whether each request is checked like Amazon Bedrock checks it (default true): its conversation (the first
    /// message from the user, alternating roles, every <c>toolUse</c> answered in the next message, no orphan
    /// <c>toolResult</c>, no empty message and no blank text block; see <see cref="ConversationRules"/>) and the
    /// constraints of the service model on the rest (at least one tool in a tool configuration, tool names,
    /// <c>maxTokens</c> of at least 1, <c>temperature</c> and <c>topP</c> between 0 and 1, guardrail id and version).
    /// A request that breaks a rule gets HTTP 400 <c>ValidationException</c> with the service's message. Turn it off
    /// only in a test that needs to send what the service would reject.
    /// </summary>
    public bool ValidateRequests { get; init; } = true;

    /// <summary>The region signatures must be scoped to (default <c>us-west-2</c>).</summary>
    public string Region { get; init; } = "us-west-2";

    /// <summary>The service signatures must be scoped to (default <c>bedrock</c>).</summary>
    public string SigningName { get; init; } = "bedrock";

    /// <summary>How far <c>X-Amz-Date</c> may be from the fake's clock (default 15 minutes, as AWS allows).</summary>
    public TimeSpan MaxClockSkew { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// The answer when no response is queued and no responder is set. Null (the default): HTTP 501 with
    /// <c>x-amzn-ErrorType: FakeBedrockNoScriptedResponse</c> and a message that says what to script. 501 is chosen
    /// because clients do not retry it, so a missing script fails the test at once with that message.
    /// </summary>
    public FakeResponse? DefaultResponse { get; init; }

    /// <summary>The clock for event delays and the clock-skew check (tests may pass a fake one).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Server only: speak HTTP/2 with prior knowledge (h2c) instead of HTTP/1.1. Kestrel cannot offer both on one
    /// cleartext port, so clients must then send HTTP/2 requests (<c>HttpVersionPolicy.RequestVersionExact</c>).
    /// Default: HTTP/1.1.
    /// </summary>
    public bool UseHttp2 { get; init; }

    /// <summary>The largest request body accepted (default 32 MiB); larger ones get 413.</summary>
    public int MaxRequestBodyBytes { get; init; } = 32 * 1024 * 1024;

    /// <summary>Prints the options without secrets: <see cref="Credentials"/> and <see cref="BearerToken"/> are redacted.</summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Credentials = ").Append(Credentials is null ? "" : $"<{Credentials.GetType().Name}, redacted>");
        builder.Append(", BearerToken = ").Append(BearerToken is null ? "" : "<redacted>");
        builder.Append(", VerifyAuthentication = ").Append(VerifyAuthentication);
        builder.Append(", ValidateRequests = ").Append(ValidateRequests);
        builder.Append(", Region = ").Append(Region);
        builder.Append(", SigningName = ").Append(SigningName);
        builder.Append(", MaxClockSkew = ").Append(MaxClockSkew);
        builder.Append(", DefaultResponse = ").Append(DefaultResponse is null ? "" : "<set>");
        builder.Append(", TimeProvider = ").Append(TimeProvider?.GetType().Name);
        builder.Append(", UseHttp2 = ").Append(UseHttp2);
        builder.Append(", MaxRequestBodyBytes = ").Append(MaxRequestBodyBytes);
        return true;
    }
}
