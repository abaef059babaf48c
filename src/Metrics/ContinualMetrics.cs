using System.Collections.ObjectModel;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Harness.Metrics;

/// <summary>
/// Continual-learning metrics as pure functions of an <see cref="AccuracyMatrix"/> R.
/// </summary>
/// <remarks>
/// <para>
/// Notation (1-based, as in the papers): T = number of domains (columns); R[i][j] = accuracy on domain j after
/// training stage i; row 0 is the evaluation before any training. Two layouts are accepted:
/// </para>
/// <list type="bullet">
/// <item><b>Sequential</b>: T + 1 rows, stage i trains domain i.</item>
/// <item><b>Joint</b>: 2 rows (initial, then one stage that trains all T domains at once). Every domain is learned
/// and last seen in row 1, so Acc and LearningAccuracy are both the mean of row 1, and BWT, FWT and forgetting are
/// undefined (null / empty).</item>
/// </list>
/// <para>
/// With T = 1 both layouts have 2 rows and give the same result: BWT, FWT and forgetting are undefined because they
/// need an earlier or later domain. Any other row count throws <see cref="ArgumentException"/>.
/// </para>
/// </remarks>
public static class ContinualMetrics
{
    /// <summary>
    /// Average accuracy after the last stage (Lopez-Paz &amp; Ranzato 2017, "Gradient Episodic Memory for Continual
    /// Learning", NeurIPS): ACC = (1/T) Σ_{j=1..T} R[T][j]. For a joint matrix: the mean of row 1.
    /// </summary>
    /// <exception cref="ArgumentException">The row count fits neither layout.</exception>
    public static double Acc(AccuracyMatrix m)
    {
        _ = IsJoint(m); // validates the row count
        return m.Row(m.Rows - 1).Average();
    }

    /// <summary>
    /// Backward transfer (Lopez-Paz &amp; Ranzato 2017, GEM): BWT = (1/(T−1)) Σ_{j=1..T−1} (R[T][j] − R[j][j]).
    /// Negative means forgetting. Null for T = 1 and for a joint matrix.
    /// </summary>
    /// <exception cref="ArgumentException">The row count fits neither layout.</exception>
    public static double? Bwt(AccuracyMatrix m)
    {
        if (!IsMultiStageSequential(m))
        {
            return null;
        }

        int t = m.Columns;
        // 0-based: domain c (1-based j = c + 1) was trained in row c + 1.
        return Enumerable.Range(0, t - 1).Average(c => m[t, c] - m[c + 1, c]);
    }

    /// <summary>
    /// Forward transfer (Lopez-Paz &amp; Ranzato 2017, GEM, with b_j = the initial row R[0][j]):
    /// FWT = (1/(T−1)) Σ_{j=2..T} (R[j−1][j] − R[0][j]): how much the stages before domain j helped it before it was
    /// trained. Null for T = 1 and for a joint matrix.
    /// </summary>
    /// <exception cref="ArgumentException">The row count fits neither layout.</exception>
    public static double? Fwt(AccuracyMatrix m)
    {
        if (!IsMultiStageSequential(m))
        {
            return null;
        }

        int t = m.Columns;
        // 0-based: domain c (1-based j = c + 1) is evaluated in row c, just before its own stage c + 1.
        return Enumerable.Range(1, t - 1).Average(c => m[c, c] - m[0, c]);
    }

    /// <summary>
    /// Forgetting per domain (Chaudhry et al. 2018, "Riemannian Walk for Incremental Learning", ECCV):
    /// f_j = max_{l ∈ [j, T−1]} R[l][j] − R[T][j] for j = 1..T−1: the drop from the best accuracy the domain had
    /// from its own stage up to the stage before last, to its final accuracy. Negative when the domain ends better than
    /// it ever was before (no clamping). Keyed by domain id in curriculum order; empty for T = 1 and a joint matrix.
    /// </summary>
    /// <exception cref="ArgumentException">The row count fits neither layout.</exception>
    public static IReadOnlyDictionary<string, double> Forgetting(AccuracyMatrix m)
    {
        var forgetting = new OrderedDictionary<string, double>(StringComparer.Ordinal);
        if (IsMultiStageSequential(m))
        {
            int t = m.Columns;
            for (int c = 0; c < t - 1; c++)
            {
                // 0-based rows c + 1 .. T − 1 are 1-based stages j .. T − 1 for j = c + 1.
                double best = Enumerable.Range(c + 1, t - 1 - c).Max(l => m[l, c]);
                forgetting.Add(m.Domains[c], best - m[t, c]);
            }
        }

        return new ReadOnlyDictionary<string, double>(forgetting);
    }

    /// <summary>
    /// Average forgetting (Chaudhry et al. 2018, RWalk): F = (1/(T−1)) Σ_{j=1..T−1} f_j with f_j from
    /// <see cref="Forgetting"/>. Null for T = 1 and for a joint matrix.
    /// </summary>
    /// <exception cref="ArgumentException">The row count fits neither layout.</exception>
    public static double? AvgForgetting(AccuracyMatrix m)
    {
        IReadOnlyDictionary<string, double> forgetting = Forgetting(m);
        return forgetting.Count == 0 ? null : forgetting.Values.Average();
    }

    /// <summary>
    /// Learning accuracy (Riemer et al. 2019, "Learning to Learn without Forgetting by Maximizing Transfer and
    /// Minimizing Interference", ICLR): LA = (1/T) Σ_{j=1..T} R[j][j], the accuracy on each domain right after
    /// its own stage. For a joint matrix every domain is learned in row 1, so LA = (1/T) Σ_j R[1][j].
    /// </summary>
    /// <exception cref="ArgumentException">The row count fits neither layout.</exception>
    public static double LearningAccuracy(AccuracyMatrix m)
    {
        if (IsJoint(m))
        {
            return m.Row(1).Average();
        }

        return Enumerable.Range(0, m.Columns).Average(c => m[c + 1, c]);
    }

    /// <summary>All metrics of <paramref name="m"/>; see the individual functions for formulas and sources.</summary>
    /// <exception cref="ArgumentException">The row count fits neither layout.</exception>
    public static ContinualSummary Compute(AccuracyMatrix m)
    {
        IReadOnlyDictionary<string, double> forgetting = Forgetting(m);
        return new ContinualSummary(
            Acc: Acc(m),
            Bwt: Bwt(m),
            Fwt: Fwt(m),
            Forgetting: forgetting,
            AvgForgetting: forgetting.Count == 0 ? null : forgetting.Values.Average(),
            LearningAccuracy: LearningAccuracy(m));
    }

    /// <summary>
    /// The summary as an indented JSON object with exactly the keys <c>acc</c>, <c>bwt</c>, <c>fwt</c>,
    /// <c>forgetting</c> (domain id → value, curriculum order), <c>avg_forgetting</c>, <c>learning_accuracy</c>;
    /// undefined metrics are written as <c>null</c>.
    /// </summary>
    public static string ToJson(ContinualSummary s)
    {
        var json = new JsonObject();
        WriteTo(s, json);
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>
    /// Adds the keys of <see cref="ToJson"/> to <paramref name="target"/>, so a run's metrics.json can hold them
    /// next to its other entries.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="target"/> already has one of the keys.</exception>
    public static void WriteTo(ContinualSummary s, JsonObject target)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(target);

        // Overwriting another entry silently would hide a bug; check all keys first so a failure adds nothing.
        string[] keys = ["acc", "bwt", "fwt", "forgetting", "avg_forgetting", "learning_accuracy"];
        if (keys.FirstOrDefault(target.ContainsKey) is { } existing)
        {
            throw new ArgumentException($"The JSON object already has a '{existing}' entry.", nameof(target));
        }

        var forgetting = new JsonObject();
        foreach ((string domain, double value) in s.Forgetting)
        {
            forgetting.Add(domain, value);
        }

        target.Add("acc", s.Acc);
        target.Add("bwt", s.Bwt);
        target.Add("fwt", s.Fwt);
        target.Add("forgetting", forgetting);
        target.Add("avg_forgetting", s.AvgForgetting);
        target.Add("learning_accuracy", s.LearningAccuracy);
    }

    /// <summary>
    /// True for T + 1 rows with T ≥ 2 (the layout where BWT, FWT and forgetting are defined).
    /// </summary>
    /// <summary>The stage label of a joint run's single stage.</summary>
    public const string JointStage = "joint";

    private static bool IsMultiStageSequential(AccuracyMatrix m) => !IsJoint(m) && m.Columns >= 2;

    /// <summary>
    /// Validates the row count and tells the joint layout (2 rows, T ≥ 2) from the sequential one (T + 1 rows).
    /// T = 1 counts as sequential; both layouts give the same metrics there.
    /// </summary>
    private static bool IsJoint(AccuracyMatrix m)
    {
        ArgumentNullException.ThrowIfNull(m);

        if (m.Rows == m.Columns + 1)
        {
            return false;
        }

        // A 2-row matrix is joint only if its stage says so: a sequential run cut short after stage 1 also has 2 rows.
        if (m.Rows == 2 && m.Stages[1] == JointStage)
        {
            return true;
        }

        throw new ArgumentException(
            $"an accuracy matrix with {m.Columns} domains must have {m.Columns + 1} rows (initial + one stage per "
            + $"domain) or 2 rows (initial + one stage named '{JointStage}'); this one has {m.Rows} "
            + $"({string.Join(", ", m.Stages)})");
    }
}
