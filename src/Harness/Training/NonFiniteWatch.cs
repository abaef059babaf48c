using static TorchSharp.torch;

namespace Harness.Training;

/// <summary>
/// Watches the loss and the gradient norm for NaN/inf without reading them on the host each step (on a GPU a read
/// waits for the whole queue): each step copies its two values into a small device buffer, and the host reads the
/// buffer only when it must decide (<see cref="FirstNonFinite"/>: at a logging step, or every step with
/// <c>on_nonfinite: skip_batch</c>), which names the first bad step exactly.
/// </summary>
internal sealed class NonFiniteWatch : IDisposable
{
    // Kept out of every dispose scope: they live across the steps' scopes. [capacity] each.
    private readonly Tensor _losses, _norms;
    private int _count;
    private long _firstStep;
    private bool _normsSeen;

    /// <summary>A watch on <paramref name="device"/> read at least every <paramref name="capacity"/> steps.</summary>
    public NonFiniteWatch(Device device, int capacity)
    {
        _losses = zeros(capacity, device: device).DetachFromDisposeScope();
        _norms = zeros(capacity, device: device).DetachFromDisposeScope();
    }

    /// <summary>Records step <paramref name="step"/>: its <paramref name="loss"/> and, with clipping, the gradient <paramref name="norm"/>.</summary>
    public void Observe(long step, Tensor loss, Tensor? norm)
    {
        if (_count == _losses.shape[0]) throw new InvalidOperationException("the non-finite watch was not read in time");
        if (_count == 0) _firstStep = step;
        using var noGrad = no_grad();
        using (var slot = _losses[_count]) slot.copy_(loss);
        if (norm is not null)
        {
            using var slot = _norms[_count];
            slot.copy_(norm);
            _normsSeen = true;
        }
        _count++;
    }

    /// <summary>
    /// The first step since the last read whose loss or gradient norm was not finite, with both values, or null;
    /// reads the device (a host sync) and starts a new window.
    /// </summary>
    public (long Step, double Loss, double Norm)? FirstNonFinite()
    {
        if (_count == 0) return null;
        var losses = Read(_losses);
        var norms = _normsSeen ? Read(_norms) : new float[_count];
        (int count, _count, _normsSeen) = (_count, 0, false);
        for (int i = 0; i < count; i++)
            if (!float.IsFinite(losses[i]) || !float.IsFinite(norms[i])) return (_firstStep + i, losses[i], norms[i]);
        return null;
    }

    private float[] Read(Tensor values)
    {
        using var window = values.narrow(0, 0, _count);
        using var host = window.cpu();
        return host.data<float>().ToArray();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _losses.Dispose();
        _norms.Dispose();
    }
}
