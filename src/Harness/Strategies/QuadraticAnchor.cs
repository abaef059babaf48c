using Harness.Models;
using static TorchSharp.torch;

namespace Harness.Strategies;

/// <summary>
/// One quadratic anchor, the shared core of the weight regularisers (EWC, online EWC, SI, L2): for each trainable
/// parameter (by state_dict name), an importance Ω (EWC's diagonal Fisher F, SI's path integral; none for L2, whose
/// importance is 1 everywhere and so is neither stored nor multiplied) and the weights θ* it is pulled back to. The tensors are detached from every dispose scope (they must outlive the
/// training steps that use them) and are released by <see cref="Dispose"/>.
/// </summary>
internal sealed class QuadraticAnchor : IDisposable
{
    private readonly Dictionary<string, (Tensor? Importance, Tensor Optimum)> _entries;

    /// <summary>Takes ownership of the importances <paramref name="importances"/>; θ* is a copy of <paramref name="model"/>'s current weights.</summary>
    public QuadraticAnchor(ContinualModel model, IReadOnlyDictionary<string, Tensor> importances)
    {
        _entries = [];
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (!importances.TryGetValue(name, out var f)) continue;
            using var weights = parameter.detach();
            _entries[name] = (f.DetachFromDisposeScope(), weights.clone().DetachFromDisposeScope());
        }
    }

    private QuadraticAnchor(Dictionary<string, (Tensor? Importance, Tensor Optimum)> entries) => _entries = entries;

    /// <summary>An anchor with importance 1 on every trainable parameter of <paramref name="model"/> (L2); θ* is a copy of its weights.</summary>
    public static QuadraticAnchor Uniform(ContinualModel model)
    {
        var entries = new Dictionary<string, (Tensor?, Tensor)>();
        foreach (var (name, parameter) in model.named_parameters().Where(p => p.parameter.requires_grad))
        {
            using var weights = parameter.detach();
            entries[name] = (null, weights.clone().DetachFromDisposeScope());
        }
        return new QuadraticAnchor(entries);
    }

    /// <summary>
    /// Puts θ* and Ω of every anchored parameter into a checkpoint, as <c>{prefix}.optimum.{name}</c> and (unless the
    /// anchor is uniform) <c>{prefix}.importance.{name}</c>.
    /// </summary>
    public void Save(PluginState state, string prefix)
    {
        foreach (var (name, (importance, optimum)) in _entries)
        {
            state.Put($"{prefix}.optimum.{name}", optimum);
            if (importance is not null) state.Put($"{prefix}.importance.{name}", importance);
        }
    }

    /// <summary>The anchor <see cref="Save"/> stored under <paramref name="prefix"/>, on <paramref name="device"/>.</summary>
    public static QuadraticAnchor Load(PluginState state, string prefix, Device device)
    {
        var entries = new Dictionary<string, (Tensor?, Tensor)>();
        var importances = state.Names($"{prefix}.importance.").ToHashSet();
        foreach (var key in state.Names($"{prefix}.optimum."))
        {
            var name = key[$"{prefix}.optimum.".Length..];
            var importance = $"{prefix}.importance.{name}";
            entries[name] = (importances.Contains(importance) ? state.Take(importance, device) : null, state.Take(key, device));
        }
        return new QuadraticAnchor(entries);
    }

    /// <summary>The importance of each parameter, by name (none for a uniform anchor).</summary>
    public IEnumerable<(string Name, Tensor Importance)> Importances =>
        _entries.Where(e => e.Value.Importance is not null).Select(e => (e.Key, e.Value.Importance!));

    /// <summary>The weights θ* of each parameter, by name.</summary>
    public IEnumerable<(string Name, Tensor Optimum)> Optima => _entries.Select(e => (e.Key, e.Value.Optimum));

    /// <summary>Σ_i Ω_i (θ_i − θ*_i)² over the anchored parameters of <paramref name="model"/> (a scalar tensor).</summary>
    public Tensor Penalty(ContinualModel model)
    {
        Tensor? total = null;
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (!_entries.TryGetValue(name, out var entry)) continue;
            var squares = (parameter - entry.Optimum).square();
            var term = (entry.Importance is null ? squares : entry.Importance * squares).sum();
            total = total is null ? term : total + term;
        }
        return total ?? zeros(1, device: model.parameters().First().device).squeeze();
    }

    /// <summary>
    /// One running anchor (online EWC, SI): Ω ← γ·Ω + Ω_new from <paramref name="next"/>, and θ* ← the weights of
    /// <paramref name="next"/>. Both anchors have importances (running anchors are never uniform).
    /// </summary>
    public void Absorb(QuadraticAnchor next, double gamma)
    {
        using var noGrad = no_grad();
        foreach (var (name, (importance, optimum)) in next._entries)
        {
            if (importance is null) throw new InvalidOperationException("a uniform anchor cannot be absorbed");
            if (_entries.TryGetValue(name, out var mine))
            {
                (mine.Importance ?? throw new InvalidOperationException("a uniform anchor cannot absorb")).mul_(gamma).add_(importance);
                mine.Optimum.copy_(optimum);
            }
            else _entries[name] = (importance.clone().DetachFromDisposeScope(), optimum.clone().DetachFromDisposeScope());
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var (importance, optimum) in _entries.Values)
        {
            importance?.Dispose();
            optimum.Dispose();
        }
        _entries.Clear();
    }
}
