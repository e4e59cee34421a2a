// Fault injection for the Bedrock Runtime client and the agent (issue 11). Each case takes a valid ConverseStream
// response, mutates one to three of its frames (most re-encoded with correct CRCs so the damage reaches the JSON
// decoder and the agent), serves it through an in-process transport in reads of random size, and drains it through
// BedrockRuntimeClient.ConverseStreamAsync or Agent.InvokeAsync. Every exception must be one of the documented types
// (DocumentedExceptions.cs); anything else, or a case that does not finish, is a leak: the program prints the seed and
// case to replay and exits with 1.
//
//   dotnet run -c Release --project tests/Strands.Bedrock.Fuzz -- [--mutated-frames N] [--seed S] [--agent-share P]
//                                                                 [--case C] [--max-leaks L]
//
// Defaults: 1,000,000 mutated frames, a seed from the clock (printed), a quarter of the cases through the agent.
// --case C replays exactly one case of the seed. .ci/fuzz.sh runs a bounded, seeded subset.
using System.Diagnostics;
using System.Globalization;
using Strands.Agents;
using Strands.Bedrock;
using Strands.Bedrock.Fuzz;
using Strands.Content;
using Strands.Models;
using Strands.Tools;

var options = FuzzOptions.Parse(args);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Fuzzing with seed {options.Seed}: {options.MutatedFrames:N0} mutated frames, {options.AgentShare:P0} of the cases through the agent."));

var transport = new FuzzTransport();
using var client = new BedrockRuntimeClient(new BedrockClientOptions
{
    Region = "us-west-2",
    EndpointUrl = new Uri("http://127.0.0.1:1"),
    BearerToken = "fuzz-token",
    HttpHandler = transport,
    MaxAttempts = 1,
});
using var model = new BedrockModel(client, new BedrockModelConfig { ModelId = "us.anthropic.claude-sonnet-4-20250514-v1:0" });
var echo = AgentTool.FromMethod((string text) => text, name: "echo", description: "Echoes the text.");
var request = new ConverseStreamRequest { ModelId = "fuzz-model", Messages = [Message.User("Hello")] };

var outcomes = new SortedDictionary<string, long>(StringComparer.Ordinal);
var leaks = 0;
long cases = 0, mutatedFrames = 0, clientCases = 0, agentCases = 0, events = 0;
var clock = Stopwatch.StartNew();
for (var index = options.Case ?? 0L; options.Case is null ? mutatedFrames < options.MutatedFrames : index == options.Case; index++)
{
    var random = new Random(CaseSeed(options.Seed, index));
    var stream = Mutator.Mutate(Corpus.Streams[random.Next(Corpus.Streams.Count)], random);
    var throughAgent = random.NextDouble() < options.AgentShare;
    transport.Load(stream.Bytes, random.Next());
    cases++;
    mutatedFrames += stream.MutatedFrames;

    Exception? failure = null;
    var run = throughAgent ? RunAgentAsync() : RunClientAsync();
    try
    {
        // A case runs in memory and takes microseconds; one that has not finished in 30 s hangs.
        await run.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
    }
    catch (TimeoutException) when (!run.IsCompleted)
    {
        failure = new TimeoutException("The case did not finish within 30 s (a hang).");
    }
    catch (Exception ex)
    {
        failure = ex;
    }

    if (throughAgent)
    {
        agentCases++;
    }
    else
    {
        clientCases++;
    }

    var documented = throughAgent ? DocumentedExceptions.Agent : DocumentedExceptions.Client;
    var outcome = failure is null ? "completed" : failure.GetType().Name;
    outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
    if (failure is not null && (failure is TimeoutException { Message: var m } && m.StartsWith("The case did not finish", StringComparison.Ordinal)
        || !DocumentedExceptions.IsDocumented(failure, documented)))
    {
        leaks++;
        Console.WriteLine();
        Console.WriteLine($"LEAK in case {index} ({(throughAgent ? "agent" : "client")}, mutations: {string.Join(", ", stream.Operators)}): {failure.GetType().FullName}");
        Console.WriteLine(failure);
        Console.WriteLine($"Replay: dotnet run -c Release --project tests/Strands.Bedrock.Fuzz -- --seed {options.Seed} --case {index}");
        Console.WriteLine($"Stream ({stream.Bytes.Length} bytes, base64): {Convert.ToBase64String(stream.Bytes)}");
        if (leaks >= options.MaxLeaks)
        {
            break;
        }
    }

    if (options.Case is null && cases % 50_000 == 0)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {cases:N0} cases, {mutatedFrames:N0} mutated frames, {clock.Elapsed.TotalSeconds:0} s"));
    }
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{cases:N0} cases ({clientCases:N0} through ConverseStreamAsync, {agentCases:N0} through Agent.InvokeAsync), {mutatedFrames:N0} mutated frames, {events:N0} events decoded, {clock.Elapsed.TotalSeconds:0.0} s."));
foreach (var (outcome, count) in outcomes)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {outcome,-32} {count,10:N0}"));
}

Console.WriteLine(leaks == 0
    ? "No exception outside the documented types."
    : $"{leaks} case(s) leaked an undocumented exception or hung (seed {options.Seed}).");
return leaks == 0 ? 0 : 1;

async Task RunClientAsync()
{
    await foreach (var _ in client.ConverseStreamAsync(request).ConfigureAwait(false))
    {
        events++;
    }
}

async Task RunAgentAsync()
{
    var agent = new Agent(model, new AgentOptions { CallbackHandler = null, Tools = [echo], RetryStrategy = ModelRetryStrategy.None });
    await agent.InvokeAsync("Hello").ConfigureAwait(false);
}

// Each case has its own deterministic generator, so a case replays alone (--case) exactly as it ran in the sequence.
static int CaseSeed(long seed, long index)
{
    var z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)index);
    z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
    z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
    return unchecked((int)(z ^ (z >> 31)));
}

/// <summary>The command line.</summary>
internal sealed record FuzzOptions(long MutatedFrames, long Seed, double AgentShare, long? Case, int MaxLeaks)
{
    public static FuzzOptions Parse(string[] args)
    {
        var options = new FuzzOptions(1_000_000, DateTime.UtcNow.Ticks % 1_000_000_007, 0.25, null, 20);
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--mutated-frames" => options with { MutatedFrames = long.Parse(value, CultureInfo.InvariantCulture) },
                "--seed" => options with { Seed = long.Parse(value, CultureInfo.InvariantCulture) },
                "--agent-share" => options with { AgentShare = double.Parse(value, CultureInfo.InvariantCulture) },
                "--case" => options with { Case = long.Parse(value, CultureInfo.InvariantCulture) },
                "--max-leaks" => options with { MaxLeaks = int.Parse(value, CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"Unknown option {args[i]}."),
            };
            i++;
        }

        return options;
    }
}
