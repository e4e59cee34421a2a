using System.ComponentModel;

namespace Strands.Samples;

// <snippet:structured-output-type>
[Description("Analyze product information from text.")]
internal sealed record ProductAnalysis(
    [property: Description("Product name")] string Name,
    [property: Description("Product category")] string Category,
    [property: Description("Price in USD")] double Price,
    [property: Description("Key product features")] IReadOnlyList<string> Features,
    [property: Description("Customer rating 1-5")] double? Rating);
// </snippet:structured-output-type>
