using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Metrics.IO;
using Microsoft.Data.Analysis;

namespace Harness.Metrics.Reports;

/// <summary>
/// Writes a <see cref="SuiteSummary"/> as <c>summary.json</c> (everything, including mean and std accuracy matrices)
/// and <c>summary.csv</c> (one row per variant: n, then &lt;metric&gt;_mean, &lt;metric&gt;_std, &lt;metric&gt;_n;
/// invariant culture, empty cells for undefined values), both atomically.
/// </summary>
public static class SummaryFiles
{
    /// <summary>File name of the JSON summary.</summary>
    public const string Json = "summary.json";

    /// <summary>File name of the CSV summary.</summary>
    public const string Csv = "summary.csv";

    /// <summary>Writes both files into <paramref name="folder"/> (which must exist).</summary>
    public static void Write(SuiteSummary summary, string folder)
    {
        AtomicFile.WriteAllText(Path.Combine(folder, Json), ToJson(summary).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        var frame = ToDataFrame(summary);
        AtomicFile.Write(Path.Combine(folder, Csv), stream =>
        {
            // SaveCsv disposes the stream it is given; the atomic writer still needs its own to flush and rename.
            using var copy = new MemoryStream();
            DataFrame.SaveCsv(frame, copy, cultureInfo: CultureInfo.InvariantCulture);
            stream.Write(copy.ToArray());
        });
    }

    /// <summary>The summary as summary.json holds it.</summary>
    public static JsonObject ToJson(SuiteSummary summary)
    {
        var variants = new JsonArray();
        foreach (var v in summary.Variants)
        {
            var metrics = new JsonObject();
            foreach (var name in summary.MetricNames)
                metrics[name] = v[name] is { } s
                    ? new JsonObject { ["mean"] = Round(s.Mean), ["std"] = s.Std is { } sd ? Round(sd) : null, ["n"] = s.N }
                    : null;
            variants.Add(new JsonObject
            {
                ["variant"] = v.Label,
                ["n"] = v.Runs.Count,
                ["seeds"] = new JsonArray(v.Seeds.Select(s => (JsonNode?)s).ToArray()),
                ["runs"] = new JsonArray(v.Runs.Select(r => (JsonNode?)Path.GetFullPath(r.Directory)).ToArray()),
                ["metrics"] = metrics,
                ["domains"] = new JsonArray(v.MeanMatrix.Domains.Select(d => (JsonNode?)d).ToArray()),
                ["stages"] = new JsonArray(v.MeanMatrix.Stages.Select(s => (JsonNode?)s).ToArray()),
                ["mean_accuracy_matrix"] = Matrix(v.MeanMatrix.Rows, v.MeanMatrix.Columns, (i, j) => v.MeanMatrix[i, j]),
                ["std_accuracy_matrix"] = v.StdMatrix is { } std ? Matrix(std.GetLength(0), std.GetLength(1), (i, j) => std[i, j]) : null,
            });
        }
        return new JsonObject
        {
            ["title"] = summary.Title,
            ["metrics"] = new JsonArray(summary.MetricNames.Select(n => (JsonNode?)n).ToArray()),
            ["variants"] = variants,
            ["incomplete"] = new JsonArray(summary.Incomplete.Select(r => (JsonNode?)new JsonObject
            {
                ["variant"] = r.Variant,
                ["seed"] = r.Seed,
                ["run"] = r.Directory,
                ["reason"] = r.Reason,
            }).ToArray()),
        };
    }

    /// <summary>One row per variant; columns variant, n, then mean/std/n of each metric.</summary>
    public static DataFrame ToDataFrame(SuiteSummary summary)
    {
        var columns = new List<DataFrameColumn>
        {
            new StringDataFrameColumn("variant", summary.Variants.Select(v => v.Label)),
            new Int32DataFrameColumn("n", summary.Variants.Select(v => (int?)v.Runs.Count)),
        };
        foreach (var name in summary.MetricNames)
        {
            columns.Add(new DecimalDataFrameColumn($"{name}_mean", summary.Variants.Select(v => Cell(v[name]?.Mean))));
            columns.Add(new DecimalDataFrameColumn($"{name}_std", summary.Variants.Select(v => Cell(v[name]?.Std))));
            columns.Add(new Int32DataFrameColumn($"{name}_n", summary.Variants.Select(v => (int?)(v[name]?.N ?? 0))));
        }
        return new DataFrame(columns);
    }

    // Decimal, because SaveCsv writes a double with all 17 digits (0.54 as 0.54000000000000004); rounded like the JSON.
    private static decimal? Cell(double? v) => v is { } x ? (decimal)Round(x) : null;

    private static JsonArray Matrix(int rows, int columns, Func<int, int, double> value) =>
        new(Enumerable.Range(0, rows)
            .Select(i => (JsonNode?)new JsonArray(Enumerable.Range(0, columns).Select(j => (JsonNode?)Round(value(i, j))).ToArray()))
            .ToArray());

    // Six decimals: far below any difference a report reader cares about, and stable text across machines.
    private static double Round(double v) => Math.Round(v, 6);
}
