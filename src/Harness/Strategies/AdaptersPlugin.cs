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
/// Isolated LoRA adapters (Hu et al. 2021, "LoRA: Low-Rank Adaptation of Large Language Models"): the pretrained base is
/// frozen, each domain trains its own adapter in its own stage and never again, and a router picks the adapter per
/// question. With oracle routing nothing learned can be forgotten. Replayed samples (with <c>replay</c>) train the
/// current domain's adapter too, which keeps later adapters usable on earlier domains when a router misroutes.
/// </summary>
internal sealed class AdaptersPlugin(AdaptersStrategyConfig config, ExperimentConfig experiment, ITextTokenizer tokenizer)
    : IStrategyPlugin, IDisposable
{
    private readonly DomainAdapters _adapters = new(config.Routing, config.DefaultDomain, experiment.Curriculum, tokenizer,
        config.Targets, config.Rank, config.Alpha, config.Dropout, experiment.Evaluation.BatchSize);
    private LoraAdapter? _current;

    /// <inheritdoc />
    public void OnStageStart(StageContext context)
    {
        _adapters.Bind(TextModel.Of(context), context.Device);
        int domain = context.Stage.Domains.Single();
        _current = _adapters.Create(domain, context.Stage.Samples.Where(s => s.Domain == domain).ToList());
        _adapters.DetachAll();
        _current.AttachTo();
    }

    /// <inheritdoc />
    public IEnumerable<Parameter> Parameters(StageContext context) => _current?.Parameters() ?? [];

    /// <inheritdoc />
    public void OnStageEnd(StageContext context)
    {
        _current?.SetTrainable(false);
        _current = null;
    }

    /// <inheritdoc />
    public int[]? Route(IReadOnlyList<string> questions, int knownDomain) => _adapters.Route(questions, knownDomain);

    /// <inheritdoc />
    public void Activate(int route)
    {
        _adapters.DetachAll();
        _adapters.For(route)?.AttachTo();
    }

    /// <inheritdoc />
    public void WriteOutputs(string runDirectory) => _adapters.Save(runDirectory);

    /// <inheritdoc />
    public void LoadOutputs(string runDirectory, GptModel model, Device device)
    {
        _adapters.Bind(model, device);
        _adapters.Load(runDirectory);
    }

    /// <inheritdoc />
    public void SaveState(PluginState state) => _adapters.SaveState(state);

    /// <inheritdoc />
    public void LoadState(PluginState state, ResumeContext context) =>
        _adapters.LoadState(state, TextModel.Of(context.Model), context.Device);

    /// <inheritdoc />
    public void Report(JsonObject report) => report["adapters"] = _adapters.Report();

    /// <inheritdoc />
    public void Dispose() => _adapters.Dispose();
}
