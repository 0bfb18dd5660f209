using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tessera.Cli.Mpc;

/// <summary>One line of <c>tessera mpc bench</c>: party 0's interval, what it sent, and this machine's floor for the same work.</summary>
/// <param name="Name">The operation.</param>
/// <param name="Seconds">The median of party 0's barrier-to-result intervals over the repetitions.</param>
/// <param name="BestSeconds">The shortest of them.</param>
/// <param name="Repeats">How many times the operation ran.</param>
/// <param name="MegabytesSent">MB (1e6 bytes) party 0 sent during one run.</param>
/// <param name="Rounds">Communication rounds.</param>
/// <param name="LimitSeconds">The machine limit for the same bytes, rounds and keystream (<see cref="MachineLimits.LimitSeconds"/>).</param>
internal sealed record BenchFigure(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("bestSeconds")] double BestSeconds,
    [property: JsonPropertyName("repeats")] int Repeats,
    [property: JsonPropertyName("megabytesSent")] double MegabytesSent,
    [property: JsonPropertyName("rounds")] long Rounds,
    [property: JsonPropertyName("limitSeconds")] double LimitSeconds)
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = false };

    /// <summary>
    /// The text form: <c>name: median 0.1234 s, best 0.1100 s of 5 (limit 0.0456 s), party 0 sent 24.00 MB in 2 rounds</c>
    /// (bytes and rounds of one run).
    /// </summary>
    public string ToText(int rank) => string.Create(CultureInfo.InvariantCulture,
        $"{Name}: median {Seconds:F4} s, best {BestSeconds:F4} s of {Repeats} (limit {LimitSeconds:F4} s), party {rank} sent {MegabytesSent:F2} MB in {Rounds} rounds");

    /// <summary>The figures as one JSON array (camelCase: name, seconds, bestSeconds, repeats, megabytesSent, rounds, limitSeconds).</summary>
    public static string ToJson(IReadOnlyList<BenchFigure> figures) => JsonSerializer.Serialize(figures, Options);

    /// <summary>Parses what <see cref="ToJson"/> wrote.</summary>
    /// <exception cref="FormatException">The text is not such an array.</exception>
    public static IReadOnlyList<BenchFigure> ParseJson(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<List<BenchFigure>>(json, Options)
                ?? throw new FormatException("The bench JSON is null, not an array of figures.");
        }
        catch (JsonException e)
        {
            throw new FormatException($"The bench JSON is not an array of figures: {e.Message}", e);
        }
    }
}
