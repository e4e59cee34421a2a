using System.Buffers;
using System.Text;
using System.Text.Json;
using Strands.Agents;
using Strands.Content;
using Strands.Conversation;
using Strands.Sessions;
using Strands.Sessions.Json;
using Strands.Tests.TestUtilities;
using Strands.Tools;

namespace Strands.Tests.Sessions;

/// <summary>
/// Invariants over seeded random schedules (a failure names its seed; rerun one with <see cref="RunConversation"/>):
/// whatever an agent did and whenever its process ended, a new agent restores exactly its history and state; and the
/// Python JSON writer always writes what it was given.
/// </summary>
public sealed class SessionPropertyTests
{
    private const int Conversations = 1500;
    private const int JsonValues = 3000;

    [Fact]
    public async Task A_new_agent_always_restores_the_history_and_state_the_last_one_had()
    {
        for (var seed = 1; seed <= Conversations; seed++)
        {
            try
            {
                await RunConversation(seed);
            }
            catch (Exception ex)
            {
                throw new Xunit.Sdk.XunitException($"Seed {seed} failed (rerun RunConversation({seed})): {ex}");
            }
        }
    }

    [Fact]
    public void The_Python_JSON_writer_writes_back_what_it_was_given_in_Pythons_format()
    {
        for (var seed = 1; seed <= JsonValues; seed++)
        {
            var random = new Random(seed);
            var json = RandomJson(random, depth: 0);
            using var document = JsonDocument.Parse(json);
            var written = PythonJsonWriter.Write(document.RootElement);
            using var reread = JsonDocument.Parse(written);

            Assert.True(JsonElement.DeepEquals(document.RootElement, reread.RootElement), $"Seed {seed}: {json}\n=>\n{Encoding.UTF8.GetString(written)}");
            Assert.True(written.AsSpan().SequenceEqual(PythonJsonWriter.Write(reread.RootElement)), $"Seed {seed}: not stable");
            var text = Encoding.UTF8.GetString(written);
            Assert.False(text.Any(c => c < ' ' && c != '\n'), $"Seed {seed}: a raw control character");
            Assert.False(text.EndsWith('\n'), $"Seed {seed}: a final newline");
        }
    }

    /// <summary>
    /// One random conversation: invocations with text or tool turns, state changes, a sliding window of random size
    /// (0 clears the history), and restarts where a new session manager and agent take over from the stored session.
    /// </summary>
    internal static async Task RunConversation(int seed)
    {
        var random = new Random(seed);
        var repository = new InMemorySessionRepository();
        var window = random.Next(0, 9);
        var sessionId = $"p{seed}";
        var (manager, agent, model) = Start(repository, sessionId, window);
        await manager.InitializeAsync(agent);
        var steps = random.Next(3, 12);
        for (var step = 0; step < steps; step++)
        {
            switch (random.Next(6))
            {
                case 0 or 1:
                    model.Enqueue(Turn.Text($"answer {step}"));
                    await agent.InvokeAsync($"question {step}");
                    break;
                case 2:
                    model.Enqueue(Turn.Tools(($"t{step}", "calculator", $$"""{"expression":"{{step}}+1"}""")), Turn.Text($"= {step + 1}"));
                    await agent.InvokeAsync($"compute {step}+1");
                    break;
                case 3:
                    agent.State.Set($"k{random.Next(3)}", System.Text.Json.JsonSerializer.SerializeToElement(step, SessionTestJson.Default.Int32));
                    await manager.SyncAgentAsync(agent);
                    break;
                case 4:
                    if (agent.State.Keys.Count > 0)
                    {
                        agent.State.Delete(agent.State.Keys[0]);
                        await manager.SyncAgentAsync(agent);
                    }

                    break;
                default:
                    var before = (Messages: TestJson.Of(agent.Messages), State: StateJson(agent));
                    (manager, agent, model) = Start(repository, sessionId, window);
                    await manager.InitializeAsync(agent);
                    Assert.Equal(before.Messages, TestJson.Of(agent.Messages));
                    Assert.Equal(before.State, StateJson(agent));
                    break;
            }
        }

        var last = (Messages: TestJson.Of(agent.Messages), State: StateJson(agent));
        (manager, agent, _) = Start(repository, sessionId, window);
        await manager.InitializeAsync(agent);
        Assert.Equal(last.Messages, TestJson.Of(agent.Messages));
        Assert.Equal(last.State, StateJson(agent));
    }

    private static (RepositorySessionManager, Agent, ScriptedModel) Start(ISessionRepository repository, string sessionId, int window)
    {
        var manager = new RepositorySessionManager(sessionId, repository);
        var model = new ScriptedModel();
        var agent = new Agent(model, new AgentOptions
        {
            CallbackHandler = null,
            Tools = [BuiltInTools.Calculator],
            Hooks = [manager],
            ConversationManager = new SlidingWindowConversationManager(window),
            RetryStrategy = ModelRetryStrategy.None,
        });
        return (manager, agent, model);
    }

    private static string StateJson(Agent agent) =>
        string.Join(",", agent.State.GetAll().OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value.GetRawText()}"));

    private static string RandomJson(Random random, int depth)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteRandom(writer, random, depth);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteRandom(Utf8JsonWriter writer, Random random, int depth)
    {
        switch (depth > 4 ? random.Next(5) : random.Next(7))
        {
            case 0: writer.WriteStringValue(RandomString(random)); break;
            case 1: writer.WriteNumberValue(random.Next(-1000, 1000)); break;
            case 2: writer.WriteNumberValue(random.NextDouble() * Math.Pow(10, random.Next(-12, 12))); break;
            case 3: writer.WriteBooleanValue(random.Next(2) == 0); break;
            case 4: writer.WriteNullValue(); break;
            case 5:
                writer.WriteStartArray();
                for (var i = random.Next(0, 4); i > 0; i--)
                {
                    WriteRandom(writer, random, depth + 1);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteStartObject();
                var names = new HashSet<string>(StringComparer.Ordinal);
                for (var i = random.Next(0, 4); i > 0; i--)
                {
                    var name = RandomString(random);
                    if (names.Add(name))
                    {
                        writer.WritePropertyName(name);
                        WriteRandom(writer, random, depth + 1);
                    }
                }

                writer.WriteEndObject();
                break;
        }
    }

    private static string RandomString(Random random)
    {
        string[] alphabet = ["a", "Z", " ", "\"", "\\", "/", "\n", "\r", "\t", "\b", "\f", "\u0000", "\u001f", "\u007f", "é", "—", "\u2028", "🌞", "<", "&", "'"];
        var builder = new StringBuilder();
        for (var i = random.Next(0, 8); i > 0; i--)
        {
            builder.Append(alphabet[random.Next(alphabet.Length)]);
        }

        return builder.ToString();
    }
}

/// <summary>Type information for the values the property tests store in agent state.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(int))]
internal sealed partial class SessionTestJson : System.Text.Json.Serialization.JsonSerializerContext;
