using System.Reflection;

namespace Harness.Training;

/// <summary>What the build recorded about itself (assembly metadata set in Harness.csproj): package versions and the libtorch backend.</summary>
internal static class BuildInfo
{
    /// <summary>The metadata value under <paramref name="key"/>, or "unknown".</summary>
    public static string Metadata(string key) =>
        typeof(BuildInfo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value ?? "unknown";

    /// <summary>The libtorch backend this build links: "cpu" or "cuda" (-p:TorchBackend=cuda).</summary>
    public static string TorchBackend => Metadata("TorchBackend");
}
