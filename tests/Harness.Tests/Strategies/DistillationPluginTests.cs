using System.Text.Json.Nodes;
using Harness.Config;
using Harness.Data;
using Harness.Models;
using Harness.Strategies;
using Harness.Tests.Cli;
using Harness.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Tests.Strategies;

[Collection(TorchCollection.Name)]
public sealed class DistillationPluginTests : IDisposable
{
    private static readonly DomainData[] Domains =
    [
        new("math", [new QaPair("1+1", "2")], [new QaPair("1+1", "2")], [], [new QaPair("1+1", "2")]),
        new("words", [new QaPair("stone", "enots")], [new QaPair("stone", "enots")], [], [new QaPair("stone", "enots")]),
    ];

    private static readonly TrainingSample[] Samples =
    [
        new([1, 10, 11, 2, 50, 51, 3], 4, 0),
        new([1, 12, 2, 52, 3], 3, 0),
        new([1, 13, 14, 15, 2, 53, 3], 5, 0),
    ];

    private readonly GptModel _model;

    public DistillationPluginTests()
    {
        torch.manual_seed(0);
        _model = new GptModel(new ModelConfig { DModel = 16, Layers = 1, Heads = 2, Context = 8 }, 64);
    }

    public void Dispose() => _model.Dispose();

    private StageContext Stage(int index) =>
        new(index, 2, new TrainingStage(Domains[index].Id, [index], Samples, 1), _model, CPU, 4, Domains.Select(d => d.Id).ToList());

    private Tensor StudentLogits(TrainingBatch batch) => _model.Head(batch.AtAnswers(_model.Hidden(batch.Inputs)));

    /// <summary>KL(p ‖ q) of softmax(teacher / T) and softmax(student / T), averaged over rows, written out in doubles.</summary>
    private static double HandKl(double[][] teacher, double[][] student, double t)
    {
        static double[] Softmax(double[] z, double t)
        {
            var e = z.Select(v => Math.Exp(v / t)).ToArray();
            double sum = e.Sum();
            return e.Select(v => v / sum).ToArray();
        }
        double total = 0;
        for (int n = 0; n < teacher.Length; n++)
        {
            var p = Softmax(teacher[n], t);
            var q = Softmax(student[n], t);
            total += p.Select((pv, v) => pv * Math.Log(pv / q[v])).Sum();
        }
        return total / teacher.Length;
    }

    [Fact]
    public void SoftKl_HandMadeLogits_MatchesHandComputedKl()
    {
        // Given two rows of teacher and student logits over 3 tokens, T = 2
        double[][] teacher = [[1, 2, 0], [0, 0, 3]];
        double[][] student = [[0, 1, 1], [2, 0, 1]];
        using var t = tensor(teacher.SelectMany(r => r).Select(v => (float)v).ToArray(), [2, 3]);
        using var s = tensor(student.SelectMany(r => r).Select(v => (float)v).ToArray(), [2, 3]);

        // When
        using var kl = DistillationPlugin.SoftKl(t, s, 2.0);

        // Then it equals the mean over rows of Σ p_t log(p_t / p_s): row 1 ≈ 0.09143, row 2 ≈ 0.34845 (checked in Python)
        double expected = HandKl(teacher, student, 2.0);
        Assert.Equal(0.219936, expected, 5); // the hand value itself, so a broken helper cannot pass silently
        Assert.Equal(expected, kl.item<float>(), 5);
        // And it is the forward KL, not the reverse one (which TorchSharp's kl_div defaults could give)
        Assert.NotEqual(HandKl(student, teacher, 2.0), kl.item<float>(), 3);
    }

    [Fact]
    public void ExtraLoss_FirstStage_IsNull()
    {
        // Given stage 1: nothing has been learned yet
        using var plugin = new DistillationPlugin(new DistillationStrategyConfig());
        plugin.OnStageStart(Stage(0));
        using var batch = new TrainingBatch(Samples, CPU);
        using var logits = StudentLogits(batch);

        // Then no teacher and no term
        Assert.Null(plugin.Teacher);
        Assert.Null(plugin.ExtraLoss(Stage(0), batch, logits));
    }

    [Fact]
    public void ExtraLoss_StudentEqualsTeacher_IsZero()
    {
        // Given stage 2 starts: the teacher is a copy of the model as it is
        using var plugin = new DistillationPlugin(new DistillationStrategyConfig { Weight = 3, Temperature = 2 });
        plugin.OnStageStart(Stage(1));
        using var batch = new TrainingBatch(Samples, CPU);
        using var logits = StudentLogits(batch);

        // When the untrained student is scored against it
        using var loss = plugin.ExtraLoss(Stage(1), batch, logits)!;

        // Then the KL is zero
        Assert.Equal(0.0, loss.item<float>(), 6);
    }

    [Fact]
    public void ExtraLoss_UniformStudent_IsWeightTimesTSquaredTimesHandKl()
    {
        // Given stage 2 with weight 3, T 2, and a student whose answer logits are all zero (uniform)
        using var plugin = new DistillationPlugin(new DistillationStrategyConfig { Weight = 3, Temperature = 2 });
        plugin.OnStageStart(Stage(1));
        using var batch = new TrainingBatch(Samples, CPU);
        using var teacherLogits = StudentLogits(batch); // the teacher is a copy, so its logits are these
        using var uniform = zeros_like(teacherLogits);

        // When
        using var loss = plugin.ExtraLoss(Stage(1), batch, uniform)!;

        // Then it is 3 · 2² · KL(teacher_2 ‖ uniform), the KL written out over the teacher's rows
        var rows = Enumerable.Range(0, (int)teacherLogits.shape[0])
            .Select(n => teacherLogits[n].data<float>().Select(v => (double)v).ToArray()).ToArray();
        double expected = 3 * 4 * HandKl(rows, rows.Select(r => new double[r.Length]).ToArray(), 2.0);
        Assert.True(expected > 1e-4, $"the case is not trivial: {expected}");
        Assert.Equal(expected, loss.item<float>(), 4);
    }

    [Fact]
    public void OnStageStart_SecondStage_TeacherIsFrozenOutsideTheModelAndUnchangedByTraining()
    {
        // Given the model's state_dict before stage 2 starts
        var keysBefore = _model.state_dict().Keys.ToList();
        using var plugin = new DistillationPlugin(new DistillationStrategyConfig());
        var context = Stage(1);
        plugin.OnStageStart(context);
        var teacher = plugin.Teacher!;
        var teacherBefore = teacher.parameters().Select(p => p.detach().clone()).ToList();
        var studentBefore = _model.parameters().Select(p => p.detach().clone()).ToList();

        // When the student trains 5 steps with the distillation term
        using var log = new RunLog(TextWriter.Null, interactive: false);
        new StepLoop(_model, CPU, log, new TrainingConfig { LogEvery = 5 })
            .Run("s", 5, 0.01, _ => Samples, (batch, logits) => plugin.ExtraLoss(context, batch, logits), _ => { });

        // Then the model's state_dict has the same keys (no teacher inside), the teacher is frozen in eval mode
        Assert.Equal(keysBefore, _model.state_dict().Keys.ToList());
        Assert.NotSame(teacher, _model);
        Assert.False(teacher.training);
        Assert.All(teacher.parameters(), p => Assert.False(p.requires_grad));
        Assert.All(teacher.parameters(), p => Assert.Null(p.grad));
        // And the teacher kept its weights bit for bit while the student's moved
        Assert.All(teacher.parameters().Zip(teacherBefore), x => Assert.True(x.First.eq(x.Second).all().item<bool>()));
        Assert.Contains(_model.parameters().Zip(studentBefore), x => !x.First.eq(x.Second).all().item<bool>());
        foreach (var t in teacherBefore.Concat(studentBefore)) t.Dispose();
    }

    [Fact]
    public void OnStageEnd_AfterDistilledStage_ReleasesTheTeacher()
    {
        // Given a stage with a teacher
        using var plugin = new DistillationPlugin(new DistillationStrategyConfig());
        plugin.OnStageStart(Stage(1));
        var weight = plugin.Teacher!.parameters().First();

        // When the stage ends
        plugin.OnStageEnd(Stage(1));

        // Then the teacher is gone and its memory released
        Assert.Null(plugin.Teacher);
        Assert.Throws<InvalidOperationException>(() => weight.sum());
    }

    [Fact]
    public void StageCycle_Repeated_LiveTensorCountStaysFlat()
    {
        // Given one distilled stage (teacher made, 3 steps, teacher released) already run once
        using var plugin = new DistillationPlugin(new DistillationStrategyConfig());
        using var log = new RunLog(TextWriter.Null, interactive: false);
        var loop = new StepLoop(_model, CPU, log, new TrainingConfig { LogEvery = 3 });
        void Cycle()
        {
            var context = Stage(1);
            plugin.OnStageStart(context);
            loop.Run("s", 3, 0.01, _ => Samples, (batch, logits) => plugin.ExtraLoss(context, batch, logits), _ => { });
            plugin.OnStageEnd(context);
        }
        Cycle();
        long live = torch.Tensor.TotalCount;

        // When two more stages run
        Cycle();
        Cycle();

        // Then no teacher weight or teacher output outlived its stage. Constructing a GptModel leaves a few tensor
        // handles of its own (weight initialisation, outside this plugin), so that baseline is measured and allowed.
        long growth = torch.Tensor.TotalCount - live;
        long before = torch.Tensor.TotalCount;
        using (new GptModel(new ModelConfig { DModel = 16, Layers = 1, Heads = 2, Context = 8 }, 64)) { }
        long perConstruction = torch.Tensor.TotalCount - before;
        Assert.True(growth <= 2 * perConstruction + 2,
            $"{growth} more live tensors after two more distilled stages ({perConstruction} per model construction)");
    }

    [Fact]
    public void Copy_Model_SameOutputsIndependentStorageSameRandomStream()
    {
        // Given a model and a copy made between two random draws
        using var tokens = tensor(new long[] { 1, 10, 11, 2, 50 }, [1, 5]);
        _model.eval();
        torch.manual_seed(5);
        using var copy = _model.Copy();
        using var afterCopy = rand(3);
        torch.manual_seed(5);
        using var withoutCopy = rand(3);

        // Then the copy answers identically, owns its storage, and did not advance the random generator
        copy.eval();
        using var a = _model.forward(tokens);
        using var b = copy.forward(tokens);
        Assert.True(a.eq(b).all().item<bool>());
        using (no_grad()) copy.parameters().First().add_(1);
        using var c = _model.forward(tokens);
        Assert.True(a.eq(c).all().item<bool>());
        Assert.True(afterCopy.eq(withoutCopy).all().item<bool>());
    }

    [Fact]
    public void Run_TinyConfigWithReplayAndDistillation_ReportsDistillation()
    {
        // Given the tiny two-domain config with replay then distillation
        using var dir = new TempDirectory();
        var path = TinyConfig.WriteTo(dir, yaml: TinyConfig.Yaml(name: "tiny-distillation", strategies: """
              - {type: replay, buffer_size: 8, replay_ratio: 0.25}
              - {type: distillation, weight: 2.0, temperature: 3.0}
            """));

        // When it runs
        var run = CliResult.Run(path, "--out", dir.File("out"), "--cache-dir", dir.File("cache"), "--device", "cpu");

        // Then it finishes and metrics.json reports the distillation of stage 2
        Assert.True(run.ExitCode == 0, run.ToString());
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(dir.File("out"), "metrics.json")))!["strategy_report"]!;
        Assert.Equal(2.0, report["distillation"]!["weight"]!.GetValue<double>());
        Assert.Equal(3.0, report["distillation"]!["temperature"]!.GetValue<double>());
        Assert.Equal(1, report["distillation"]!["stages_distilled"]!.GetValue<int>());
        // ... with the teacher's targets kept for stage 2's samples, new and replayed
        Assert.True(report["distillation"]!["teacher_targets_kept"]!.GetValue<int>() > 0);
        Assert.NotNull(report["replay"]);
    }

    [Theory]
    [InlineData(1024, 3)]
    [InlineData(0, 0)]
    public void ExtraLoss_KeptTeacherTargets_GiveTheTermTheTeacherGives(int cacheMb, int keptSamples)
    {
        // Given stage 2 with the teacher's targets kept (or not, with teacher_cache_mb 0)
        using var plugin = new DistillationPlugin(new DistillationStrategyConfig { Weight = 3, Temperature = 2, TeacherCacheMb = cacheMb });
        plugin.OnStageStart(Stage(1));
        // When a first batch of samples 0 and 1 is distilled, then one of samples 2 (new) and 0 (kept), in another order
        foreach (var samples in new[] { new[] { Samples[0], Samples[1] }, [Samples[2], Samples[0]] })
        {
            using var batch = new TrainingBatch(samples, CPU);
            using var teacherLogits = StudentLogits(batch); // the teacher is a copy of the unchanged model
            manual_seed(5);
            using var student = teacherLogits + randn_like(teacherLogits);
            using var term = plugin.ExtraLoss(Stage(1), batch, student)!;
            // Then each term is 3 · 2² · KL(teacher_2 ‖ student_2) over that batch's rows, written out by hand
            static double[][] Rows(Tensor logits) => Enumerable.Range(0, (int)logits.shape[0])
                .Select(n => logits[n].data<float>().Select(v => (double)v).ToArray()).ToArray();
            Assert.Equal(3 * 4 * HandKl(Rows(teacherLogits), Rows(student), 2.0), term.item<float>(), 4);
        }
        // ... and the report counts the samples whose targets were kept once the stage ends
        plugin.OnStageEnd(Stage(1));
        var report = new JsonObject();
        plugin.Report(report);
        Assert.Equal(keptSamples, report["distillation"]!["teacher_targets_kept"]!.GetValue<int>());
    }
}
