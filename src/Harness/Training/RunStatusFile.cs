using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Config;
using Harness.Metrics;
using Harness.Metrics.IO;

namespace Harness.Training;

/// <summary>
/// metrics.json while a run is not finished: status <c>running</c> (with the accuracy rows so far after every stage),
/// <c>interrupted</c> (a signal stopped it) or <c>failed</c> (an error, named), each with how far it got and how to
/// resume. Only <see cref="RunOutputs.Commit"/> writes <c>completed</c>, so suites, comparisons and reports, which read
/// completed runs only, never take an unfinished run for a finished one. A run killed outright keeps <c>running</c>;
/// its folder's lock (<see cref="RunFolderLock"/>) is then free, which tells it apart from a live run.
/// </summary>
internal sealed class RunStatusFile(string directory, string configPath, ExperimentConfig config, string device)
{
    private JsonObject _progress = new() { ["completed_stages"] = 0 };

    /// <summary>The run started and is training.</summary>
    public void Running() => Write("running", []);

    /// <summary>A resumed run: how far its checkpoint got.</summary>
    public void Resumed(RunCheckpoint checkpoint, IReadOnlyList<string> domainIds)
    {
        var rows = new EvaluationRows(domainIds);
        rows.Load(checkpoint.State["rows"]!.AsObject());
        StageFinished(checkpoint.CompletedStages, checkpoint.StageCount, rows.Exact());
    }

    /// <summary>A stage boundary: <paramref name="completed"/> of <paramref name="stageCount"/> stages done, rows so far.</summary>
    public void StageFinished(int completed, int stageCount, AccuracyMatrix soFar)
    {
        _progress = new JsonObject
        {
            ["completed_stages"] = completed,
            ["stage_count"] = stageCount,
            ["domains"] = new JsonArray(soFar.Domains.Select(d => (JsonNode?)d).ToArray()),
            ["stages"] = new JsonArray(soFar.Stages.Select(s => (JsonNode?)s).ToArray()),
            ["accuracy_matrix"] = RunOutputs.MatrixJson(soFar),
        };
        Write("running", []);
    }

    /// <summary>A signal stopped the run (the exception says during what).</summary>
    public void Interrupted(RunInterruptedException e) =>
        Write("interrupted", new JsonObject { ["signal"] = e.Signal, ["error"] = e.Message });

    /// <summary>The run failed with <paramref name="error"/>.</summary>
    public void Failed(Exception error) => Write("failed", new JsonObject { ["error"] = error.Message });

    private void Write(string status, JsonObject extra)
    {
        var json = new JsonObject
        {
            ["status"] = status,
            ["name"] = config.Name,
            ["seed"] = config.Seed,
            ["device"] = device,
            ["strategies"] = new JsonArray(config.Strategies.Select(s => (JsonNode?)s.Type).ToArray()),
            ["pid"] = Environment.ProcessId,
            ["updated"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["resume"] = File.Exists(RunCheckpoint.PathIn(directory)) ? ResumeCheck.Hint(configPath, config.Seed, directory) : null,
        };
        foreach (var (key, value) in _progress) json[key] = value?.DeepClone();
        foreach (var (key, value) in extra) json[key] = value?.DeepClone();
        AtomicFile.WriteAllText(Path.Combine(directory, "metrics.json"), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }
}
