using System.Net;
using System.Text.Json;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Strands.Bedrock;

namespace Strands.Sessions;

/// <summary>
/// Stores sessions in an S3 bucket (or an S3-compatible server), with the key layout and JSON of Strands for Python's
/// <c>S3SessionManager</c>: <c>&lt;prefix&gt;/session_&lt;id&gt;/session.json</c>,
/// <c>…/agents/agent_&lt;id&gt;/agent.json</c>, <c>…/agents/agent_&lt;id&gt;/messages/message_&lt;n&gt;.json</c>. New
/// sessions and messages are written with <c>If-None-Match: *</c>, so two writers never overwrite each other's message
/// (S3 has supported conditional writes since 2024; on a server that ignores the header a duplicate message id is not
/// detected). Thread-safe.
/// </summary>
public sealed class S3SessionRepository : ISessionRepository, IDisposable
{
    private const int ParallelReads = 8;

    private readonly IAmazonS3 _client;
    private readonly bool _ownsClient;
    private readonly string _prefix;

    /// <summary>Creates the store with its own S3 client.</summary>
    /// <param name="bucket">The bucket.</param>
    /// <param name="prefix">A key prefix for the sessions, e.g. <c>prod/agents</c>; none when empty.</param>
    /// <param name="options">Region, credentials and endpoint; see <see cref="S3SessionRepositoryOptions"/>.</param>
    /// <exception cref="ArgumentException">The bucket is empty, or an explicit region or endpoint is not valid.</exception>
    /// <exception cref="InvalidOperationException">An endpoint variable holds something other than an absolute http(s) URL.</exception>
    /// <exception cref="BedrockCredentialsException">The named profile does not exist or has no usable credentials.</exception>
    public S3SessionRepository(string bucket, string prefix = "", S3SessionRepositoryOptions? options = null)
        : this(CreateClient(options ?? new S3SessionRepositoryOptions()), bucket, prefix, ownsClient: true)
    {
    }

    /// <summary>Creates the store over an S3 client you configured (it is not disposed with the store).</summary>
    /// <param name="client">The client.</param>
    /// <param name="bucket">The bucket.</param>
    /// <param name="prefix">A key prefix for the sessions; none when empty.</param>
    /// <exception cref="ArgumentException">The bucket is empty.</exception>
    public S3SessionRepository(IAmazonS3 client, string bucket, string prefix = "")
        : this(client, bucket, prefix, ownsClient: false)
    {
    }

    private S3SessionRepository(IAmazonS3 client, string bucket, string prefix, bool ownsClient)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(bucket);
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Any(char.IsControl))
        {
            throw new ArgumentException("The key prefix cannot contain control characters.", nameof(prefix));
        }

        _client = client;
        _ownsClient = ownsClient;
        Bucket = bucket;
        _prefix = prefix.Trim('/');
    }

    /// <summary>The bucket.</summary>
    public string Bucket { get; }

    /// <summary>The key prefix (without leading or trailing slashes); empty for none.</summary>
    public string Prefix => _prefix;

    /// <inheritdoc />
    public async Task CreateSessionAsync(Session session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var key = SessionKey(session.SessionId) + SessionLayout.SessionFile;
        if (await ExistsAsync(key, cancellationToken).ConfigureAwait(false))
        {
            throw new SessionConflictException($"Session {session.SessionId} already exists.");
        }

        await PutAsync(key, SessionJson.Serialize(session), createOnly: true, $"Session {session.SessionId} already exists.", cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<Session?> ReadSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        var key = SessionKey(sessionId) + SessionLayout.SessionFile;
        var json = await GetAsync(key, cancellationToken).ConfigureAwait(false);
        return json is null ? null : Parse(key, json, SessionJson.DeserializeSession);
    }

    /// <summary>Deletes a session with its agents and messages.</summary>
    /// <param name="sessionId">The session id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the session is gone.</returns>
    /// <exception cref="SessionException">The session does not exist, or S3 failed.</exception>
    public async Task DeleteSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        var keys = await ListKeysAsync(SessionKey(sessionId), cancellationToken).ConfigureAwait(false);
        if (keys.Count == 0)
        {
            throw new SessionException($"Session {sessionId} does not exist.");
        }

        await Call($"delete session {sessionId}", async () =>
        {
            // One object at a time: DeleteObjects needs Content-MD5 or a checksum that some S3-compatible servers reject.
            foreach (var key in keys)
            {
                await _client.DeleteObjectAsync(Bucket, key, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task CreateAgentAsync(string sessionId, SessionAgent agent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var key = AgentKey(sessionId, agent.AgentId) + SessionLayout.AgentFile;
        if (!await ExistsAsync(SessionKey(sessionId) + SessionLayout.SessionFile, cancellationToken).ConfigureAwait(false))
        {
            throw new SessionException($"Session {sessionId} does not exist.");
        }

        await PutAsync(key, SessionJson.Serialize(agent), createOnly: false, null, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<SessionAgent?> ReadAgentAsync(string sessionId, string agentId, CancellationToken cancellationToken = default)
    {
        var key = AgentKey(sessionId, agentId) + SessionLayout.AgentFile;
        var json = await GetAsync(key, cancellationToken).ConfigureAwait(false);
        return json is null ? null : Parse(key, json, SessionJson.DeserializeAgent);
    }

    /// <inheritdoc />
    public async Task UpdateAgentAsync(string sessionId, SessionAgent agent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var previous = await ReadAgentAsync(sessionId, agent.AgentId, cancellationToken).ConfigureAwait(false)
            ?? throw new SessionException($"Agent {agent.AgentId} in session {sessionId} does not exist.");
        var key = AgentKey(sessionId, agent.AgentId) + SessionLayout.AgentFile;
        await PutAsync(key, SessionJson.Serialize(agent with { CreatedAt = previous.CreatedAt }), createOnly: false, null, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task CreateMessageAsync(string sessionId, string agentId, SessionMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var key = MessageKey(sessionId, agentId, message.MessageId);
        return PutAsync(key, SessionJson.Serialize(message), createOnly: true, $"Message {message.MessageId} of agent {agentId} in session {sessionId} already exists.", cancellationToken);
    }

    /// <inheritdoc />
    public async Task<SessionMessage?> ReadMessageAsync(string sessionId, string agentId, int messageId, CancellationToken cancellationToken = default)
    {
        var key = MessageKey(sessionId, agentId, messageId);
        var json = await GetAsync(key, cancellationToken).ConfigureAwait(false);
        return json is null ? null : Parse(key, json, SessionJson.DeserializeMessage);
    }

    /// <inheritdoc />
    public async Task UpdateMessageAsync(string sessionId, string agentId, SessionMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var previous = await ReadMessageAsync(sessionId, agentId, message.MessageId, cancellationToken).ConfigureAwait(false)
            ?? throw new SessionException($"Message {message.MessageId} of agent {agentId} in session {sessionId} does not exist.");
        var key = MessageKey(sessionId, agentId, message.MessageId);
        await PutAsync(key, SessionJson.Serialize(message with { CreatedAt = previous.CreatedAt }), createOnly: false, null, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<SessionMessage>> ListMessagesAsync(string sessionId, string agentId, int? limit = null, int offset = 0, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (limit is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(max, nameof(limit));
        }

        var messagesPrefix = $"{AgentKey(sessionId, agentId)}{SessionLayout.MessagesFolder}/";
        var ids = new List<int>();
        foreach (var key in await ListKeysAsync(messagesPrefix, cancellationToken).ConfigureAwait(false))
        {
            // Only direct children named message_<digits>.json count.
            if (SessionLayout.TryParseMessageFile(key[messagesPrefix.Length..]) is { } id)
            {
                ids.Add(id);
            }
        }

        ids.Sort();
        var page = ids.Skip(offset).Take(limit ?? int.MaxValue).ToArray();
        var messages = new SessionMessage?[page.Length];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, page.Length),
            new ParallelOptions { MaxDegreeOfParallelism = ParallelReads, CancellationToken = cancellationToken },
            async (i, token) => messages[i] = await ReadMessageAsync(sessionId, agentId, page[i], token).ConfigureAwait(false)).ConfigureAwait(false);

        // A message deleted between the listing and the read is left out, as Strands for Python does.
        return [.. messages.OfType<SessionMessage>()];
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    /// <summary>
    /// Creates the S3 client: credentials and region resolved like the Bedrock client's, the endpoint from the options
    /// or <c>AWS_ENDPOINT_URL_S3</c> / <c>AWS_ENDPOINT_URL</c>.
    /// </summary>
    internal static AmazonS3Client CreateClient(S3SessionRepositoryOptions options) =>
        CreateClient(options, Environment.GetEnvironmentVariable);

    /// <summary>Creates the S3 client with a custom environment (for tests).</summary>
    internal static AmazonS3Client CreateClient(S3SessionRepositoryOptions options, Func<string, string?> env)
    {
        ArgumentNullException.ThrowIfNull(options);
        var shared = new BedrockClientOptions { Region = options.Region, Credentials = options.Credentials, ProfileName = options.ProfileName };
        var credentials = BedrockCredentialResolver.ResolveCredentials(shared);
        var region = BedrockRegionResolver.Resolve(shared, env);
        var endpoint = S3EndpointResolver.Resolve(options.EndpointUrl, env);

        var config = new AmazonS3Config
        {
            // The endpoint variables are resolved above, by the same rules as the Bedrock client; the SDK must not
            // apply its own reading of them (or of a profile's endpoint_url) on top.
            IgnoreConfiguredEndpointUrls = true,
            ForcePathStyle = options.ForcePathStyle,
        };
        if (endpoint is null)
        {
            config.RegionEndpoint = S3EndpointResolver.ValidRegion(region);
        }
        else
        {
            config.ServiceURL = endpoint.ToString();
            config.AuthenticationRegion = region;
        }

        return new AmazonS3Client(credentials, config);
    }

    private string SessionKey(string sessionId) =>
        (_prefix.Length == 0 ? string.Empty : _prefix + "/") + SessionLayout.SessionFolder(sessionId) + "/";

    private string AgentKey(string sessionId, string agentId) =>
        $"{SessionKey(sessionId)}{SessionLayout.AgentsFolder}/{SessionLayout.AgentFolder(agentId)}/";

    private string MessageKey(string sessionId, string agentId, int messageId) =>
        $"{AgentKey(sessionId, agentId)}{SessionLayout.MessagesFolder}/{SessionLayout.MessageFile(messageId)}";

    private async Task PutAsync(string key, byte[] json, bool createOnly, string? conflictMessage, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream(json, writable: false);
        var request = new PutObjectRequest
        {
            BucketName = Bucket,
            Key = key,
            InputStream = body,
            ContentType = "application/json",
            // The body is small and in memory: sign it whole. aws-chunked uploads are not understood by every
            // S3-compatible server.
            UseChunkEncoding = false,
            AutoCloseStream = false,
        };
        if (createOnly)
        {
            request.IfNoneMatch = "*";
        }

        try
        {
            await _client.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex) when (createOnly && (ex.StatusCode == HttpStatusCode.PreconditionFailed || ex.ErrorCode is "PreconditionFailed" or "ConditionalRequestConflict"))
        {
            throw new SessionConflictException(conflictMessage!, ex);
        }
        catch (AmazonServiceException ex)
        {
            throw new SessionException($"S3 could not write {key} in bucket {Bucket}: {ex.ErrorCode} (HTTP {(int)ex.StatusCode}).", ex);
        }
        catch (Exception ex) when (IsTransportFailure(ex, cancellationToken))
        {
            throw new SessionException($"S3 could not write {key} in bucket {Bucket}: {ex.Message}", ex);
        }
    }

    private async Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _client.GetObjectAsync(Bucket, key, cancellationToken).ConfigureAwait(false);
            using var buffer = new MemoryStream();
            await response.ResponseStream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return buffer.ToArray();
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound || ex.ErrorCode == "NoSuchKey")
        {
            return null;
        }
        catch (AmazonServiceException ex)
        {
            throw new SessionException($"S3 could not read {key} in bucket {Bucket}: {ex.ErrorCode} (HTTP {(int)ex.StatusCode}).", ex);
        }
        catch (Exception ex) when (IsTransportFailure(ex, cancellationToken))
        {
            throw new SessionException($"S3 could not read {key} in bucket {Bucket}: {ex.Message}", ex);
        }
    }

    private async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await _client.GetObjectMetadataAsync(Bucket, key, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound || ex.ErrorCode is "NoSuchKey" or "NotFound")
        {
            return false;
        }
        catch (AmazonServiceException ex)
        {
            throw new SessionException($"S3 could not check {key} in bucket {Bucket}: {ex.ErrorCode} (HTTP {(int)ex.StatusCode}).", ex);
        }
        catch (Exception ex) when (IsTransportFailure(ex, cancellationToken))
        {
            throw new SessionException($"S3 could not check {key} in bucket {Bucket}: {ex.Message}", ex);
        }
    }

    private Task<List<string>> ListKeysAsync(string prefix, CancellationToken cancellationToken) =>
        Call($"list {prefix} in bucket {Bucket}", async () =>
        {
            var keys = new List<string>();
            var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = prefix };
            while (true)
            {
                var response = await _client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
                foreach (var item in response.S3Objects ?? [])
                {
                    keys.Add(item.Key);
                }

                if (response.IsTruncated != true || string.IsNullOrEmpty(response.NextContinuationToken))
                {
                    return keys;
                }

                request.ContinuationToken = response.NextContinuationToken;
            }
        }, cancellationToken);

    private static async Task<T> Call<T>(string operation, Func<Task<T>> action, CancellationToken cancellationToken)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (AmazonServiceException ex)
        {
            throw new SessionException($"S3 could not {operation}: {ex.ErrorCode} (HTTP {(int)ex.StatusCode}).", ex);
        }
        catch (Exception ex) when (IsTransportFailure(ex, cancellationToken))
        {
            throw new SessionException($"S3 could not {operation}: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// A failure to reach S3 or to read its answer: the SDK's client errors, connection and I/O errors, and timeouts
    /// (a cancellation the caller did not ask for). The caller's own cancellation stays an <see cref="OperationCanceledException"/>.
    /// </summary>
    private static bool IsTransportFailure(Exception ex, CancellationToken cancellationToken) =>
        ex is AmazonClientException or HttpRequestException or IOException or System.Net.Sockets.SocketException
        || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private static T Parse<T>(string key, byte[] json, Func<ReadOnlyMemory<byte>, T> parse)
    {
        try
        {
            return parse(json);
        }
        catch (JsonException ex)
        {
            throw new SessionException($"Invalid JSON in the S3 object {key}: {ex.Message}", ex);
        }
    }
}
