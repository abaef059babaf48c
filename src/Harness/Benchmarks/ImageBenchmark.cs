using Harness.Config;
using Harness.Data;
using Harness.Training;
using static TorchSharp.torch;

namespace Harness.Benchmarks;

/// <summary>
/// An image benchmark ready to train: per task its training samples and the samples it is scored on (the test set,
/// or with <c>validation: N</c> N training images held back), each a row of the shared pixel tensors seen through
/// the task's view. Owns the views (their permutation and rotation tensors).
/// </summary>
internal sealed class ImageBenchmark : IDisposable
{
    private readonly List<ImageView> _views = [];

    /// <summary>The tasks in curriculum order.</summary>
    public IReadOnlyList<BenchmarkTask> Tasks { get; }
    /// <summary>Each task's id, training samples and stage epochs.</summary>
    public CurriculumSamples Curriculum { get; }
    /// <summary>Each task's scored samples.</summary>
    public IReadOnlyList<IReadOnlyList<TrainingSample>> Scored { get; }
    /// <summary>Classifier outputs under the scenario.</summary>
    public int Outputs { get; }
    /// <summary>Pixels per image (the classifier's input size).</summary>
    public int Features { get; }

    /// <summary>Bytes of the train and test pixels as float tensors on the device (for the memory estimate).</summary>
    public long DataBytes { get; }

    /// <summary>One line for the log and for validate: "split_mnist, class-incremental, 10 outputs: 0-1 (100 train, 40 scored) -> ...".</summary>
    public string Description { get; }

    private ImageBenchmark(LoadedConfig loaded, ImageTensors data)
    {
        var config = loaded.Config;
        var benchmark = config.Benchmark!;
        Features = data.Train.Height * data.Train.Width;
        DataBytes = ((long)data.Train.Count + data.Test.Count) * Features * sizeof(float);
        Tasks = BenchmarkTasks.For(benchmark, config.Seed, Features);
        Outputs = ScenarioOutputs.Count(benchmark.Scenario, Tasks);
        var train = new List<IReadOnlyList<TrainingSample>>();
        var scored = new List<IReadOnlyList<TrainingSample>>();
        var validationOf = HeldBack(data.Train, benchmark.Validation, config.Seed);
        var heldBack = Tasks.SelectMany(validationOf).ToHashSet();
        for (int t = 0; t < Tasks.Count; t++)
        {
            var task = Tasks[t];
            var trainView = View(data.TrainPixels, data.Train, task);
            var rows = RowsOf(data.Train, task);
            StableRandom.For(config.Seed, "benchmark:" + task.Id).Shuffle(rows);
            var validation = validationOf(task);
            var training = rows.Where(r => !heldBack.Contains(r)).Take(benchmark.TrainSize ?? int.MaxValue).ToList();
            if (training.Count == 0 || validation.Count < benchmark.Validation)
                throw loaded.Positions.Error(benchmark, "validation",
                    $"task {task.Id} has {rows.Count} training images, too few to hold back {benchmark.Validation} and train on the rest");
            train.Add(Samples(training, data.Train, trainView, benchmark.Scenario, t));
            if (benchmark.Validation > 0)
            {
                scored.Add(Samples(validation, data.Train, trainView, benchmark.Scenario, t));
                continue;
            }
            var testRows = RowsOf(data.Test, task);
            if (benchmark.TestSize is { } cap && cap < testRows.Count)
            {
                StableRandom.For(config.Seed, "benchmark-test:" + task.Id).Shuffle(testRows);
                testRows = testRows.Take(cap).ToList();
            }
            scored.Add(Samples(testRows, data.Test, View(data.TestPixels, data.Test, task), benchmark.Scenario, t));
        }
        Curriculum = new CurriculumSamples(Tasks.Select(t => t.Id).ToList(), train, Tasks.Select(_ => config.Training.Epochs).ToList());
        Scored = scored;
        Description = $"{benchmark.Name}, {benchmark.Scenario}-incremental, {Outputs} outputs: " +
                      string.Join(" -> ", Tasks.Select((t, i) => $"{t.Id} ({train[i].Count} train, {scored[i].Count} scored)"));
    }

    /// <summary>Builds the benchmark of <paramref name="loaded"/> over images from <paramref name="cache"/> on <paramref name="device"/>.</summary>
    public static ImageBenchmark Prepare(LoadedConfig loaded, ImageDataCache cache, Device device)
    {
        var benchmark = loaded.Config.Benchmark ?? throw new InvalidOperationException("the config has no benchmark");
        string? directory = benchmark.Data is null ? null : ConfigLoader.ResolvePath(loaded.BaseDirectory, benchmark.Data);
        if (directory is not null && !Directory.Exists(directory))
            throw loaded.Positions.Error(benchmark, "data", $"{directory} is not a folder");
        ImageTensors data;
        try
        {
            data = cache.Get(BenchmarkTasks.Dataset(benchmark), directory, device);
        }
        catch (HarnessInputException e)
        {
            throw loaded.Positions.Error(benchmark, benchmark.Data is null ? "name" : "data", e.Message);
        }
        return new ImageBenchmark(loaded, data);
    }

    private ImageView View(Tensor pixels, ImageSet set, BenchmarkTask task)
    {
        var view = new ImageView(pixels, set.Height, set.Width, task.Permutation, task.Angle);
        _views.Add(view);
        return view;
    }

    /// <summary>
    /// Each task's held-back validation rows: the first <paramref name="count"/> rows of its labels in one seeded order
    /// of the whole training set. Drawn once for all tasks, so an image held back is trained on in no task: Permuted and
    /// Rotated MNIST show every task the same images, and a per-task draw would train one task on another's validation
    /// images under a different view.
    /// </summary>
    private static Func<BenchmarkTask, List<int>> HeldBack(ImageSet set, int count, int seed)
    {
        if (count == 0) return _ => [];
        var order = Enumerable.Range(0, set.Count).ToList();
        StableRandom.For(seed, "benchmark:validation").Shuffle(order);
        return task =>
        {
            var labels = task.Labels.ToHashSet();
            return order.Where(r => labels.Contains(set.Labels[r])).Take(count).ToList();
        };
    }

    private static List<int> RowsOf(ImageSet set, BenchmarkTask task)
    {
        var labels = task.Labels.ToHashSet();
        return Enumerable.Range(0, set.Count).Where(i => labels.Contains(set.Labels[i])).ToList();
    }

    private List<TrainingSample> Samples(IReadOnlyList<int> rows, ImageSet set, ImageView view, string scenario, int task) =>
        rows.Select(row =>
        {
            var target = ScenarioOutputs.Of(scenario, Tasks, task, set.Labels[row]);
            return TrainingSample.FromImage(new ImageExample(view, row, target.Output, target.HeadStart, target.HeadEnd), task);
        }).ToList();

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var view in _views) view.Dispose();
        _views.Clear();
    }
}
