using Amazon.Runtime;

namespace Strands.Sessions;

/// <summary>
/// How an <see cref="S3SessionRepository"/> reaches S3. Every member is optional and resolved the way the Bedrock
/// client resolves its own: the region from <see cref="Region"/>, then <c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c>,
/// the profile, then <c>us-west-2</c>; credentials from <see cref="Credentials"/>, then <see cref="ProfileName"/>,
/// then the default AWS credential chain; the endpoint from <see cref="EndpointUrl"/>, then <c>AWS_ENDPOINT_URL_S3</c>,
/// <c>AWS_ENDPOINT_URL</c> (both ignored when <c>AWS_IGNORE_CONFIGURED_ENDPOINT_URLS</c> is <c>true</c>), then the
/// regional S3 endpoint.
/// </summary>
public sealed record S3SessionRepositoryOptions
{
    /// <summary>The AWS region system name of the bucket, e.g. <c>us-east-1</c>.</summary>
    public string? Region { get; init; }

    /// <summary>Explicit credentials. They take precedence over <see cref="ProfileName"/> and the default chain.</summary>
    public AWSCredentials? Credentials { get; init; }

    /// <summary>A profile of the shared AWS config and credentials files to take credentials and region from.</summary>
    public string? ProfileName { get; init; }

    /// <summary>An explicit endpoint, e.g. an S3-compatible server (<c>http://127.0.0.1:9000</c>).</summary>
    public Uri? EndpointUrl { get; init; }

    /// <summary>
    /// Address buckets as <c>https://endpoint/bucket/key</c> instead of <c>https://bucket.endpoint/key</c>, as most
    /// S3-compatible servers (MinIO, s3rver, …) need. Endpoints given as an IP address use path style anyway.
    /// </summary>
    public bool ForcePathStyle { get; init; }
}
