using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Harness.Bench;

/// <summary>The bench's results: every workload's repeats, the ratios with their targets, as a table and as bench.json.</summary>
internal sealed class BenchReport(IReadOnlyList<BenchSeries> series, double? peakRssMb, JsonObject machine)
{
    /// <summary>The default run's peak memory target: 1.5 GiB.</summary>
    public const double PeakRssTargetMb = 1536;

    private BenchSeries? Find(string key) => series.FirstOrDefault(s => s.Key == key && s.Samples.Count > 0);

    /// <summary>Each ratio whose workloads ran, with its target.</summary>
    public IReadOnlyList<BenchTarget> Targets()
    {
        var targets = new List<BenchTarget>();
        void Throughput(string key, string title, string numerator, string denominator, double target)
        {
            if (Find(numerator) is { } a && Find(denominator) is { } b)
                targets.Add(new(key, title, a.MedianRate / b.MedianRate, a.BestRate / b.BestRate, AtLeast: true, target));
        }
        void StepTime(string key, string title, string numerator, string denominator, double target)
        {
            if (Find(numerator) is { } a && Find(denominator) is { } b)
                targets.Add(new(key, title, a.MedianStepSeconds / b.MedianStepSeconds, a.BestStepSeconds / b.BestStepSeconds, AtLeast: false, target));
        }
        Throughput("gpt_harness_vs_bare", "Harness/bare TorchSharp, GPT tokens/s", "gpt_naive", "gpt_bare", 0.95);
        Throughput("gpt_harness_vs_pytorch", "Harness/PyTorch, GPT tokens/s", "gpt_naive", "gpt_pytorch", 1.0);
        Throughput("mlp_harness_vs_pytorch", "Harness/PyTorch, MLP samples/s", "mlp_harness", "mlp_pytorch", 0.8);
        Throughput("mlp_harness_vs_bare", "Harness/bare TorchSharp, MLP samples/s", "mlp_harness", "mlp_bare", 0.95);
        StepTime("replay_vs_naive", "replay/naive, GPT step time", "gpt_replay", "gpt_naive", 1.1);
        StepTime("distillation_vs_naive", "distillation/naive, GPT step time", "gpt_distillation", "gpt_naive", 1.6);
        Throughput("decode_cache_speedup", "KV cache/recomputing, greedy decoding prompts/s", "decode_cached", "decode_recompute", 3.0);
        if (peakRssMb is { } peak) targets.Add(new("peak_rss_mb", "default run (configs/replay.yaml) peak RSS, MiB", peak, peak, AtLeast: false, PeakRssTargetMb));
        return targets;
    }

    /// <summary>The workloads and the ratios as text tables.</summary>
    public string Table()
    {
        var text = new StringBuilder();
        var invariant = CultureInfo.InvariantCulture;
        text.AppendLine(invariant, $"{"workload",-46} {"median",14} {"best",14} {"median s",9}  runs");
        foreach (var s in series.Where(s => s.Samples.Count > 0))
            text.AppendLine(invariant, $"{s.Title,-46} {Rate(s.MedianRate, s.Unit),14} {Rate(s.BestRate, s.Unit),14} {s.MedianSeconds,9:F2}  {s.Samples.Count,4}");
        text.AppendLine();
        text.AppendLine(invariant, $"{"ratio",-52} {"median",8} {"best",8}  target");
        foreach (var t in Targets())
            text.AppendLine(invariant, $"{t.Title,-52} {t.Median,8:0.00} {t.Best,8:0.00}  {t.Goal,-7}  {(t.Met ? "met" : "NOT MET")}");
        return text.ToString();
    }

    private static string Rate(double perSecond, string unit) => perSecond >= 10_000
        ? string.Create(CultureInfo.InvariantCulture, $"{perSecond / 1000:F1}k {unit}/s")
        : string.Create(CultureInfo.InvariantCulture, $"{perSecond:F0} {unit}/s");

    /// <summary>bench.json: the machine, every repeat of every workload, and the ratios.</summary>
    public JsonObject ToJson()
    {
        var workloads = new JsonObject();
        foreach (var s in series.Where(s => s.Samples.Count > 0)) workloads[s.Key] = s.ToJson();
        var ratios = new JsonObject();
        foreach (var t in Targets()) ratios[t.Key] = t.ToJson();
        return new JsonObject
        {
            ["machine"] = machine.DeepClone(),
            ["workloads"] = workloads,
            ["ratios"] = ratios,
            ["peak_rss_mb"] = peakRssMb,
        };
    }
}
