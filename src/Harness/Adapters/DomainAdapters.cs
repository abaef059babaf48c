using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Config;
using Harness.Data;
using Harness.Metrics.IO;
using Harness.Models;
using Harness.Strategies;
using Harness.Tokenizers;
using Harness.Training;
using static TorchSharp.torch;

namespace Harness.Adapters;

/// <summary>
/// One LoRA adapter per domain over a frozen base, and the router that picks one per question: what the adapters and
/// isolation strategies share. Routing features (learned router) always come from the base with nothing attached.
/// </summary>
internal sealed class DomainAdapters(
    string routing,
    string? defaultDomain,
    IReadOnlyList<DomainConfig> curriculum,
    ITextTokenizer tokenizer,
    IReadOnlyList<string> targets,
    int rank,
    double alpha,
    double dropout,
    int featureBatchSize) : IDisposable
{
    private readonly Dictionary<int, LoraAdapter> _adapters = [];
    private GptModel? _model;
    private Device? _device;
    private IAdapterRouter? _router;

    /// <summary>The model the adapters plug into (set by <see cref="Bind"/>).</summary>
    public GptModel Model => _model ?? throw new InvalidOperationException("adapters are not bound to a model yet");

    /// <summary>Domains that have an adapter.</summary>
    public IReadOnlyCollection<int> Trained => _adapters.Keys;

    /// <summary>Binds to <paramref name="model"/> and freezes its weights: from here on only adapters train.</summary>
    public void Bind(GptModel model, Device device)
    {
        if (_model is not null) return;
        _model = model;
        _device = device;
        foreach (var parameter in model.parameters()) parameter.requires_grad = false;
        int fallback = defaultDomain is null ? -1 : curriculum.Select(d => d.Id).ToList().IndexOf(defaultDomain);
        _router = routing switch
        {
            "oracle" => new OracleRouter(),
            "keyword" => new KeywordRouter(curriculum.Select(d => d.Keywords).ToList(), fallback),
            "learned" => new CentroidRouter(model, tokenizer, device, featureBatchSize),
            _ => throw new InvalidOperationException($"unknown routing {routing}"),
        };
    }

    /// <summary>A fresh adapter for <paramref name="domain"/>; a learned router also learns the domain from <paramref name="samples"/>' prompts.</summary>
    public LoraAdapter Create(int domain, IReadOnlyList<TrainingSample> samples)
    {
        if (_router is CentroidRouter centroids)
        {
            DetachAll();
            centroids.Fit(domain, samples);
        }
        var adapter = NewAdapter(domain);
        _adapters[domain] = adapter;
        return adapter;
    }

    /// <summary>Domain <paramref name="domain"/>'s adapter, or null (not trained yet, or -1 = the base).</summary>
    public LoraAdapter? For(int domain) => _adapters.GetValueOrDefault(domain);

    /// <summary>The route of each question: a domain with an adapter, or -1 (none).</summary>
    public int[] Route(IReadOnlyList<string> questions, int knownDomain)
    {
        if (_router is null) return questions.Select(_ => -1).ToArray(); // before the first stage: the base answers
        if (_router is CentroidRouter) DetachAll();
        return _router.Route(questions, knownDomain, _adapters.Keys);
    }

    /// <summary>Removes every adapter from the model: the base alone.</summary>
    public void DetachAll()
    {
        if (_model is null) return;
        foreach (var site in _model.AdapterSites) site.DetachAll();
    }

    /// <summary>Facts for metrics.json.</summary>
    public JsonObject Report() => new()
    {
        ["rank"] = rank,
        ["alpha"] = alpha,
        ["dropout"] = dropout,
        ["targets"] = new JsonArray(targets.Select(t => (JsonNode?)t).ToArray()),
        ["routing"] = routing,
        ["default_domain"] = defaultDomain,
        ["parameters_per_adapter"] = _adapters.Values.FirstOrDefault()?.ParameterCount,
        ["adapters"] = new JsonArray(_adapters.OrderBy(a => a.Key).Select(a => (JsonNode?)a.Value.Name).ToArray()),
    };

    /// <summary>
    /// Writes each adapter as <c>adapters/&lt;domain&gt;/</c> in the PEFT layout, and the learned router's centroids
    /// to <c>adapters/router.json</c>.
    /// </summary>
    public void Save(string runDirectory)
    {
        foreach (var adapter in _adapters.Values) PeftLayout.Save(adapter, Path.Combine(runDirectory, "adapters", adapter.Name));
        if (_router is CentroidRouter centroids)
            AtomicFile.WriteAllText(Path.Combine(runDirectory, "adapters", "router.json"),
                new JsonObject { ["routing"] = routing, ["centroids"] = centroids.ToJson(curriculum.Select(d => d.Id).ToList()) }
                    .ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Reads back every adapter (and centroid) a finished run wrote, for answering.</summary>
    public void Load(string runDirectory)
    {
        for (int d = 0; d < curriculum.Count; d++)
        {
            var folder = Path.Combine(runDirectory, "adapters", curriculum[d].Id);
            if (!Directory.Exists(folder)) continue;
            var adapter = NewAdapter(d);
            PeftLayout.Load(adapter, folder);
            adapter.SetTrainable(false);
            _adapters[d] = adapter;
        }
        if (_router is not CentroidRouter router) return;
        var path = Path.Combine(runDirectory, "adapters", "router.json");
        if (!File.Exists(path)) throw new HarnessInputException($"{path}: missing (the learned router's centroids)");
        var centroids = JsonNode.Parse(File.ReadAllText(path))?["centroids"]?.AsObject()
                        ?? throw new HarnessInputException($"{path}: no 'centroids' object");
        for (int d = 0; d < curriculum.Count; d++)
            if (centroids[curriculum[d].Id] is JsonArray vector)
                router.SetCentroid(d, vector.Select(v => v!.GetValue<float>()).ToArray());
    }

    /// <summary>Every adapter's weights and the learned router's centroids, for a checkpoint.</summary>
    public void SaveState(PluginState state)
    {
        var domains = _adapters.Keys.Order().ToList();
        foreach (int d in domains) _adapters[d].SaveState(state, $"adapter{d}");
        state.Values["adapters"] = new JsonArray(domains.Select(d => (JsonNode?)d).ToArray());
        if (_router is CentroidRouter centroids)
            foreach (var (d, centroid) in centroids.Centroids) state.PutFloats($"centroid{d}", centroid);
    }

    /// <summary>
    /// Restores what <see cref="SaveState"/> stored: binds to <paramref name="model"/> (if any adapter was trained) and
    /// rebuilds each adapter, frozen, as its stage left it.
    /// </summary>
    public void LoadState(PluginState state, GptModel model, Device device)
    {
        var domains = state.Value("adapters").AsArray().Select(d => d!.GetValue<int>()).ToList();
        if (domains.Count == 0) return; // no stage trained yet: the first stage binds
        Bind(model, device);
        foreach (int d in domains)
        {
            var adapter = NewAdapter(d);
            adapter.LoadState(state, $"adapter{d}", device);
            adapter.SetTrainable(false);
            _adapters[d] = adapter;
        }
        if (_router is CentroidRouter centroids)
            foreach (int d in domains)
                if (state.Names($"centroid{d}").Count > 0) centroids.SetCentroid(d, state.Floats($"centroid{d}"));
    }

    /// <summary>A fresh adapter for domain <paramref name="domain"/>, shaped by this strategy's settings.</summary>
    private LoraAdapter NewAdapter(int domain) => new(curriculum[domain].Id, Model, targets, rank, alpha, dropout, _device!);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var adapter in _adapters.Values) adapter.Dispose();
        _adapters.Clear();
    }
}
