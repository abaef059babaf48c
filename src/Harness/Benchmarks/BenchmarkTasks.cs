using System.Globalization;
using Harness.Config;
using Harness.Data;

namespace Harness.Benchmarks;

/// <summary>The task sequence of each benchmark, deterministic from the seed.</summary>
internal static class BenchmarkTasks
{
    /// <summary>The data set a benchmark draws its images from.</summary>
    public static string Dataset(BenchmarkConfig benchmark) => benchmark.Name == "split_fashion_mnist" ? "fashion-mnist" : "mnist";

    /// <summary>
    /// Split: classes in label order, <c>classes_per_task</c> at a time (Zenke et al. 2017: 0/1, 2/3, 4/5, 6/7, 8/9).
    /// Permuted: every task all ten digits under its own fixed pixel permutation (Goodfellow et al. 2013; Kirkpatrick
    /// et al. 2017), drawn from the seed. Rotated: all ten digits rotated by each angle (Lopez-Paz &amp; Ranzato 2017).
    /// </summary>
    public static IReadOnlyList<BenchmarkTask> For(BenchmarkConfig benchmark, int seed, int pixels) => benchmark.Name switch
    {
        "split_mnist" or "split_fashion_mnist" => Enumerable.Range(0, 10 / benchmark.ClassesPerTask)
            .Select(t => Enumerable.Range(t * benchmark.ClassesPerTask, benchmark.ClassesPerTask).ToList())
            .Select(labels => new BenchmarkTask(string.Join("-", labels), labels))
            .ToList(),
        "permuted_mnist" => Enumerable.Range(0, benchmark.Tasks)
            .Select(t => new BenchmarkTask($"perm{t + 1}", Digits, Permutation(seed, t, pixels)))
            .ToList(),
        "rotated_mnist" => benchmark.Angles
            .Select(a => new BenchmarkTask(RotationId(a), Digits, Angle: a))
            .ToList(),
        _ => throw new InvalidOperationException($"no tasks for benchmark {benchmark.Name}"),
    };

    /// <summary>The task id of a rotation: rot and the angle to 3 decimals (rot22.5).</summary>
    public static string RotationId(double angle) => "rot" + angle.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>Task <paramref name="task"/>'s pixel permutation: a seeded Fisher–Yates shuffle of the pixel indices.</summary>
    public static long[] Permutation(int seed, int task, int pixels)
    {
        var order = Enumerable.Range(0, pixels).Select(i => (long)i).ToList();
        StableRandom.For(seed, $"permutation:{task}").Shuffle(order);
        return order.ToArray();
    }

    private static readonly int[] Digits = Enumerable.Range(0, 10).ToArray();
}
