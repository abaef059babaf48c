using System.Globalization;

namespace Harness.Training;

/// <summary>The process's peak resident memory (Linux VmHWM), which a run reports so its memory can be tracked.</summary>
internal static class PeakMemory
{
    /// <summary>Peak resident set size so far in MiB, or null where /proc/self/status does not say.</summary>
    public static double? ResidentMb()
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return null;
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        var kilobytes = line?["VmHWM:".Length..].Trim().Split(' ')[0];
        return long.TryParse(kilobytes, NumberStyles.Integer, CultureInfo.InvariantCulture, out long kb) ? kb / 1024.0 : null;
    }
}
