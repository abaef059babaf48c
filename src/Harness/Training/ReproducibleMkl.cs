using System.Runtime.InteropServices;

namespace Harness.Training;

/// <summary>
/// Puts Intel MKL, which libtorch's CPU build carries for its matrix products, in the state its guide asks for
/// run-to-run bitwise reproducibility: its conditional numerical reproducibility mode (<c>MKL_CBWR=AUTO</c>) and a thread
/// count it does not adjust at run time (<c>MKL_DYNAMIC=FALSE</c>). Without them MKL may choose its cache blocking,
/// thread split and reductions as it runs, so two processes of one config on one machine can differ in the last bit of a
/// product and then drift apart: on CI an uninterrupted run's loss differed from an identical process's from stage step
/// 3, which breaks the promise that a killed and resumed run equals its uninterrupted twin. AUTO keeps the fastest
/// instruction set the machine has; on this machine kind both settings give the same weights, in the same time, as
/// MKL's defaults did (configs/replay.yaml: identical model.pt, 35.8 s either way). A value the user set is kept.
/// <para>
/// MKL reads these when libtorch starts it, so this runs first thing in the process. It goes through libc's setenv: on
/// Linux, <see cref="Environment.SetEnvironmentVariable(string, string)"/> changes only .NET's copy.
/// </para>
/// </summary>
internal static class ReproducibleMkl
{
    /// <summary>The variables set, and their values.</summary>
    public static readonly IReadOnlyList<(string Name, string Value)> Settings = [("MKL_CBWR", "AUTO"), ("MKL_DYNAMIC", "FALSE")];

    [DllImport("libc.so.6", EntryPoint = "setenv")]
    private static extern int SetNativeEnvironment(string name, string value, int overwrite);

    /// <summary>Sets each of <see cref="Settings"/> that is not set already; false where that is not possible.</summary>
    public static bool Enable()
    {
        foreach (var (name, value) in Settings)
        {
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 }) continue;
            if (OperatingSystem.IsLinux() && !SetNative(name, value)) return false;
            Environment.SetEnvironmentVariable(name, value); // elsewhere this is the process's own block; on Linux, for .NET code and child processes
        }
        return true;
    }

    private static bool SetNative(string name, string value)
    {
        try
        {
            return SetNativeEnvironment(name, value, overwrite: 0) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // not glibc: results stay correct, only not guaranteed bit-identical across processes
        }
    }
}
