using Harness.Config;
using Harness.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Tests.Models;

[Collection(TorchCollection.Name)]
public sealed class GptModelTests
{
    private const int Vocab = 50;
    private static readonly ModelConfig Tiny = new() { DModel = 16, Layers = 1, Heads = 2, Context = 16 };

    private static GptModel NewModel()
    {
        torch.manual_seed(1);
        var model = new GptModel(Tiny, Vocab);
        model.eval();
        return model;
    }

    [Fact]
    public void Forward_BatchOfTokens_ReturnsLogitsPerPositionAndToken()
    {
        // Given a [3, 10] batch of token ids
        using var model = NewModel();
        using var tokens = randint(0, Vocab, [3, 10], dtype: ScalarType.Int64);

        // When
        using var logits = model.forward(tokens);

        // Then [B, T, V], all finite
        Assert.Equal([3L, 10L, Vocab], logits.shape);
        Assert.True(logits.isfinite().all().item<bool>());
    }

    [Fact]
    public void Forward_SequenceLongerThanContext_Throws()
    {
        // Given 17 tokens for a context of 16
        using var model = NewModel();
        using var tokens = zeros([1, Tiny.Context + 1], dtype: ScalarType.Int64);

        // Then
        var error = Assert.Throws<ArgumentException>(() => model.forward(tokens));
        Assert.Contains("exceeds the context of 16", error.Message);
    }

    [Fact]
    public void Forward_FullContext_IsAccepted()
    {
        // Given exactly context tokens
        using var model = NewModel();
        using var tokens = zeros([2, Tiny.Context], dtype: ScalarType.Int64);

        // When
        using var logits = model.forward(tokens);

        // Then
        Assert.Equal([2L, Tiny.Context, Vocab], logits.shape);
    }

    [Fact]
    public void Forward_LaterTokenChanged_EarlierLogitsUnchanged()
    {
        // Given two sequences that differ only at position 6
        using var model = NewModel();
        using var a = randint(4, Vocab, [1, 12], dtype: ScalarType.Int64);
        using var b = a.clone();
        long changed = (a[0, 6].item<long>() - 4 + 1) % (Vocab - 4) + 4;
        using (var cell = b[0, 6]) cell.fill_(changed);

        // When
        using var noGrad = no_grad();
        using var logitsA = model.forward(a);
        using var logitsB = model.forward(b);

        // Then positions 0-5 see no difference (causal), position 6 on do
        using var before = (logitsA[.., ..6] - logitsB[.., ..6]).abs().max();
        using var after = (logitsA[.., 6..] - logitsB[.., 6..]).abs().max();
        Assert.True(before.item<float>() < 1e-6f, $"earlier positions changed by {before.item<float>()}");
        Assert.True(after.item<float>() > 1e-4f, $"the changed position had no effect ({after.item<float>()})");
    }

    [Fact]
    public void Head_OfHiddenStates_EqualsForward()
    {
        // Given a batch
        using var model = NewModel();
        using var tokens = randint(0, Vocab, [2, 9], dtype: ScalarType.Int64);

        // When the head is applied to the hidden states separately (as training does at answer positions)
        using var noGrad = no_grad();
        using var hidden = model.Hidden(tokens);
        using var split = model.Head(hidden);
        using var whole = model.forward(tokens);

        // Then it is the same computation
        Assert.Equal([2L, 9L, 16L], hidden.shape);
        Assert.True(split.allclose(whole), "Head(Hidden(x)) differs from forward(x)");
    }

    [Fact]
    public void StateDict_TinyModel_HoldsOnlyParametersOfTheModel()
    {
        // Given a model of one layer
        using var model = NewModel();

        // Then the state dict names the embeddings, the block, the final norm and the head, and nothing else
        var names = model.state_dict().Keys.ToList();
        Assert.Contains("tok_emb.weight", names);
        Assert.Contains("pos_emb.weight", names);
        Assert.Contains("head.weight", names);
        Assert.Contains("ln_f.weight", names);
        Assert.All(names, n => Assert.Matches(@"^(tok_emb|pos_emb|blocks\.0|ln_f|head)\.", n));
    }
}
