using System.Globalization;
using Harness.Config;

namespace Harness.Training;

/// <summary>Chooses and creates a run's output folder.</summary>
internal static class RunDirectory
{
    /// <summary>Where runs, suites and comparisons go by default: $HARNESS_RESULTS (run.sh sets it to the repo's results/) or ./results.</summary>
    public static string DefaultResultsRoot => Environment.GetEnvironmentVariable("HARNESS_RESULTS") ?? "results";

    /// <summary>The pretrained-base cache folder: --cache-dir if given, else .cache under the results root.</summary>
    public static string CacheFolder(string? cacheDirectory, string resultsRoot) => cacheDirectory ?? Path.Combine(resultsRoot, ".cache");

    /// <summary>Creates the pretrained-base cache folder, or fails as bad input before any training.</summary>
    public static string CreateCache(string path) => File.Exists(path)
        ? throw new HarnessInputException($"cache folder '{path}' is a file")
        : CreateOrFail(path, "--cache-dir");

    /// <summary>
    /// Creates and claims (<see cref="RunFolderLock"/>) <paramref name="requested"/> exactly (--out, which must be empty
    /// or new), else results/&lt;name&gt;/&lt;timestamp&gt;-s&lt;seed&gt;/ with a suffix if that folder already exists or
    /// another run claimed it first, so two runs, even started at the same moment, never share a folder.
    /// </summary>
    public static RunFolderLock Create(string? requested, ExperimentConfig config, string resultsRoot)
    {
        if (requested is not null)
        {
            if (File.Exists(requested)) throw new HarnessInputException($"--out {requested}: is a file");
            if (Directory.Exists(requested) && RunFolderLock.OnlyStaleLock(requested))
                return RunFolderLock.ClaimExisting(requested); // a run killed before it wrote anything: take its folder
            if (Directory.Exists(requested) && Directory.EnumerateFileSystemEntries(requested).Any())
                throw new HarnessInputException($"--out {requested}: folder exists and is not empty");
            return RunFolderLock.TryClaimNew(CreateOrFail(requested, "--out"))
                   ?? throw new HarnessInputException($"--out {requested}: another run claimed this folder at the same moment");
        }
        var stamp = DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var basePath = Path.Combine(resultsRoot, config.Name, $"{stamp}-s{config.Seed}");
        for (int i = 1; ; i++)
        {
            var path = i == 1 ? basePath : $"{basePath}-{i}";
            if (Directory.Exists(path)) continue;
            if (RunFolderLock.TryClaimNew(CreateOrFail(path, "output")) is { } claimed) return claimed;
        }
    }

    private static string CreateOrFail(string path, string key)
    {
        try
        {
            Directory.CreateDirectory(path);
            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new HarnessInputException($"{key} {path}: cannot create the folder: {e.Message}");
        }
    }
}
