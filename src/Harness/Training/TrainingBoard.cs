using System.Text.Json.Nodes;
using Harness.Metrics;
using Harness.Metrics.IO;

namespace Harness.Training;

/// <summary>
/// A run's TensorBoard scalars, in <c>&lt;run dir&gt;/tensorboard/</c>: <c>train/loss</c> at every logged step as
/// training goes, <c>accuracy/&lt;domain&gt;</c> and <c>average_accuracy</c> after every evaluation (step = matrix row,
/// 0 = before training), and <c>final/&lt;metric&gt;</c> at step = number of stages once metrics.json is written.
/// </summary>
internal sealed class TrainingBoard(TensorBoardEventWriter writer) : IDisposable
{
    /// <summary>The metrics.json entries repeated under <c>final/</c>.</summary>
    private static readonly string[] FinalMetrics =
        ["acc", "bwt", "fwt", "avg_forgetting", "learning_accuracy", "tokens_per_second", "normalized_tokens_per_second", "wall_seconds"];

    /// <summary>Starts the event file of the run in <paramref name="runDirectory"/>.</summary>
    public static TrainingBoard Open(string runDirectory) =>
        new(new TensorBoardEventWriter(Path.Combine(runDirectory, "tensorboard")));

    /// <summary>One point of the loss curve (the same points as metrics.json's loss_curve).</summary>
    public void Loss(long step, double loss) => writer.AddScalar("train/loss", loss, step);

    /// <summary>
    /// The last row of <paramref name="matrix"/> (the evaluation just made): each domain's accuracy and, after
    /// training, the average accuracy over the domains trained so far (<paramref name="trained"/>, column indices).
    /// </summary>
    public void Evaluation(AccuracyMatrix matrix, IReadOnlyCollection<int> trained)
    {
        int row = matrix.Rows - 1;
        for (int c = 0; c < matrix.Columns; c++)
        {
            writer.AddScalar($"accuracy/{matrix.Domains[c]}", matrix[row, c], row);
        }

        if (trained.Count > 0)
        {
            writer.AddScalar("average_accuracy", ContinualMetrics.Acc(TrainedColumns(matrix, trained)), row);
        }
    }

    /// <summary>The final metrics of <paramref name="metrics"/> (metrics.json's content) that are not null.</summary>
    public void Final(JsonObject metrics, int stageCount)
    {
        foreach (string name in FinalMetrics)
        {
            if (metrics[name] is JsonValue value)
            {
                writer.AddScalar($"final/{name}", value.GetValue<double>(), stageCount);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => writer.Dispose();

    /// <summary>
    /// The matrix so far restricted to the trained domains: T + 1 rows and T columns after T sequential stages, or
    /// 2 rows and every column after a joint stage, so <see cref="ContinualMetrics.Acc"/> is the average accuracy at
    /// this point of the run (ACC of GEM, evaluated after each stage).
    /// </summary>
    private static AccuracyMatrix TrainedColumns(AccuracyMatrix matrix, IReadOnlyCollection<int> trained)
    {
        int[] columns = trained.Order().ToArray();
        var values = new double[matrix.Rows, columns.Length];
        for (int r = 0; r < matrix.Rows; r++)
        for (int c = 0; c < columns.Length; c++)
            values[r, c] = matrix[r, columns[c]];
        return new AccuracyMatrix(columns.Select(c => matrix.Domains[c]).ToList(), matrix.Stages, values);
    }
}
