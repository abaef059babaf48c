using System.Text;
using Harness.Metrics.IO;
using static TorchSharp.torch;

namespace Harness.Models;

/// <summary>Saves module weights atomically, in TorchSharp's format (what <c>module.save(path)</c> writes).</summary>
internal static class ModelFile
{
    /// <summary>Writes <paramref name="module"/>'s state to <paramref name="path"/>; the old file stays intact until the new one is complete.</summary>
    public static void Save(nn.Module module, string path) => AtomicFile.Write(path, stream =>
    {
        // TorchSharp's own save(path) wraps its file in a UTF-8 BinaryWriter the same way; leaveOpen, because
        // AtomicFile flushes the stream to disk after this returns
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        module.save(writer);
    });
}
