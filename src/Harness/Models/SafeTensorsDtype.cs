using static TorchSharp.torch;

namespace Harness.Models;

/// <summary>
/// A safetensors element type that TorchSharp can hold: its name in the header, its TorchSharp type, its width in
/// bytes, and its rank in the reference library's <c>Dtype</c> enum, which the reference writer uses to order tensors.
/// </summary>
/// <remarks>
/// U16, U32, U64 and the 4/6/8-bit float types of the format have no TorchSharp 0.107 <see cref="ScalarType"/>, so a
/// file holding them is refused rather than read as some other type.
/// </remarks>
internal sealed record SafeTensorsDtype(string Name, ScalarType Type, int Size, int LayoutRank)
{
    /// <summary>Every supported type, in the reference enum's order (BOOL &lt; U8 &lt; I8 &lt; I16 &lt; F16 &lt; ... &lt; I64).</summary>
    public static IReadOnlyList<SafeTensorsDtype> All { get; } =
    [
        new("BOOL", ScalarType.Bool, 1, 0),
        new("U8", ScalarType.Byte, 1, 1),
        new("I8", ScalarType.Int8, 1, 2),
        new("I16", ScalarType.Int16, 2, 3),
        new("F16", ScalarType.Float16, 2, 4),
        new("BF16", ScalarType.BFloat16, 2, 5),
        new("I32", ScalarType.Int32, 4, 6),
        new("F32", ScalarType.Float32, 4, 7),
        new("F64", ScalarType.Float64, 8, 8),
        new("I64", ScalarType.Int64, 8, 9),
    ];

    /// <summary>The type named <paramref name="name"/> in a header (case-sensitive, as in the format), or null.</summary>
    public static SafeTensorsDtype? FromName(string name) => All.FirstOrDefault(d => d.Name == name);

    /// <summary>The safetensors type of a TorchSharp tensor type, or null when the format has none we support.</summary>
    public static SafeTensorsDtype? FromScalarType(ScalarType type) => All.FirstOrDefault(d => d.Type == type);
}
