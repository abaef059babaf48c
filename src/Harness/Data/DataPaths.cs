namespace Harness.Data;

/// <summary>Where the shipped data lives: data/ beside the binary (copied there by the build).</summary>
internal static class DataPaths
{
    /// <summary>The folder with the built-in domain files and pretraining corpus.</summary>
    public static string Root => Path.Combine(AppContext.BaseDirectory, "data");

    /// <summary>The file of a built-in domain (poetry, history, geography).</summary>
    public static string BuiltinDomain(string name) => Path.Combine(Root, name + ".jsonl");

    /// <summary>The small gzip IDX subset of MNIST used by the tests (see data/mnist-fixture/DATA.md).</summary>
    public static string MnistFixture => Path.Combine(Root, "mnist-fixture");

    /// <summary>
    /// The checkout the binaries were built in (the nearest folder above them that holds Harness.sln), for what is read
    /// from the repository rather than shipped beside the binary (configs/, bench/); null outside a checkout.
    /// </summary>
    public static string? Repository()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "Harness.sln"))) return folder.FullName;
        return null;
    }

    /// <summary>The built-in pretraining corpus files.</summary>
    public static IReadOnlyList<string> BuiltinPretrainCorpus =>
        [Path.Combine(Root, "pretrain", "kjv.txt"), Path.Combine(Root, "pretrain", "proverbs.txt")];
}
