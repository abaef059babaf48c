using Harness.Models;
using static TorchSharp.torch;

namespace Harness.Strategies;

/// <summary>
/// One EWC anchor: for each trainable parameter (by state_dict name), its diagonal Fisher F and the weights θ* it is
/// pulled back to. The tensors are detached from every dispose scope (they must outlive the training steps that use
/// them) and are released by <see cref="Dispose"/>.
/// </summary>
internal sealed class EwcAnchor : IDisposable
{
    private readonly Dictionary<string, (Tensor Fisher, Tensor Optimum)> _entries;

    /// <summary>Takes ownership of <paramref name="fisher"/>; θ* is a copy of <paramref name="model"/>'s current weights.</summary>
    public EwcAnchor(ContinualModel model, IReadOnlyDictionary<string, Tensor> fisher)
    {
        _entries = [];
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (!fisher.TryGetValue(name, out var f)) continue;
            using var weights = parameter.detach();
            _entries[name] = (f.DetachFromDisposeScope(), weights.clone().DetachFromDisposeScope());
        }
    }

    /// <summary>The Fisher of each parameter, by name.</summary>
    public IEnumerable<(string Name, Tensor Fisher)> Fishers => _entries.Select(e => (e.Key, e.Value.Fisher));

    /// <summary>Σ_i F_i (θ_i − θ*_i)² over the anchored parameters of <paramref name="model"/> (a scalar tensor).</summary>
    public Tensor Penalty(ContinualModel model)
    {
        Tensor? total = null;
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (!_entries.TryGetValue(name, out var entry)) continue;
            var term = (entry.Fisher * (parameter - entry.Optimum).square()).sum();
            total = total is null ? term : total + term;
        }
        return total ?? zeros(1, device: model.parameters().First().device).squeeze();
    }

    /// <summary>Online EWC: F ← γ·F + F_new from <paramref name="next"/>, and θ* ← the weights of <paramref name="next"/>.</summary>
    public void Absorb(EwcAnchor next, double gamma)
    {
        using var noGrad = no_grad();
        foreach (var (name, (fisher, optimum)) in next._entries)
        {
            if (_entries.TryGetValue(name, out var mine))
            {
                mine.Fisher.mul_(gamma).add_(fisher);
                mine.Optimum.copy_(optimum);
            }
            else _entries[name] = (fisher.clone().DetachFromDisposeScope(), optimum.clone().DetachFromDisposeScope());
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var (fisher, optimum) in _entries.Values)
        {
            fisher.Dispose();
            optimum.Dispose();
        }
        _entries.Clear();
    }
}
