using Harness.Config;
using Harness.Data;
using Harness.Models;
using Harness.Strategies;
using Harness.Tokenizers;
using Harness.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Tests.Strategies;

[Collection(TorchCollection.Name)]
public sealed class IsolationPluginTests : IDisposable
{
    private static readonly DomainData[] Domains =
    [
        new("sum", [new QaPair("1+1", "2")], [new QaPair("1+1", "2")], [], [new QaPair("1+1", "2")]),
        new("rev", [new QaPair("ab", "ba")], [new QaPair("ab", "ba")], [], [new QaPair("ab", "ba")]),
    ];

    private readonly GptModel _model;
    private readonly IsolationPlugin _plugin;
    private readonly TrainingSample _sum = new([1, 10, 2, 11, 3], 3, 0);
    private readonly TrainingSample _rev = new([1, 12, 2, 13, 3], 3, 1);

    public IsolationPluginTests()
    {
        torch.manual_seed(0);
        _model = new GptModel(new ModelConfig { DModel = 8, Layers = 1, Heads = 1, Context = 8 }, 20);
        var config = new ExperimentConfig
        {
            Name = "iso",
            Curriculum = Domains.Select(d => new DomainConfig { Id = d.Id, Source = "math" }).ToList(),
        };
        var strategy = new IsolationStrategyConfig { SharedTargets = ["mlp_up"], DomainTargets = ["q", "head"], Rank = 2, SharedRank = 2 };
        _plugin = new IsolationPlugin(strategy, config, CharTokenizer.Build(["1+1", "ab"]));
    }

    public void Dispose()
    {
        _plugin.Dispose();
        _model.Dispose();
    }

    private StageContext Stage(int index) =>
        new(index, 2, new TrainingStage(Domains[index].Id, [index], index == 0 ? [_sum] : [_rev], 1), _model, CPU, 2, Domains.Select(d => d.Id).ToList());

    private AdapterSite Site(string target) => _model.AdapterSites.Single(s => s.Target == target);

    [Fact]
    public void OnBatch_MixedBatch_SendsEachRowThroughItsOwnDomainAdapterAndTheShared()
    {
        // Given stage 1 (sum) done and stage 2 (rev) started
        _plugin.OnStageStart(Stage(0));
        _plugin.OnStageEnd(Stage(0));
        _plugin.OnStageStart(Stage(1));
        // Then the stage trains the shared adapter and rev's adapter, and the base is frozen
        Assert.Equal(1, Site("q").AttachedCount);
        Assert.Equal(1, Site("mlp_up").AttachedCount);
        Assert.All(_model.parameters(), p => Assert.False(p.requires_grad));
        Assert.Equal(6, _plugin.Parameters(Stage(1)).Count()); // one block: shared A, B on mlp_up + rev A, B on q and on head
        // When a batch mixes a replayed sum sample with a new rev sample
        using var batch = new TrainingBatch([_rev, _sum], CPU);
        using (var scope = NewDisposeScope()) _plugin.OnBatch(Stage(1), batch);
        // Then q carries both domain adapters (each masked to its rows) and mlp_up the shared one
        Assert.Equal(2, Site("q").AttachedCount);
        Assert.Equal(1, Site("mlp_up").AttachedCount);
        // And a batch of rev only goes back to rev's adapter alone
        using var plain = new TrainingBatch([_rev], CPU);
        _plugin.OnBatch(Stage(1), plain);
        Assert.Equal(1, Site("q").AttachedCount);
    }

    [Fact]
    public void MixedBatch_ThroughTheModel_GivesOneLogitRowPerAnswerToken_AndTheStepEndDropsTheMasks()
    {
        // Given stage 2 (rev) with head adapters, and a mixed batch of 3 samples (2 answer tokens each)
        _plugin.OnStageStart(Stage(0));
        _plugin.OnStageEnd(Stage(0));
        _plugin.OnStageStart(Stage(1));
        using var scope = NewDisposeScope();
        using var batch = new TrainingBatch([_rev, _sum, _rev], CPU);
        _plugin.OnBatch(Stage(1), batch);
        // When the training forward runs (the head sees answer positions only)
        var logits = _model.Head(batch.AtAnswers(_model.Hidden(batch.Inputs)));
        // Then the logits are [N, V], as without masks, and the loss can be computed
        Assert.Equal([6L, 20L], logits.shape);
        Assert.False(float.IsNaN(batch.Loss(logits).item<float>()));
        // And once the step ends, no masked attachment is left for a later forward pass
        _plugin.OnStepEnd(Stage(1), [_rev]);
        Assert.Equal(1, Site("q").AttachedCount);
        Assert.Equal(1, Site("head").AttachedCount);
    }

    [Fact]
    public void Activate_RoutesToTheSharedPlusTheDomain_OrTheSharedAlone()
    {
        _plugin.OnStageStart(Stage(0));
        _plugin.OnStageEnd(Stage(0));
        _plugin.Activate(0);
        Assert.Equal(1, Site("q").AttachedCount);
        Assert.Equal(1, Site("mlp_up").AttachedCount);
        _plugin.Activate(-1);
        Assert.Equal(0, Site("q").AttachedCount);
        Assert.Equal(1, Site("mlp_up").AttachedCount);
    }
}
