using Harness.Adapters;
using Harness.Config;
using Harness.Models;
using Harness.Tokenizers;
using Harness.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Tests.Adapters;

[Collection(TorchCollection.Name)]
public sealed class CentroidRouterTests
{
    private static readonly string[] Digits = ["12+7", "3*4", "40-8", "9+9", "6*7", "15-3", "2+2", "8*8"];
    private static readonly string[] Letters = ["stone", "river", "cloud", "apple", "tiger", "maple", "night", "light"];

    [Fact]
    public void Route_SendsEachPromptToTheNearestDomainCentroid()
    {
        // Given a (random) base model and centroids of two very different domains
        var tokenizer = CharTokenizer.Build(Digits.Concat(Letters));
        torch.manual_seed(1);
        using var model = new GptModel(new ModelConfig { DModel = 32, Layers = 1, Heads = 2, Context = 16 }, tokenizer.VocabSize);
        var router = new CentroidRouter(model, tokenizer, CPU, batchSize: 3);
        TrainingSample Sample(string prompt, int domain) => TrainingSample.FromPair(new(prompt, "x"), domain, tokenizer, 16, "d");
        router.Fit(0, Digits.Select(p => Sample(p, 0)).ToList());
        router.Fit(1, Letters.Select(p => Sample(p, 1)).ToList());
        // When unseen prompts of each kind are routed
        var routes = router.Route(["7+1", "5*5", "ocean", "grape"], knownDomain: -1, trained: [0, 1]);
        // Then each goes to its own domain
        Assert.Equal([0, 0, 1, 1], routes);
        // And only trained domains are candidates; with none, the base (-1) answers
        Assert.Equal([1, 1], router.Route(["7+1", "ocean"], -1, [1]));
        Assert.Equal([-1], router.Route(["7+1"], -1, []));
    }

    [Fact]
    public void Oracle_UsesTheKnownDomain_AndRefusesWithoutOne()
    {
        var oracle = new OracleRouter();
        Assert.Equal([1, 1], oracle.Route(["a", "b"], knownDomain: 1, trained: [0, 1]));
        Assert.Equal([-1], oracle.Route(["a"], knownDomain: 2, trained: [0, 1])); // not trained yet: the base
        Assert.Throws<HarnessInputException>(() => oracle.Route(["a"], knownDomain: -1, trained: [0]));
    }
}
