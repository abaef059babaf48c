using System.Runtime.InteropServices;

namespace Harness.Training;

/// <summary>
/// Puts Intel MKL, which libtorch's CPU build carries for its matrix products, in its conditional numerical
/// reproducibility mode (<c>MKL_CBWR=AUTO</c>). Without it MKL may choose its cache blocking, thread split and
/// reductions at run time, so two processes of one config on one machine can differ in the last bit of a product and
/// then drift apart: on CI an uninterrupted run's loss differed from an identical process's from stage step 3, which
/// breaks the promise that a killed and resumed run equals its uninterrupted twin. AUTO keeps the fastest instruction
/// set the machine has and fixes the rest; on this machine kind it gives the same numbers, at the same speed, as MKL's
/// default did. A user's own <c>MKL_CBWR</c> is kept.
/// <para>
/// MKL reads the variable when libtorch starts it, so this runs first thing in the process. It goes through libc's
/// setenv: on Linux, <see cref="Environment.SetEnvironmentVariable(string, string)"/> changes only .NET's copy.
/// </para>
/// </summary>
internal static class ReproducibleMkl
{
    public const string Variable = "MKL_CBWR";

    [DllImport("libc.so.6", EntryPoint = "setenv")]
    private static extern int SetNativeEnvironment(string name, string value, int overwrite);

    /// <summary>Sets <c>MKL_CBWR=AUTO</c> unless it is set already; false where that is not possible.</summary>
    public static bool Enable()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 }) return true;
        if (!OperatingSystem.IsLinux())
        {
            Environment.SetEnvironmentVariable(Variable, "AUTO"); // Windows and macOS: .NET sets the process's own block
            return true;
        }
        try
        {
            if (SetNativeEnvironment(Variable, "AUTO", overwrite: 0) != 0) return false;
            Environment.SetEnvironmentVariable(Variable, "AUTO"); // so .NET code (and child processes) see it too
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // not glibc: results stay correct, only not guaranteed bit-identical across processes
        }
    }
}
