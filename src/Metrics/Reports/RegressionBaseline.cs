using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Metrics.IO;

namespace Harness.Metrics.Reports;

/// <summary>
/// A stored baseline for the regression gate: per-metric tolerances (global, and optionally per variant) and each
/// variant's metric means from the suite run it was made from.
/// <code>
/// { "suite": "nightly", "created": "...", "machine": "...",
///   "tolerances": { "acc": { "max_drop": 0.03 }, "avg_forgetting": { "max_rise": 0.03 },
///                   "normalized_tokens_per_second": { "max_drop_fraction": 0.25 } },
///   "variants": { "replay": { "n": 3, "metrics": { "acc": 0.54, ... }, "tolerances": { ... optional ... } } } }
/// </code>
/// </summary>
public sealed record RegressionBaseline(
    string Suite,
    IReadOnlyDictionary<string, RegressionTolerance> Tolerances,
    IReadOnlyDictionary<string, BaselineVariant> Variants,
    JsonObject Provenance)
{
    /// <summary>Reads a baseline; a malformed file is a <see cref="MetricsInputException"/> naming it.</summary>
    public static RegressionBaseline Read(string path)
    {
        if (!File.Exists(path)) throw new MetricsInputException(path, 1, "baseline file not found (write one with --update-baseline)");
        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new JsonException("the top level is not an object");
        }
        catch (JsonException e)
        {
            throw new MetricsInputException(path, (int)(e.LineNumber ?? 0) + 1, $"not valid JSON: {e.Message}");
        }
        try
        {
            var tolerances = root["tolerances"] is JsonObject t ? ReadTolerances(t) : RegressionTolerance.Defaults;
            var variants = new Dictionary<string, BaselineVariant>();
            foreach (var (label, node) in root["variants"] as JsonObject ?? throw new FormatException("'variants' must be an object"))
            {
                var v = node as JsonObject ?? throw new FormatException($"variants.{label} must be an object");
                var metrics = (v["metrics"] as JsonObject ?? throw new FormatException($"variants.{label}.metrics must be an object"))
                    .Where(m => m.Value is not null)
                    .ToDictionary(m => m.Key, m => m.Value!.GetValue<double>());
                var own = v["tolerances"] is JsonObject vt ? ReadTolerances(vt) : new Dictionary<string, RegressionTolerance>();
                variants[label] = new BaselineVariant(v["n"]?.GetValue<int>() ?? 0, metrics, own);
            }
            var provenance = new JsonObject();
            foreach (var key in new[] { "created", "machine", "note", "command" })
                if (root[key] is { } value) provenance[key] = value.DeepClone();
            return new RegressionBaseline(root["suite"]?.GetValue<string>() ?? "", tolerances, variants, provenance);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or JsonException)
        {
            throw new MetricsInputException(path, 1, $"not a baseline: {e.Message}");
        }
    }

    /// <summary>
    /// A baseline from <paramref name="summary"/>'s means, keeping <paramref name="tolerances"/> (those of the baseline
    /// it replaces, so a team's tuned tolerances survive an update).
    /// </summary>
    public static RegressionBaseline From(SuiteSummary summary, IReadOnlyDictionary<string, RegressionTolerance> tolerances,
        IReadOnlyDictionary<string, BaselineVariant>? previous, JsonObject provenance)
    {
        var variants = summary.Variants.ToDictionary(
            v => v.Label,
            v => new BaselineVariant(v.Runs.Count,
                v.Metrics.Where(m => !m.Key.StartsWith("forgetting.", StringComparison.Ordinal)).ToDictionary(m => m.Key, m => m.Value.Mean),
                previous is not null && previous.TryGetValue(v.Label, out var old) ? old.Tolerances : new Dictionary<string, RegressionTolerance>()));
        return new RegressionBaseline(summary.Title, tolerances, variants, provenance);
    }

    /// <summary>Writes the baseline atomically as indented JSON.</summary>
    public void Write(string path)
    {
        var root = new JsonObject { ["suite"] = Suite };
        foreach (var (key, value) in Provenance) root[key] = value?.DeepClone();
        root["tolerances"] = WriteTolerances(Tolerances);
        var variants = new JsonObject();
        foreach (var (label, v) in Variants)
        {
            var entry = new JsonObject
            {
                ["n"] = v.N,
                ["metrics"] = new JsonObject(v.Means.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)Math.Round(m.Value, 6)))),
            };
            if (v.Tolerances.Count > 0) entry["tolerances"] = WriteTolerances(v.Tolerances);
            variants[label] = entry;
        }
        root["variants"] = variants;
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    private static Dictionary<string, RegressionTolerance> ReadTolerances(JsonObject json)
    {
        var result = new Dictionary<string, RegressionTolerance>();
        foreach (var (metric, node) in json)
        {
            var t = node as JsonObject ?? throw new FormatException($"tolerances.{metric} must be an object");
            foreach (var key in t.Select(p => p.Key).Where(k => k is not ("max_drop" or "max_rise" or "max_drop_fraction" or "max_rise_fraction")))
                throw new FormatException($"tolerances.{metric}.{key}: unknown; expected max_drop, max_rise, max_drop_fraction or max_rise_fraction");
            double? Get(string key) => t[key]?.GetValue<double>() is { } v
                ? v >= 0 ? v : throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"tolerances.{metric}.{key}: {v} is negative"))
                : null;
            result[metric] = new RegressionTolerance(Get("max_drop"), Get("max_rise"), Get("max_drop_fraction"), Get("max_rise_fraction"));
        }
        return result;
    }

    private static JsonObject WriteTolerances(IReadOnlyDictionary<string, RegressionTolerance> tolerances)
    {
        var json = new JsonObject();
        foreach (var (metric, t) in tolerances)
        {
            var entry = new JsonObject();
            if (t.MaxDrop is { } a) entry["max_drop"] = a;
            if (t.MaxRise is { } b) entry["max_rise"] = b;
            if (t.MaxDropFraction is { } c) entry["max_drop_fraction"] = c;
            if (t.MaxRiseFraction is { } d) entry["max_rise_fraction"] = d;
            json[metric] = entry;
        }
        return json;
    }
}
