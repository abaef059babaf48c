namespace Harness.Benchmarks;

/// <summary>
/// How a scenario maps a task's labels onto the classifier's outputs (van de Ven &amp; Tolias 2019; Hsu et al. 2018).
/// Task t's labels get the outputs [O_t, O_t + |L_t|), O_t = Σ_{s&lt;t} |L_s|:
/// task-incremental restricts each sample to its task's block (its head, known at test time too); class-incremental
/// uses the same targets over all outputs at once; domain-incremental shares one head of max |L_t| outputs, the target
/// being the label's position within its task (even/odd digit for Split MNIST).
/// </summary>
internal static class ScenarioOutputs
{
    /// <summary>The classifier's output count under <paramref name="scenario"/>.</summary>
    public static int Count(string scenario, IReadOnlyList<BenchmarkTask> tasks) =>
        scenario == "domain" ? tasks.Max(t => t.Labels.Count) : tasks.Sum(t => t.Labels.Count);

    /// <summary>The target output of <paramref name="label"/> in task <paramref name="task"/>, and the head it may choose from.</summary>
    public static ImageTarget Of(string scenario, IReadOnlyList<BenchmarkTask> tasks, int task, int label)
    {
        int local = IndexOf(tasks[task].Labels, label);
        if (local < 0) throw new ArgumentException($"label {label} is not in task {tasks[task].Id}");
        int offset = tasks.Take(task).Sum(t => t.Labels.Count);
        return scenario switch
        {
            "task" => new ImageTarget(offset + local, offset, offset + tasks[task].Labels.Count),
            "class" => new ImageTarget(offset + local, 0, 0),
            "domain" => new ImageTarget(local, 0, 0),
            _ => throw new ArgumentException($"unknown scenario {scenario}"),
        };
    }

    private static int IndexOf(IReadOnlyList<int> labels, int label)
    {
        for (int i = 0; i < labels.Count; i++)
            if (labels[i] == label) return i;
        return -1;
    }
}
