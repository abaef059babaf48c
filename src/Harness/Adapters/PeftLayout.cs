using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Config;
using Harness.Metrics.IO;
using Harness.Models;

namespace Harness.Adapters;

/// <summary>
/// Saves and loads a <see cref="LoraAdapter"/> in the layout of Hugging Face PEFT: a folder with
/// <c>adapter_model.safetensors</c> (tensors named <c>base_model.model.&lt;module&gt;.lora_A.weight</c> / <c>lora_B.weight</c>)
/// and <c>adapter_config.json</c> (<c>peft_type</c> LORA, <c>r</c>, <c>lora_alpha</c>, <c>lora_dropout</c>,
/// <c>target_modules</c>, <c>base_model_name_or_path</c>).
/// </summary>
internal static class PeftLayout
{
    /// <summary>PEFT's prefix for tensors of a model wrapped as <c>PeftModel</c>.</summary>
    public const string TensorPrefix = "base_model.model.";

    /// <summary>The adapter's weights.</summary>
    public const string WeightsFile = "adapter_model.safetensors";

    /// <summary>The adapter's settings.</summary>
    public const string ConfigFile = "adapter_config.json";

    /// <summary>
    /// The base checkpoint as PEFT records it, relative to the adapter's folder: the run's <c>model.pt</c>, two levels up
    /// (<c>RUN/adapters/&lt;name&gt;/</c>).
    /// </summary>
    public const string BaseModel = "../../model.pt";

    /// <summary>Writes <paramref name="adapter"/> into <paramref name="folder"/> (created if needed).</summary>
    public static void Save(LoraAdapter adapter, string folder)
    {
        Directory.CreateDirectory(folder);
        SafeTensorsFile.Write(Path.Combine(folder, WeightsFile), adapter.NamedTensors(),
            new Dictionary<string, string> { ["format"] = "pt" });
        var config = new JsonObject
        {
            ["peft_type"] = "LORA",
            ["task_type"] = "CAUSAL_LM",
            ["r"] = adapter.Rank,
            ["lora_alpha"] = adapter.Alpha,
            ["lora_dropout"] = adapter.Dropout,
            ["target_modules"] = new JsonArray(adapter.Targets.Select(t => (JsonNode?)t).ToArray()),
            ["bias"] = "none",
            ["fan_in_fan_out"] = false,
            ["inference_mode"] = true,
            ["base_model_name_or_path"] = BaseModel,
        };
        AtomicFile.WriteAllText(Path.Combine(folder, ConfigFile), config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    /// <summary>Loads <paramref name="folder"/>'s weights into <paramref name="adapter"/>, after checking its config matches.</summary>
    public static void Load(LoraAdapter adapter, string folder)
    {
        var configPath = Path.Combine(folder, ConfigFile);
        if (!File.Exists(configPath)) throw new HarnessInputException($"{configPath}: file not found");
        var config = JsonNode.Parse(File.ReadAllText(configPath)) as JsonObject
                     ?? throw new HarnessInputException($"{configPath}: not a JSON object");
        if (config["peft_type"]?.GetValue<string>() != "LORA") throw new HarnessInputException($"{configPath}: peft_type: expected LORA");
        if (config["r"]?.GetValue<int>() != adapter.Rank)
            throw new HarnessInputException($"{configPath}: r: {config["r"]} does not match the run's rank {adapter.Rank}");
        if (config["lora_alpha"]?.GetValue<double>() != adapter.Alpha)
            throw new HarnessInputException($"{configPath}: lora_alpha: {config["lora_alpha"]} does not match the run's alpha {adapter.Alpha}");
        var targets = config["target_modules"] is JsonArray list ? list.Select(t => t?.GetValue<string>()).ToList() : [];
        if (!targets.SequenceEqual(adapter.Targets))
            throw new HarnessInputException($"{configPath}: target_modules: [{string.Join(", ", targets)}] do not match the run's [{string.Join(", ", adapter.Targets)}]");
        var path = Path.Combine(folder, WeightsFile);
        using var content = SafeTensorsFile.Read(path);
        adapter.Load(content, path);
    }
}
