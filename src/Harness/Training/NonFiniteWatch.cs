using static TorchSharp.torch;

namespace Harness.Training;

/// <summary>
/// Watches the loss and the gradient norm for NaN/inf without reading them on the host each step (on a GPU a read
/// waits for the whole queue): each step's finiteness is folded into a small device tensor that remembers the first
/// bad step, its loss and its norm, and the host reads it only when it must decide (a logging step, or every step
/// with <c>on_nonfinite: skip_batch</c>).
/// </summary>
internal sealed class NonFiniteWatch(Device device) : IDisposable
{
    // [step, loss, norm] of the first non-finite step, step −1 while none was seen.
    // Kept out of every dispose scope: it lives across the steps' scopes.
    private Tensor _first = tensor(new[] { -1.0, 0.0, 0.0 }, ScalarType.Float64, device).DetachFromDisposeScope();

    /// <summary>Folds in step <paramref name="step"/>: its <paramref name="loss"/> and, with clipping, the gradient <paramref name="norm"/>.</summary>
    public void Observe(long step, Tensor loss, Tensor? norm)
    {
        using var scope = NewDisposeScope();
        var lossValue = loss.detach().to(ScalarType.Float64).reshape(1);
        var normValue = norm is null ? zeros(1, ScalarType.Float64, device) : norm.detach().to(ScalarType.Float64).reshape(1);
        var values = cat([lossValue, normValue]); // [2]
        var bad = values.isfinite().all().logical_not(); // []
        var record = cat([full(1, step, ScalarType.Float64, device), values]); // [3]
        var takeIt = bad.logical_and(_first[0].lt(0));
        var next = where(takeIt, record, _first).DetachFromDisposeScope();
        _first.Dispose();
        _first = next;
    }

    /// <summary>The first non-finite step seen so far (reads the device: a host sync), or null.</summary>
    public (long Step, double Loss, double Norm)? First()
    {
        var values = _first.cpu().data<double>().ToArray();
        return values[0] < 0 ? null : ((long)values[0], values[1], values[2]);
    }

    /// <summary>Forgets what was seen (after a skipped batch).</summary>
    public void Reset()
    {
        using var noGrad = no_grad();
        _first[0] = -1.0;
    }

    /// <inheritdoc />
    public void Dispose() => _first.Dispose();
}
