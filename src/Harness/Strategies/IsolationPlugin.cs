using System.Text.Json.Nodes;
using Harness.Adapters;
using Harness.Config;
using Harness.Models;
using Harness.Tokenizers;
using Harness.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Harness.Strategies;

/// <summary>
/// Parameter isolation with a shared part (after Progressive Networks, Rusu et al. 2016, and PackNet, Mallya &amp;
/// Lazebnik 2018, with LoRA adapters, Hu et al. 2021, as the units): over the frozen base, a shared adapter on
/// <c>shared_targets</c> trains in every stage and each domain's own adapter on the disjoint <c>domain_targets</c>
/// trains only in its stage. A question goes through the shared adapter plus its routed domain adapter. With
/// <c>replay</c>, a replayed sample goes through its own domain's frozen adapter, so replay protects the shared part.
/// </summary>
internal sealed class IsolationPlugin(IsolationStrategyConfig config, ExperimentConfig experiment, ITextTokenizer tokenizer)
    : IStrategyPlugin, IDisposable
{
    private readonly DomainAdapters _adapters = new(config.Routing, config.DefaultDomain, experiment.Curriculum, tokenizer,
        config.DomainTargets, config.Rank, config.Alpha, config.Dropout, experiment.Evaluation.BatchSize);
    private LoraAdapter? _shared;
    private LoraAdapter? _current;
    private int _currentDomain = -1;
    private bool _masked;

    /// <inheritdoc />
    public void OnStageStart(StageContext context)
    {
        _adapters.Bind(TextModel.Of(context), context.Device);
        _shared ??= NewShared(TextModel.Of(context), context.Device);
        _currentDomain = context.Stage.Domains.Single();
        _current = _adapters.Create(_currentDomain, context.Stage.Samples.Where(s => s.Domain == _currentDomain).ToList());
        AttachForTraining();
    }

    /// <inheritdoc />
    public IEnumerable<Parameter> Parameters(StageContext context) =>
        _shared is null || _current is null ? [] : _shared.Parameters().Concat(_current.Parameters());

    /// <inheritdoc />
    public void OnBatch(StageContext context, TrainingBatch batch)
    {
        var domains = batch.Samples.Select(s => s.Domain).Distinct().ToList();
        if (domains.Count == 1 && domains[0] == _currentDomain)
        {
            AttachForTraining();
            return;
        }
        // Mixed batch (replay or rehearsal): each sample goes through the shared adapter and its own domain's adapter.
        // The masks live in the step's dispose scope; OnStepEnd takes them off before the scope frees them.
        _adapters.DetachAll();
        _shared!.AttachTo();
        foreach (int domain in domains)
        {
            if (_adapters.For(domain) is not { } adapter) continue;
            var samples = batch.Samples.Select(s => s.Domain == domain ? 1f : 0f).ToArray();
            // The head sees answer positions only: one mask row per answer token of each sample, in batch order.
            var answers = batch.Samples.SelectMany(s => Enumerable.Repeat(s.Domain == domain ? 1f : 0f, s.Tokens.Length - s.AnswerStart)).ToArray();
            adapter.AttachTo(
                tensor(samples, [samples.Length, 1, 1]).to(context.Device), // [B, 1, 1]
                tensor(answers, [answers.Length, 1]).to(context.Device)); // [N, 1]
        }
        _masked = true;
    }

    /// <inheritdoc />
    public void OnStepEnd(StageContext context, IReadOnlyList<TrainingSample> newSamples)
    {
        if (!_masked) return;
        AttachForTraining();
        _masked = false;
    }

    /// <inheritdoc />
    public void OnStageEnd(StageContext context)
    {
        // Later plugins' stage-end passes (replay's loss scoring, DER++ logits) see the model as trained: shared plus
        // this domain's adapter, unmasked.
        _current?.SetTrainable(false);
        AttachForTraining();
        _current = null;
    }

    /// <inheritdoc />
    public int[]? Route(IReadOnlyList<string> questions, int knownDomain) => _adapters.Route(questions, knownDomain);

    /// <inheritdoc />
    public void Activate(int route)
    {
        _adapters.DetachAll();
        _shared?.AttachTo();
        _adapters.For(route)?.AttachTo();
    }

    /// <inheritdoc />
    public void WriteOutputs(string runDirectory)
    {
        _adapters.Save(runDirectory);
        if (_shared is not null) PeftLayout.Save(_shared, Path.Combine(runDirectory, "adapters", _shared.Name));
    }

    /// <inheritdoc />
    public void LoadOutputs(string runDirectory, GptModel model, Device device)
    {
        _adapters.Bind(model, device);
        _adapters.Load(runDirectory);
        _shared = NewShared(model, device);
        PeftLayout.Load(_shared, Path.Combine(runDirectory, "adapters", _shared.Name));
    }

    /// <inheritdoc />
    public void SaveState(PluginState state)
    {
        _adapters.SaveState(state);
        _shared?.SaveState(state, "shared");
        state.Values["shared"] = _shared is not null;
    }

    /// <inheritdoc />
    public void LoadState(PluginState state, ResumeContext context)
    {
        var model = TextModel.Of(context.Model);
        _adapters.LoadState(state, model, context.Device);
        if (!state.Value("shared").GetValue<bool>()) return;
        _shared = NewShared(model, context.Device);
        _shared.LoadState(state, "shared", context.Device);
    }

    /// <inheritdoc />
    public void Report(JsonObject report)
    {
        var facts = _adapters.Report();
        facts["shared_rank"] = config.SharedRank;
        facts["shared_targets"] = new JsonArray(config.SharedTargets.Select(t => (JsonNode?)t).ToArray());
        facts["shared_parameters"] = _shared?.ParameterCount;
        report["isolation"] = facts;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _adapters.Dispose();
        _shared?.Dispose();
    }

    private LoraAdapter NewShared(GptModel model, Device device) =>
        new("shared", model, config.SharedTargets, config.SharedRank, config.Alpha, config.Dropout, device);

    /// <summary>The shared adapter and the current domain's (whole batch).</summary>
    private void AttachForTraining()
    {
        _adapters.DetachAll();
        _shared?.AttachTo();
        _current?.AttachTo();
    }
}
