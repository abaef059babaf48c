namespace Harness.Metrics.Reports;

/// <summary>Aggregates runs grouped into variants: mean, std (n − 1) and n per metric, and the mean accuracy matrix.</summary>
public static class SummaryAggregator
{
    /// <summary>
    /// Aggregates each (label, runs) group into a <see cref="VariantSummary"/>, keeping the groups' order. Every run of
    /// a group must have the same domains and stages (the same curriculum and strategy), or the mean matrix would be
    /// meaningless; a mismatch is an <see cref="ArgumentException"/> naming both runs.
    /// </summary>
    public static SuiteSummary Aggregate(string title, IReadOnlyList<(string Label, IReadOnlyList<RunRecord> Runs)> groups,
        IReadOnlyList<IncompleteRun>? incomplete = null)
    {
        var variants = groups.Where(g => g.Runs.Count > 0).Select(g => Variant(g.Label, g.Runs)).ToList();
        var names = RunRecord.ScalarOrder.Where(k => variants.Any(v => v.Metrics.ContainsKey(k))).ToList();
        foreach (var key in variants.SelectMany(v => v.Runs.SelectMany(r => r.ForgettingKeys())).Distinct())
            names.Add(key);
        return new SuiteSummary(title, variants, names, incomplete ?? []);
    }

    /// <summary>One variant's statistics over <paramref name="runs"/> (at least one).</summary>
    public static VariantSummary Variant(string label, IReadOnlyList<RunRecord> runs)
    {
        if (runs.Count == 0) throw new ArgumentException($"variant {label} has no runs", nameof(runs));
        var first = runs[0].Matrix;
        foreach (var run in runs.Skip(1))
            if (!run.Matrix.Domains.SequenceEqual(first.Domains) || !run.Matrix.Stages.SequenceEqual(first.Stages))
                throw new ArgumentException(
                    $"variant {label}: {run.Directory} has stages [{string.Join(", ", run.Matrix.Stages)}] × domains [{string.Join(", ", run.Matrix.Domains)}] " +
                    $"but {runs[0].Directory} has [{string.Join(", ", first.Stages)}] × [{string.Join(", ", first.Domains)}]; only runs of one curriculum and strategy can be averaged");

        var metrics = new Dictionary<string, MetricStats>();
        foreach (var key in runs.SelectMany(r => r.Scalars.Keys).Distinct())
            metrics[key] = MetricStats.Of(runs.Where(r => r.Scalars.ContainsKey(key)).Select(r => r.Scalars[key]).ToList());

        var mean = new double[first.Rows, first.Columns];
        double[,]? std = runs.Count > 1 ? new double[first.Rows, first.Columns] : null;
        for (int i = 0; i < first.Rows; i++)
        for (int j = 0; j < first.Columns; j++)
        {
            var cell = MetricStats.Of(runs.Select(r => r.Matrix[i, j]).ToList());
            // The mean of values in [0, 1] is in [0, 1] up to rounding; clamp so the matrix invariant holds.
            mean[i, j] = Math.Clamp(cell.Mean, 0, 1);
            if (std is not null) std[i, j] = cell.Std ?? 0;
        }
        return new VariantSummary(label, runs, metrics, new AccuracyMatrix(first.Domains, first.Stages, mean), std);
    }
}
