using static TorchSharp.torch;

namespace Harness.Models;

/// <summary>Saves module weights atomically: TorchSharp closes the stream it writes, so we write a temporary file and rename it.</summary>
internal static class ModelFile
{
    /// <summary>Writes <paramref name="module"/>'s state to <paramref name="path"/>; the old file stays intact until the new one is complete.</summary>
    public static void Save(nn.Module module, string path)
    {
        var temporary = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            module.save(temporary);
            using (var written = new FileStream(temporary, FileMode.Open, FileAccess.ReadWrite))
                written.Flush(flushToDisk: true); // on disk before the rename publishes it
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }
}
