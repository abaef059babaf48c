using System.Buffers.Binary;
using System.Text;

namespace Harness.Metrics.IO;

/// <summary>
/// Writes scalars to a TensorBoard event file <c>events.out.tfevents.&lt;unix seconds&gt;.&lt;hostname&gt;</c>, so
/// <c>tensorboard --logdir</c> can plot a run, live while it trains. Not thread-safe.
/// </summary>
/// <remarks>
/// <para>
/// The file is a sequence of TFRecords (TensorFlow's <c>tensorflow/core/lib/io/record_writer.cc</c>): uint64 length,
/// uint32 masked CRC-32C of those 8 bytes, the data, uint32 masked CRC-32C of the data, all little-endian. Each
/// record's data is a protobuf <c>Event</c> (<c>tensorflow/core/util/event.proto</c>), encoded here by hand: the first
/// one carries <c>file_version = "brain.Event:2"</c>, every later one a <c>Summary</c> with one simple value.
/// </para>
/// <para>
/// Unlike the harness's other files this one is not written through <see cref="AtomicFile"/>: it is an append-only
/// log that TensorBoard reads while it grows. Each record goes to the file in one write followed by a flush, so a
/// crash leaves whole records plus at most one partial trailing record, which <see cref="TensorBoardEventReader"/>
/// reports and TensorBoard ignores.
/// </para>
/// </remarks>
public sealed class TensorBoardEventWriter : IDisposable
{
    /// <summary>The <c>file_version</c> of the first record; TensorBoard expects it.</summary>
    public const string FileVersion = "brain.Event:2";

    /// <summary>The prefix of every event file's name (TensorBoard looks for "tfevents" in file names).</summary>
    public const string FilePrefix = "events.out.tfevents.";

    private readonly FileStream _stream;
    private readonly TimeProvider _time;
    private bool _disposed;

    /// <summary>
    /// Creates <paramref name="folder"/> if needed and a new event file in it, and writes the file-version record.
    /// </summary>
    /// <param name="folder">The folder TensorBoard will see as one run (for example <c>&lt;run dir&gt;/tensorboard</c>).</param>
    /// <param name="time">The clock for file names and wall times; the system clock by default.</param>
    public TensorBoardEventWriter(string folder, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        _time = time ?? TimeProvider.System;
        Directory.CreateDirectory(folder);
        (_stream, FilePath) = CreateFile(folder, $"{FilePrefix}{_time.GetUtcNow().ToUnixTimeSeconds()}.{Environment.MachineName}");
        WriteEvent(step: 0, fileVersion: FileVersion, tag: null, value: 0);
    }

    /// <summary>The event file being written.</summary>
    public string FilePath { get; }

    /// <summary>
    /// Appends one scalar point: <paramref name="value"/> (stored as a float, as TensorBoard's <c>simple_value</c>
    /// is) of the series <paramref name="tag"/> at <paramref name="step"/>. The record reaches the operating system
    /// before this returns, so a live TensorBoard sees it.
    /// </summary>
    public void AddScalar(string tag, double value, long step)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        ObjectDisposedException.ThrowIf(_disposed, this);
        WriteEvent(step, fileVersion: null, tag, (float)value);
    }

    /// <summary>Flushes written records to disk (each record already reaches the operating system when written).</summary>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _stream.Flush(flushToDisk: true);
    }

    /// <summary>Flushes to disk and closes the file.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            _stream.Flush(flushToDisk: true);
        }
        finally
        {
            _stream.Dispose();
        }
    }

    /// <summary>
    /// The TFRecord framing of <paramref name="data"/>: length, masked CRC of the length, data, masked CRC of the data.
    /// </summary>
    internal static byte[] Frame(ReadOnlySpan<byte> data)
    {
        var record = new byte[12 + data.Length + 4];
        BinaryPrimitives.WriteUInt64LittleEndian(record, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(8), Crc32C.Masked(record.AsSpan(0, 8)));
        data.CopyTo(record.AsSpan(12));
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(12 + data.Length), Crc32C.Masked(data));
        return record;
    }

    /// <summary>
    /// A protobuf <c>Event</c>: wall_time (1, double), step (2, int64; left out when 0, as proto3 does), then either
    /// file_version (3, string) or summary (5) holding one <c>Summary.Value</c> {tag (1), simple_value (2, float)}.
    /// </summary>
    internal static byte[] EncodeEvent(double wallTime, long step, string? fileVersion, string? tag, float value)
    {
        var message = new MemoryStream();
        message.WriteByte(0x09); // field 1, fixed64
        WriteFixed64(message, BitConverter.DoubleToUInt64Bits(wallTime));
        if (step != 0)
        {
            message.WriteByte(0x10); // field 2, varint
            WriteVarint(message, (ulong)step); // negative steps take 10 bytes, as protobuf's int64 does
        }

        if (fileVersion is not null)
        {
            WriteBytes(message, 0x1A, Encoding.UTF8.GetBytes(fileVersion)); // field 3, length-delimited
        }

        if (tag is not null)
        {
            var summaryValue = new MemoryStream();
            WriteBytes(summaryValue, 0x0A, Encoding.UTF8.GetBytes(tag)); // Value.tag, field 1
            // Value.simple_value (field 2, fixed32) is in a oneof, so it is written even when 0: otherwise a reader
            // would see a value with no data rather than a zero.
            summaryValue.WriteByte(0x15);
            WriteFixed32(summaryValue, BitConverter.SingleToUInt32Bits(value));

            var summary = new MemoryStream();
            WriteBytes(summary, 0x0A, summaryValue.ToArray()); // Summary.value, field 1
            WriteBytes(message, 0x2A, summary.ToArray()); // Event.summary, field 5
        }

        return message.ToArray();
    }

    private void WriteEvent(long step, string? fileVersion, string? tag, float value)
    {
        double wallTime = (_time.GetUtcNow() - DateTimeOffset.UnixEpoch).TotalSeconds;
        // One write per record, so a crash can only cut the last record short.
        _stream.Write(Frame(EncodeEvent(wallTime, step, fileVersion, tag, value)));
        _stream.Flush();
    }

    /// <summary>Creates the file new; a second writer in the same second and folder gets a ".2" (".3", ...) suffix.</summary>
    private static (FileStream Stream, string Path) CreateFile(string folder, string name)
    {
        for (int n = 1; ; n++)
        {
            string path = Path.Combine(folder, n == 1 ? name : $"{name}.{n}");
            try
            {
                // FileShare.Read: TensorBoard (or a test) may read the file while it grows.
                return (new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read), path);
            }
            catch (IOException) when (File.Exists(path) && n < 1000)
            {
            }
        }
    }

    private static void WriteBytes(Stream stream, byte fieldTag, byte[] bytes)
    {
        stream.WriteByte(fieldTag);
        WriteVarint(stream, (ulong)bytes.Length);
        stream.Write(bytes);
    }

    private static void WriteVarint(Stream stream, ulong value)
    {
        while (value >= 0x80)
        {
            stream.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        stream.WriteByte((byte)value);
    }

    private static void WriteFixed64(Stream stream, ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        stream.Write(bytes);
    }

    private static void WriteFixed32(Stream stream, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        stream.Write(bytes);
    }
}
