using System.Buffers.Binary;
using System.Text;

namespace Harness.Metrics.IO;

/// <summary>
/// Reads a TensorBoard event file (as <see cref="TensorBoardEventWriter"/> writes it, or TensorFlow / PyTorch do):
/// checks both masked CRC-32Cs of every TFRecord and decodes each <c>Event</c>'s wall time, step, file version and
/// scalar (<c>simple_value</c>) summaries; other fields are skipped.
/// </summary>
public static class TensorBoardEventReader
{
    private const int HeaderBytes = 12; // uint64 length + uint32 masked CRC of it
    private const int FooterBytes = 4; // uint32 masked CRC of the data

    /// <summary>
    /// Reads every record of <paramref name="path"/>. An incomplete last record is not an error (a writer may have
    /// stopped mid-write, or still be writing): it is reported in <see cref="TensorBoardEventFile.TruncatedTailOffset"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">A CRC does not match or an event is malformed; the message names the file
    /// and the record's byte offset.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static TensorBoardEventFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);

        byte[] bytes;
        // ReadWrite sharing: the writer may still hold the file open.
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }

        var events = new List<TensorBoardEvent>();
        long offset = 0;
        while (offset < bytes.Length)
        {
            var rest = bytes.AsSpan((int)offset);
            if (rest.Length < HeaderBytes)
            {
                return new TensorBoardEventFile(path, events, offset);
            }

            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(rest);
            uint lengthCrc = BinaryPrimitives.ReadUInt32LittleEndian(rest[8..]);
            uint expectedLengthCrc = Crc32C.Masked(rest[..8]);
            if (lengthCrc != expectedLengthCrc)
            {
                throw Corrupt(path, offset, $"length CRC mismatch (stored 0x{lengthCrc:X8}, computed 0x{expectedLengthCrc:X8})");
            }

            int available = rest.Length - HeaderBytes - FooterBytes; // negative when even the data CRC is cut off
            if (available < 0 || length > (ulong)available)
            {
                // The length is intact (its CRC matched), so the record is merely cut short.
                return new TensorBoardEventFile(path, events, offset);
            }

            var data = rest.Slice(HeaderBytes, (int)length);
            uint dataCrc = BinaryPrimitives.ReadUInt32LittleEndian(rest[(HeaderBytes + (int)length)..]);
            uint expectedDataCrc = Crc32C.Masked(data);
            if (dataCrc != expectedDataCrc)
            {
                throw Corrupt(path, offset, $"data CRC mismatch (stored 0x{dataCrc:X8}, computed 0x{expectedDataCrc:X8})");
            }

            try
            {
                events.Add(DecodeEvent(offset, data));
            }
            catch (FormatException e)
            {
                throw Corrupt(path, offset, $"malformed Event: {e.Message}");
            }

            offset += HeaderBytes + (long)length + FooterBytes;
        }

        return new TensorBoardEventFile(path, events, truncatedTailOffset: null);
    }

    private static InvalidDataException Corrupt(string path, long offset, string problem) =>
        new($"{path}: record at byte offset {offset}: {problem}");

    private static TensorBoardEvent DecodeEvent(long offset, ReadOnlySpan<byte> data)
    {
        double wallTime = 0;
        long step = 0;
        string? fileVersion = null;
        var scalars = new List<TensorBoardScalar>();
        var reader = new ProtoReader(data);
        while (!reader.AtEnd)
        {
            (int field, int wireType) = reader.ReadKey();
            switch (field, wireType)
            {
                case (1, 1):
                    wallTime = BitConverter.UInt64BitsToDouble(reader.ReadFixed64());
                    break;
                case (2, 0):
                    step = (long)reader.ReadVarint();
                    break;
                case (3, 2):
                    fileVersion = Encoding.UTF8.GetString(reader.ReadBytes());
                    break;
                case (5, 2):
                    DecodeSummary(reader.ReadBytes(), scalars);
                    break;
                case (1 or 2 or 3 or 5, _):
                    throw new FormatException($"field {field} has wire type {wireType}");
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        return new TensorBoardEvent(offset, wallTime, step, fileVersion, scalars);
    }

    private static void DecodeSummary(ReadOnlySpan<byte> summary, List<TensorBoardScalar> scalars)
    {
        var reader = new ProtoReader(summary);
        while (!reader.AtEnd)
        {
            (int field, int wireType) = reader.ReadKey();
            if (field == 1 && wireType == 2)
            {
                if (DecodeValue(reader.ReadBytes()) is { } scalar)
                {
                    scalars.Add(scalar);
                }
            }
            else
            {
                reader.Skip(wireType);
            }
        }
    }

    /// <summary>A <c>Summary.Value</c> with a simple_value, or null for other kinds (images, histograms, tensors).</summary>
    private static TensorBoardScalar? DecodeValue(ReadOnlySpan<byte> value)
    {
        string tag = "";
        float? simple = null;
        var reader = new ProtoReader(value);
        while (!reader.AtEnd)
        {
            (int field, int wireType) = reader.ReadKey();
            switch (field, wireType)
            {
                case (1, 2):
                    tag = Encoding.UTF8.GetString(reader.ReadBytes());
                    break;
                case (2, 5):
                    simple = BitConverter.UInt32BitsToSingle(reader.ReadFixed32());
                    break;
                case (1 or 2, _):
                    throw new FormatException($"Summary.Value field {field} has wire type {wireType}");
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        return simple is { } v ? new TensorBoardScalar(tag, v) : null;
    }

    /// <summary>Just enough of the protobuf wire format to walk a message; throws <see cref="FormatException"/>.</summary>
    private ref struct ProtoReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public readonly bool AtEnd => _position >= _data.Length;

        public (int Field, int WireType) ReadKey()
        {
            ulong key = ReadVarint();
            if (key >> 3 is 0 or > int.MaxValue)
            {
                throw new FormatException($"invalid field number {key >> 3}");
            }

            return ((int)(key >> 3), (int)(key & 7));
        }

        public ulong ReadVarint()
        {
            ulong value = 0;
            for (int shift = 0; shift < 64; shift += 7)
            {
                byte b = Take(1)[0];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }

            throw new FormatException("varint longer than 10 bytes");
        }

        public ulong ReadFixed64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

        public uint ReadFixed32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

        public ReadOnlySpan<byte> ReadBytes()
        {
            ulong length = ReadVarint();
            if (length > (ulong)(_data.Length - _position))
            {
                throw new FormatException($"a length of {length} bytes runs past the end of the message");
            }

            return Take((int)length);
        }

        public void Skip(int wireType)
        {
            switch (wireType)
            {
                case 0:
                    ReadVarint();
                    break;
                case 1:
                    Take(8);
                    break;
                case 2:
                    ReadBytes();
                    break;
                case 5:
                    Take(4);
                    break;
                default:
                    throw new FormatException($"unsupported wire type {wireType}");
            }
        }

        private ReadOnlySpan<byte> Take(int count)
        {
            if (count > _data.Length - _position)
            {
                throw new FormatException("message ends in the middle of a field");
            }

            var slice = _data.Slice(_position, count);
            _position += count;
            return slice;
        }
    }
}
