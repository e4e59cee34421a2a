using Strands.Content;

namespace Strands.Bedrock;

/// <summary>
/// The Amazon Bedrock Runtime operations Strands uses: Converse and ConverseStream. This is the seam to mock in
/// unit tests (for example with Moq); <c>BedrockRuntimeClient</c> is the implementation that goes over HTTP.
/// </summary>
public interface IBedrockRuntimeClient
{
    /// <summary>Sends a Converse request and returns the whole response.</summary>
    /// <param name="request">The request; <see cref="ConverseRequestBase.ModelId"/> is required.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The response.</returns>
    /// <exception cref="Exception">A BedrockRuntimeException: The service returned an error (after any retries).</exception>
    Task<ConverseResponse> ConverseAsync(ConverseRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends a ConverseStream request and yields its events as they arrive: <see cref="MessageStartEvent"/>,
    /// <see cref="ContentBlockStartEvent"/>, <see cref="ContentBlockDeltaEvent"/>, <see cref="ContentBlockStopEvent"/>,
    /// <see cref="MessageStopEvent"/> and <see cref="MetadataEvent"/>.
    /// </summary>
    /// <param name="request">The request; <see cref="ConverseRequestBase.ModelId"/> is required.</param>
    /// <param name="cancellationToken">Cancels the call and releases the connection.</param>
    /// <returns>The events, in order. An error in the stream is thrown after the events that preceded it.</returns>
    /// <exception cref="Exception">A BedrockRuntimeException: The service returned an error, before or during the stream.</exception>
    IAsyncEnumerable<StreamEvent> ConverseStreamAsync(ConverseStreamRequest request, CancellationToken cancellationToken = default);
}
