using System.Text.Json.Nodes;

namespace Harness.Metrics.Tests.Reports;

/// <summary>Hand-made run folders: a metrics.json with the keys a real run writes, and values chosen by the test.</summary>
internal static class FakeRuns
{
    /// <summary>Writes a completed run of domains a, b (stages initial, a, b) with <paramref name="rows"/> into <paramref name="folder"/>.</summary>
    public static string Write(string folder, string name, int seed, double[][] rows, IDictionary<string, double?>? scalars = null,
        string status = "completed", string[]? stages = null, (long, double)[]? loss = null)
    {
        Directory.CreateDirectory(folder);
        var domains = new[] { "a", "b" };
        var json = new JsonObject
        {
            ["status"] = status,
            ["name"] = name,
            ["seed"] = seed,
            ["domains"] = new JsonArray(domains.Select(d => (JsonNode?)d).ToArray()),
            ["stages"] = new JsonArray((stages ?? ["initial", "a", "b"]).Select(s => (JsonNode?)s).ToArray()),
            ["accuracy_matrix"] = new JsonArray(rows.Select(r => (JsonNode?)new JsonArray(r.Select(v => (JsonNode?)v).ToArray())).ToArray()),
            ["loss_curve"] = new JsonArray((loss ?? [(1, 2.0), (2, 1.0)]).Select(p => (JsonNode?)new JsonArray(p.Item1, p.Item2)).ToArray()),
        };
        foreach (var (key, value) in scalars ?? new Dictionary<string, double?>())
        {
            if (key.StartsWith("forgetting.", StringComparison.Ordinal))
            {
                json["forgetting"] ??= new JsonObject();
                json["forgetting"]![key["forgetting.".Length..]] = value;
            }
            else json[key] = value;
        }
        File.WriteAllText(Path.Combine(folder, "metrics.json"), json.ToJsonString());
        return folder;
    }

    /// <summary>Reads back what <see cref="Write"/> wrote.</summary>
    public static Harness.Metrics.Reports.RunRecord Record(string folder, string name, int seed, double acc, double? bwt = null,
        double tokensPerSecond = 1000, double calibration = 100) =>
        Harness.Metrics.Reports.RunRecord.Read(Write(folder, name, seed,
            [[0, 0], [1, 0], [acc, 1]],
            new Dictionary<string, double?>
            {
                ["acc"] = acc, ["bwt"] = bwt, ["avg_forgetting"] = 1 - acc,
                ["tokens_per_second"] = tokensPerSecond, ["calibration_gflops"] = calibration,
                ["normalized_tokens_per_second"] = tokensPerSecond / calibration,
            }));
}
