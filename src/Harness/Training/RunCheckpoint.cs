using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Config;
using Harness.Models;
using Harness.Strategies;
using static TorchSharp.torch;

namespace Harness.Training;

/// <summary>
/// A run's state after its last finished stage, in one file, <c>checkpoint.safetensors</c> in the run folder, replaced
/// atomically after every stage (and after the evaluation before training): the model's weights, each plugin's state
/// (<see cref="IStrategyPlugin.SaveState"/>), the kept optimiser, the torch and batch-order random states, the
/// evaluation rows so far, the step counters and the run's facts (resolved config, seconds spent, whether the base came
/// from the cache). A run resumed from it continues exactly as the uninterrupted run would have: on the CPU, the same
/// accuracy matrix bit for bit. Tensors are named <c>model.*</c>, <c>plugin&lt;i&gt;.*</c>, <c>rng.torch</c> and
/// <c>optimizer</c>; the rest is JSON in the header's metadata.
/// </summary>
internal sealed class RunCheckpoint : IDisposable
{
    /// <summary>The checkpoint's file name in a run folder.</summary>
    public const string FileName = "checkpoint.safetensors";

    private const string MetadataKey = "harness_checkpoint";
    private const int Format = 1;
    private readonly SafeTensorsContent _content;
    private readonly string _path;
    private bool _released;

    private RunCheckpoint(SafeTensorsContent content, JsonObject state, string path)
    {
        _content = content;
        State = state;
        _path = path;
    }

    /// <summary>The JSON part: <c>completed_stages</c>, <c>stage_count</c>, <c>rows</c>, <c>loop</c>, <c>run</c> (the runner's facts), ...</summary>
    public JsonObject State { get; }

    /// <summary>0: only the evaluation before training is done; k: stage k and its evaluation are done.</summary>
    public int CompletedStages => State["completed_stages"]!.GetValue<int>();

    /// <summary>Stages in the run.</summary>
    public int StageCount => State["stage_count"]!.GetValue<int>();

    /// <summary>What the runner stored about the run (resolved config, seconds spent, cache use).</summary>
    public JsonObject Run => State["run"]!.AsObject();

    /// <summary>The checkpoint path in <paramref name="runDirectory"/>.</summary>
    public static string PathIn(string runDirectory) => Path.Combine(runDirectory, FileName);

    /// <summary>Writes <paramref name="snapshot"/> and <paramref name="run"/> atomically into <paramref name="runDirectory"/>.</summary>
    public static void Write(string runDirectory, TrainerSnapshot snapshot, JsonObject run)
    {
        using var scope = NewDisposeScope();
        var tensors = new List<(string, Tensor)>();
        foreach (var (name, tensor) in snapshot.Model.state_dict()) tensors.Add(($"model.{name}", tensor));
        var plugins = new JsonArray();
        for (int i = 0; i < snapshot.Plugins.Count; i++)
        {
            var own = new Dictionary<string, Tensor>();
            var values = new JsonObject { ["type"] = snapshot.Plugins[i].GetType().Name };
            snapshot.Plugins[i].SaveState(new PluginState(values, own, snapshot.Samples));
            foreach (var (name, tensor) in own) tensors.Add(($"plugin{i}.{name}", tensor));
            plugins.Add(values);
        }
        tensors.Add(("rng.torch", get_rng_state()));
        if (snapshot.Loop.OptimizerState() is { } optimizer) tensors.Add(("optimizer", tensor(optimizer)));
        var progress = snapshot.Loop.Progress;
        var state = new JsonObject
        {
            ["format"] = Format,
            ["completed_stages"] = snapshot.CompletedStages,
            ["stage_count"] = snapshot.StageCount,
            ["rows"] = snapshot.Rows.ToJson(),
            ["loop"] = new JsonObject
            {
                ["global_step"] = progress.GlobalStep,
                ["tokens"] = progress.Tokens,
                ["seconds"] = progress.Seconds,
                ["skipped_batches"] = progress.SkippedBatches,
                ["loss_curve"] = new JsonArray(progress.LossCurve.Select(p => (JsonNode?)new JsonArray(p.Step, p.Loss)).ToArray()),
            },
            ["batch_order"] = snapshot.BatchOrder.State,
            ["plugins"] = plugins,
            ["run"] = run.DeepClone(),
        };
        SafeTensorsFile.Write(PathIn(runDirectory), tensors,
            new Dictionary<string, string> { [MetadataKey] = state.ToJsonString() });
    }

    /// <summary>The checkpoint in <paramref name="runDirectory"/>, or null if it has none; a damaged one is bad input.</summary>
    public static RunCheckpoint? Read(string runDirectory)
    {
        var path = PathIn(runDirectory);
        if (!File.Exists(path)) return null;
        var content = SafeTensorsFile.Read(path);
        try
        {
            var state = content.Metadata.TryGetValue(MetadataKey, out var json) ? JsonNode.Parse(json) as JsonObject : null;
            if (state?["format"]?.GetValue<int>() != Format)
                throw new HarnessInputException($"{path}: not a Harness checkpoint of format {Format}");
            var checkpoint = new RunCheckpoint(content, state, path);
            checkpoint.Validate();
            return checkpoint;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or NullReferenceException or InvalidDataException)
        {
            content.Dispose();
            throw new HarnessInputException($"{path}: damaged checkpoint: {e.Message}");
        }
        catch
        {
            content.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Puts the trainer back where the checkpoint left it: model weights, evaluation rows, step counters, kept optimiser,
    /// batch order, each plugin's state, and last the torch random state (restoring plugins may draw from it, as a fresh
    /// adapter does, so it is set after them). The checkpoint's tensors are released afterwards (everything restored is
    /// a copy), so a resumed run does not hold a second model in memory. A damaged checkpoint is bad input.
    /// </summary>
    public void Restore(TrainerSnapshot into, ResumeContext context)
    {
        try
        {
            RestoreAll(into, context);
        }
        catch (Exception e) when (e is InvalidDataException or NullReferenceException or InvalidOperationException or ArgumentException
                                       or KeyNotFoundException or FormatException or System.Runtime.InteropServices.ExternalException)
        {
            throw new HarnessInputException($"{_path}: damaged checkpoint: {e.Message}");
        }
        finally
        {
            Dispose();
        }
    }

    private void RestoreAll(TrainerSnapshot into, ResumeContext context)
    {
        using (no_grad())
            foreach (var (name, tensor) in into.Model.state_dict())
            {
                var key = $"model.{name}";
                if (!_content.Contains(key)) throw new InvalidDataException($"model tensor {name} is missing");
                if (!_content[key].shape.SequenceEqual(tensor.shape))
                    throw new InvalidDataException($"model tensor {name} is [{string.Join(", ", _content[key].shape)}], the model's [{string.Join(", ", tensor.shape)}]");
                tensor.copy_(_content[key]);
            }
        into.Rows.Load(State["rows"]!.AsObject());
        var loop = State["loop"]!.AsObject();
        var curve = loop["loss_curve"]!.AsArray().Select(p => (p![0]!.GetValue<long>(), p[1]!.GetValue<double>())).ToList();
        into.Loop.Restore(new StepLoopProgress(loop["global_step"]!.GetValue<long>(), loop["tokens"]!.GetValue<long>(),
                loop["seconds"]!.GetValue<double>(), loop["skipped_batches"]!.GetValue<long>(), curve),
            _content.Contains("optimizer") ? _content["optimizer"].data<byte>().ToArray() : null);
        into.BatchOrder.State = State["batch_order"]!.GetValue<ulong>();

        var plugins = State["plugins"]!.AsArray();
        if (plugins.Count != into.Plugins.Count)
            throw new InvalidDataException($"checkpoint: {plugins.Count} strategies stored, the config has {into.Plugins.Count}");
        for (int i = 0; i < into.Plugins.Count; i++)
        {
            var prefix = $"plugin{i}.";
            var own = _content.Tensors.Where(t => t.Name.StartsWith(prefix, StringComparison.Ordinal))
                .ToDictionary(t => t.Name[prefix.Length..], t => t.Tensor);
            into.Plugins[i].LoadState(new PluginState(plugins[i]!.AsObject(), own, into.Samples), context);
        }
        set_rng_state(_content["rng.torch"]);
    }

    /// <summary>Reads every plain value a resume uses, so a damaged checkpoint is refused before the run folder is touched.</summary>
    private void Validate()
    {
        if (CompletedStages < 0 || CompletedStages > StageCount) throw new InvalidDataException($"{CompletedStages} of {StageCount} stages done");
        _ = Run["wall_seconds"]!.GetValue<double>();
        _ = Run["pretrain_cached"]!.GetValue<bool>();
        _ = Run["resumes"]!.GetValue<int>();
        _ = Run["data_digest"]!.GetValue<string>();
        _ = State["batch_order"]!.GetValue<ulong>();
        if (State["rows"] is not JsonObject || State["loop"] is not JsonObject || State["plugins"] is not JsonArray)
            throw new InvalidDataException("rows, loop or plugins missing");
        if (!_content.Contains("rng.torch")) throw new InvalidDataException("the random state is missing");
    }

    /// <summary>How far the run got, for the log.</summary>
    public string Describe() => $"{CompletedStages} of {StageCount} stages done";

    /// <inheritdoc />
    public void Dispose()
    {
        if (_released) return;
        _released = true;
        _content.Dispose();
    }
}
