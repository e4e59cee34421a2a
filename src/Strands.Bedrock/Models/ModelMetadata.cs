namespace Strands.Models;

/// <summary>
/// Who serves a model, for telemetry and logs: what <see cref="IModel.GetService"/> returns for
/// <c>typeof(ModelMetadata)</c>, as Microsoft.Extensions.AI's <c>ChatClientMetadata</c> is for a chat client.
/// </summary>
/// <param name="ProviderName">The provider, in OpenTelemetry's <c>gen_ai.provider.name</c> terms, e.g. <c>aws.bedrock</c>.</param>
/// <param name="ModelId">The model id requests use now.</param>
/// <param name="ProviderUri">The endpoint requests go to, when known.</param>
public sealed record ModelMetadata(string ProviderName, string ModelId, Uri? ProviderUri = null);
