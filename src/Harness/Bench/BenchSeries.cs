using System.Text.Json.Nodes;

namespace Harness.Bench;

/// <summary>
/// The repeats of one workload and their summary: the median, which is what the ratios use, and the best, which shows
/// what the machine gives when nothing else interferes.
/// </summary>
internal sealed class BenchSeries(string key, string title, string unit)
{
    /// <summary>Short name in bench.json (gpt_bare, gpt_naive, …).</summary>
    public string Key { get; } = key;

    /// <summary>What the workload is, for the table.</summary>
    public string Title { get; } = title;

    /// <summary>What <see cref="BenchSample.Units"/> counts: tokens, samples or prompts.</summary>
    public string Unit { get; } = unit;

    /// <summary>The timed repeats, in the order they ran.</summary>
    public List<BenchSample> Samples { get; } = [];

    /// <summary>Median units per second over the repeats.</summary>
    public double MedianRate => Median(Samples.Select(s => s.Rate));

    /// <summary>Best units per second over the repeats.</summary>
    public double BestRate => Samples.Max(s => s.Rate);

    /// <summary>Median seconds of a repeat.</summary>
    public double MedianSeconds => Median(Samples.Select(s => s.Seconds));

    /// <summary>Fastest repeat, seconds.</summary>
    public double BestSeconds => Samples.Min(s => s.Seconds);

    /// <summary>Median seconds per optimiser step.</summary>
    public double MedianStepSeconds => Median(Samples.Select(s => s.StepSeconds));

    /// <summary>Fastest seconds per optimiser step.</summary>
    public double BestStepSeconds => Samples.Min(s => s.StepSeconds);

    /// <summary>The median of <paramref name="values"/> (the mean of the middle two for an even count).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        if (sorted.Length == 0) return double.NaN;
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>The series for bench.json: every repeat and the summary.</summary>
    public JsonObject ToJson() => new()
    {
        ["title"] = Title,
        ["unit"] = Unit,
        ["repeats"] = new JsonArray(Samples.Select(s => (JsonNode)new JsonObject
        {
            ["seconds"] = s.Seconds,
            ["steps"] = s.Steps,
            ["units"] = s.Units,
        }).ToArray()),
        ["median_per_second"] = MedianRate,
        ["best_per_second"] = BestRate,
        ["median_seconds"] = MedianSeconds,
        ["median_step_seconds"] = Samples.Any(s => s.Steps > 0) ? MedianStepSeconds : null,
    };
}
