using System.Runtime.InteropServices;
using TorchSharp;

namespace Harness.Training;

/// <summary>
/// Flushes denormal floats to zero on the CPU, as PyTorch's <c>torch.set_flush_denormal(True)</c> does (TorchSharp has
/// no binding, so libtorch's own <c>at::Context::setFlushDenormal</c> is called). A classifier that has learned its
/// task puts probabilities near 1e-40 on the wrong classes; arithmetic on such denormals is up to 100× slower on
/// x86 and made one Split MNIST stage take 80 s instead of 1 s. Values below 1.2e-38 become 0, which changes no
/// result a researcher could see. The setting is per thread and inherited by threads created later, so it is made
/// once, before libtorch starts its thread pool.
/// </summary>
internal static class DenormalFlush
{
    private delegate IntPtr GlobalContext();
    private delegate byte SetFlushDenormal(IntPtr context, byte on);

    /// <summary>Turns flushing on for this thread (and threads it creates later); false where it is not supported.</summary>
    public static bool Enable()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64) return false;
        _ = torch.cuda.is_available(); // loads libtorch, without starting a parallel region
        if (!NativeLibrary.TryLoad("libtorch_cpu.so", out var library)) return false;
        if (!NativeLibrary.TryGetExport(library, "_ZN2at13globalContextEv", out var contextExport)
            || !NativeLibrary.TryGetExport(library, "_ZN2at7Context16setFlushDenormalEb", out var setExport))
            return false;
        var context = Marshal.GetDelegateForFunctionPointer<GlobalContext>(contextExport)();
        return Marshal.GetDelegateForFunctionPointer<SetFlushDenormal>(setExport)(context, 1) != 0;
    }
}
