using System.Buffers.Binary;
using System.Text;
using Harness.Config;
using Harness.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Tests.Models;

[Collection(TorchCollection.Name)]
public sealed class SafeTensorsFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Write_OneFloatTensor_LaysOutHeaderPaddingAndDataByteByByte()
    {
        // Given one F32 tensor "a" = [1.0, -2.0]
        var path = _dir.File("a.safetensors");
        using var a = tensor(new[] { 1.0f, -2.0f });

        // When
        SafeTensorsFile.Write(path, [("a", a)]);

        // Then: 8-byte LE length, 54 bytes of JSON + 2 spaces (56, so the data starts at byte 64), then the floats
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(72, bytes.Length);
        Assert.Equal(new byte[] { 56, 0, 0, 0, 0, 0, 0, 0 }, bytes[..8]);
        Assert.Equal("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", Encoding.UTF8.GetString(bytes[8..62]));
        Assert.Equal("  "u8.ToArray(), bytes[62..64]);
        Assert.Equal(0, (8 + 56) % 8);
        Assert.Equal(new byte[] { 0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0 }, bytes[64..]);
    }

    [Fact]
    public void Write_ReferenceLibraryTestCase_ProducesTheReferenceBytes()
    {
        // Given the case of the reference library's own serialization test (huggingface/safetensors,
        // safetensors/src/tensor.rs, test_serialization_forced_alignement): "attn0", F32 [1, 1, 2, 3] = 0..5
        var path = _dir.File("attn.safetensors");
        using var attn0 = arange(6, dtype: ScalarType.Float32).reshape(1, 1, 2, 3);

        // When
        SafeTensorsFile.Write(path, [("attn0", attn0)]);

        // Then the bytes that test expects: length 72 = 65 bytes of JSON + 7 spaces, then 0f..5f little-endian
        var expected = new List<byte> { 72, 0, 0, 0, 0, 0, 0, 0 };
        expected.AddRange("{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],\"data_offsets\":[0,24]}}       "u8.ToArray());
        foreach (float value in new[] { 0f, 1f, 2f, 3f, 4f, 5f }) expected.AddRange(BitConverter.GetBytes(value));
        Assert.Equal(expected.ToArray(), File.ReadAllBytes(path));
    }

    [Fact]
    public void Write_NoTensorsWithAndWithoutMetadata_ProducesTheReferenceBytes()
    {
        // Given the reference library's test_empty cases: no tensors, then no tensors and {"framework": "pt"}
        var bare = _dir.File("bare.safetensors");
        var withMetadata = _dir.File("meta.safetensors");

        // When
        SafeTensorsFile.Write(bare, []);
        SafeTensorsFile.Write(withMetadata, [], new Dictionary<string, string> { ["framework"] = "pt" });

        // Then "{}" + 6 spaces, and the 35-byte metadata object + 5 spaces
        Assert.Equal([8, 0, 0, 0, 0, 0, 0, 0, .. "{}      "u8], File.ReadAllBytes(bare));
        Assert.Equal([40, 0, 0, 0, 0, 0, 0, 0, .. "{\"__metadata__\":{\"framework\":\"pt\"}}     "u8], File.ReadAllBytes(withMetadata));
    }

    [Fact]
    public void Write_MixedTypes_OrdersTensorsByTypeRankThenName()
    {
        // Given tensors handed over in an arbitrary order
        var path = _dir.File("order.safetensors");
        using var b = zeros(2);
        using var a = zeros(1);
        using var c = zeros(new long[] { 1 }, ScalarType.Int64);
        using var d = zeros(new long[] { 3 }, ScalarType.BFloat16);

        // When
        SafeTensorsFile.Write(path, [("b", b), ("d", d), ("a", a), ("c", c)]);

        // Then the reference writer's order: I64 before F32 before BF16, names ascending within a type
        var bytes = File.ReadAllBytes(path);
        var header = Encoding.UTF8.GetString(bytes, 8, (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes)).TrimEnd(' ');
        Assert.Equal(
            "{\"c\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}," +
            "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}," +
            "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[12,20]}," +
            "\"d\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[20,26]}}",
            header);
    }

    [Fact]
    public void WriteThenRead_SeveralTypesAndShapes_AreBitIdentical()
    {
        // Given tensors of every supported type, a scalar, an empty one, a non-contiguous one, and NaN/-0 payloads
        torch.manual_seed(3);
        var path = _dir.File("round.safetensors");
        using var weights = randn(3, 4); // F32 2-D
        using var ids = tensor(new long[] { long.MinValue, -1, 0, 42, long.MaxValue }); // I64 1-D
        using var half = randn(2, 3).to_type(ScalarType.Float16);
        using var brain = randn(5).to_type(ScalarType.BFloat16);
        using var doubles = tensor(new[] { double.NaN, -0.0, double.Epsilon, double.MaxValue });
        using var ints = tensor(new[] { int.MinValue, 7, int.MaxValue });
        using var scalar = tensor(3.25f); // shape []
        using var nothing = zeros(0, 3);
        using var flags = tensor(new[] { true, false, true });
        using var bytesU8 = tensor(new byte[] { 0, 127, 255 });
        using var bytesI8 = tensor(new sbyte[] { -128, 0, 127 });
        using var shorts = tensor(new short[] { short.MinValue, 1, short.MaxValue });
        using var square = arange(6, dtype: ScalarType.Float32).reshape(2, 3);
        using var transposed = square.t(); // non-contiguous [3, 2]
        (string, Tensor)[] written =
        [
            ("weights", weights), ("ids", ids), ("half", half), ("brain", brain), ("doubles", doubles), ("ints", ints),
            ("scalar", scalar), ("nothing", nothing), ("flags", flags), ("u8", bytesU8), ("i8", bytesI8),
            ("shorts", shorts), ("transposed", transposed),
        ];

        // When
        SafeTensorsFile.Write(path, written);
        using var read = SafeTensorsFile.Read(path);

        // Then every tensor comes back with its type, shape and exact bytes
        Assert.Equal(written.Length, read.Tensors.Count);
        foreach (var (name, original) in written)
        {
            var copy = read[name];
            Assert.Equal(original.dtype, copy.dtype);
            Assert.Equal(original.shape, copy.shape);
            Assert.Equal(RawBytes(original), RawBytes(copy));
        }
        Assert.Equal(new[] { 0f, 3f, 1f, 4f, 2f, 5f }, read["transposed"].reshape(-1).data<float>().ToArray());
        Assert.Empty(read.Metadata);
    }

    [Fact]
    public void WriteThenRead_TensorLargerThanOneCopyChunk_IsBitIdentical()
    {
        // Given a tensor a little over the 1 MiB chunk used to move bytes (2^18 + 3 floats)
        var path = _dir.File("large.safetensors");
        using var large = arange((1 << 18) + 3, dtype: ScalarType.Float32) * 0.5f;

        // When
        SafeTensorsFile.Write(path, [("large", large)]);
        using var read = SafeTensorsFile.Read(path);

        // Then the tail past the first chunk arrives in place too
        Assert.Equal(RawBytes(large), RawBytes(read["large"]));
        Assert.Equal(((1 << 18) + 2) * 0.5f, read["large"][-1].item<float>());
    }

    [Fact]
    public void Read_FileAssembledByHandPerSpec_ReturnsTensorsInDataOrderAndMetadata()
    {
        // Given a file assembled byte by byte: metadata, then "weight" (F16 [2, 2]) listed before "bias" (I64 [2])
        // although bias's data comes first, as writers that order only the data section may produce
        var json = "{\"__metadata__\":{\"format\":\"pt\"}," +
                   "\"weight\":{\"dtype\":\"F16\",\"shape\":[2,2],\"data_offsets\":[16,24]}," +
                   "\"bias\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]}}";
        byte[] data =
        [
            0x07, 0, 0, 0, 0, 0, 0, 0, // bias[0] = 7
            0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, // bias[1] = -1
            0x00, 0x3C, 0x00, 0xC0, 0x00, 0x38, 0xFF, 0x7B, // weight = 1.0, -2.0, 0.5, 65504 as IEEE half
        ];
        var path = WriteRaw("hand.safetensors", Assemble(json, data));

        // When
        using var read = SafeTensorsFile.Read(path);

        // Then
        Assert.Equal(["bias", "weight"], read.Tensors.Select(t => t.Name));
        Assert.Equal(new long[] { 7, -1 }, read["bias"].data<long>().ToArray());
        Assert.Equal(ScalarType.Float16, read["weight"].dtype);
        Assert.Equal([2L, 2L], read["weight"].shape);
        Assert.Equal(new[] { 1.0f, -2.0f, 0.5f, 65504f }, read["weight"].to_type(ScalarType.Float32).reshape(-1).data<float>().ToArray());
        Assert.Equal(new Dictionary<string, string> { ["format"] = "pt" }, read.Metadata);
    }

    [Fact]
    public void WriteThenRead_MetadataAndNamesNeedingEscapes_RoundTripAndAreEscapedLikeSerdeJson()
    {
        // Given metadata with quotes, backslashes, control characters and non-ASCII text, and such a tensor name
        var path = _dir.File("meta.safetensors");
        var metadata = new Dictionary<string, string>
        {
            ["format"] = "pt",
            ["note"] = "line\n\"q\"\\\t\u0001 床前明月光",
            ["base_model"] = "tiny-gpt",
        };
        using var one = ones(1);

        // When
        SafeTensorsFile.Write(path, [("w\"\\", one)], metadata);
        using var read = SafeTensorsFile.Read(path);

        // Then the values round-trip, and the JSON escapes only what serde_json escapes, keys sorted
        Assert.Equal(metadata, read.Metadata);
        Assert.True(read.Contains("w\"\\"));
        var bytes = File.ReadAllBytes(path);
        var header = Encoding.UTF8.GetString(bytes, 8, (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        Assert.StartsWith(
            "{\"__metadata__\":{\"base_model\":\"tiny-gpt\",\"format\":\"pt\",\"note\":\"line\\n\\\"q\\\"\\\\\\t\\u0001 床前明月光\"}," +
            "\"w\\\"\\\\\":{",
            header);
    }

    [Fact]
    public void Write_OverAnExistingFile_ReplacesItAndLeavesNoTemporaryFile()
    {
        // Given a file already written
        var path = _dir.File("adapter.safetensors");
        using var first = zeros(4);
        using var second = ones(2);
        SafeTensorsFile.Write(path, [("x", first)]);

        // When it is written again
        SafeTensorsFile.Write(path, [("y", second)]);

        // Then only the new file is in the folder, holding the new content
        Assert.Equal([path], Directory.GetFiles(_dir.Path));
        using var read = SafeTensorsFile.Read(path);
        Assert.Equal(["y"], read.Tensors.Select(t => t.Name));
    }

    [Fact]
    public void Write_DuplicateOrReservedNameOrUnsupportedType_ThrowsAndWritesNothing()
    {
        // Given
        var path = _dir.File("bad.safetensors");
        using var x = zeros(1);
        using var complex = zeros(new long[] { 1 }, ScalarType.ComplexFloat32);

        // When / Then
        Assert.Throws<ArgumentException>(() => SafeTensorsFile.Write(path, [("x", x), ("x", x)]));
        Assert.Throws<ArgumentException>(() => SafeTensorsFile.Write(path, [("__metadata__", x)]));
        var error = Assert.Throws<ArgumentException>(() => SafeTensorsFile.Write(path, [("z", complex)]));
        Assert.Contains("'z'", error.Message);
        Assert.Empty(Directory.GetFiles(_dir.Path));
    }

    [Theory]
    // Truncated data: the last tensor's 8 bytes are declared, 7 are there.
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 7, "tensor 'a'", "truncated")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12, "tensor 'b'", "overlap tensor 'a'")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "tensor 'a'", "gap of 4 bytes")]
    [InlineData("{\"a\":{\"dtype\":\"Q4\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8, "tensor 'a'", "unknown or unsupported dtype 'Q4'")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8, "tensor 'a'", "needs 12")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", 8, "tensor 'a'", "end before they begin")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8, "tensor 'a'", "non-negative integer")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8, "tensor 'a'", "no \"data_offsets\"")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 12, "'a'", "4 bytes of data after the end")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8, "'a'", "twice")]
    [InlineData("{\"__metadata__\":{\"epoch\":3}}", 0, "'epoch'", "must be a string")]
    [InlineData("{\"a\":", 0, "header", "not valid JSON")]
    [InlineData("[1,2]", 0, "header", "not an object")]
    public void Read_MalformedHeaderOrData_ThrowsNamingFileAndProblem(string json, int dataBytes, string names, string problem)
    {
        // Given a file whose header or data breaks the format
        var path = WriteRaw("broken.safetensors", Assemble(json, new byte[dataBytes]));

        // When
        var error = Assert.Throws<HarnessInputException>(() => SafeTensorsFile.Read(path));

        // Then
        Assert.Contains(path, error.Message);
        Assert.Contains(names, error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void Read_HeaderLengthLargerThanTheFile_ThrowsNamingFile()
    {
        // Given a valid file whose length prefix claims 1000 header bytes
        var bytes = Assemble("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8]);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 1000);
        var path = WriteRaw("long.safetensors", bytes);

        // When
        var error = Assert.Throws<HarnessInputException>(() => SafeTensorsFile.Read(path));

        // Then
        Assert.Contains(path, error.Message);
        Assert.Contains("header length 1000 is larger than the 64 bytes after it", error.Message);
    }

    [Fact]
    public void Read_FileShorterThanTheLengthPrefixOrMissing_ThrowsNamingFile()
    {
        // Given a 5-byte file and a path with no file
        var shortPath = WriteRaw("short.safetensors", [1, 2, 3, 4, 5]);
        var missing = _dir.File("missing.safetensors");

        // When / Then
        Assert.Contains(shortPath, Assert.Throws<HarnessInputException>(() => SafeTensorsFile.Read(shortPath)).Message);
        Assert.Contains(missing, Assert.Throws<HarnessInputException>(() => SafeTensorsFile.Read(missing)).Message);
    }

    /// <summary>A file per the spec: 8-byte LE header length, the JSON padded with spaces to a multiple of 8, the data.</summary>
    private static byte[] Assemble(string json, byte[] data)
    {
        var header = Encoding.UTF8.GetBytes(json);
        int padded = (header.Length + 7) / 8 * 8;
        var bytes = new byte[8 + padded + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)padded);
        header.CopyTo(bytes, 8);
        bytes.AsSpan(8 + header.Length, padded - header.Length).Fill((byte)' ');
        data.CopyTo(bytes, 8 + padded);
        return bytes;
    }

    private string WriteRaw(string name, byte[] bytes)
    {
        var path = _dir.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] RawBytes(Tensor tensor)
    {
        using var contiguous = tensor.contiguous();
        return contiguous.bytes.ToArray();
    }
}
