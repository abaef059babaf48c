using System.Globalization;
using System.Text.Json.Nodes;

namespace Harness.Bench;

/// <summary>
/// One ratio the bench reports and the target it is held to, e.g. Harness/bare tokens per second ≥ 0.95. The ratio of
/// medians decides; the ratio of bests is shown beside it.
/// </summary>
internal sealed record BenchTarget(string Key, string Title, double Median, double Best, bool AtLeast, double Target)
{
    /// <summary>Whether the median ratio meets the target.</summary>
    public bool Met => AtLeast ? Median >= Target : Median <= Target;

    /// <summary>The target as text, e.g. "≥ 0.95".</summary>
    public string Goal => string.Create(CultureInfo.InvariantCulture, $"{(AtLeast ? ">=" : "<=")} {Target:0.##}");

    /// <summary>The ratio for bench.json.</summary>
    public JsonObject ToJson() => new()
    {
        ["title"] = Title,
        ["median"] = Median,
        ["best"] = Best,
        ["target"] = Goal,
        ["met"] = Met,
    };
}
