using System.Text.Json.Nodes;

namespace Tessera.NN;

/// <summary>Writes (height, width) pairs into specs.</summary>
internal static class SpecPairs
{
    public static JsonNode ToJson((int Height, int Width) pair) => new JsonArray(pair.Height, pair.Width);
}
