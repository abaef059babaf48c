using System.Text.Json.Nodes;
using Harness.Config;
using Harness.Models;
using Harness.Training;
using static TorchSharp.torch;

namespace Harness.Strategies;

/// <summary>
/// Learning without Forgetting (Li &amp; Hoiem 2016, "Learning without Forgetting"): when a stage after the first
/// starts, a frozen copy of the model (as the previous stage left it) becomes the teacher, and every batch (new and
/// replayed samples alike) adds <c>weight · T² · KL(teacher_T ‖ student_T)</c> at its answer positions, with both
/// distributions softened by the temperature T (Hinton et al. 2015, "Distilling the Knowledge in a Neural Network";
/// T² keeps the soft term's gradients on the scale of the hard one). The teacher lives in this plugin, never in the
/// model, so it is not part of the model's state_dict; it is released when its stage ends. In task-incremental
/// learning (one head per task) the term is Li &amp; Hoiem's own: each earlier task's head distilled separately (softmax
/// within the head) on every row, summed over those heads. Otherwise the teacher's distribution for each sample is
/// kept the first time it is computed in a stage (<see cref="TeacherTargets"/>), as Li &amp; Hoiem record the old
/// model's responses once per task, so later epochs skip the teacher's forward pass.
/// </summary>
internal sealed class DistillationPlugin(DistillationStrategyConfig config) : IStrategyPlugin, IDisposable
{
    private ContinualModel? _teacher;
    private TeacherTargets? _targets;
    private int _stagesDistilled;
    private int _keptSamples; // teacher targets kept in the stages so far, for the report
    private readonly Dictionary<(int Start, int End), int> _heads = []; // task-IL head → the stage it was first trained in

    /// <summary>The frozen teacher of the current stage, or null (stage 1, weight 0, between stages).</summary>
    public ContinualModel? Teacher => _teacher;

    /// <inheritdoc />
    public void OnStageStart(StageContext context)
    {
        // Task-incremental heads met so far: the stages after them distil each of these heads.
        foreach (var sample in context.Stage.Samples)
            if (sample.Image is { HasHead: true } image) _heads.TryAdd((image.HeadStart, image.HeadEnd), context.StageIndex);
        ReleaseTeacher();
        if (context.StageIndex == 0 || config.Weight == 0) return; // nothing learned yet to preserve
        // The model has not changed since the previous stage ended (evaluation does not train), so copying it here is
        // copying the end of the previous stage.
        var teacher = context.Model.Copy();
        foreach (var parameter in teacher.parameters()) parameter.requires_grad = false;
        teacher.eval();
        _teacher = teacher;
        _targets = new TeacherTargets(teacher, config.Temperature, (long)config.TeacherCacheMb << 20, context.Device);
        _stagesDistilled++;
    }

    /// <inheritdoc />
    public Tensor? ExtraLoss(StageContext context, TrainingBatch batch, Tensor answerLogits)
    {
        if (_teacher is null) return null;
        double t = config.Temperature;
        if (batch.HeadStarts is not null) return OldHeadsKl(context, batch, t) * (config.Weight * t * t);
        var (probabilities, negativeEntropy) = _targets!.For(batch); // [N, V], [N]
        // KL(p_t ‖ p_s) = Σ p_t log p_t − Σ p_t log p_s, the first sum kept with the teacher's targets.
        var logStudent = nn.functional.log_softmax(answerLogits / t, 1); // [N, V]
        // Σ_v p_t log p_s of every row as a batched dot product: one pass over [N, V], no [N, V] product tensor.
        var crossTerms = probabilities.unsqueeze(1).bmm(logStudent.unsqueeze(2)).view(-1); // [N]
        var kl = (negativeEntropy - crossTerms).mean();
        return kl * (config.Weight * t * t);
    }

    /// <summary>
    /// Task-incremental learning (one head per task), as Li &amp; Hoiem distil: every row's outputs on each earlier
    /// task's head, softmax within that head, summed over those heads. A row's own logits are masked to its task's head,
    /// so the student's full outputs are computed again here.
    /// </summary>
    private Tensor OldHeadsKl(StageContext context, TrainingBatch batch, double temperature)
    {
        var old = _heads.Where(h => h.Value < context.StageIndex).Select(h => h.Key).ToList();
        if (old.Count == 0) return zeros(1, device: batch.AnswerTargets.device).squeeze();
        Tensor teacher;
        using (no_grad()) teacher = _teacher!.UnmaskedLogits(batch); // [N, V]
        var student = context.Model.UnmaskedLogits(batch); // [N, V]
        Tensor? total = null;
        foreach (var (start, end) in old)
        {
            var term = SoftKl(teacher.narrow(1, start, end - start), student.narrow(1, start, end - start), temperature);
            total = total is null ? term : total + term;
        }
        return total!;
    }

    /// <summary>
    /// KL(teacher_T ‖ student_T) averaged over rows: mean_n Σ_v p_t (log p_t − log p_s), p = softmax(logits / T), for
    /// [N, V] logits. Written out rather than with <c>kl_div</c>, whose TorchSharp default (log_target) and missing
    /// batchmean reduction differ from PyTorch.
    /// </summary>
    public static Tensor SoftKl(Tensor teacherLogits, Tensor studentLogits, double temperature)
    {
        var logTeacher = nn.functional.log_softmax(teacherLogits / temperature, 1); // [N, V]
        var logStudent = nn.functional.log_softmax(studentLogits / temperature, 1); // [N, V]
        return (logTeacher.exp() * (logTeacher - logStudent)).sum(1).mean();
    }

    /// <inheritdoc />
    public void OnStageEnd(StageContext context) => ReleaseTeacher(); // only this stage's steps need it

    /// <inheritdoc />
    public void Report(JsonObject report) => report["distillation"] = new JsonObject
    {
        ["weight"] = config.Weight,
        ["temperature"] = config.Temperature,
        ["stages_distilled"] = _stagesDistilled,
        ["teacher_targets_kept"] = _keptSamples,
    };

    /// <summary>
    /// Counters and the task-IL heads met so far. The teacher is not stored: a stage copies it from the model when it
    /// starts, and the checkpoint holds that model; its kept targets are made again as the stage meets its samples.
    /// </summary>
    public void SaveState(PluginState state)
    {
        state.Values["stages_distilled"] = _stagesDistilled;
        state.Values["teacher_targets_kept"] = _keptSamples;
        state.Values["heads"] = new JsonArray(_heads.Select(h => (JsonNode?)new JsonArray(h.Key.Start, h.Key.End, h.Value)).ToArray());
    }

    /// <inheritdoc />
    public void LoadState(PluginState state, ResumeContext context)
    {
        _stagesDistilled = state.Value("stages_distilled").GetValue<int>();
        _keptSamples = state.Values["teacher_targets_kept"]?.GetValue<int>() ?? 0; // absent in checkpoints from before it was counted
        _heads.Clear();
        foreach (var head in state.Value("heads").AsArray())
            _heads[(head![0]!.GetValue<int>(), head[1]!.GetValue<int>())] = head[2]!.GetValue<int>();
    }

    /// <inheritdoc />
    public void Dispose() => ReleaseTeacher();

    private void ReleaseTeacher()
    {
        _keptSamples += _targets?.KeptSamples ?? 0;
        _targets?.Dispose();
        _targets = null;
        _teacher?.Dispose();
        _teacher = null;
    }
}
