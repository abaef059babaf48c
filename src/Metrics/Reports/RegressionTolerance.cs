using System.Globalization;

namespace Harness.Metrics.Reports;

/// <summary>
/// How far one metric's suite mean may move against its baseline before the gate calls it a regression. Absolute
/// bounds suit accuracies (a drop of 0.03 means three points); fractional bounds suit throughput, whose scale depends
/// on the model.
/// </summary>
public sealed record RegressionTolerance(double? MaxDrop = null, double? MaxRise = null, double? MaxDropFraction = null,
    double? MaxRiseFraction = null)
{
    /// <summary>The defaults a baseline starts from: acc may drop 0.03, avg_forgetting may rise 0.03, normalized throughput may drop 25%.</summary>
    public static IReadOnlyDictionary<string, RegressionTolerance> Defaults { get; } = new Dictionary<string, RegressionTolerance>
    {
        ["acc"] = new(MaxDrop: 0.03),
        ["avg_forgetting"] = new(MaxRise: 0.03),
        ["normalized_tokens_per_second"] = new(MaxDropFraction: 0.25),
    };

    /// <summary>The lowest and highest values of <paramref name="baseline"/>'s metric that still pass.</summary>
    public (double Low, double High) Bounds(double baseline)
    {
        double low = double.NegativeInfinity, high = double.PositiveInfinity;
        if (MaxDrop is { } d) low = Math.Max(low, baseline - d);
        if (MaxDropFraction is { } df) low = Math.Max(low, baseline - df * Math.Abs(baseline));
        if (MaxRise is { } r) high = Math.Min(high, baseline + r);
        if (MaxRiseFraction is { } rf) high = Math.Min(high, baseline + rf * Math.Abs(baseline));
        return (low, high);
    }

    /// <summary>The rule in words, as the gate's table shows it ("drop <= 0.03", "drop <= 25%").</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (MaxDrop is { } d) parts.Add(string.Create(CultureInfo.InvariantCulture, $"drop <= {d:0.###}"));
        if (MaxDropFraction is { } df) parts.Add(string.Create(CultureInfo.InvariantCulture, $"drop <= {df * 100:0.#}%"));
        if (MaxRise is { } r) parts.Add(string.Create(CultureInfo.InvariantCulture, $"rise <= {r:0.###}"));
        if (MaxRiseFraction is { } rf) parts.Add(string.Create(CultureInfo.InvariantCulture, $"rise <= {rf * 100:0.#}%"));
        return string.Join(", ", parts);
    }
}
