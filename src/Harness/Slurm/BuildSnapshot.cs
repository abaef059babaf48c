using System.Security.Cryptography;

namespace Harness.Slurm;

/// <summary>
/// A frozen copy of the Harness build for a suite's Slurm jobs, in <c>&lt;suite folder&gt;/slurm/build-&lt;hash&gt;/</c>:
/// tasks may wait in the queue for hours, and a rebuild meanwhile (./run.sh builds before every command) must neither
/// change the code or built-in data later tasks run nor pull files from under running ones. Every file of the build up
/// to <see cref="CopyLimit"/> is copied, folders included (the project's assemblies, deps.json, the patched
/// libLibTorchSharp.so, data/: about 35 MB); larger files (libtorch itself) are linked, since only a package update or
/// a backend switch rewrites them. The hash is that of the project's assemblies, so resubmitting an unchanged build
/// reuses its snapshot.
/// </summary>
internal static class BuildSnapshot
{
    /// <summary>Files larger than this are linked, not copied.</summary>
    public const long CopyLimit = 16L << 20;

    /// <summary>
    /// The snapshot folder for the build in <paramref name="buildDirectory"/> whose own assemblies are
    /// <paramref name="assemblies"/>, under <paramref name="slurmFolder"/>; nothing is created.
    /// </summary>
    public static string PathFor(string slurmFolder, IReadOnlyList<string> assemblies)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var assembly in assemblies) hash.AppendData(File.ReadAllBytes(assembly));
        return Path.Combine(slurmFolder, $"build-{Convert.ToHexStringLower(hash.GetHashAndReset())[..12]}");
    }

    /// <summary>Creates the snapshot at <paramref name="snapshot"/> unless it exists; complete or not at all (built aside, then renamed).</summary>
    public static void Create(string buildDirectory, string snapshot)
    {
        if (Directory.Exists(snapshot)) return;
        var partial = $"{snapshot}.partial-{Environment.ProcessId}";
        if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
        CopyOrLink(new DirectoryInfo(buildDirectory), partial);
        try
        {
            Directory.Move(partial, snapshot);
        }
        catch (IOException) when (Directory.Exists(snapshot))
        {
            Directory.Delete(partial, recursive: true); // another submission made the same snapshot first
        }
    }

    private static void CopyOrLink(DirectoryInfo source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var entry in source.EnumerateFileSystemInfos())
        {
            var destination = Path.Combine(target, entry.Name);
            if (entry is DirectoryInfo folder) CopyOrLink(folder, destination);
            else if (((FileInfo)entry).Length <= CopyLimit) ((FileInfo)entry).CopyTo(destination);
            else File.CreateSymbolicLink(destination, entry.FullName);
        }
    }
}
