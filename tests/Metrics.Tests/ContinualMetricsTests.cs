using System.Text.Json;
using System.Text.Json.Nodes;

namespace Harness.Metrics.Tests;

public sealed class ContinualMetricsTests
{
    private const int Precision = 12;

    // Domains deliberately not in alphabetical order, so ordering bugs show.
    private static readonly string[] Curriculum = ["poetry", "math", "history"];
    private static readonly string[] SequentialStages = ["initial", "poetry", "math", "history"];

    /// <summary>
    /// The reference matrix for the hand computations below (T = 3, rows = after stage, columns = domain):
    /// <code>
    ///            poetry  math  history
    ///   initial   0.10   0.20   0.30
    ///   poetry    0.90   0.30   0.40
    ///   math      0.70   0.80   0.50
    ///   history   0.60   0.70   0.90
    /// </code>
    /// </summary>
    private static AccuracyMatrix Reference() => new(Curriculum, SequentialStages, new[,]
    {
        { 0.10, 0.20, 0.30 },
        { 0.90, 0.30, 0.40 },
        { 0.70, 0.80, 0.50 },
        { 0.60, 0.70, 0.90 },
    });

    [Fact]
    public void Acc_SequentialMatrix_IsMeanOfLastRow()
    {
        // Given the reference matrix
        AccuracyMatrix m = Reference();

        // When
        double acc = ContinualMetrics.Acc(m);

        // Then (0.60 + 0.70 + 0.90) / 3 = 2.20 / 3 = 0.7333...
        Assert.Equal(2.2 / 3, acc, Precision);
    }

    [Fact]
    public void Bwt_SequentialMatrix_IsMeanFinalMinusJustLearned()
    {
        // Given the reference matrix
        AccuracyMatrix m = Reference();

        // When
        double? bwt = ContinualMetrics.Bwt(m);

        // Then ((R3,1 − R1,1) + (R3,2 − R2,2)) / 2 = ((0.60 − 0.90) + (0.70 − 0.80)) / 2 = (−0.30 − 0.10) / 2 = −0.20
        Assert.NotNull(bwt);
        Assert.Equal(-0.20, bwt.Value, Precision);
    }

    [Fact]
    public void Fwt_SequentialMatrix_IsMeanBeforeOwnStageMinusInitial()
    {
        // Given the reference matrix
        AccuracyMatrix m = Reference();

        // When
        double? fwt = ContinualMetrics.Fwt(m);

        // Then ((R1,2 − R0,2) + (R2,3 − R0,3)) / 2 = ((0.30 − 0.20) + (0.50 − 0.30)) / 2 = (0.10 + 0.20) / 2 = 0.15
        Assert.NotNull(fwt);
        Assert.Equal(0.15, fwt.Value, Precision);
    }

    [Fact]
    public void Forgetting_SequentialMatrix_IsBestFromOwnStageMinusFinal()
    {
        // Given the reference matrix
        AccuracyMatrix m = Reference();

        // When
        IReadOnlyDictionary<string, double> forgetting = ContinualMetrics.Forgetting(m);

        // Then poetry: max(R1,1, R2,1) − R3,1 = max(0.90, 0.70) − 0.60 = 0.30
        //      math:   max(R2,2) − R3,2 = 0.80 − 0.70 = 0.10
        //      history (the last domain) has no forgetting entry; keys keep curriculum order
        Assert.Equal(["poetry", "math"], forgetting.Keys);
        Assert.Equal(0.30, forgetting["poetry"], Precision);
        Assert.Equal(0.10, forgetting["math"], Precision);
    }

    [Fact]
    public void AvgForgetting_SequentialMatrix_IsMeanOfForgetting()
    {
        // Given the reference matrix
        AccuracyMatrix m = Reference();

        // When
        double? avg = ContinualMetrics.AvgForgetting(m);

        // Then (0.30 + 0.10) / 2 = 0.20
        Assert.NotNull(avg);
        Assert.Equal(0.20, avg.Value, Precision);
    }

    [Fact]
    public void LearningAccuracy_SequentialMatrix_IsMeanOfDiagonalAfterOwnStage()
    {
        // Given the reference matrix
        AccuracyMatrix m = Reference();

        // When
        double la = ContinualMetrics.LearningAccuracy(m);

        // Then (R1,1 + R2,2 + R3,3) / 3 = (0.90 + 0.80 + 0.90) / 3 = 2.60 / 3 = 0.8666...
        Assert.Equal(2.6 / 3, la, Precision);
    }

    [Fact]
    public void Compute_SequentialMatrix_MatchesTheIndividualFunctions()
    {
        // Given the reference matrix
        AccuracyMatrix m = Reference();

        // When
        ContinualSummary s = ContinualMetrics.Compute(m);

        // Then every field equals the hand-computed values above
        Assert.Equal(2.2 / 3, s.Acc, Precision);
        Assert.Equal(-0.20, s.Bwt!.Value, Precision);
        Assert.Equal(0.15, s.Fwt!.Value, Precision);
        Assert.Equal(["poetry", "math"], s.Forgetting.Keys);
        Assert.Equal(0.30, s.Forgetting["poetry"], Precision);
        Assert.Equal(0.10, s.Forgetting["math"], Precision);
        Assert.Equal(0.20, s.AvgForgetting!.Value, Precision);
        Assert.Equal(2.6 / 3, s.LearningAccuracy, Precision);
    }

    [Fact]
    public void Forgetting_DomainImprovesAfterItsStage_IsNegative()
    {
        // Given poetry keeps improving after its own stage and ends at its best
        //            poetry  math  history
        //   initial   0.00   0.00   0.00
        //   poetry    0.50   0.10   0.10
        //   math      0.60   0.70   0.20
        //   history   0.80   0.60   0.90
        AccuracyMatrix m = new(Curriculum, SequentialStages, new[,]
        {
            { 0.00, 0.00, 0.00 },
            { 0.50, 0.10, 0.10 },
            { 0.60, 0.70, 0.20 },
            { 0.80, 0.60, 0.90 },
        });

        // When
        ContinualSummary s = ContinualMetrics.Compute(m);

        // Then poetry: max(0.50, 0.60) − 0.80 = −0.20 (no clamping at 0)
        //      math:   0.70 − 0.60 = 0.10
        //      average (−0.20 + 0.10) / 2 = −0.05
        //      and BWT ((0.80 − 0.50) + (0.60 − 0.70)) / 2 = (0.30 − 0.10) / 2 = 0.10 is positive
        Assert.Equal(-0.20, s.Forgetting["poetry"], Precision);
        Assert.Equal(0.10, s.Forgetting["math"], Precision);
        Assert.Equal(-0.05, s.AvgForgetting!.Value, Precision);
        Assert.Equal(0.10, s.Bwt!.Value, Precision);
    }

    [Fact]
    public void Forgetting_BestAccuracyAfterOwnStage_MaxPicksTheLaterRow()
    {
        // Given poetry peaks after the math stage (0.90), above its own stage (0.50), then drops to 0.40
        //            poetry  math  history
        //   initial   0.00   0.00   0.00
        //   poetry    0.50   0.10   0.10
        //   math      0.90   0.70   0.20
        //   history   0.40   0.60   0.90
        AccuracyMatrix m = new(Curriculum, SequentialStages, new[,]
        {
            { 0.00, 0.00, 0.00 },
            { 0.50, 0.10, 0.10 },
            { 0.90, 0.70, 0.20 },
            { 0.40, 0.60, 0.90 },
        });

        // When
        IReadOnlyDictionary<string, double> forgetting = ContinualMetrics.Forgetting(m);

        // Then poetry: max(0.50, 0.90) − 0.40 = 0.50 (not R1,1 − R3,1 = 0.10)
        //      math:   0.70 − 0.60 = 0.10
        Assert.Equal(0.50, forgetting["poetry"], Precision);
        Assert.Equal(0.10, forgetting["math"], Precision);
    }

    [Fact]
    public void Forgetting_HighAccuracyBeforeOwnStage_IsIgnored()
    {
        // Given math is already at 0.95 after the poetry stage, before math itself is trained
        //            poetry  math  history
        //   initial   0.00   0.00   0.00
        //   poetry    0.50   0.95   0.10
        //   math      0.60   0.70   0.20
        //   history   0.40   0.60   0.90
        AccuracyMatrix m = new(Curriculum, SequentialStages, new[,]
        {
            { 0.00, 0.00, 0.00 },
            { 0.50, 0.95, 0.10 },
            { 0.60, 0.70, 0.20 },
            { 0.40, 0.60, 0.90 },
        });

        // When
        IReadOnlyDictionary<string, double> forgetting = ContinualMetrics.Forgetting(m);

        // Then math: the max runs over rows from math's own stage only: 0.70 − 0.60 = 0.10 (not 0.95 − 0.60 = 0.35)
        Assert.Equal(0.10, forgetting["math"], Precision);
    }

    [Fact]
    public void Compute_SingleDomain_TransferAndForgettingAreUndefined()
    {
        // Given T = 1
        AccuracyMatrix m = new(["math"], ["initial", "math"], new[,] { { 0.20 }, { 0.90 } });

        // When
        ContinualSummary s = ContinualMetrics.Compute(m);

        // Then ACC = LA = R1,1 = 0.90; BWT, FWT and forgetting need a second domain
        Assert.Equal(0.90, s.Acc, Precision);
        Assert.Equal(0.90, s.LearningAccuracy, Precision);
        Assert.Null(s.Bwt);
        Assert.Null(s.Fwt);
        Assert.Empty(s.Forgetting);
        Assert.Null(s.AvgForgetting);
    }

    [Fact]
    public void Compute_JointMatrix_AccAndLearningAccuracyAreMeanOfLastRow()
    {
        // Given one joint stage over three domains
        //            poetry  math  history
        //   initial   0.10   0.20   0.30
        //   joint     0.70   0.80   0.60
        AccuracyMatrix m = new(Curriculum, ["initial", "joint"], new[,]
        {
            { 0.10, 0.20, 0.30 },
            { 0.70, 0.80, 0.60 },
        });

        // When
        ContinualSummary s = ContinualMetrics.Compute(m);

        // Then ACC = LA = (0.70 + 0.80 + 0.60) / 3 = 0.70; nothing is learned sequentially, so the rest is undefined
        Assert.Equal(0.70, s.Acc, Precision);
        Assert.Equal(0.70, s.LearningAccuracy, Precision);
        Assert.Null(s.Bwt);
        Assert.Null(s.Fwt);
        Assert.Empty(s.Forgetting);
        Assert.Null(s.AvgForgetting);
    }

    [Theory]
    [InlineData(3)] // initial + 2 stages for 3 domains: a stage is missing
    [InlineData(1)] // only the initial evaluation
    public void Compute_RowCountFitsNoLayout_ThrowsArgumentException(int rows)
    {
        // Given three domains and a row count that is neither T + 1 = 4 nor 2
        string[] stages = SequentialStages[..rows];
        var values = new double[rows, 3];
        AccuracyMatrix m = new(Curriculum, stages, values);

        // When
        var ex = Assert.Throws<ArgumentException>(() => ContinualMetrics.Compute(m));

        // Then the message names both accepted row counts and the actual one
        Assert.Contains("4 rows", ex.Message, StringComparison.Ordinal);
        Assert.Contains("2 rows", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"has {rows}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_TwoRowsWhoseStageIsADomain_ThrowsInsteadOfScoringAsJoint()
    {
        // Given a 3-domain run cut short after its first stage: 2 rows, but not a joint run
        AccuracyMatrix m = new(Curriculum, ["initial", "poetry"], new[,] { { 0.0, 0.0, 0.0 }, { 0.9, 0.1, 0.0 } });

        // When / Then it is refused, naming the joint stage label it lacks
        var ex = Assert.Throws<ArgumentException>(() => ContinualMetrics.Compute(m));
        Assert.Contains("'joint'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Acc_TooManyRows_ThrowsArgumentException()
    {
        // Given two domains but four rows
        AccuracyMatrix m = new(["math", "poetry"], ["initial", "math", "poetry", "math"], new double[4, 2]);

        // When / Then every metric refuses it, not just Compute
        Assert.Throws<ArgumentException>(() => ContinualMetrics.Acc(m));
        Assert.Throws<ArgumentException>(() => ContinualMetrics.Bwt(m));
        Assert.Throws<ArgumentException>(() => ContinualMetrics.Forgetting(m));
        Assert.Throws<ArgumentException>(() => ContinualMetrics.LearningAccuracy(m));
    }

    [Fact]
    public void ToJson_SequentialMatrix_HasExactlyTheMetricKeysAndValues()
    {
        // Given the summary of the reference matrix
        ContinualSummary s = ContinualMetrics.Compute(Reference());

        // When
        string json = ContinualMetrics.ToJson(s);

        // Then exactly these keys, in this order, with the hand-computed values
        using JsonDocument doc = JsonDocument.Parse(json);
        JsonElement root = doc.RootElement;
        Assert.Equal(
            ["acc", "bwt", "fwt", "forgetting", "avg_forgetting", "learning_accuracy"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(2.2 / 3, root.GetProperty("acc").GetDouble(), Precision);
        Assert.Equal(-0.20, root.GetProperty("bwt").GetDouble(), Precision);
        Assert.Equal(0.15, root.GetProperty("fwt").GetDouble(), Precision);
        Assert.Equal(["poetry", "math"], root.GetProperty("forgetting").EnumerateObject().Select(p => p.Name));
        Assert.Equal(0.30, root.GetProperty("forgetting").GetProperty("poetry").GetDouble(), Precision);
        Assert.Equal(0.20, root.GetProperty("avg_forgetting").GetDouble(), Precision);
        Assert.Equal(2.6 / 3, root.GetProperty("learning_accuracy").GetDouble(), Precision);
        Assert.Contains('\n', json); // indented
    }

    [Fact]
    public void ToJson_SingleDomain_WritesNullsAndEmptyForgetting()
    {
        // Given the summary of a T = 1 matrix
        ContinualSummary s = ContinualMetrics.Compute(
            new AccuracyMatrix(["math"], ["initial", "math"], new[,] { { 0.20 }, { 0.90 } }));

        // When
        using JsonDocument doc = JsonDocument.Parse(ContinualMetrics.ToJson(s));

        // Then the keys are all present; undefined metrics are JSON null
        JsonElement root = doc.RootElement;
        Assert.Equal(
            ["acc", "bwt", "fwt", "forgetting", "avg_forgetting", "learning_accuracy"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Null, root.GetProperty("bwt").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("fwt").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("avg_forgetting").ValueKind);
        Assert.Equal(JsonValueKind.Object, root.GetProperty("forgetting").ValueKind);
        Assert.Empty(root.GetProperty("forgetting").EnumerateObject());
        Assert.Equal(0.90, root.GetProperty("acc").GetDouble(), Precision);
    }

    [Fact]
    public void WriteTo_ObjectWithOtherEntries_AddsTheMetricKeysAndKeepsTheRest()
    {
        // Given a run's metrics object that already holds other entries
        var metrics = new JsonObject { ["run"] = "naive-seed1", ["steps"] = 300 };
        ContinualSummary s = ContinualMetrics.Compute(Reference());

        // When
        ContinualMetrics.WriteTo(s, metrics);

        // Then
        Assert.Equal(
            ["run", "steps", "acc", "bwt", "fwt", "forgetting", "avg_forgetting", "learning_accuracy"],
            metrics.Select(p => p.Key));
        Assert.Equal(0.15, metrics["fwt"]!.GetValue<double>(), Precision);
        Assert.Equal("naive-seed1", metrics["run"]!.GetValue<string>());
    }

    [Fact]
    public void WriteTo_KeyAlreadyPresent_ThrowsAndAddsNothing()
    {
        // Given an object that already has an "fwt" entry
        var metrics = new JsonObject { ["fwt"] = 1.0 };
        ContinualSummary s = ContinualMetrics.Compute(Reference());

        // When
        var ex = Assert.Throws<ArgumentException>(() => ContinualMetrics.WriteTo(s, metrics));

        // Then the clash is named and the object is unchanged
        Assert.Contains("'fwt'", ex.Message, StringComparison.Ordinal);
        Assert.Equal(["fwt"], metrics.Select(p => p.Key));
    }
}
