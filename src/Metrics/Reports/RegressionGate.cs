using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Harness.Metrics.Reports;

/// <summary>
/// Compares a suite's variant means with a stored <see cref="RegressionBaseline"/>: every metric that has a tolerance
/// (the variant's own, else the file's) and a baseline value is checked; a metric the suite no longer reports fails.
/// Variants the baseline lacks are new and pass. A baseline variant the suite has no finished run of fails, unless the
/// suite was narrowed on purpose (--only); and a gate that checked nothing fails, because it proved nothing.
/// </summary>
public sealed class RegressionGate
{
    private RegressionGate(IReadOnlyList<RegressionCheck> checks, IReadOnlyList<string> newVariants, IReadOnlyList<string> notRun,
        bool narrowed)
    {
        Checks = checks;
        NewVariants = newVariants;
        NotRun = notRun;
        _narrowed = narrowed;
    }

    private readonly bool _narrowed;

    /// <summary>Every comparison made, in suite order.</summary>
    public IReadOnlyList<RegressionCheck> Checks { get; }

    /// <summary>Variants of the suite the baseline does not know.</summary>
    public IReadOnlyList<string> NewVariants { get; }

    /// <summary>Baseline variants with no completed run in the suite.</summary>
    public IReadOnlyList<string> NotRun { get; }

    /// <summary>True when any check regressed, a baseline variant is missing from a full suite, or nothing was checked.</summary>
    public bool Regressed => Checks.Any(c => c.Regressed) || MissingVariants.Count > 0 || Checks.Count == 0;

    /// <summary>Baseline variants a full (not --only) suite did not produce: renamed, removed or all runs failed.</summary>
    public IReadOnlyList<string> MissingVariants => _narrowed ? [] : NotRun;

    /// <summary>Labels of the variants that regressed (suite order), then baseline variants missing from a full suite.</summary>
    public IReadOnlyList<string> RegressedVariants =>
        Checks.Where(c => c.Regressed).Select(c => c.Variant).Distinct().Concat(MissingVariants).ToList();

    /// <summary>
    /// Checks <paramref name="summary"/> against <paramref name="baseline"/>; <paramref name="narrowed"/> says the suite
    /// ran only some variants on purpose, so baseline variants without runs are not failures.
    /// </summary>
    public static RegressionGate Check(SuiteSummary summary, RegressionBaseline baseline, bool narrowed = false)
    {
        var checks = new List<RegressionCheck>();
        var fresh = new List<string>();
        foreach (var variant in summary.Variants)
        {
            if (!baseline.Variants.TryGetValue(variant.Label, out var stored))
            {
                fresh.Add(variant.Label);
                continue;
            }
            var tolerances = baseline.Tolerances.ToDictionary(t => t.Key, t => t.Value);
            foreach (var (metric, t) in stored.Tolerances) tolerances[metric] = t;
            foreach (var (metric, tolerance) in tolerances)
            {
                if (!stored.Means.TryGetValue(metric, out var before)) continue;
                var (low, high) = tolerance.Bounds(before);
                checks.Add(new RegressionCheck(variant.Label, metric, before, variant[metric]?.Mean ?? double.NaN, tolerance, low, high));
            }
        }
        var notRun = baseline.Variants.Keys.Where(k => summary.Variants.All(v => v.Label != k)).ToList();
        return new RegressionGate(checks, fresh, notRun, narrowed);
    }

    /// <summary>The table a terminal shows: one line per check, REGRESSED where it failed, then a verdict line.</summary>
    public string ToTable()
    {
        var sb = new StringBuilder();
        int variantWidth = Math.Max(7, Checks.Select(c => c.Variant.Length).DefaultIfEmpty(0).Max());
        int metricWidth = Math.Max(6, Checks.Select(c => c.Metric.Length).DefaultIfEmpty(0).Max());
        sb.AppendLine($"{"variant".PadRight(variantWidth)}  {"metric".PadRight(metricWidth)}  {"baseline",10}  {"current",10}  {"change",9}  {"allowed",-16}  verdict");
        foreach (var c in Checks)
        {
            var change = c.Missing ? "" : c.Baseline != 0 && c.Metric.Contains("per_second", StringComparison.Ordinal)
                ? Signed(c.Change / Math.Abs(c.Baseline) * 100, 1) + "%"
                : Signed(c.Change, 3);
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{c.Variant.PadRight(variantWidth)}  {c.Metric.PadRight(metricWidth)}  {Format(c.Baseline),10}  {Format(c.Current),10}  {change,9}  {c.Tolerance.Describe(),-16}  {(c.Regressed ? "REGRESSED" : "ok")}"));
        }
        foreach (var label in NewVariants) sb.AppendLine($"{label}: not in the baseline (new variant, not gated)");
        foreach (var label in NotRun)
            sb.AppendLine(_narrowed
                ? $"{label}: in the baseline but not run now (not gated: the suite was narrowed with --only)"
                : $"{label}: in the baseline but has no finished run: MISSING");
        if (Checks.Count == 0) sb.AppendLine("nothing was checked: no variant and metric of the baseline has a result in this suite");
        sb.Append(Regressed
            ? $"REGRESSION: {string.Join(", ", RegressedVariants.Select(Reason))}"
            : $"no regression: {Checks.Count} checks on {Checks.Select(c => c.Variant).Distinct().Count()} variants within tolerance");
        return sb.ToString();
    }

    /// <summary>The gate's outcome as regression.json holds it.</summary>
    public JsonObject ToJson() => new()
    {
        ["regressed"] = Regressed,
        ["regressed_variants"] = new JsonArray(RegressedVariants.Select(v => (JsonNode?)v).ToArray()),
        ["checks"] = new JsonArray(Checks.Select(c => (JsonNode?)new JsonObject
        {
            ["variant"] = c.Variant,
            ["metric"] = c.Metric,
            ["baseline"] = c.Baseline,
            ["current"] = c.Missing ? null : c.Current,
            ["low"] = double.IsFinite(c.Low) ? c.Low : null,
            ["high"] = double.IsFinite(c.High) ? c.High : null,
            ["regressed"] = c.Regressed,
        }).ToArray()),
        ["new_variants"] = new JsonArray(NewVariants.Select(v => (JsonNode?)v).ToArray()),
        ["not_run"] = new JsonArray(NotRun.Select(v => (JsonNode?)v).ToArray()),
        ["missing_variants"] = new JsonArray(MissingVariants.Select(v => (JsonNode?)v).ToArray()),
    };

    private string Reason(string variant) => MissingVariants.Contains(variant)
        ? $"{variant} (no finished run)"
        : $"{variant} ({string.Join(", ", Checks.Where(c => c.Variant == variant && c.Regressed).Select(Short))})";

    private static string Short(RegressionCheck c) => c.Missing
        ? $"{c.Metric} missing"
        : string.Create(CultureInfo.InvariantCulture, $"{c.Metric} {Format(c.Baseline)} -> {Format(c.Current)}");

    /// <summary>"+0.012", "-0.223", and "+0.000" for a change that rounds to zero (never "-0.000").</summary>
    private static string Signed(double v, int decimals)
    {
        double rounded = Math.Round(v, decimals);
        var text = Math.Abs(rounded).ToString("F" + decimals, CultureInfo.InvariantCulture);
        return (rounded < 0 ? "-" : "+") + text;
    }

    private static string Format(double v) => double.IsNaN(v) ? "missing" :
        Math.Abs(v) >= 100 ? v.ToString("F0", CultureInfo.InvariantCulture) : v.ToString("F3", CultureInfo.InvariantCulture);
}
