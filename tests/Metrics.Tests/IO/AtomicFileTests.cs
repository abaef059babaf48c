using System.Text;
using Harness.Metrics.IO;

namespace Harness.Metrics.Tests.IO;

public sealed class AtomicFileTests
{
    [Fact]
    public void WriteAllText_NewFile_WritesUtf8WithoutBomAndNoTempFile()
    {
        // Given
        using var dir = new TempDirectory();
        string path = dir.File("metrics.json");

        // When
        AtomicFile.WriteAllText(path, "{\"domain\": \"数学\"}");

        // Then
        Assert.Equal(["metrics.json"], dir.FileNames());
        Assert.Equal(Encoding.UTF8.GetBytes("{\"domain\": \"数学\"}"), File.ReadAllBytes(path));
    }

    [Fact]
    public void WriteAllBytes_ExistingFile_ReplacesIt()
    {
        // Given
        using var dir = new TempDirectory();
        string path = dir.File("plot.png");
        File.WriteAllBytes(path, [1, 2, 3, 4, 5]);

        // When
        AtomicFile.WriteAllBytes(path, [9, 8]);

        // Then
        Assert.Equal([9, 8], File.ReadAllBytes(path));
        Assert.Equal(["plot.png"], dir.FileNames());
    }

    [Fact]
    public void Write_WriterThrows_TargetUntouchedAndNoTempFile()
    {
        // Given an existing target and a writer that fails halfway
        using var dir = new TempDirectory();
        string path = dir.File("matrix.csv");
        File.WriteAllText(path, "old content");

        // When
        var ex = Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("new, partial"u8);
            throw new InvalidOperationException("writer failed");
        }));

        // Then the writer's exception propagates, the old content is intact, and nothing else is left behind
        Assert.Equal("writer failed", ex.Message);
        Assert.Equal("old content", File.ReadAllText(path));
        Assert.Equal(["matrix.csv"], dir.FileNames());
    }

    [Fact]
    public void Write_WriterThrowsWithNoTarget_CreatesNothing()
    {
        // Given no target yet
        using var dir = new TempDirectory();
        string path = dir.File("matrix.csv");

        // When
        Assert.Throws<InvalidOperationException>(
            () => AtomicFile.Write(path, _ => throw new InvalidOperationException("writer failed")));

        // Then
        Assert.Empty(dir.FileNames());
    }

    [Fact]
    public void Write_StreamWriter_WritesWhatTheWriterWrote()
    {
        // Given
        using var dir = new TempDirectory();
        string path = dir.File("report.md");

        // When
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            writer.Write("# Report\n");
        });

        // Then
        Assert.Equal("# Report\n", File.ReadAllText(path));
    }

    [Fact]
    public void WriteAllText_MissingFolder_ThrowsDirectoryNotFound()
    {
        // Given a folder that does not exist
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "missing", "metrics.json");

        // When / Then it is reported, not silently created
        Assert.Throws<DirectoryNotFoundException>(() => AtomicFile.WriteAllText(path, "{}"));
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "missing")));
    }
}
