namespace Strands.Bedrock.Testing;

/// <summary>
/// What <see cref="FakeBedrockServer"/> (over loopback HTTP) and <see cref="FakeBedrockHandler"/> (in process) have in
/// common: the script of responses, the recorded requests, and client options that point at the fake.
/// </summary>
public interface IFakeBedrock
{
    /// <summary>The options the fake was created with.</summary>
    FakeBedrockServerOptions Options { get; }

    /// <summary>A thread-safe snapshot of every request received so far (also rejected ones), in arrival order.</summary>
    IReadOnlyList<RecordedRequest> Requests { get; }

    /// <summary>How many queued responses are still unused.</summary>
    int PendingResponses { get; }

    /// <summary>
    /// Queues responses; each valid request takes the next one, whatever its operation. The queue is used before the
    /// responder of <see cref="RespondWith"/>, which is used before <see cref="FakeBedrockServerOptions.DefaultResponse"/>.
    /// </summary>
    /// <param name="responses">The responses, in order.</param>
    void Enqueue(params FakeResponse[] responses);

    /// <summary>Answers every valid request the queue does not answer with <paramref name="responder"/> (null to remove it).</summary>
    /// <param name="responder">Receives the recorded, parsed request and returns the response; it may run concurrently.</param>
    void RespondWith(Func<RecordedRequest, FakeResponse>? responder);

    /// <summary>Clears the queue, the responder and the recorded requests.</summary>
    void Reset();

    /// <summary>
    /// Client options that reach the fake: its endpoint (or handler), region <see cref="FakeBedrockServerOptions.Region"/>,
    /// and its expected credentials (<see cref="FakeBedrockServerOptions.BearerToken"/> when set).
    /// </summary>
    /// <param name="maxAttempts">Attempts per call (<see cref="BedrockClientOptions.MaxAttempts"/>).</param>
    /// <returns>The options; adjust them with <c>with</c>.</returns>
    BedrockClientOptions CreateClientOptions(int maxAttempts = BedrockClientOptions.DefaultMaxAttempts);

    /// <summary>A client created from <see cref="CreateClientOptions"/>.</summary>
    /// <param name="maxAttempts">Attempts per call.</param>
    /// <returns>The client; dispose it.</returns>
    BedrockRuntimeClient CreateClient(int maxAttempts = BedrockClientOptions.DefaultMaxAttempts);
}
