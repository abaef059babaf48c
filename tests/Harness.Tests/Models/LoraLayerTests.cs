using Harness.Adapters;
using Harness.Config;
using Harness.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Tests.Models;

[Collection(TorchCollection.Name)]
public sealed class LoraLayerTests : IDisposable
{
    private readonly GptModel _model;
    private readonly Tensor _tokens;

    public LoraLayerTests()
    {
        torch.manual_seed(3);
        _model = new GptModel(new ModelConfig { DModel = 16, Layers = 2, Heads = 2, Context = 12 }, 40);
        _model.eval();
        _tokens = randint(4, 40, [3, 10], dtype: ScalarType.Int64);
    }

    public void Dispose()
    {
        _model.Dispose();
        _tokens.Dispose();
    }

    private float[] Logits()
    {
        using var noGrad = no_grad();
        using var logits = _model.forward(_tokens);
        return logits.data<float>().ToArray();
    }

    [Fact]
    public void FreshAdapter_OnEveryTarget_LeavesOutputsBitIdentical()
    {
        // Given the base model's logits
        var before = Logits();
        // When a fresh adapter (B = 0; for the embedding A = 0) is attached to all six projections of both blocks, the
        // head and the token embedding
        using var adapter = new LoraAdapter("d", _model, ["q", "k", "v", "o", "mlp_up", "mlp_down", "head", "tok_emb"], rank: 4, alpha: 8, dropout: 0, CPU);
        adapter.AttachTo();
        // Then every logit is exactly what it was
        Assert.Equal(14, _model.AdapterSites.Count(s => s.AttachedCount == 1));
        Assert.Equal(before, Logits());
    }

    [Fact]
    public void Adapter_WithNonZeroB_ChangesOutputs_AndDetachRestoresTheBase()
    {
        // Given an adapter whose B is no longer zero
        var before = Logits();
        using var adapter = new LoraAdapter("d", _model, ["q", "v"], rank: 2, alpha: 4, dropout: 0, CPU);
        using (no_grad())
            foreach (var (name, tensor) in adapter.NamedTensors().Where(t => t.Name.EndsWith("lora_B.weight", StringComparison.Ordinal)))
                tensor.fill_(0.05);
        // When it is attached, then detached
        adapter.AttachTo();
        var adapted = Logits();
        foreach (var site in _model.AdapterSites) site.DetachAll();
        // Then it changed the logits, and the base is back exactly
        Assert.NotEqual(before, adapted);
        Assert.Equal(before, Logits());
    }

    [Fact]
    public void AdapterDropout_FollowsTheModelsTrainOrEvalMode()
    {
        // Given an adapter with dropout 0.5 and B ≠ 0, attached to the model
        using var adapter = new LoraAdapter("d", _model, ["mlp_up"], rank: 2, alpha: 2, dropout: 0.5, CPU);
        using (no_grad())
            foreach (var (_, tensor) in adapter.NamedTensors()) tensor.fill_(0.1);
        adapter.AttachTo();
        // When the model is in eval mode, two passes agree (no dropout); in train mode they differ
        _model.eval();
        Assert.Equal(Logits(), Logits());
        _model.train();
        Assert.NotEqual(Logits(), Logits());
        _model.eval();
    }

    [Fact]
    public void Adapter_IsNeverPartOfTheModelsStateDict()
    {
        // Given the base's state_dict keys
        var keys = _model.state_dict().Keys.ToList();
        // When an adapter is created and attached
        using var adapter = new LoraAdapter("d", _model, ["q", "mlp_down"], rank: 2, alpha: 4, dropout: 0, CPU);
        adapter.AttachTo();
        // Then the model's state_dict and parameters are unchanged, and the adapter names its tensors as PEFT does
        Assert.Equal(keys, _model.state_dict().Keys.ToList());
        Assert.DoesNotContain(_model.state_dict().Keys, k => k.Contains("lora", StringComparison.Ordinal));
        Assert.Contains(adapter.NamedTensors(), t => t.Name == "base_model.model.blocks.1.mlp.mlp_down.lora_B.weight");
        Assert.Contains(adapter.NamedTensors(), t => t.Name == "base_model.model.blocks.0.attn.q.lora_A.weight");
        Assert.Equal(2 * 2 * 2, adapter.NamedTensors().Count); // 2 blocks × 2 targets × (A, B)
    }

    [Fact]
    public void RowMask_LimitsTheUpdateToTheMaskedRows()
    {
        // Given an adapter with B ≠ 0, attached only to row 1 of the batch of 3
        var before = Logits();
        using var adapter = new LoraAdapter("d", _model, ["v"], rank: 2, alpha: 2, dropout: 0, CPU);
        using (no_grad())
            foreach (var (_, tensor) in adapter.NamedTensors()) tensor.fill_(0.1);
        using var mask = tensor(new[] { 0f, 1f, 0f }, [3, 1, 1]);
        adapter.AttachTo(mask);
        // When the batch goes through the model
        var after = Logits();
        // Then rows 0 and 2 are bit-identical to the base, row 1 is not
        int row = before.Length / 3;
        Assert.Equal(before[..row], after[..row]);
        Assert.Equal(before[(2 * row)..], after[(2 * row)..]);
        Assert.NotEqual(before[row..(2 * row)], after[row..(2 * row)]);
    }

    [Fact]
    public void EmbeddingUpdate_AddsTheLowRankRowOfEachToken()
    {
        // Given an embedding update of rank 1 over 3 tokens, width 2, alpha 2 (scaling 2): A = [[0, 1, 2]], B = [[1], [-1]]
        using var layer = new LoraEmbedding(3, 2, rank: 1, alpha: 2, CPU);
        using (no_grad())
        {
            layer.NamedWeights[0].Tensor.copy_(tensor(new[] { 0f, 1f, 2f }, [1, 3]));
            layer.NamedWeights[1].Tensor.copy_(tensor(new[] { 1f, -1f }, [2, 1]));
        }
        // When ids [[2, 0]] go through: token 2 → 2 · (1, -1) · 2 = (4, -4); token 0 → (0, 0)
        using var ids = tensor(new long[] { 2, 0 }, [1, 2]);
        using var y = layer.forward(ids);
        // Then
        Assert.Equal([1L, 2L, 2L], y.shape);
        Assert.Equal(new[] { 4f, -4f, 0f, 0f }, y.data<float>().ToArray());
    }

    [Fact]
    public void LoraUpdate_IsBTimesATimesScaling()
    {
        // Given a layer with A and B set by hand (rank 1, alpha 3 → scaling 3)
        using var layer = new LoraLayer(2, 2, rank: 1, alpha: 3, dropoutRate: 0, CPU);
        using (no_grad())
        {
            layer.A.copy_(tensor(new[] { 1f, 2f }, [1, 2]));
            layer.B.copy_(tensor(new[] { 0.5f, -1f }, [2, 1]));
        }
        // When x = (1, 1) goes through: A·x = 3, B·3 = (1.5, -3), × 3 = (4.5, -9)
        using var x = tensor(new[] { 1f, 1f }, [1, 2]);
        using var y = layer.forward(x);
        // Then
        Assert.Equal(new[] { 4.5f, -9f }, y.data<float>().ToArray());
    }
}
