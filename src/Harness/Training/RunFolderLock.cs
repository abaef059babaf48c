using Harness.Config;

namespace Harness.Training;

/// <summary>
/// A run's claim on its folder: <c>.lock</c> inside it, held open with an exclusive lock (flock on Linux) for as long
/// as the run lives. A second process, or a second run in this one, cannot take a folder that is claimed; the operating
/// system drops the lock when the process ends, even by SIGKILL, so a killed run's folder can be resumed.
/// </summary>
internal sealed class RunFolderLock : IDisposable
{
    /// <summary>The lock file's name in a run folder.</summary>
    public const string FileName = ".lock";

    private readonly FileStream _stream;

    private RunFolderLock(string directory, FileStream stream)
    {
        Directory = directory;
        _stream = stream;
    }

    /// <summary>The claimed run folder.</summary>
    public string Directory { get; }

    /// <summary>
    /// Claims a folder this process has just created: the lock file must not exist yet (two processes that create the
    /// same folder at once: only one creates its lock file). Null when another run got there first.
    /// </summary>
    public static RunFolderLock? TryClaimNew(string directory)
    {
        try
        {
            return new RunFolderLock(directory, new FileStream(Path.Combine(directory, FileName), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException) when (File.Exists(Path.Combine(directory, FileName)))
        {
            return null; // another run created it first
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HarnessInputException($"{directory}: cannot create the run's lock file: {e.Message}");
        }
    }

    /// <summary>Claims an existing run folder (to resume it); a folder whose run is still alive is bad input.</summary>
    public static RunFolderLock ClaimExisting(string directory)
    {
        try
        {
            return new RunFolderLock(directory, new FileStream(Path.Combine(directory, FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException)
        {
            throw new HarnessInputException($"{directory}: another Harness process is running in this folder (its metrics.json names its pid)");
        }
        catch (UnauthorizedAccessException e)
        {
            throw new HarnessInputException($"{directory}: cannot lock the run folder: {e.Message}");
        }
    }

    /// <summary>True when <paramref name="directory"/> holds nothing but a lock no process holds (a run killed before it wrote anything).</summary>
    public static bool OnlyStaleLock(string directory) =>
        System.IO.Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).SequenceEqual([FileName]) && !IsHeld(directory);

    /// <summary>True when a live process holds <paramref name="directory"/>'s lock.</summary>
    public static bool IsHeld(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) return false;
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();
}
