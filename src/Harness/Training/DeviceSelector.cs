using Harness.Config;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Training;

/// <summary>Turns the config's device (auto | cpu | cuda) into a torch device; nothing else in Harness names a device.</summary>
internal static class DeviceSelector
{
    /// <summary>auto → CUDA when available, else CPU; cuda without a visible GPU is an input error.</summary>
    public static Device Resolve(string requested) => requested switch
    {
        "cpu" => CPU,
        "cuda" when cuda.is_available() => CUDA,
        "cuda" => throw new HarnessInputException("device cuda requested, but no CUDA device is available (and this build may be the CPU backend: see README, 'CUDA')"),
        _ => cuda.is_available() ? CUDA : CPU,
    };
}
