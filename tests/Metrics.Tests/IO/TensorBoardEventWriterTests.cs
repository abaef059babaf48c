using System.Text;
using Harness.Metrics.IO;

namespace Harness.Metrics.Tests.IO;

public sealed class TensorBoardEventWriterTests
{
    // 2023-11-14T22:13:20.5Z: a half second, so the double's low bytes are not all zero.
    private const double WallTime = 1_700_000_000.5;

    /// <summary>A clock that always says <see cref="WallTime"/>, so file names and bytes are predictable.</summary>
    private sealed class FixedClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => DateTimeOffset.UnixEpoch.AddSeconds(WallTime);
    }

    [Fact]
    public void Compute_StandardCheckInput_IsE3069283()
    {
        // Given the check input of the CRC catalogue; When / Then
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(21)]
    public void Compute_AnyLength_MatchesBitwiseReference(int length)
    {
        // Given bytes that exercise the 8-byte chunks and the byte-wise tail
        var data = Enumerable.Range(0, length).Select(i => (byte)(i * 37 + 11)).ToArray();

        // Then the fast path agrees with the textbook bit-at-a-time CRC-32C
        Assert.Equal(BitwiseCrc32C(data), Crc32C.Compute(data));
    }

    [Fact]
    public void Mask_KnownValues_RotateRight15PlusDelta()
    {
        // Then: 0 rotates to 0; 1 rotated right by 15 is 1 << 17 = 0x00020000
        Assert.Equal(0xA282EAD8u, Crc32C.Mask(0));
        Assert.Equal(0xA284EAD8u, Crc32C.Mask(1));
        // And bit 31 moves to bit 16, bit 14 to bit 31
        Assert.Equal(0xA283EAD8u, Crc32C.Mask(0x80000000));
        // And the sum wraps around: 0xFFFFBFFF rotates to 0x7FFFFFFF, and 0x7FFFFFFF + 0xA282EAD8 = 0x1_2282_EAD7
        Assert.Equal(0x2282EAD7u, Crc32C.Mask(0xFFFFBFFF));
    }

    [Fact]
    public void Constructor_FixedClock_FirstRecordHasTheExactTensorFlowBytes()
    {
        // Given a writer whose clock says 1700000000.5
        using var dir = new TempDirectory();
        string path;
        using (var writer = new TensorBoardEventWriter(dir.Path, new FixedClock()))
        {
            path = writer.FilePath;
        }

        // Then the file is named for the second and the host
        Assert.Equal($"events.out.tfevents.1700000000.{Environment.MachineName}", Path.GetFileName(path));

        // And its only record is, byte for byte (CRCs computed by an independent bitwise implementation):
        byte[] expected =
        [
            // length 24, little-endian uint64
            0x18, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            // masked CRC-32C of the length bytes (the header every TensorFlow event file starts with)
            0xA3, 0x7F, 0x4B, 0x22,
            // Event.wall_time (field 1, fixed64): 1700000000.5 as a little-endian double
            0x09, 0x00, 0x00, 0x20, 0x40, 0xFC, 0x54, 0xD9, 0x41,
            // Event.file_version (field 3, 13 bytes): "brain.Event:2"
            0x1A, 0x0D, .. "brain.Event:2"u8,
            // masked CRC-32C of the 24 data bytes: 0x1031352B
            0x2B, 0x35, 0x31, 0x10,
        ];
        Assert.Equal(expected, File.ReadAllBytes(path));
    }

    [Fact]
    public void AddScalar_FixedClock_AppendsTheExactRecordBytes()
    {
        // Given a writer with a fixed clock
        using var dir = new TempDirectory();
        string path;
        using (var writer = new TensorBoardEventWriter(dir.Path, new FixedClock()))
        {
            // When one scalar is added
            writer.AddScalar("a", 0.5, step: 3);
            path = writer.FilePath;
        }

        // Then after the 40-byte version record comes this one (CRCs from an independent bitwise implementation)
        byte[] expected =
        [
            0x17, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // length 23
            0xE7, 0xCE, 0xF8, 0x1E, // masked CRC of the length bytes
            0x09, 0x00, 0x00, 0x20, 0x40, 0xFC, 0x54, 0xD9, 0x41, // wall_time
            0x10, 0x03, // step (field 2, varint) 3
            0x2A, 0x0A, // summary (field 5), 10 bytes
            0x0A, 0x08, // Summary.value (field 1), 8 bytes
            0x0A, 0x01, (byte)'a', // Value.tag "a"
            0x15, 0x00, 0x00, 0x00, 0x3F, // Value.simple_value (field 2, fixed32) 0.5f
            0x30, 0xFE, 0xF8, 0x17, // masked CRC of the data: 0x17F8FE30
        ];
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(40 + expected.Length, bytes.Length);
        Assert.Equal(expected, bytes[40..]);
    }

    [Fact]
    public void Read_WrittenScalars_RoundTripsTagsStepsAndFloatValues()
    {
        // Given scalars of two tags, including a zero value at step 0 and a large step
        using var dir = new TempDirectory();
        string path;
        using (var writer = new TensorBoardEventWriter(dir.Path))
        {
            writer.AddScalar("train/loss", 2.718281828, step: 10);
            writer.AddScalar("accuracy/数学", 0.0, step: 0);
            writer.AddScalar("train/loss", 0.1, step: 20);
            writer.AddScalar("accuracy/数学", 1.0, step: 5_000_000_000);
            path = writer.FilePath;
        }

        // When it is read back
        var file = TensorBoardEventReader.Read(path);

        // Then the first record is the file version, and nothing is truncated
        Assert.Equal(5, file.Events.Count);
        Assert.Equal(TensorBoardEventWriter.FileVersion, file.Events[0].FileVersion);
        Assert.Empty(file.Events[0].Scalars);
        Assert.All(file.Events.Skip(1), e => Assert.Null(e.FileVersion));
        Assert.Null(file.TruncatedTailOffset);
        // And the series hold the float-rounded values at their steps
        Assert.Equal(["train/loss", "accuracy/数学"], file.Tags);
        Assert.Equal([(10L, 2.718281828f), (20L, 0.1f)], file.Scalars("train/loss"));
        Assert.Equal([(0L, 0f), (5_000_000_000L, 1f)], file.Scalars("accuracy/数学"));
        // And wall times are now-ish seconds since the epoch
        double now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.All(file.Events, e => Assert.InRange(e.WallTime, now - 60, now + 1));
        Assert.Equal([0L, 40L], file.Events.Take(2).Select(e => e.Offset));
    }

    [Fact]
    public void Read_WhileWriterIsOpen_SeesEveryRecordWritten()
    {
        // Given a writer that has added a scalar and is still open (a live run)
        using var dir = new TempDirectory();
        using var writer = new TensorBoardEventWriter(dir.Path);
        writer.AddScalar("train/loss", 1.5, step: 1);

        // When the file is read now
        var file = TensorBoardEventReader.Read(writer.FilePath);

        // Then the record is already there
        Assert.Equal([(1L, 1.5f)], file.Scalars("train/loss"));
    }

    [Fact]
    public void Constructor_SameSecondSameFolder_SecondWriterGetsItsOwnFile()
    {
        // Given two writers created in the same (fixed) second in one folder
        using var dir = new TempDirectory();
        using var first = new TensorBoardEventWriter(dir.Path, new FixedClock());
        using var second = new TensorBoardEventWriter(dir.Path, new FixedClock());

        // Then neither overwrites the other
        Assert.Equal(first.FilePath + ".2", second.FilePath);
        Assert.Equal(2, dir.FileNames().Length);
    }

    [Theory]
    [InlineData(40 + 20, "data CRC mismatch")] // a byte of the second record's data
    [InlineData(40 + 2, "length CRC mismatch")] // a byte of its length
    public void Read_OneByteFlipped_FailsNamingFileAndRecordOffset(int position, string problem)
    {
        // Given a file whose second record (at offset 40) has one flipped byte
        using var dir = new TempDirectory();
        string path = WriteThreeScalars(dir);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[position] ^= 0x01;
        File.WriteAllBytes(path, bytes);

        // When it is read
        var ex = Assert.Throws<InvalidDataException>(() => TensorBoardEventReader.Read(path));

        // Then the error says where
        Assert.Contains(path, ex.Message);
        Assert.Contains("record at byte offset 40", ex.Message);
        Assert.Contains(problem, ex.Message);
    }

    [Theory]
    [InlineData(1)] // only the data CRC is cut off
    [InlineData(10)] // into the data
    [InlineData(30)] // into the header
    public void Read_LastRecordCutShort_ReportsItAndReadsTheEarlierOnes(int missingBytes)
    {
        // Given a file whose last record (a crash mid-write) lacks its last bytes
        using var dir = new TempDirectory();
        string path = WriteThreeScalars(dir);
        var whole = TensorBoardEventReader.Read(path);
        long lastOffset = whole.Events[^1].Offset;
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^missingBytes]);

        // When it is read
        var file = TensorBoardEventReader.Read(path);

        // Then the whole records are there and the cut one is reported at its offset
        Assert.Equal(3, file.Events.Count);
        Assert.Equal([(1L, 1f), (2L, 2f)], file.Scalars("s"));
        Assert.Equal(lastOffset, file.TruncatedTailOffset);
    }

    [Fact]
    public void Read_FieldsItDoesNotKnow_AreSkipped()
    {
        // Given a record written by another tool: an Event with an unknown field 4 (graph_def) and a summary with a
        // Value that has node_name (7) before its tag, plus a Value without a simple_value (an image, field 4)
        byte[] data =
        [
            0x10, 0x07, // step 7
            0x22, 0x02, 0xAB, 0xCD, // field 4, 2 bytes
            0x2A, 0x13, // summary, 19 bytes
            0x0A, 0x0B, 0x3A, 0x01, (byte)'n', 0x0A, 0x01, (byte)'x', 0x15, 0x00, 0x00, 0x80, 0x3F, // value x = 1.0f
            0x0A, 0x04, 0x22, 0x02, 0x01, 0x02, // a value with only an "image"
        ];
        using var dir = new TempDirectory();
        string path = dir.File("events.out.tfevents.1.other");
        File.WriteAllBytes(path, TensorBoardEventWriter.Frame(data));

        // When it is read
        var file = TensorBoardEventReader.Read(path);

        // Then the scalar is found and the rest ignored
        var single = Assert.Single(file.Events);
        Assert.Equal(7, single.Step);
        Assert.Equal([new TensorBoardScalar("x", 1f)], single.Scalars);
    }

    private static string WriteThreeScalars(TempDirectory dir)
    {
        using var writer = new TensorBoardEventWriter(dir.Path);
        writer.AddScalar("s", 1, step: 1);
        writer.AddScalar("s", 2, step: 2);
        writer.AddScalar("s", 3, step: 3);
        return writer.FilePath;
    }

    /// <summary>CRC-32C one bit at a time (reflected polynomial 0x82F63B78), the definition the fast path must match.</summary>
    private static uint BitwiseCrc32C(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int i = 0; i < 8; i++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78 : crc >> 1;
            }
        }

        return ~crc;
    }
}
