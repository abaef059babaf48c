using Harness.Data;
using Harness.Metrics;

namespace Harness.Training;

/// <summary>
/// Accumulates the evaluation rows of a run (exact match, token accuracy, held-out, router accuracy) and turns them into accuracy
/// matrices: one row per evaluation, labelled by the stage it followed.
/// </summary>
internal sealed class EvaluationRows(IReadOnlyList<DomainData> domains)
{
    private readonly List<string> _labels = [];
    private readonly List<double[]> _exact = [], _tokens = [], _heldout = [], _routing = [];

    /// <summary>Appends one evaluation; NaN marks a score that was not measured.</summary>
    public void Add(string label, double[] exact, double[] tokens, double[] heldout, double[] routing)
    {
        _routing.Add(routing);
        _labels.Add(label);
        _exact.Add(exact);
        _tokens.Add(tokens);
        _heldout.Add(heldout);
    }

    /// <summary>Exact match of greedy answers, every domain.</summary>
    public AccuracyMatrix Exact() => Build(_exact, domains.Select(d => d.Id).ToList(), Enumerable.Range(0, domains.Count).ToList());

    /// <summary>Teacher-forced answer-token accuracy, or null when it was not measured.</summary>
    public AccuracyMatrix? Tokens() =>
        _tokens.Any(r => r.Any(double.IsNaN)) ? null : Build(_tokens, domains.Select(d => d.Id).ToList(), Enumerable.Range(0, domains.Count).ToList());

    /// <summary>Exact match on held-out pairs, for the domains that have them (null if none).</summary>
    public AccuracyMatrix? Heldout()
    {
        var columns = Enumerable.Range(0, domains.Count).Where(j => domains[j].Heldout.Count > 0).ToList();
        return columns.Count == 0 ? null : Build(_heldout, columns.Select(j => domains[j].Id).ToList(), columns);
    }

    /// <summary>Share of each domain's test questions the router sent to that domain's adapter, or null when nothing routes.</summary>
    public AccuracyMatrix? Routing() =>
        _routing.Any(r => r.Any(double.IsNaN)) ? null : Build(_routing, domains.Select(d => d.Id).ToList(), Enumerable.Range(0, domains.Count).ToList());

    private AccuracyMatrix Build(List<double[]> rows, IReadOnlyList<string> ids, IReadOnlyList<int> columns)
    {
        var values = new double[rows.Count, columns.Count];
        for (int r = 0; r < rows.Count; r++)
        for (int c = 0; c < columns.Count; c++)
            values[r, c] = rows[r][columns[c]];
        return new AccuracyMatrix(ids, _labels, values);
    }
}
