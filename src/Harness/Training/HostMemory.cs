using System.Runtime.InteropServices;

namespace Harness.Training;

/// <summary>
/// Gives freed host memory back to the system. libtorch allocates its CPU tensors with glibc's malloc, and a step's
/// largest tensors (logits over the vocabulary at every answer position) change size from batch to batch; glibc keeps
/// the freed holes in its heaps, so a run's resident memory grows well past what it holds at once. Trimming at each
/// logging point returns them.
/// </summary>
internal static class HostMemory
{
    [DllImport("libc.so.6", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);

    /// <summary>Returns free heap pages to the system (glibc); a no-op elsewhere.</summary>
    public static void Trim()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            MallocTrim(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // not glibc (musl, for example): nothing to trim
        }
    }
}
