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
    /// <exception cref="BedrockRuntimeException">The service returned an error (after any retries), or a response that cannot be decoded (<see cref="MalformedResponseException"/>).</exception>
    /// <exception cref="TimeoutException">No connection within the connect timeout (<see cref="ConnectTimeoutException"/>) or no data within the read timeout (<see cref="ReadTimeoutException"/>).</exception>
    /// <exception cref="HttpRequestException">The request could not be sent (after any retries).</exception>
    /// <exception cref="BedrockCredentialsException">No AWS credentials could be found.</exception>
    Task<ConverseResponse> ConverseAsync(ConverseRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends a ConverseStream request and yields its events as they arrive: <see cref="MessageStartEvent"/>,
    /// <see cref="ContentBlockStartEvent"/>, <see cref="ContentBlockDeltaEvent"/>, <see cref="ContentBlockStopEvent"/>,
    /// <see cref="MessageStopEvent"/> and <see cref="MetadataEvent"/>.
    /// </summary>
    /// <param name="request">The request; <see cref="ConverseRequestBase.ModelId"/> is required.</param>
    /// <param name="cancellationToken">Cancels the call and releases the connection.</param>
    /// <returns>The events, in order. An error in the stream is thrown after the events that preceded it.</returns>
    /// <exception cref="BedrockRuntimeException">The service returned an error, before or during the stream, or an event that cannot be decoded (<see cref="MalformedResponseException"/>).</exception>
    /// <exception cref="EventStream.EventStreamException">The event stream is corrupt or ends in the middle of a frame.</exception>
    /// <exception cref="TimeoutException">No connection within the connect timeout (<see cref="ConnectTimeoutException"/>) or no data within the read timeout (<see cref="ReadTimeoutException"/>).</exception>
    /// <exception cref="IOException">The connection broke during the stream (an <see cref="HttpRequestException"/> before it).</exception>
    /// <exception cref="BedrockCredentialsException">No AWS credentials could be found.</exception>
    IAsyncEnumerable<StreamEvent> ConverseStreamAsync(ConverseStreamRequest request, CancellationToken cancellationToken = default);
}
