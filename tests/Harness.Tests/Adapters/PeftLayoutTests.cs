using System.Text.Json.Nodes;
using Harness.Adapters;
using Harness.Config;
using Harness.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Tests.Adapters;

[Collection(TorchCollection.Name)]
public sealed class PeftLayoutTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly GptModel _model;

    public PeftLayoutTests()
    {
        torch.manual_seed(5);
        _model = new GptModel(new ModelConfig { DModel = 16, Layers = 2, Heads = 2, Context = 8 }, 30);
    }

    public void Dispose()
    {
        _model.Dispose();
        _dir.Dispose();
    }

    private LoraAdapter TrainedLookingAdapter()
    {
        var adapter = new LoraAdapter("poetry", _model, ["q", "mlp_up"], rank: 4, alpha: 8, dropout: 0.05, CPU);
        using (no_grad())
            foreach (var (_, tensor) in adapter.NamedTensors()) tensor.normal_(0, 0.1);
        return adapter;
    }

    [Fact]
    public void Save_WritesPeftsFilesTensorNamesAndConfig()
    {
        // Given an adapter on q and mlp_up of a 2-block model
        using var adapter = TrainedLookingAdapter();
        var folder = _dir.File("adapters/poetry");
        // When it is saved
        PeftLayout.Save(adapter, folder);
        // Then the folder holds PEFT's two files
        Assert.Equal(["adapter_config.json", "adapter_model.safetensors"],
            Directory.GetFiles(folder).Select(f => Path.GetFileName(f)).Order().ToArray());
        // And the tensors carry PEFT's names and shapes: lora_A [r, in], lora_B [out, r]
        using var content = SafeTensorsFile.Read(Path.Combine(folder, "adapter_model.safetensors"));
        Assert.Equal(
            [
                "base_model.model.blocks.0.attn.q.lora_A.weight", "base_model.model.blocks.0.attn.q.lora_B.weight",
                "base_model.model.blocks.0.mlp.mlp_up.lora_A.weight", "base_model.model.blocks.0.mlp.mlp_up.lora_B.weight",
                "base_model.model.blocks.1.attn.q.lora_A.weight", "base_model.model.blocks.1.attn.q.lora_B.weight",
                "base_model.model.blocks.1.mlp.mlp_up.lora_A.weight", "base_model.model.blocks.1.mlp.mlp_up.lora_B.weight",
            ],
            content.Tensors.Select(t => t.Name).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal([4L, 16L], content["base_model.model.blocks.1.mlp.mlp_up.lora_A.weight"].shape);
        Assert.Equal([64L, 4L], content["base_model.model.blocks.1.mlp.mlp_up.lora_B.weight"].shape);
        // And adapter_config.json says what PEFT needs to load it
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "adapter_config.json")))!;
        Assert.Equal("LORA", config["peft_type"]!.GetValue<string>());
        Assert.Equal(4, config["r"]!.GetValue<int>());
        Assert.Equal(8.0, config["lora_alpha"]!.GetValue<double>());
        Assert.Equal(0.05, config["lora_dropout"]!.GetValue<double>());
        Assert.Equal(["q", "mlp_up"], config["target_modules"]!.AsArray().Select(t => t!.GetValue<string>()).ToArray());
        Assert.Equal("../../model.pt", config["base_model_name_or_path"]!.GetValue<string>());
    }

    [Fact]
    public void Load_RestoresEveryTensorBitForBit()
    {
        // Given a saved adapter
        using var saved = TrainedLookingAdapter();
        var folder = _dir.File("adapters/poetry");
        PeftLayout.Save(saved, folder);
        // When a fresh adapter of the same shape loads it
        using var loaded = new LoraAdapter("poetry", _model, ["q", "mlp_up"], rank: 4, alpha: 8, dropout: 0.05, CPU);
        PeftLayout.Load(loaded, folder);
        // Then every tensor is identical
        foreach (var ((name, a), (_, b)) in saved.NamedTensors().Zip(loaded.NamedTensors()))
            Assert.True(a.data<float>().ToArray().SequenceEqual(b.data<float>().ToArray()), name);
    }

    [Fact]
    public void Load_ARankMismatch_NamesTheFileAndKey()
    {
        using var saved = TrainedLookingAdapter();
        var folder = _dir.File("adapters/poetry");
        PeftLayout.Save(saved, folder);
        using var other = new LoraAdapter("poetry", _model, ["q", "mlp_up"], rank: 2, alpha: 8, dropout: 0, CPU);
        var error = Assert.Throws<HarnessInputException>(() => PeftLayout.Load(other, folder));
        Assert.Contains("adapter_config.json", error.Message);
        Assert.Contains("r:", error.Message);
    }
}
