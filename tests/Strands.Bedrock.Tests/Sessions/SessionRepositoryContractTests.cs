using System.Text.Json;
using Strands.Content;
using Strands.Sessions;

namespace Strands.Tests.Sessions;

/// <summary>
/// The contract of <see cref="ISessionRepository"/> (its remarks), run against every store: the file store, the S3
/// store on a real S3-compatible server, and a one-class in-memory store.
/// </summary>
public abstract class SessionRepositoryContractTests
{
    /// <summary>The store under test; a fresh, empty namespace for every test.</summary>
    protected abstract ISessionRepository Repository { get; }

    public static TheoryData<string> InvalidIds => new()
    {
        "", ".", "..", "../escape", "a/b", "/abs", "a\\b", "..\\up", "nul\0byte", "line\nbreak", "tab\tid", "\u007f", new string('x', 201),
    };

    protected static DateTimeOffset T0 { get; } = new(2025, 6, 1, 10, 0, 0, TimeSpan.Zero);

    protected static string NewId() => "s-" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task Reading_what_does_not_exist_returns_nothing()
    {
        var sessionId = NewId();
        Assert.Null(await Repository.ReadSessionAsync(sessionId));
        Assert.Null(await Repository.ReadAgentAsync(sessionId, "agent"));
        Assert.Null(await Repository.ReadMessageAsync(sessionId, "agent", 0));
        Assert.Empty(await Repository.ListMessagesAsync(sessionId, "agent"));
    }

    [Fact]
    public async Task A_session_reads_back_with_its_fields()
    {
        var session = new Session { SessionId = NewId(), CreatedAt = T0, UpdatedAt = T0.AddMicroseconds(123456) };
        await Repository.CreateSessionAsync(session);

        var read = await Repository.ReadSessionAsync(session.SessionId);

        Assert.Equal(session, read);
    }

    [Fact]
    public async Task Creating_a_session_that_exists_is_a_conflict_and_keeps_the_first()
    {
        var session = new Session { SessionId = NewId(), CreatedAt = T0, UpdatedAt = T0 };
        await Repository.CreateSessionAsync(session);

        await Assert.ThrowsAsync<SessionConflictException>(() => Repository.CreateSessionAsync(session with { CreatedAt = T0.AddDays(1) }));

        Assert.Equal(T0, (await Repository.ReadSessionAsync(session.SessionId))!.CreatedAt);
    }

    [Fact]
    public async Task Creating_an_agent_needs_its_session()
    {
        var error = await Assert.ThrowsAnyAsync<SessionException>(() => Repository.CreateAgentAsync(NewId(), Agent("a")));
        Assert.IsNotType<SessionConflictException>(error);
    }

    [Fact]
    public async Task An_agent_reads_back_with_state_and_conversation_manager_state()
    {
        var sessionId = await NewSessionAsync();
        var agent = Agent("assistant") with
        {
            State = Values("""{"user":"Ada","visits":3,"prefs":{"units":"metric","tags":["a","b"]},"none":null}"""),
            ConversationManagerState = Values("""{"__name__":"SlidingWindowConversationManager","removed_message_count":4,"model_call_count":0}"""),
        };
        await Repository.CreateAgentAsync(sessionId, agent);

        var read = await Repository.ReadAgentAsync(sessionId, "assistant");

        Assert.NotNull(read);
        Assert.Equal(Json(SessionJson.Serialize(agent)), Json(SessionJson.Serialize(read)));
        Assert.Equal(["user", "visits", "prefs", "none"], read.State.Keys);
    }

    [Fact]
    public async Task Updating_an_agent_replaces_it_but_keeps_its_creation_time()
    {
        var sessionId = await NewSessionAsync();
        await Repository.CreateAgentAsync(sessionId, Agent("a"));

        await Repository.UpdateAgentAsync(sessionId, Agent("a") with { State = Values("""{"n":2}"""), CreatedAt = T0.AddDays(5), UpdatedAt = T0.AddDays(5) });

        var read = await Repository.ReadAgentAsync(sessionId, "a");
        Assert.Equal(T0, read!.CreatedAt);
        Assert.Equal(T0.AddDays(5), read.UpdatedAt);
        Assert.Equal(2, read.State["n"].GetInt32());
    }

    [Fact]
    public async Task Updating_an_agent_that_does_not_exist_fails()
    {
        var sessionId = await NewSessionAsync();
        await Assert.ThrowsAnyAsync<SessionException>(() => Repository.UpdateAgentAsync(sessionId, Agent("ghost")));
    }

    [Fact]
    public async Task Messages_with_bytes_tool_uses_and_results_read_back_unchanged()
    {
        var sessionId = await NewSessionAsync();
        await Repository.CreateAgentAsync(sessionId, Agent("a"));
        var messages = SampleConversation();
        for (var i = 0; i < messages.Count; i++)
        {
            await Repository.CreateMessageAsync(sessionId, "a", Stored(i, messages[i]));
        }

        var listed = await Repository.ListMessagesAsync(sessionId, "a");
        var single = await Repository.ReadMessageAsync(sessionId, "a", 1);

        Assert.Equal(messages.Select(Json), listed.Select(m => Json(m.Message)));
        Assert.Equal(Json(messages[1]), Json(single!.Message));
        Assert.Equal(SamplePng, single.Message.Content[1].Image!.Source.Bytes);
    }

    [Fact]
    public async Task Creating_a_message_id_that_exists_is_a_conflict_and_keeps_the_first()
    {
        var sessionId = await NewSessionAsync();
        await Repository.CreateAgentAsync(sessionId, Agent("a"));
        await Repository.CreateMessageAsync(sessionId, "a", Stored(0, Message.User("first")));

        await Assert.ThrowsAsync<SessionConflictException>(() => Repository.CreateMessageAsync(sessionId, "a", Stored(0, Message.User("second"))));

        Assert.Equal("first", (await Repository.ReadMessageAsync(sessionId, "a", 0))!.Message.Content[0].Text);
    }

    [Fact]
    public async Task Updating_a_message_stores_the_redaction_and_keeps_its_creation_time()
    {
        var sessionId = await NewSessionAsync();
        await Repository.CreateAgentAsync(sessionId, Agent("a"));
        await Repository.CreateMessageAsync(sessionId, "a", Stored(0, Message.User("secret")));
        var redaction = Message.User("[User input redacted.]");

        await Repository.UpdateMessageAsync(sessionId, "a", Stored(0, redaction) with { RedactMessage = redaction, CreatedAt = T0.AddDays(1), UpdatedAt = T0.AddDays(1) });

        var read = await Repository.ReadMessageAsync(sessionId, "a", 0);
        Assert.Equal(T0, read!.CreatedAt);
        Assert.Equal(T0.AddDays(1), read.UpdatedAt);
        Assert.Equal("[User input redacted.]", read.ToMessage().Content[0].Text);
    }

    [Fact]
    public async Task Updating_a_message_that_does_not_exist_fails()
    {
        var sessionId = await NewSessionAsync();
        await Repository.CreateAgentAsync(sessionId, Agent("a"));
        await Assert.ThrowsAnyAsync<SessionException>(() => Repository.UpdateMessageAsync(sessionId, "a", Stored(3, Message.User("x"))));
    }

    [Fact]
    public async Task Messages_are_listed_in_numeric_order_past_ten()
    {
        var sessionId = await NewSessionAsync();
        await Repository.CreateAgentAsync(sessionId, Agent("a"));
        var ids = Enumerable.Range(0, 23).ToArray();
        new Random(7).Shuffle(ids);
        foreach (var id in ids)
        {
            await Repository.CreateMessageAsync(sessionId, "a", Stored(id, Message.User($"m{id}")));
        }

        var all = await Repository.ListMessagesAsync(sessionId, "a");
        var page = await Repository.ListMessagesAsync(sessionId, "a", limit: 5, offset: 9);
        var tail = await Repository.ListMessagesAsync(sessionId, "a", offset: 20);
        var beyond = await Repository.ListMessagesAsync(sessionId, "a", offset: 30);

        Assert.Equal(Enumerable.Range(0, 23), all.Select(m => m.MessageId));
        Assert.Equal(Enumerable.Range(0, 23).Select(i => $"m{i}"), all.Select(m => m.Message.Content[0].Text));
        Assert.Equal([9, 10, 11, 12, 13], page.Select(m => m.MessageId));
        Assert.Equal([20, 21, 22], tail.Select(m => m.MessageId));
        Assert.Empty(beyond);
    }

    [Fact]
    public async Task Sessions_and_agents_do_not_see_each_others_messages()
    {
        var first = await NewSessionAsync();
        var second = await NewSessionAsync();
        foreach (var (session, agent) in new[] { (first, "a"), (first, "b"), (second, "a") })
        {
            await Repository.CreateAgentAsync(session, Agent(agent));
            await Repository.CreateMessageAsync(session, agent, Stored(0, Message.User($"{session}/{agent}")));
        }

        Assert.Equal($"{first}/a", (await Repository.ListMessagesAsync(first, "a")).Single().Message.Content[0].Text);
        Assert.Equal($"{first}/b", (await Repository.ListMessagesAsync(first, "b")).Single().Message.Content[0].Text);
        Assert.Equal($"{second}/a", (await Repository.ListMessagesAsync(second, "a")).Single().Message.Content[0].Text);
    }

    [Theory]
    [MemberData(nameof(InvalidIds))]
    public async Task Invalid_session_ids_are_rejected_before_anything_is_stored(string id)
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Repository.CreateSessionAsync(new Session { SessionId = id }));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Repository.ReadSessionAsync(id));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Repository.CreateAgentAsync(id, Agent("a")));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Repository.CreateMessageAsync(id, "a", Stored(0, Message.User("x"))));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Repository.ListMessagesAsync(id, "a"));
    }

    [Theory]
    [MemberData(nameof(InvalidIds))]
    public async Task Invalid_agent_ids_are_rejected_before_anything_is_stored(string id)
    {
        var sessionId = await NewSessionAsync();
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Repository.CreateAgentAsync(sessionId, Agent(id)));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Repository.ReadAgentAsync(sessionId, id));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Repository.UpdateAgentAsync(sessionId, Agent(id)));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Repository.CreateMessageAsync(sessionId, id, Stored(0, Message.User("x"))));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Repository.ReadMessageAsync(sessionId, id, 0));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Repository.ListMessagesAsync(sessionId, id));
    }

    [Fact]
    public async Task Concurrent_writers_of_different_messages_all_land()
    {
        var sessionId = await NewSessionAsync();
        await Repository.CreateAgentAsync(sessionId, Agent("a"));

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => Repository.CreateMessageAsync(sessionId, "a", Stored(i, Message.User($"m{i}"))))));

        var listed = await Repository.ListMessagesAsync(sessionId, "a");
        Assert.Equal(Enumerable.Range(0, 40).Select(i => $"m{i}"), listed.Select(m => m.Message.Content[0].Text));
    }

    [Fact]
    public async Task Of_concurrent_writers_of_one_message_id_exactly_one_wins()
    {
        var sessionId = await NewSessionAsync();
        await Repository.CreateAgentAsync(sessionId, Agent("a"));
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(async () =>
        {
            try
            {
                await Repository.CreateMessageAsync(sessionId, "a", Stored(5, Message.User($"writer {i}")));
                return $"writer {i}";
            }
            catch (SessionConflictException)
            {
                return null;
            }
        })));

        var winner = Assert.Single(outcomes, o => o is not null);
        Assert.Equal(winner, (await Repository.ReadMessageAsync(sessionId, "a", 5))!.Message.Content[0].Text);
    }

    [Fact]
    public async Task Concurrent_agent_updates_leave_one_whole_version()
    {
        var sessionId = await NewSessionAsync();
        await Repository.CreateAgentAsync(sessionId, Agent("a"));
        var big = new string('x', 20_000);

        await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() =>
            Repository.UpdateAgentAsync(sessionId, Agent("a") with { State = Values($$"""{"writer":{{i}},"payload":"{{big}}{{i}}"}""") }))));

        var read = await Repository.ReadAgentAsync(sessionId, "a");
        var writer = read!.State["writer"].GetInt32();
        Assert.Equal(big + writer, read.State["payload"].GetString());
    }

    protected async Task<string> NewSessionAsync()
    {
        var sessionId = NewId();
        await Repository.CreateSessionAsync(new Session { SessionId = sessionId, CreatedAt = T0, UpdatedAt = T0 });
        return sessionId;
    }

    internal static byte[] SamplePng { get; } = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==");

    /// <summary>A conversation with text, an image, a tool use and its result, and non-ASCII text.</summary>
    internal static List<Message> SampleConversation() =>
    [
        Message.User("What's the weather in Zürich? «quoted» \"and\" \\slashes\\ \u0001"),
        Message.User(
            ContentBlock.FromText("And what is in this picture?"),
            new ContentBlock { Image = new ImageBlock { Format = ImageFormat.Png, Source = new ImageSource { Bytes = SamplePng } } }),
        Message.Assistant(
            ContentBlock.FromText("Let me check."),
            new ContentBlock { ToolUse = new ToolUseBlock { ToolUseId = "tooluse_1", Name = "get_weather", Input = JsonValues.Parse("""{"city":"Zürich","days":2}""") } }),
        Message.User(new ContentBlock
        {
            ToolResult = new ToolResultBlock
            {
                ToolUseId = "tooluse_1",
                Status = ToolResultStatus.Success,
                Content = [ToolResultContentBlock.FromText("sunny, 21°C"), new ToolResultContentBlock { Json = JsonValues.Parse("""{"t":21.5}""") }],
            },
        }),
        Message.Assistant("It is sunny in Zürich: 21°C. 🌞"),
    ];

    protected static SessionAgent Agent(string agentId) => new() { AgentId = agentId, CreatedAt = T0, UpdatedAt = T0 };

    protected static SessionMessage Stored(int id, Message message) => new() { Message = message, MessageId = id, CreatedAt = T0, UpdatedAt = T0 };

    protected static IReadOnlyDictionary<string, JsonElement> Values(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
    }

    protected static string Json(Message message) => SessionJson.SerializeConversationMessage(message).GetRawText();

    protected static string Json(byte[] utf8) => System.Text.Encoding.UTF8.GetString(utf8);
}

/// <summary>The contract on the file store, in a directory of its own per test.</summary>
public sealed class FileSessionRepositoryContractTests : SessionRepositoryContractTests, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("strands-sessions-").FullName;

    public FileSessionRepositoryContractTests() => Repository = new FileSessionRepository(_directory);

    protected override ISessionRepository Repository { get; }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}

/// <summary>The contract on the S3 store, against s3rver on loopback, on a key prefix of its own per test.</summary>
[Collection(S3ServerGroup.Name)]
public sealed class S3SessionRepositoryContractTests : SessionRepositoryContractTests, IDisposable
{
    private readonly S3SessionRepository _repository;

    public S3SessionRepositoryContractTests(S3TestServer server) => _repository = server.NewRepository();

    protected override ISessionRepository Repository => _repository;

    public void Dispose() => _repository.Dispose();
}

/// <summary>The contract on a store written in one class by a user.</summary>
public sealed class InMemorySessionRepositoryContractTests : SessionRepositoryContractTests
{
    protected override ISessionRepository Repository { get; } = new InMemorySessionRepository();
}
