using static TorchSharp.torch;

namespace Harness.Models;

/// <summary>
/// What a safetensors file holds: its tensors in the order their data lies in the file, and its string metadata
/// (empty when the file has no <c>__metadata__</c>). Disposing it disposes the tensors.
/// </summary>
internal sealed class SafeTensorsContent : IDisposable
{
    private readonly Dictionary<string, Tensor> _byName;

    /// <summary>Wraps tensors already read; names must be unique.</summary>
    public SafeTensorsContent(IReadOnlyList<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        Tensors = tensors;
        Metadata = metadata;
        _byName = tensors.ToDictionary(t => t.Name, t => t.Tensor, StringComparer.Ordinal);
    }

    /// <summary>The tensors, ordered by their offset in the file's data section.</summary>
    public IReadOnlyList<(string Name, Tensor Tensor)> Tensors { get; }

    /// <summary>The header's <c>__metadata__</c> entries.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The tensor called <paramref name="name"/>; throws <see cref="KeyNotFoundException"/> naming it if absent.</summary>
    public Tensor this[string name] =>
        _byName.TryGetValue(name, out var tensor) ? tensor : throw new KeyNotFoundException($"no tensor '{name}' in the file");

    /// <summary>Whether the file holds a tensor called <paramref name="name"/>.</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    public void Dispose()
    {
        foreach (var (_, tensor) in Tensors) tensor.Dispose();
    }
}
