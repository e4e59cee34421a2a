using System.Diagnostics;
using System.Reflection;

namespace Strands.Benchmarks;

/// <summary>
/// Strands.Bedrock.FakeBedrockHost started as a process of its own: FakeBedrockServer on loopback answering
/// LoopbackScript's conversation. Disposing closes its standard input, which stops it.
/// </summary>
internal sealed class FakeBedrockProcess : IAsyncDisposable
{
    private readonly Process _process;

    private FakeBedrockProcess(Process process, Uri endpoint)
    {
        _process = process;
        Endpoint = endpoint;
    }

    /// <summary>The fake's base address.</summary>
    public Uri Endpoint { get; }

    /// <summary>Starts the fake and waits until it listens.</summary>
    /// <returns>The running fake.</returns>
    public static async Task<FakeBedrockProcess> StartAsync()
    {
        var host = typeof(FakeBedrockProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "FakeBedrockHost").Value!;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(host);
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the fake Bedrock.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var line = await process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false);
        if (line is null || !line.StartsWith("listening ", StringComparison.Ordinal))
        {
            process.Kill();
            process.Dispose();
            throw new InvalidOperationException($"The fake Bedrock did not start: {line ?? "(no output)"}");
        }

        Console.WriteLine($"// fake Bedrock (pid {process.Id}) {line}");
        return new FakeBedrockProcess(process, new Uri(line.Split(' ')[1]));
    }

    /// <summary>Stops the fake.</summary>
    /// <returns>A task that completes when it exited.</returns>
    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
        }

        _process.Dispose();
    }
}
