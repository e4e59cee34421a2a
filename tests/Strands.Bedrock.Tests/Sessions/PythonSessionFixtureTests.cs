using System.Text;
using Strands.Content;
using Strands.Sessions;
using Strands.Tests.TestUtilities;

namespace Strands.Tests.Sessions;

/// <summary>
/// A session written in Strands for Python's layout and JSON (TestData/sessions/python-session, made by
/// write_python_session.py from the Python source's formats) is read, written back byte for byte, and continued by a
/// .NET agent, which stores its new messages in the same format.
/// </summary>
public sealed class PythonSessionFixtureTests : IDisposable
{
    private const string SessionId = "python-session";
    private static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "TestData", "sessions", "python-session");
    private readonly string _directory = Directory.CreateTempSubdirectory("strands-python-session-").FullName;

    public PythonSessionFixtureTests() => CopyDirectory(Fixture, _directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string AgentDirectory(string root) => Path.Combine(root, $"session_{SessionId}", "agents", "agent_default");

    [Fact]
    public async Task Every_file_reads_and_is_written_back_byte_for_byte()
    {
        var source = new FileSessionRepository(_directory);
        var copyRoot = Path.Combine(_directory, "copy");
        var copy = new FileSessionRepository(copyRoot);

        await copy.CreateSessionAsync((await source.ReadSessionAsync(SessionId))!);
        await copy.CreateAgentAsync(SessionId, (await source.ReadAgentAsync(SessionId, "default"))!);
        foreach (var message in await source.ListMessagesAsync(SessionId, "default"))
        {
            await copy.CreateMessageAsync(SessionId, "default", message);
        }

        var expected = Files(_directory, exclude: copyRoot);
        var actual = Files(copyRoot, exclude: null);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (path, bytes) in expected)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(actual[path]), $"{path} differs:\n{Encoding.UTF8.GetString(actual[path])}");
        }
    }

    [Fact]
    public async Task Messages_built_in_dotnet_are_stored_as_Python_stores_them()
    {
        // The user messages of the fixture carry nothing .NET does not model, so building them from C# types must give
        // the very bytes Python wrote: key order, bytes encoding, escaping and timestamps included.
        var fixture = new FileSessionRepository(_directory);
        var rebuilt = new FileSessionRepository(Path.Combine(_directory, "rebuilt"));
        Message[] built =
        [
            Message.User("What's the weather in Zürich? Answer in °C."),
            Message.User(new ContentBlock
            {
                ToolResult = new ToolResultBlock
                {
                    ToolUseId = "tooluse_Zrh01",
                    Status = ToolResultStatus.Success,
                    Content = [ToolResultContentBlock.FromText("""{"conditions": "sunny", "temperatureC": 21.5}""")],
                },
            }),
            Message.User(
                ContentBlock.FromText("What is in this picture?"),
                new ContentBlock { Image = new ImageBlock { Format = ImageFormat.Png, Source = new ImageSource { Bytes = SessionRepositoryContractTests.SamplePng } } }),
        ];
        int[] ids = [0, 2, 4];

        await rebuilt.CreateSessionAsync(new Session { SessionId = SessionId });
        for (var i = 0; i < ids.Length; i++)
        {
            var original = (await fixture.ReadMessageAsync(SessionId, "default", ids[i]))!;
            await rebuilt.CreateMessageAsync(SessionId, "default", new SessionMessage { Message = built[i], MessageId = ids[i], CreatedAt = original.CreatedAt, UpdatedAt = original.UpdatedAt });

            var name = $"message_{ids[i]}.json";
            Assert.Equal(
                File.ReadAllText(Path.Combine(AgentDirectory(Fixture), "messages", name)),
                File.ReadAllText(Path.Combine(AgentDirectory(rebuilt.StorageDirectory), "messages", name)));
        }
    }

    [Fact]
    public async Task A_dotnet_agent_restores_the_Python_conversation_and_continues_it()
    {
        var before = Files(_directory, exclude: null);
        var model = new ScriptedModel(Turn.Text("You're welcome, Ada!"));
        var manager = new RepositorySessionManager(SessionId, new FileSessionRepository(_directory));
        var agent = RepositorySessionManagerTests.NewAgent(manager, model);

        var result = await agent.InvokeAsync("Thanks!");

        // The model saw the whole Python conversation: text, the tool round, the image bytes.
        var sent = model.Calls.Single().Messages;
        Assert.Equal(7, sent.Count);
        Assert.Equal("get_weather", sent[1].Content[1].ToolUse!.Name);
        Assert.Equal("Zürich", sent[1].Content[1].ToolUse!.Input.GetProperty("city").GetString());
        Assert.Equal("tooluse_Zrh01", sent[2].Content[0].ToolResult!.ToolUseId);
        Assert.Equal(SessionRepositoryContractTests.SamplePng, sent[4].Content[1].Image!.Source.Bytes);
        Assert.Equal("Thanks!", sent[6].Content[0].Text);
        Assert.Equal("You're welcome, Ada!", result.Message.Content[0].Text);
        Assert.Equal("Ada", agent.State.Get("user_name")!.Value.GetString());

        // Python's files are untouched; the new messages follow them in Python's format.
        foreach (var (path, bytes) in before.Where(f => !f.Key.EndsWith("agent.json", StringComparison.Ordinal)))
        {
            Assert.True(bytes.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(_directory, path))), $"{path} changed");
        }

        var messages = Path.Combine(AgentDirectory(_directory), "messages");
        var stored = await File.ReadAllTextAsync(Path.Combine(messages, "message_6.json"));
        Assert.Matches(
            """^\{\n  "message": \{\n    "role": "user",\n    "content": \[\n      \{\n        "text": "Thanks!"\n      \}\n    \]\n  \},\n  "message_id": 6,\n  "redact_message": null,\n  "created_at": "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00",\n  "updated_at": "[^"]+"\n\}$""",
            stored);
        Assert.True(File.Exists(Path.Combine(messages, "message_7.json")));

        // The agent file keeps what Python wrote that .NET does not use, in Python's layout.
        var agentJson = await File.ReadAllTextAsync(Path.Combine(AgentDirectory(_directory), "agent.json"));
        Assert.Contains("\"model_call_count\": 0", agentJson, StringComparison.Ordinal);
        Assert.Contains("\"created_at\": \"2025-11-30T09:15:00.211873+00:00\"", agentJson, StringComparison.Ordinal);
        Assert.Contains("\"_internal_state\": {\n    \"interrupt_state\": {\n      \"interrupts\": {},", agentJson, StringComparison.Ordinal);

        // And a second .NET agent (as a Python agent would) gets all eight messages back.
        var next = new RepositorySessionManager(SessionId, new FileSessionRepository(_directory));
        var again = RepositorySessionManagerTests.NewAgent(next, new ScriptedModel());
        await next.InitializeAsync(again);
        Assert.Equal(TestJson.Of(agent.Messages), TestJson.Of(again.Messages));
    }

    private static Dictionary<string, byte[]> Files(string root, string? exclude) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => exclude is null || !f.StartsWith(exclude + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .ToDictionary(f => Path.GetRelativePath(root, f), File.ReadAllBytes);

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
