using Harness.Config;

namespace Harness.Benchmarks;

/// <summary>
/// The local cache of fetched image benchmarks, outside the repository: <c>&lt;root&gt;/&lt;dataset&gt;/</c> holds the
/// four MNIST-named raw IDX files (and manifest.json) that <c>./run.sh data &lt;dataset&gt;</c> writes.
/// </summary>
internal static class ImageDataStore
{
    /// <summary>The training images file name (as in the MNIST distribution).</summary>
    public const string TrainImages = "train-images-idx3-ubyte";

    /// <summary>The training labels file name.</summary>
    public const string TrainLabels = "train-labels-idx1-ubyte";

    /// <summary>The test images file name.</summary>
    public const string TestImages = "t10k-images-idx3-ubyte";

    /// <summary>The test labels file name.</summary>
    public const string TestLabels = "t10k-labels-idx1-ubyte";

    /// <summary>The four files of a dataset folder, in the order train images, train labels, test images, test labels.</summary>
    public static IReadOnlyList<string> FileNames { get; } = [TrainImages, TrainLabels, TestImages, TestLabels];

    /// <summary>
    /// <c>$HARNESS_DATA</c> if set, else <c>$XDG_CACHE_HOME/harness/data</c>, else <c>~/.cache/harness/data</c>:
    /// tens of megabytes that must not land in the git checkout.
    /// </summary>
    public static string DefaultRoot =>
        Environment.GetEnvironmentVariable("HARNESS_DATA") is { Length: > 0 } explicitRoot ? explicitRoot
        : Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } cache ? Path.Combine(cache, "harness", "data")
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "harness", "data");

    /// <summary>Why <paramref name="dataset"/> cannot be loaded from the cache (the command to run), or null if its files are there.</summary>
    public static string? Missing(string dataset, string? root = null)
    {
        var directory = Path.Combine(root ?? DefaultRoot, dataset);
        if (FileNames.All(name => File.Exists(Path.Combine(directory, name)))) return null;
        var fetch = root is null ? $"./run.sh data {dataset}" : $"./run.sh data {dataset} --dir {root}";
        return $"{dataset} data not found in {directory}: run {fetch}";
    }

    /// <summary>
    /// The train and test sets of <paramref name="dataset"/> ("mnist" or "fashion-mnist") from
    /// <c>&lt;root&gt;/&lt;dataset&gt;/</c> (<paramref name="root"/> defaults to <see cref="DefaultRoot"/>).
    /// </summary>
    public static (ImageSet Train, ImageSet Test) Load(string dataset, string? root = null)
    {
        ImageDataPackage.Find(dataset);
        if (Missing(dataset, root) is { } why) throw new HarnessInputException(why);
        var directory = Path.Combine(root ?? DefaultRoot, dataset);
        return Read(directory, name => Path.Combine(directory, name));
    }

    /// <summary>
    /// The train and test sets in <paramref name="directory"/>, each of the four files raw or as <c>name.gz</c>
    /// (the committed test fixture is gzip).
    /// </summary>
    public static (ImageSet Train, ImageSet Test) LoadDirectory(string directory)
    {
        if (!Directory.Exists(directory)) throw new HarnessInputException($"{directory}: no such folder");
        return Read(directory, name =>
        {
            var raw = Path.Combine(directory, name);
            if (File.Exists(raw)) return raw;
            if (File.Exists(raw + ".gz")) return raw + ".gz";
            throw new HarnessInputException($"{directory}: neither {name} nor {name}.gz found");
        });
    }

    private static (ImageSet Train, ImageSet Test) Read(string directory, Func<string, string> path)
    {
        var train = IdxFile.Read(path(TrainImages), path(TrainLabels));
        var test = IdxFile.Read(path(TestImages), path(TestLabels));
        if (train.Height != test.Height || train.Width != test.Width)
            throw new HarnessInputException($"{directory}: training images are {train.Height}x{train.Width} but test images {test.Height}x{test.Width}");
        return (train, test);
    }
}
