using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tessera.Client.Http;

/// <summary>The wire's JSON settings: web defaults (camelCase) with enums as strings, as the node and gateway write them.</summary>
internal static class ClientJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
