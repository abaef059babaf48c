using System.Globalization;
using System.Runtime.InteropServices;

namespace Harness.Training;

/// <summary>
/// The process's host memory: its peak (which every run reports), and giving freed memory back to the system when the
/// process has grown. libtorch allocates its CPU tensors with
/// glibc's malloc, and a step's largest tensors (logits over the vocabulary at every answer position) change size from
/// batch to batch; glibc keeps the freed holes in its heaps, so a run's resident memory creeps well past what it holds
/// at once (replay.yaml: 1.3-1.9 GB). Trimming returns the holes, but the pages then fault back in as they are reused
/// (trimming at every log line cost 8% of a step), so <see cref="Release"/> trims only once the resident size has grown
/// by <see cref="GrowthBytes"/> since the last trim.
/// </summary>
internal sealed class HostMemory
{
    /// <summary>Growth of the resident size that triggers a trim.</summary>
    public const long GrowthBytes = 256L << 20;

    private long _afterTrim = ResidentBytes() ?? 0;

    [DllImport("libc.so.6", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);

    /// <summary>Trims glibc's heaps if the resident size grew by <see cref="GrowthBytes"/> since the last trim; true if it trimmed.</summary>
    public bool Release()
    {
        if (ResidentBytes() is not { } resident || resident < _afterTrim + GrowthBytes) return false;
        try
        {
            MallocTrim(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // not glibc (musl, for example): nothing to trim
        }
        _afterTrim = ResidentBytes() ?? 0;
        return true;
    }

    /// <summary>The process's peak resident set size so far in MiB (Linux VmHWM), or null where /proc does not say.</summary>
    public static double? PeakResidentMb()
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return null;
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        var kilobytes = line?["VmHWM:".Length..].Trim().Split(' ')[0];
        return long.TryParse(kilobytes, NumberStyles.Integer, CultureInfo.InvariantCulture, out long kb) ? kb / 1024.0 : null;
    }

    /// <summary>The resident set size now (Linux /proc/self/statm), or null elsewhere.</summary>
    private static long? ResidentBytes()
    {
        const string statm = "/proc/self/statm";
        if (!OperatingSystem.IsLinux() || !File.Exists(statm)) return null;
        var fields = File.ReadAllText(statm).Split(' ');
        return fields.Length > 1 && long.TryParse(fields[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out long pages)
            ? pages * Environment.SystemPageSize
            : null;
    }
}
