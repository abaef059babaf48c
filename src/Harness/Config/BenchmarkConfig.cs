namespace Harness.Config;

/// <summary>
/// A classic image benchmark as the curriculum (instead of <c>curriculum:</c>), trained with <c>model.type: mlp</c>.
/// The scenarios follow van de Ven &amp; Tolias 2019 and Hsu et al. 2018: task-incremental (the task is known at test
/// time: one head per task), domain-incremental (one shared head over the within-task labels, no task identity) and
/// class-incremental (one head over every class seen, no task identity).
/// </summary>
internal sealed record BenchmarkConfig
{
    /// <summary>classes_per_task when not given.</summary>
    public const int DefaultClassesPerTask = 2;
    /// <summary>tasks when not given.</summary>
    public const int DefaultTasks = 10;

    /// <summary>split_mnist | split_fashion_mnist (classes in groups) | permuted_mnist (pixel permutations) | rotated_mnist (angles).</summary>
    [ConfigChoice("split_mnist", "split_fashion_mnist", "permuted_mnist", "rotated_mnist")] public required string Name { get; init; }
    /// <summary>task | domain | class incremental learning.</summary>
    [ConfigChoice("task", "domain", "class")] public required string Scenario { get; init; }
    /// <summary>Split benchmarks: classes per task, in label order (2 gives 0/1, 2/3, 4/5, 6/7, 8/9).</summary>
    [ConfigRange(1, 10)] public int ClassesPerTask { get; init; } = DefaultClassesPerTask;
    /// <summary>Permuted MNIST: number of tasks, each a fixed pixel permutation drawn from the seed.</summary>
    [ConfigRange(1, 1000)] public int Tasks { get; init; } = DefaultTasks;
    /// <summary>Rotated MNIST: one task per angle, in degrees.</summary>
    public IReadOnlyList<double> Angles { get; init; } = [];
    /// <summary>Training images per task (a seeded subset); empty = all.</summary>
    [ConfigRange(1, 10_000_000)] public int? TrainSize { get; init; }
    /// <summary>Test images per task (a seeded subset); empty = all.</summary>
    [ConfigRange(1, 10_000_000)] public int? TestSize { get; init; }
    /// <summary>
    /// Training images per task held back and scored instead of the test set (choose hyperparameters on this, never on
    /// the test set); 0 = score the test set.
    /// </summary>
    [ConfigRange(0, 10_000_000)] public int Validation { get; init; }
    /// <summary>A folder with the four IDX files (relative to the config; gzip allowed); empty = the data cache that ./run.sh data fills.</summary>
    public string? Data { get; init; }
}
