using System.Text.Json;

namespace Strands.Sessions;

/// <summary>
/// Stores sessions in a directory, with the layout and JSON of Strands for Python's <c>FileSessionManager</c>, so
/// that Python and .NET agents can continue each other's conversations:
/// <code>
/// &lt;storage directory&gt;/
///   session_&lt;session id&gt;/
///     session.json
///     agents/
///       agent_&lt;agent id&gt;/
///         agent.json
///         messages/
///           message_0.json
///           message_1.json
///     multi_agents/
/// </code>
/// Every file is written to a temporary file in the same directory and then renamed into place, so a reader never sees
/// a partial file; new sessions and messages are moved into place only when no file has that name yet, so two writers
/// never overwrite each other's message. Safe for concurrent use by several agents, threads and processes.
/// </summary>
public sealed class FileSessionRepository : ISessionRepository
{
    /// <summary>Creates the store.</summary>
    /// <param name="storageDirectory">
    /// The directory that holds the sessions; created when missing. When null, <c>strands/sessions</c> under the
    /// system's temporary directory, the default of Strands for Python.
    /// </param>
    /// <exception cref="SessionException">The directory cannot be created.</exception>
    public FileSessionRepository(string? storageDirectory = null)
    {
        StorageDirectory = Path.GetFullPath(storageDirectory ?? Path.Combine(Path.GetTempPath(), "strands", "sessions"));
        try
        {
            Directory.CreateDirectory(StorageDirectory);
        }
        catch (Exception ex) when (IsIoFailure(ex))
        {
            throw new SessionException($"The session storage directory {StorageDirectory} cannot be created.", ex);
        }
    }

    /// <summary>The directory that holds the sessions (absolute).</summary>
    public string StorageDirectory { get; }

    /// <inheritdoc />
    public async Task CreateSessionAsync(Session session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var directory = SessionPath(session.SessionId);
        var file = Path.Combine(directory, SessionLayout.SessionFile);
        await Io($"create session {session.SessionId}", async () =>
        {
            Directory.CreateDirectory(Path.Combine(directory, SessionLayout.AgentsFolder));
            Directory.CreateDirectory(Path.Combine(directory, SessionLayout.MultiAgentsFolder));
            if (!await WriteFileAsync(file, SessionJson.Serialize(session), overwrite: false, cancellationToken).ConfigureAwait(false))
            {
                throw new SessionConflictException($"Session {session.SessionId} already exists.");
            }
        }).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<Session?> ReadSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        var file = Path.Combine(SessionPath(sessionId), SessionLayout.SessionFile);
        var json = await ReadFileAsync(file, cancellationToken).ConfigureAwait(false);
        return json is null ? null : Parse(file, json, SessionJson.DeserializeSession);
    }

    /// <summary>Deletes a session with its agents and messages.</summary>
    /// <param name="sessionId">The session id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the session is gone.</returns>
    /// <exception cref="SessionException">The session does not exist, or it cannot be deleted.</exception>
    public Task DeleteSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        var directory = SessionPath(sessionId);
        cancellationToken.ThrowIfCancellationRequested();
        return Io($"delete session {sessionId}", () =>
        {
            if (!Directory.Exists(directory))
            {
                throw new SessionException($"Session {sessionId} does not exist.");
            }

            Directory.Delete(directory, recursive: true);
            return Task.CompletedTask;
        });
    }

    /// <inheritdoc />
    public async Task CreateAgentAsync(string sessionId, SessionAgent agent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var directory = AgentPath(sessionId, agent.AgentId);
        await Io($"create agent {agent.AgentId} in session {sessionId}", async () =>
        {
            if (!File.Exists(Path.Combine(SessionPath(sessionId), SessionLayout.SessionFile)))
            {
                throw new SessionException($"Session {sessionId} does not exist.");
            }

            Directory.CreateDirectory(Path.Combine(directory, SessionLayout.MessagesFolder));
            await WriteFileAsync(Path.Combine(directory, SessionLayout.AgentFile), SessionJson.Serialize(agent), overwrite: true, cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<SessionAgent?> ReadAgentAsync(string sessionId, string agentId, CancellationToken cancellationToken = default)
    {
        var file = Path.Combine(AgentPath(sessionId, agentId), SessionLayout.AgentFile);
        var json = await ReadFileAsync(file, cancellationToken).ConfigureAwait(false);
        return json is null ? null : Parse(file, json, SessionJson.DeserializeAgent);
    }

    /// <inheritdoc />
    public async Task UpdateAgentAsync(string sessionId, SessionAgent agent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var previous = await ReadAgentAsync(sessionId, agent.AgentId, cancellationToken).ConfigureAwait(false)
            ?? throw new SessionException($"Agent {agent.AgentId} in session {sessionId} does not exist.");
        var file = Path.Combine(AgentPath(sessionId, agent.AgentId), SessionLayout.AgentFile);
        var json = SessionJson.Serialize(agent with { CreatedAt = previous.CreatedAt });
        await Io($"update agent {agent.AgentId} in session {sessionId}", () => WriteFileAsync(file, json, overwrite: true, cancellationToken)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task CreateMessageAsync(string sessionId, string agentId, SessionMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var file = MessagePath(sessionId, agentId, message.MessageId);
        var json = SessionJson.Serialize(message);
        await Io($"create message {message.MessageId} of agent {agentId} in session {sessionId}", async () =>
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            if (!await WriteFileAsync(file, json, overwrite: false, cancellationToken).ConfigureAwait(false))
            {
                throw new SessionConflictException($"Message {message.MessageId} of agent {agentId} in session {sessionId} already exists.");
            }
        }).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<SessionMessage?> ReadMessageAsync(string sessionId, string agentId, int messageId, CancellationToken cancellationToken = default)
    {
        var file = MessagePath(sessionId, agentId, messageId);
        var json = await ReadFileAsync(file, cancellationToken).ConfigureAwait(false);
        return json is null ? null : Parse(file, json, SessionJson.DeserializeMessage);
    }

    /// <inheritdoc />
    public async Task UpdateMessageAsync(string sessionId, string agentId, SessionMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var previous = await ReadMessageAsync(sessionId, agentId, message.MessageId, cancellationToken).ConfigureAwait(false)
            ?? throw new SessionException($"Message {message.MessageId} of agent {agentId} in session {sessionId} does not exist.");
        var file = MessagePath(sessionId, agentId, message.MessageId);
        var json = SessionJson.Serialize(message with { CreatedAt = previous.CreatedAt });
        await Io($"update message {message.MessageId} of agent {agentId} in session {sessionId}", () => WriteFileAsync(file, json, overwrite: true, cancellationToken)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<SessionMessage>> ListMessagesAsync(string sessionId, string agentId, int? limit = null, int offset = 0, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (limit is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(max, nameof(limit));
        }

        var directory = Path.Combine(AgentPath(sessionId, agentId), SessionLayout.MessagesFolder);
        var ids = await Io($"list messages of agent {agentId} in session {sessionId}", () =>
        {
            var found = new List<int>();
            if (Directory.Exists(directory))
            {
                foreach (var path in Directory.EnumerateFiles(directory))
                {
                    if (SessionLayout.TryParseMessageFile(Path.GetFileName(path)) is { } id)
                    {
                        found.Add(id);
                    }
                }
            }

            found.Sort();
            return Task.FromResult(found);
        }).ConfigureAwait(false);

        var page = ids.Skip(offset).Take(limit ?? int.MaxValue).ToList();
        var messages = new List<SessionMessage>(page.Count);
        foreach (var id in page)
        {
            if (await ReadMessageAsync(sessionId, agentId, id, cancellationToken).ConfigureAwait(false) is { } message)
            {
                messages.Add(message);
            }
        }

        return messages;
    }

    private string SessionPath(string sessionId) =>
        Path.Combine(StorageDirectory, SessionLayout.SessionFolder(sessionId));

    private string AgentPath(string sessionId, string agentId) =>
        Path.Combine(SessionPath(sessionId), SessionLayout.AgentsFolder, SessionLayout.AgentFolder(agentId));

    private string MessagePath(string sessionId, string agentId, int messageId) =>
        Path.Combine(AgentPath(sessionId, agentId), SessionLayout.MessagesFolder, SessionLayout.MessageFile(messageId));

    /// <summary>
    /// Writes <paramref name="json"/> to a uniquely named temporary file beside <paramref name="path"/>, flushes it to
    /// disk, and renames it to <paramref name="path"/>: replacing an existing file when <paramref name="overwrite"/>,
    /// otherwise only if none exists (atomically: the rename fails when the name is taken).
    /// </summary>
    /// <returns>False when <paramref name="overwrite"/> is false and the file exists.</returns>
    private static async Task<bool> WriteFileAsync(string path, byte[] json, bool overwrite, CancellationToken cancellationToken)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(json, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            if (!overwrite && File.Exists(path))
            {
                return false;
            }

            try
            {
                File.Move(temporary, path, overwrite);
            }
            catch (IOException) when (!overwrite && File.Exists(path))
            {
                // Another writer created the file between the check and the move.
                return false;
            }

            return true;
        }
        finally
        {
            TryDelete(temporary);
        }
    }

    private static async Task<byte[]?> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception ex) when (IsIoFailure(ex))
        {
            throw new SessionException($"The session file {path} cannot be read.", ex);
        }
    }

    private static T Parse<T>(string path, byte[] json, Func<ReadOnlyMemory<byte>, T> parse)
    {
        try
        {
            return parse(json);
        }
        catch (JsonException ex)
        {
            throw new SessionException($"Invalid JSON in the session file {path}: {ex.Message}", ex);
        }
    }

    private static async Task<T> Io<T>(string operation, Func<Task<T>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception ex) when (IsIoFailure(ex))
        {
            throw new SessionException($"Could not {operation}: {ex.Message}", ex);
        }
    }

    private static async Task Io(string operation, Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (Exception ex) when (IsIoFailure(ex))
        {
            throw new SessionException($"Could not {operation}: {ex.Message}", ex);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (IsIoFailure(ex))
        {
            // A leftover temporary file is harmless: listings only read message_<n>.json.
        }
    }

    private static bool IsIoFailure(Exception ex) => ex is IOException or UnauthorizedAccessException or NotSupportedException or System.Security.SecurityException;
}
