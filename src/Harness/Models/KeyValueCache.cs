using static TorchSharp.torch;

namespace Harness.Models;

/// <summary>
/// The keys and values every attention layer has computed so far during decoding (Pope et al. 2022, "Efficiently
/// Scaling Transformer Inference"), so each new token attends to the earlier ones without recomputing them.
/// Storage for <c>capacity</c> positions is allocated once per layer; each step writes its new positions after the last.
/// </summary>
internal sealed class KeyValueCache : IDisposable
{
    private readonly Tensor[] _keys, _values; // per layer: [B, H, capacity, C/H]

    /// <summary>Positions cached so far (the same in every layer once a forward pass has gone through all of them).</summary>
    public long Length { get; private set; }

    /// <summary>A cache for <paramref name="layers"/> layers of <paramref name="rows"/> sequences of at most <paramref name="capacity"/> positions.</summary>
    public KeyValueCache(int layers, long rows, int heads, long headSize, long capacity, Device device)
    {
        _keys = Enumerable.Range(0, layers).Select(_ => zeros([rows, heads, capacity, headSize], device: device).DetachFromDisposeScope()).ToArray();
        _values = Enumerable.Range(0, layers).Select(_ => zeros([rows, heads, capacity, headSize], device: device).DetachFromDisposeScope()).ToArray();
    }

    /// <summary>
    /// Writes layer <paramref name="layer"/>'s keys and values of the new positions ([B, H, Tn, C/H]) after the cached
    /// ones; returns all keys and values so far, [B, H, Length + Tn, C/H] (views of the storage).
    /// </summary>
    public (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
        long added = keys.shape[2], end = Length + added;
        using (var target = _keys[layer].narrow(2, Length, added)) target.copy_(keys);
        using (var target = _values[layer].narrow(2, Length, added)) target.copy_(values);
        if (layer == _keys.Length - 1) Length = end;
        return (_keys[layer].narrow(2, 0, end), _values[layer].narrow(2, 0, end));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var tensor in _keys.Concat(_values)) tensor.Dispose();
    }
}
