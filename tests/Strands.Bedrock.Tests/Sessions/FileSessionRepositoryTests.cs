using System.Text.Json;
using Strands.Content;
using Strands.Sessions;
using Strands.Tests.TestUtilities;

namespace Strands.Tests.Sessions;

/// <summary>What the file store does beyond the shared contract: Python's directory layout, and failures of the disk.</summary>
public sealed class FileSessionRepositoryTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("strands-file-store-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task An_agent_is_laid_out_as_Pythons_file_session_manager_lays_it_out()
    {
        var manager = new RepositorySessionManager("chat-1", new FileSessionRepository(_directory));
        var agent = RepositorySessionManagerTests.NewAgent(manager, new ScriptedModel(Turn.Text("hi")), agentId: "helper");

        await agent.InvokeAsync("hello");

        var files = Directory.EnumerateFileSystemEntries(_directory, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(_directory, p).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);
        Assert.Equal(
            [
                "session_chat-1",
                "session_chat-1/agents",
                "session_chat-1/agents/agent_helper",
                "session_chat-1/agents/agent_helper/agent.json",
                "session_chat-1/agents/agent_helper/messages",
                "session_chat-1/agents/agent_helper/messages/message_0.json",
                "session_chat-1/agents/agent_helper/messages/message_1.json",
                "session_chat-1/multi_agents",
                "session_chat-1/session.json",
            ],
            files);
    }

    [Fact]
    public void Without_a_directory_it_uses_Pythons_default_under_the_temporary_directory() =>
        Assert.Equal(Path.Combine(Path.GetTempPath(), "strands", "sessions"), new FileSessionRepository().StorageDirectory.TrimEnd(Path.DirectorySeparatorChar));

    [Fact]
    public async Task A_corrupt_file_is_a_session_error_that_names_it()
    {
        var repository = new FileSessionRepository(_directory);
        await repository.CreateSessionAsync(new Session { SessionId = "s" });
        await repository.CreateAgentAsync("s", new SessionAgent { AgentId = "a" });
        var file = Path.Combine(_directory, "session_s", "agents", "agent_a", "agent.json");
        await File.WriteAllTextAsync(file, "{\"agent_id\": \"a\", \"state\": {");

        var error = await Assert.ThrowsAsync<SessionException>(() => repository.ReadAgentAsync("s", "a"));

        Assert.IsAssignableFrom<JsonException>(error.InnerException);
        Assert.Contains(file, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_disk_is_a_session_error_with_the_cause()
    {
        var repository = new FileSessionRepository(_directory);
        await repository.CreateSessionAsync(new Session { SessionId = "s" });
        // A file where the agent's directory should be: creating the directory fails.
        await File.WriteAllTextAsync(Path.Combine(_directory, "session_s", "agents", "agent_a"), "in the way");

        var error = await Assert.ThrowsAsync<SessionException>(() => repository.CreateAgentAsync("s", new SessionAgent { AgentId = "a" }));

        Assert.IsAssignableFrom<IOException>(error.InnerException);
    }

    [Fact]
    public async Task Writes_leave_no_temporary_files_and_listings_ignore_foreign_names()
    {
        var repository = new FileSessionRepository(_directory);
        await repository.CreateSessionAsync(new Session { SessionId = "s" });
        await repository.CreateAgentAsync("s", new SessionAgent { AgentId = "a" });
        await repository.CreateMessageAsync("s", "a", new SessionMessage { Message = Message.User("m"), MessageId = 0 });
        await repository.UpdateMessageAsync("s", "a", new SessionMessage { Message = Message.User("m2"), MessageId = 0 });
        var messages = Path.Combine(_directory, "session_s", "agents", "agent_a", "messages");
        Assert.Equal(["message_0.json"], Directory.EnumerateFiles(messages).Select(Path.GetFileName));

        // What a crashed writer or another tool may leave behind.
        foreach (var name in new[] { "message_1.json.tmp", "message_2.json.5f2c.tmp", "message_x.json", "message_.json", "message_-1.json", "notes.json", "message_3.JSON" })
        {
            await File.WriteAllTextAsync(Path.Combine(messages, name), "not a message");
        }

        var listed = await repository.ListMessagesAsync("s", "a");
        Assert.Equal("m2", listed.Single().Message.Content[0].Text);
    }

    [Fact]
    public async Task Deleting_a_session_removes_it_with_its_agents_and_messages()
    {
        var repository = new FileSessionRepository(_directory);
        await repository.CreateSessionAsync(new Session { SessionId = "gone" });
        await repository.CreateAgentAsync("gone", new SessionAgent { AgentId = "a" });
        await repository.CreateMessageAsync("gone", "a", new SessionMessage { Message = Message.User("m"), MessageId = 0 });

        await repository.DeleteSessionAsync("gone");

        Assert.Null(await repository.ReadSessionAsync("gone"));
        Assert.Empty(await repository.ListMessagesAsync("gone", "a"));
        Assert.False(Directory.Exists(Path.Combine(_directory, "session_gone")));
        await Assert.ThrowsAsync<SessionException>(() => repository.DeleteSessionAsync("gone"));
    }
}
