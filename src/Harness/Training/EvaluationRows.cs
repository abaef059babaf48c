using System.Text.Json.Nodes;
using Harness.Data;
using Harness.Metrics;

namespace Harness.Training;

/// <summary>
/// Accumulates the evaluation rows of a run (exact match, token accuracy, held-out, router accuracy) and turns them into accuracy
/// matrices: one row per evaluation, labelled by the stage it followed.
/// </summary>
internal sealed class EvaluationRows(IReadOnlyList<string> ids)
{
    private readonly List<string> _labels = [];
    private readonly List<double[]> _exact = [], _tokens = [], _heldout = [], _routing = [];

    /// <summary>Appends one evaluation (one score per domain); NaN marks a score that was not measured.</summary>
    public void Add(string label, IReadOnlyList<DomainEvaluation> scores)
    {
        _labels.Add(label);
        _exact.Add(scores.Select(s => s.Accuracy).ToArray());
        _tokens.Add(scores.Select(s => s.TokenAccuracy).ToArray());
        _heldout.Add(scores.Select(s => s.Heldout).ToArray());
        _routing.Add(scores.Select(s => s.Routing).ToArray());
    }

    /// <summary>The rows as JSON for a checkpoint (NaN, "not measured", as null); doubles round-trip exactly.</summary>
    public JsonObject ToJson()
    {
        static JsonArray Rows(List<double[]> rows) => new(rows
            .Select(r => (JsonNode?)new JsonArray(r.Select(v => double.IsNaN(v) ? null : (JsonNode?)v).ToArray())).ToArray());
        return new JsonObject
        {
            ["labels"] = new JsonArray(_labels.Select(l => (JsonNode?)l).ToArray()),
            ["exact"] = Rows(_exact),
            ["tokens"] = Rows(_tokens),
            ["heldout"] = Rows(_heldout),
            ["routing"] = Rows(_routing),
        };
    }

    /// <summary>Replaces every row with those <see cref="ToJson"/> wrote.</summary>
    public void Load(JsonObject json)
    {
        static List<double[]> Rows(JsonNode? rows) => rows!.AsArray()
            .Select(r => r!.AsArray().Select(v => v is null ? double.NaN : v.GetValue<double>()).ToArray()).ToList();
        var labels = json["labels"]!.AsArray().Select(l => l!.GetValue<string>()).ToList();
        var exact = Rows(json["exact"]);
        if (exact.Count != labels.Count || exact.Any(r => r.Length != ids.Count))
            throw new InvalidDataException($"checkpoint: {exact.Count} evaluation rows for {labels.Count} labels, or not {ids.Count} domains per row");
        _labels.Clear();
        _labels.AddRange(labels);
        _exact.Clear();
        _exact.AddRange(exact);
        _tokens.Clear();
        _tokens.AddRange(Rows(json["tokens"]));
        _heldout.Clear();
        _heldout.AddRange(Rows(json["heldout"]));
        _routing.Clear();
        _routing.AddRange(Rows(json["routing"]));
    }

    /// <summary>The main accuracy (exact match of greedy answers, or classification accuracy), every domain.</summary>
    public AccuracyMatrix Exact() => Build(_exact, AllColumns);

    /// <summary>Teacher-forced answer-token accuracy, or null when it was not measured.</summary>
    public AccuracyMatrix? Tokens() => _tokens.Any(r => r.Any(double.IsNaN)) ? null : Build(_tokens, AllColumns);

    /// <summary>Accuracy on held-out pairs, for the domains that have them (null if none).</summary>
    public AccuracyMatrix? Heldout()
    {
        var columns = AllColumns.Where(j => _heldout.Any(r => !double.IsNaN(r[j]))).ToList();
        return columns.Count == 0 ? null : Build(_heldout, columns);
    }

    /// <summary>Share of each domain's test questions the router sent to that domain's adapter, or null when nothing routes.</summary>
    public AccuracyMatrix? Routing() => _routing.Any(r => r.Any(double.IsNaN)) ? null : Build(_routing, AllColumns);

    private List<int> AllColumns => Enumerable.Range(0, ids.Count).ToList();

    private AccuracyMatrix Build(List<double[]> rows, IReadOnlyList<int> columns)
    {
        var values = new double[rows.Count, columns.Count];
        for (int r = 0; r < rows.Count; r++)
        for (int c = 0; c < columns.Count; c++)
            values[r, c] = rows[r][columns[c]];
        return new AccuracyMatrix(columns.Select(j => ids[j]).ToList(), _labels, values);
    }
}
