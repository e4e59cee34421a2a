using System.Globalization;
using System.Text;
using System.Text.Json;
using Strands.Bedrock.Json;
using Strands.Content;
using Xunit.Abstractions;

namespace Strands.Tests.Bedrock.Json;

/// <summary>
/// The hand-written reader of the usual event shapes must give exactly the value the strict metadata path gives, or
/// decline (null) so that the strict path reads the payload, with its own errors: on typical events and on seeded
/// random payloads with missing, null, duplicated, mistyped and unknown members.
/// </summary>
public class StreamEventParserTests(ITestOutputHelper output)
{
    private static readonly Type[] EventTypes = [typeof(MessageStartEvent), typeof(ContentBlockStartEvent), typeof(ContentBlockStopEvent), typeof(MessageStopEvent), typeof(MetadataEvent)];

    [Theory]
    [InlineData(typeof(MessageStartEvent), """{"role":"assistant","p":"abcdefgh"}""")]
    [InlineData(typeof(ContentBlockStartEvent), """{"start":{"toolUse":{"toolUseId":"tooluse_1","name":"get_weather"}},"contentBlockIndex":1,"p":"ab"}""")]
    [InlineData(typeof(ContentBlockStopEvent), """{"contentBlockIndex":2,"p":"abcd"}""")]
    [InlineData(typeof(MessageStopEvent), """{"stopReason":"tool_use","p":"abcdefghijk"}""")]
    [InlineData(typeof(MetadataEvent), """{"usage":{"inputTokens":50,"outputTokens":12,"totalTokens":62,"cacheReadInputTokens":3},"metrics":{"latencyMs":100},"p":"abc"}""")]
    public void Usual_events_are_read_as_the_strict_path_reads_them(Type type, string json)
    {
        var fast = StreamEventParser.TryParse(Encoding.UTF8.GetBytes(json), type);
        Assert.NotNull(fast);
        Assert.Equal(Strict(type, json), fast);
    }

    [Theory]
    [InlineData(typeof(MessageStartEvent), """{"p":"no role"}""")]
    [InlineData(typeof(MessageStartEvent), """{"role":null}""")]
    [InlineData(typeof(MessageStartEvent), """{"role":"user","role":"assistant"}""")]
    [InlineData(typeof(ContentBlockStartEvent), """{"start":{"toolUse":{"toolUseId":"t","name":"n","type":"server_tool_use"}},"contentBlockIndex":1}""")]
    [InlineData(typeof(ContentBlockStartEvent), """{"start":{"image":{"format":"png"}},"contentBlockIndex":1}""")]
    [InlineData(typeof(ContentBlockStopEvent), """{"contentBlockIndex":null}""")]
    [InlineData(typeof(MessageStopEvent), """{"stopReason":"end_turn","additionalModelResponseFields":{"a":1}}""")]
    [InlineData(typeof(MetadataEvent), """{"usage":{"inputTokens":1,"outputTokens":1,"totalTokens":2},"metrics":{"latencyMs":1},"trace":{}}""")]
    [InlineData(typeof(MetadataEvent), """{"metrics":{"latencyMs":1}}""")]
    [InlineData(typeof(MetadataEvent), """{"usage":{"inputTokens":1}""")]
    public void Other_shapes_and_malformed_payloads_are_left_to_the_strict_path(Type type, string json)
    {
        Assert.Null(StreamEventParser.TryParse(Encoding.UTF8.GetBytes(json), type));
    }

    [Fact]
    public void Seeded_random_payloads_are_read_as_the_strict_path_reads_them_or_left_to_it()
    {
        var firstSeed = int.TryParse(Environment.GetEnvironmentVariable("STRANDS_PROPERTY_SEED"), CultureInfo.InvariantCulture, out var s) ? s : 20_261_201;
        var count = int.TryParse(Environment.GetEnvironmentVariable("STRANDS_PROPERTY_SCHEDULES"), CultureInfo.InvariantCulture, out var c) ? c : 5_000;
        var read = 0;
        var failures = new List<string>();
        for (var seed = firstSeed; seed < firstSeed + count; seed++)
        {
            var random = new Random(seed);
            var type = EventTypes[random.Next(EventTypes.Length)];
            var json = RandomPayload(random, type);
            var fast = StreamEventParser.TryParse(Encoding.UTF8.GetBytes(json), type);
            if (fast is null)
            {
                continue;
            }

            read++;
            try
            {
                var strict = Strict(type, json);
                if (!Equals(strict, fast))
                {
                    failures.Add($"seed {seed}: {json} read as {fast}, the strict path reads {strict}");
                }
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException)
            {
                failures.Add($"seed {seed}: {json} read as {fast}, the strict path throws {ex.GetType().Name}: {ex.Message}");
            }
        }

        output.WriteLine($"Stream event reader property: {count} random payloads tried from seed {firstSeed} ({read} read by the reader, the rest left to the strict path), {failures.Count} failed.");
        Assert.True(failures.Count == 0, $"Replay with STRANDS_PROPERTY_SEED=<seed> STRANDS_PROPERTY_SCHEDULES=1.\n{string.Join("\n", failures.Take(10))}");
        Assert.True(read > count / 5, $"Only {read} of {count} payloads were read by the reader: the generator no longer exercises it.");
    }

    private static object? Strict(Type type, string json) =>
        JsonSerializer.Deserialize(json, PayloadDecoder.StrictOptions.GetTypeInfo(type));

    private static string RandomPayload(Random random, Type type)
    {
        var members = new List<string>();
        void Maybe(string member, int oneIn = 8)
        {
            if (random.Next(oneIn) != 0)
            {
                members.Add(member);
            }
        }

        string Int() => random.Next(12) switch { 0 => "null", 1 => "1.5", 2 => "\"3\"", 3 => "99999999999", _ => random.Next(0, 1000).ToString(CultureInfo.InvariantCulture) };
        string Str(params string[] values) => random.Next(12) switch { 0 => "null", 1 => "7", _ => "\"" + values[random.Next(values.Length)] + "\"" };

        if (type == typeof(MessageStartEvent))
        {
            Maybe($"\"role\":{Str("assistant", "user", "system\\u0041")}");
        }
        else if (type == typeof(ContentBlockStopEvent))
        {
            Maybe($"\"contentBlockIndex\":{Int()}", 4);
        }
        else if (type == typeof(MessageStopEvent))
        {
            Maybe($"\"stopReason\":{Str("end_turn", "tool_use", "max_tokens", "guardrail_intervened", "new_reason")}");
            Maybe("\"additionalModelResponseFields\":{\"x\":1}", 2 + 8);
        }
        else if (type == typeof(ContentBlockStartEvent))
        {
            Maybe($"\"contentBlockIndex\":{Int()}", 4);
            var toolUse = new List<string>();
            if (random.Next(8) != 0)
            {
                toolUse.Add($"\"toolUseId\":{Str("tooluse_1", "t")}");
            }

            if (random.Next(8) != 0)
            {
                toolUse.Add($"\"name\":{Str("get_weather", "n")}");
            }

            if (random.Next(10) == 0)
            {
                toolUse.Add("\"type\":\"server_tool_use\"");
            }

            Maybe(random.Next(10) switch
            {
                0 => "\"start\":{}",
                1 => "\"start\":{\"image\":{\"format\":\"png\"}}",
                2 => "\"start\":null",
                _ => $"\"start\":{{\"toolUse\":{{{string.Join(',', Shuffle(random, toolUse))}}}}}",
            });
        }
        else
        {
            var usage = new List<string>();
            foreach (var name in new[] { "inputTokens", "outputTokens", "totalTokens", "cacheReadInputTokens", "cacheWriteInputTokens" })
            {
                if (random.Next(3) != 0)
                {
                    usage.Add($"\"{name}\":{Int()}");
                }
            }

            if (random.Next(10) == 0)
            {
                usage.Add("\"cacheDetails\":[]");
            }

            Maybe($"\"usage\":{{{string.Join(',', Shuffle(random, usage))}}}");
            Maybe(random.Next(10) == 0 ? "\"metrics\":{\"latencyMs\":null}" : $"\"metrics\":{{\"latencyMs\":{random.Next(0, 100_000)}}}");
            Maybe("\"trace\":{}", 10);
        }

        // Padding, unknown members, duplicates.
        Maybe("\"p\":\"abcdefghijklmnop\"", 2);
        Maybe("\"futureMember\":{\"a\":[1,{\"b\":null}]}", 10);
        if (members.Count > 0 && random.Next(15) == 0)
        {
            members.Add(members[random.Next(members.Count)]);
        }

        var json = "{" + string.Join(',', Shuffle(random, members)) + "}";
        return random.Next(40) switch
        {
            0 => json[..^1],
            1 => json + "x",
            2 => "null",
            _ => json,
        };
    }

    private static List<string> Shuffle(Random random, List<string> items)
    {
        var shuffled = items.ToList();
        for (var i = shuffled.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (shuffled[i], shuffled[j]) = (shuffled[j], shuffled[i]);
        }

        return shuffled;
    }
}
