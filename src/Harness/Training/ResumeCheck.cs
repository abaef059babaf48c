using Harness.Config;
using Harness.Metrics.Reports;

namespace Harness.Training;

/// <summary>
/// What <c>--resume RUN_DIR</c> must find before it may continue a run: a run folder (config.resolved.yaml), not
/// completed, not alive in another process, made with this very config. Each refusal is bad input naming the folder or
/// the first differing key. A run that stopped before its first checkpoint (during pretraining or the first
/// evaluation) has nothing to continue from: its folder is emptied and the run starts again in it.
/// </summary>
internal static class ResumeCheck
{
    /// <summary>Claims <paramref name="directory"/> for <paramref name="loaded"/> and reads its checkpoint (null: start again there).</summary>
    public static RunFolderLock Claim(LoadedConfig loaded, string directory, out RunCheckpoint? checkpoint)
    {
        checkpoint = null;
        if (File.Exists(directory)) throw new HarnessInputException($"--resume {directory}: is a file, not a run folder");
        if (!Directory.Exists(directory)) throw new HarnessInputException($"--resume {directory}: no such folder");
        var resolved = Path.Combine(directory, "config.resolved.yaml");
        if (!File.Exists(resolved))
            throw new HarnessInputException($"--resume {directory}: not a Harness run folder (it has no config.resolved.yaml)");
        // Checked before the claim, so a refused resume leaves the folder exactly as it was.
        if (RunRecord.IsCompleted(directory))
            throw new HarnessInputException($"--resume {directory}: the run already completed (metrics.json status completed); nothing to resume");
        CheckSameConfig(loaded, resolved);
        var claim = RunFolderLock.ClaimExisting(directory);
        try
        {
            if (RunRecord.IsCompleted(directory)) // finished by another process since the check above
                throw new HarnessInputException($"--resume {directory}: the run already completed (metrics.json status completed); nothing to resume");
            SweepTemporaryFiles(directory);
            checkpoint = RunCheckpoint.Read(directory);
            if (checkpoint is null) Empty(directory);
            return claim;
        }
        catch
        {
            checkpoint?.Dispose();
            claim.Dispose();
            throw;
        }
    }

    /// <summary>Removes what atomic writes cut short by the kill left behind (hidden <c>.NAME.GUID.tmp</c> files, a checkpoint's among them).</summary>
    private static void SweepTemporaryFiles(string directory)
    {
        foreach (var file in Directory.EnumerateFiles(directory, ".*.tmp", SearchOption.AllDirectories)) File.Delete(file);
    }

    /// <summary>Deletes everything in a run folder but its lock, so the run can start again there.</summary>
    private static void Empty(string directory)
    {
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos())
        {
            if (entry.Name == RunFolderLock.FileName) continue;
            if (entry is DirectoryInfo folder) folder.Delete(recursive: true);
            else entry.Delete();
        }
    }

    /// <summary>The command that resumes the run in <paramref name="directory"/> (the seed given, in case --seed set it).</summary>
    public static string Hint(string configPath, int seed, string directory) => $"./run.sh {configPath} --resume {directory} --seed {seed}";

    /// <summary>The run's resolved config must be <paramref name="loaded"/>'s experiment (<see cref="ConfigIdentity"/>).</summary>
    private static void CheckSameConfig(LoadedConfig loaded, string resolvedPath)
    {
        string? difference;
        try
        {
            difference = ConfigDifference(loaded, resolvedPath);
        }
        catch (HarnessInputException e)
        {
            throw new HarnessInputException($"--resume: the run's config is unreadable: {e.Message}");
        }
        if (difference is not null) throw new HarnessInputException($"{difference}: --resume needs the run's own config (and seed)");
    }

    /// <summary>
    /// Where the run whose resolved config is <paramref name="resolvedPath"/> is another experiment than
    /// <paramref name="loaded"/>'s (<see cref="ConfigIdentity"/>): its first differing line and key, both values; null
    /// when it is the same experiment. An unreadable resolved config is bad input.
    /// </summary>
    public static string? ConfigDifference(LoadedConfig loaded, string resolvedPath)
    {
        var stored = ConfigLoader.Load(resolvedPath, requireData: false).Config;
        var theirs = ConfigIdentity.Of(stored).Split('\n');
        var ours = ConfigIdentity.Of(loaded.Resolved()).Split('\n');
        for (int i = 0; i < Math.Max(theirs.Length, ours.Length); i++)
        {
            var a = i < theirs.Length ? theirs[i] : "";
            var b = i < ours.Length ? ours[i] : "";
            if (a != b)
                return $"{resolvedPath}:{i + 1}: {KeyPath(theirs, i)}: the run was made with '{a.Trim()}', {loaded.Positions.File} gives '{b.Trim()}'";
        }
        return null;
    }

    /// <summary>The dotted key path of YAML line <paramref name="index"/>, from the indentation of the lines above it.</summary>
    private static string KeyPath(string[] lines, int index)
    {
        if (index >= lines.Length) return "(end)";
        var path = new List<string>();
        int indent = Indent(lines[index]);
        path.Add(Key(lines[index]));
        for (int i = index - 1; i >= 0 && indent > 0; i--)
        {
            if (lines[i].Trim().Length == 0 || Indent(lines[i]) >= indent) continue;
            indent = Indent(lines[i]);
            path.Insert(0, Key(lines[i]));
        }
        return string.Join('.', path.Where(k => k.Length > 0));
    }

    private static int Indent(string line) => line.Length - line.TrimStart(' ', '-').Length;

    private static string Key(string line)
    {
        var text = line.Trim().TrimStart('-', ' ');
        int colon = text.IndexOf(':');
        return colon > 0 ? text[..colon] : text;
    }
}
