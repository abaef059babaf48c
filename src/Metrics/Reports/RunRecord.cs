using System.Globalization;
using System.Text.Json;

namespace Harness.Metrics.Reports;

/// <summary>
/// One run as its folder's <c>metrics.json</c> describes it: its name (the variant it belongs to), seed, status,
/// accuracy matrix, scalar metrics and training-loss curve. Reports are built from these records only, so any run
/// folder, from a suite or not, can be compared with any other.
/// </summary>
public sealed record RunRecord(
    string Directory,
    string Name,
    int Seed,
    string Status,
    AccuracyMatrix Matrix,
    IReadOnlyDictionary<string, double> Scalars,
    IReadOnlyList<(long Step, double Loss)> LossCurve)
{
    /// <summary>The file a finished run writes last; its presence with status "completed" marks a finished run.</summary>
    public const string MetricsFile = "metrics.json";

    /// <summary>Scalar metrics in the order reports show them (per-domain forgetting follows, as forgetting.&lt;domain&gt;).</summary>
    public static readonly IReadOnlyList<string> ScalarOrder =
    [
        "acc", "bwt", "fwt", "avg_forgetting", "learning_accuracy",
        "wall_seconds", "training_seconds", "tokens_per_second", "calibration_gflops", "normalized_tokens_per_second",
    ];

    /// <summary>True when <paramref name="directory"/> holds a run whose metrics.json says it completed.</summary>
    public static bool IsCompleted(string directory) => ReadCompleted(directory, out _) is not null;

    /// <summary>
    /// The run in <paramref name="directory"/> if it completed; otherwise null and, in <paramref name="reason"/>, why a
    /// report leaves it out ("status interrupted", "not finished (no metrics.json ...)").
    /// </summary>
    public static RunRecord? ReadCompleted(string directory, out string? reason)
    {
        try
        {
            var record = Read(directory);
            reason = record.Status == "completed" ? null : $"status {record.Status}";
            return reason is null ? record : null;
        }
        catch (MetricsInputException e)
        {
            reason = $"not finished ({e.Problem})";
            return null;
        }
    }

    /// <summary>Reads the run in <paramref name="directory"/>; a missing or malformed metrics.json is a <see cref="MetricsInputException"/>.</summary>
    public static RunRecord Read(string directory)
    {
        var path = Path.Combine(directory, MetricsFile);
        if (!File.Exists(path)) throw new MetricsInputException(path, 1, "no metrics.json: not a finished run");
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var root = document.RootElement;
            var domains = Strings(root.GetProperty("domains"));
            var stages = Strings(root.GetProperty("stages"));
            var rows = root.GetProperty("accuracy_matrix").EnumerateArray()
                .Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
            var values = new double[rows.Length, domains.Count];
            for (int i = 0; i < rows.Length; i++)
            for (int j = 0; j < domains.Count; j++)
                values[i, j] = rows[i][j];

            var scalars = new Dictionary<string, double>();
            foreach (var key in ScalarOrder)
                if (root.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number)
                    scalars[key] = v.GetDouble();
            if (root.TryGetProperty("forgetting", out var forgetting) && forgetting.ValueKind == JsonValueKind.Object)
                foreach (var entry in forgetting.EnumerateObject())
                    if (entry.Value.ValueKind == JsonValueKind.Number)
                        scalars[$"forgetting.{entry.Name}"] = entry.Value.GetDouble();

            var loss = root.TryGetProperty("loss_curve", out var curve) && curve.ValueKind == JsonValueKind.Array
                ? curve.EnumerateArray().Select(p => (p[0].GetInt64(), p[1].GetDouble())).ToList()
                : [];
            return new RunRecord(
                directory,
                root.GetProperty("name").GetString() ?? "",
                root.TryGetProperty("seed", out var seed) ? seed.GetInt32() : 0,
                root.TryGetProperty("status", out var status) ? status.GetString() ?? "unknown" : "unknown",
                new AccuracyMatrix(domains, stages, values),
                scalars,
                loss);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException
                                      or ArgumentException or IndexOutOfRangeException or IOException)
        {
            throw new MetricsInputException(path, 1, $"not a readable run summary: {e.Message}", e);
        }
    }

    /// <summary>Per-domain forgetting keys in curriculum order.</summary>
    public IEnumerable<string> ForgettingKeys() =>
        Matrix.Domains.Select(d => $"forgetting.{d}").Where(Scalars.ContainsKey);

    private static List<string> Strings(JsonElement array) =>
        array.EnumerateArray().Select(e => e.GetString() ?? throw new FormatException("null label")).ToList();

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} s{Seed} ({Directory})");
}
