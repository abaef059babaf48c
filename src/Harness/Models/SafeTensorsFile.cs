using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Harness.Config;
using Harness.Metrics.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Models;

/// <summary>
/// Reads and writes the safetensors format of HuggingFace's <c>safetensors</c> library (used by <c>transformers</c>
/// and PEFT; spec: github.com/huggingface/safetensors): an 8-byte little-endian header length N, N bytes of UTF-8
/// JSON header, then every tensor's raw little-endian bytes, packed back to back with no gaps.
/// </summary>
/// <remarks>
/// The header maps each tensor name to <c>{"dtype", "shape", "data_offsets": [begin, end]}</c> (offsets relative to
/// the data section) plus an optional <c>"__metadata__"</c> object of strings.
/// <para>
/// The writer produces the bytes the reference writer (<c>safetensors.torch.save_file</c>) produces for the same
/// tensors: compact JSON with <c>__metadata__</c> first and the same string escaping, the header padded with spaces
/// so the data starts at a multiple of 8 bytes, and tensors ordered like the reference: by element type, widest rank
/// of the reference's dtype enum first (I64, F64, F32, I32, BF16, F16, I16, I8, U8, BOOL), then by name, comparing the
/// UTF-8 bytes. Metadata entries are ordered by key the same way (the reference leaves their order to its hash map).
/// </para>
/// <para>
/// The reader checks the header as strictly as the reference reader does (and refuses duplicate keys, which the
/// reference silently collapses); any problem is a <see cref="HarnessInputException"/> naming the file and, where
/// there is one, the tensor. Like the reference, it ignores keys of a tensor entry other than the three it needs.
/// </para>
/// </remarks>
internal static class SafeTensorsFile
{
    private const string MetadataKey = "__metadata__";

    // The reference reader refuses larger headers; a corrupt length must not make us allocate gigabytes.
    private const long MaxHeaderBytes = 100_000_000;

    // Tensor bytes move through spans of at most this size: TorchSharp's byte view of a tensor stops at 2 GiB.
    private const int ChunkBytes = 1 << 20;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // Rust compares strings by their UTF-8 bytes; UTF-16 ordinal order differs for characters beyond U+FFFF.
    private static readonly Comparer<byte[]> Utf8Order = Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b));

    /// <summary>
    /// Writes <paramref name="tensors"/> (on any device, any layout; copied to the CPU one at a time) and optional
    /// string <paramref name="metadata"/> to <paramref name="path"/>. The old file stays intact until the new one is
    /// complete. Throws <see cref="ArgumentException"/> for duplicate names, the reserved name <c>__metadata__</c>, or
    /// an element type the format cannot hold.
    /// </summary>
    public static void Write(
        string path,
        IReadOnlyList<(string Name, Tensor Tensor)> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var entries = new List<(string Name, byte[] Utf8Name, SafeTensorsDtype Dtype, long[] Shape, long Bytes, Tensor Tensor)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, tensor) in tensors)
        {
            ArgumentNullException.ThrowIfNull(name);
            ArgumentNullException.ThrowIfNull(tensor);
            if (name == MetadataKey) throw new ArgumentException($"'{MetadataKey}' is reserved for metadata, not a tensor name", nameof(tensors));
            if (!seen.Add(name)) throw new ArgumentException($"tensor name '{name}' appears twice", nameof(tensors));
            var dtype = SafeTensorsDtype.FromScalarType(tensor.dtype)
                ?? throw new ArgumentException($"tensor '{name}': {tensor.dtype} has no safetensors type", nameof(tensors));
            long[] shape = tensor.shape;
            entries.Add((name, Utf8(name), dtype, shape, checked(tensor.numel() * dtype.Size), tensor));
        }

        // The reference writer's order, so the same tensors give the same file.
        entries.Sort((a, b) =>
        {
            int byType = b.Dtype.LayoutRank.CompareTo(a.Dtype.LayoutRank);
            return byType != 0 ? byType : Utf8Order.Compare(a.Utf8Name, b.Utf8Name);
        });

        var json = new StringBuilder("{");
        if (metadata is not null)
        {
            json.Append('"').Append(MetadataKey).Append("\":{");
            var pairs = metadata.Select(p => (Key: p.Key, Utf8Key: Utf8(p.Key), Value: p.Value ?? throw new ArgumentException($"metadata '{p.Key}' is null", nameof(metadata))))
                .OrderBy(p => p.Utf8Key, Utf8Order);
            json.AppendJoin(',', pairs.Select(p => $"{JsonString(p.Key)}:{JsonString(p.Value)}"));
            json.Append('}');
            if (entries.Count > 0) json.Append(',');
        }
        long offset = 0;
        json.AppendJoin(',', entries.Select(e =>
        {
            var text = $"{JsonString(e.Name)}:{{\"dtype\":\"{e.Dtype.Name}\",\"shape\":[{string.Join(',', e.Shape.Select(Number))}]," +
                       $"\"data_offsets\":[{Number(offset)},{Number(offset + e.Bytes)}]}}";
            offset += e.Bytes;
            return text;
        }));
        json.Append('}');

        var header = Utf8(json.ToString());
        int padding = (8 - header.Length % 8) % 8;
        var prefix = new byte[8 + header.Length + padding];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)(header.Length + padding));
        header.CopyTo(prefix, 8);
        prefix.AsSpan(8 + header.Length).Fill((byte)' ');

        AtomicFile.Write(path, stream =>
        {
            stream.Write(prefix);
            foreach (var entry in entries) WriteData(stream, entry.Tensor);
        });
    }

    /// <summary>
    /// Reads the tensors and metadata of the safetensors file at <paramref name="path"/>, placing the tensors on
    /// <paramref name="device"/> (the CPU when null). Throws <see cref="HarnessInputException"/> naming the file (and
    /// the tensor) when the file is missing, unreadable or malformed.
    /// </summary>
    public static SafeTensorsContent Read(string path, Device? device = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("safetensors data is little-endian; this machine is not");
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            return Read(path, stream, device);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new HarnessInputException($"{path}: safetensors file not found");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HarnessInputException($"{path}: cannot read: {e.Message}");
        }
    }

    private static SafeTensorsContent Read(string path, FileStream stream, Device? device)
    {
        long fileLength = stream.Length;
        if (fileLength < 8) throw Malformed(path, $"{fileLength} bytes is too short for the 8-byte header length");
        Span<byte> lengthBytes = stackalloc byte[8];
        stream.ReadExactly(lengthBytes);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > (ulong)(fileLength - 8))
            throw Malformed(path, $"the header length {headerLength} is larger than the {fileLength - 8} bytes after it");
        if (headerLength > MaxHeaderBytes) throw Malformed(path, $"the header length {headerLength} exceeds the format's limit of {MaxHeaderBytes} bytes");
        var header = new byte[headerLength];
        stream.ReadExactly(header);

        var (entries, metadata) = ParseHeader(path, header);
        long dataStart = 8 + (long)headerLength;
        var ordered = CheckLayout(path, entries, fileLength - dataStart);

        using var scope = NewDisposeScope();
        var tensors = new List<(string Name, Tensor Tensor)>(ordered.Count);
        var buffer = new byte[ChunkBytes];
        foreach (var entry in ordered)
        {
            var tensor = empty(entry.Shape, entry.Dtype.Type);
            stream.Position = dataStart + entry.Begin;
            ReadData(stream, tensor, buffer);
            if (device is not null && device.type != DeviceType.CPU) tensor = tensor.to(device);
            tensors.Add((entry.Name, tensor));
        }
        // Only now: if any read failed, the scope disposes every tensor made so far.
        foreach (var (_, tensor) in tensors) tensor.MoveToOuterDisposeScope();
        return new SafeTensorsContent(tensors, metadata);
    }

    private static (List<(string Name, SafeTensorsDtype Dtype, long[] Shape, long Begin, long End)> Entries, Dictionary<string, string> Metadata)
        ParseHeader(string path, byte[] header)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header);
        }
        catch (JsonException e)
        {
            throw Malformed(path, $"the header is not valid JSON: {e.Message}");
        }
        catch (ArgumentException e) // invalid UTF-8 surfaces here on some inputs
        {
            throw Malformed(path, $"the header is not valid UTF-8 JSON: {e.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Malformed(path, $"the header is a JSON {root.ValueKind}, not an object");
            var entries = new List<(string Name, SafeTensorsDtype Dtype, long[] Shape, long Begin, long End)>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!names.Add(property.Name)) throw Malformed(path, $"the header names '{property.Name}' twice");
                if (property.Name == MetadataKey)
                {
                    ReadMetadata(path, property.Value, metadata);
                    continue;
                }
                entries.Add(ReadEntry(path, property.Name, property.Value));
            }
            return (entries, metadata);
        }
    }

    private static void ReadMetadata(string path, JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object) throw Malformed(path, $"'{MetadataKey}' must be an object of strings, not a {value.ValueKind}");
        foreach (var pair in value.EnumerateObject())
        {
            if (pair.Value.ValueKind != JsonValueKind.String)
                throw Malformed(path, $"'{MetadataKey}' entry '{pair.Name}' must be a string, not a {pair.Value.ValueKind}");
            if (!metadata.TryAdd(pair.Name, pair.Value.GetString()!)) throw Malformed(path, $"'{MetadataKey}' names '{pair.Name}' twice");
        }
    }

    private static (string Name, SafeTensorsDtype Dtype, long[] Shape, long Begin, long End) ReadEntry(string path, string name, JsonElement value)
    {
        HarnessInputException Bad(string message) => Malformed(path, $"tensor '{name}': {message}");

        if (value.ValueKind != JsonValueKind.Object) throw Bad($"expected an object with dtype, shape and data_offsets, not a {value.ValueKind}");
        JsonElement Field(string key) => value.TryGetProperty(key, out var field) ? field : throw Bad($"no \"{key}\"");

        var dtypeField = Field("dtype");
        if (dtypeField.ValueKind != JsonValueKind.String) throw Bad($"\"dtype\" must be a string, not a {dtypeField.ValueKind}");
        string dtypeName = dtypeField.GetString()!;
        var dtype = SafeTensorsDtype.FromName(dtypeName)
            ?? throw Bad($"unknown or unsupported dtype '{dtypeName}' (supported: {string.Join(", ", SafeTensorsDtype.All.Select(d => d.Name))})");

        long[] shape = Integers(Field("shape"), "shape", Bad);
        long[] offsets = Integers(Field("data_offsets"), "data_offsets", Bad);
        if (offsets.Length != 2) throw Bad($"\"data_offsets\" must be [begin, end], not {offsets.Length} numbers");
        return (name, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] Integers(JsonElement array, string key, Func<string, HarnessInputException> bad)
    {
        if (array.ValueKind != JsonValueKind.Array) throw bad($"\"{key}\" must be an array of integers, not a {array.ValueKind}");
        return array.EnumerateArray()
            .Select(item => item.ValueKind == JsonValueKind.Number && item.TryGetInt64(out long n) && n >= 0
                ? n
                : throw bad($"\"{key}\" holds {item.GetRawText()}, not a non-negative integer"))
            .ToArray();
    }

    /// <summary>
    /// The entries in data order, after checking they tile the data section exactly: the first begins at 0, each
    /// begins where the previous ends, the last ends at the end of the file, and each spans shape × element size bytes.
    /// </summary>
    private static List<(string Name, SafeTensorsDtype Dtype, long[] Shape, long Begin, long End)> CheckLayout(
        string path, List<(string Name, SafeTensorsDtype Dtype, long[] Shape, long Begin, long End)> entries, long dataLength)
    {
        // Any header order is valid (older writers sorted by name only); the data order is what must be contiguous.
        var ordered = entries.OrderBy(e => e.Begin).ThenBy(e => e.End).ToList();
        long expectedBegin = 0;
        string? previous = null;
        foreach (var (name, dtype, shape, begin, end) in ordered)
        {
            HarnessInputException Bad(string message) => Malformed(path, $"tensor '{name}': data_offsets [{begin}, {end}] {message}");
            string after = previous is null ? "the start of the data" : $"tensor '{previous}'";

            if (end < begin) throw Bad("end before they begin");
            if (begin < expectedBegin) throw Bad($"overlap {after}, which ends at {expectedBegin}");
            if (begin > expectedBegin) throw Bad($"leave a gap of {begin - expectedBegin} bytes after {after}");
            if (end > dataLength) throw Bad($"reach past the {dataLength} bytes of data in the file (truncated?)");
            long expectedBytes;
            try
            {
                expectedBytes = checked(shape.Aggregate(1L, (product, dim) => product * dim) * dtype.Size);
            }
            catch (OverflowException)
            {
                throw Bad($"cannot hold shape [{string.Join(", ", shape)}], whose size overflows");
            }
            if (end - begin != expectedBytes)
                throw Bad($"hold {end - begin} bytes, but shape [{string.Join(", ", shape)}] of {dtype.Name} needs {expectedBytes}");
            expectedBegin = end;
            previous = name;
        }
        if (expectedBegin != dataLength)
            throw Malformed(path, $"{dataLength - expectedBegin} bytes of data after the end of the last tensor ({(previous is null ? "there are no tensors" : $"'{previous}'")})");
        return ordered;
    }

    private static void WriteData(Stream stream, Tensor tensor)
    {
        using var scope = NewDisposeScope();
        var flat = tensor.detach().cpu().contiguous().reshape(-1); // [numel], row-major as the format wants
        long count = flat.numel();
        long perChunk = Math.Max(1, ChunkBytes / flat.element_size());
        for (long start = 0; start < count; start += perChunk)
        {
            using var part = flat.narrow(0, start, Math.Min(perChunk, count - start));
            stream.Write(part.bytes);
        }
    }

    private static void ReadData(Stream stream, Tensor tensor, byte[] buffer)
    {
        using var flat = tensor.view(-1); // [numel], shares the fresh (contiguous) tensor's storage
        long count = flat.numel();
        long size = flat.element_size();
        long perChunk = Math.Max(1, buffer.Length / size);
        for (long start = 0; start < count; start += perChunk)
        {
            using var part = flat.narrow(0, start, Math.Min(perChunk, count - start));
            var span = buffer.AsSpan(0, checked((int)(part.numel() * size)));
            stream.ReadExactly(span);
            part.bytes = span;
        }
    }

    private static HarnessInputException Malformed(string path, string message) =>
        new($"{path}: not a valid safetensors file: {message}");

    private static byte[] Utf8(string text)
    {
        try
        {
            return StrictUtf8.GetBytes(text);
        }
        catch (EncoderFallbackException)
        {
            throw new ArgumentException($"'{text}' is not valid Unicode (a lone surrogate) and cannot be written as UTF-8");
        }
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A JSON string literal escaped the way serde_json (the reference writer) escapes: only '"', '\' and control characters.</summary>
    private static string JsonString(string text)
    {
        var builder = new StringBuilder(text.Length + 2).Append('"');
        foreach (char c in text)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case < ' ': builder.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture)); break;
                default: builder.Append(c); break;
            }
        }
        return builder.Append('"').ToString();
    }
}
