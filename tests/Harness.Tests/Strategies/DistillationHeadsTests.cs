using Harness.Benchmarks;
using Harness.Config;
using Harness.Models;
using Harness.Strategies;
using Harness.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Tests.Strategies;

[Collection(TorchCollection.Name)]
public sealed class DistillationHeadsTests
{
    private static StageContext Stage(int index, ContinualModel model, IReadOnlyList<TrainingSample> samples) =>
        new(index, 2, new TrainingStage($"t{index}", [index], samples, 1), model, CPU, 2, ["t0", "t1"]);

    private static TrainingSample Sample(ImageView view, int row, int target, int headStart, int headEnd, int task) =>
        TrainingSample.FromImage(new ImageExample(view, row, target, headStart, headEnd), task);

    [Fact]
    public void TaskIncremental_DistilsEachEarlierHeadWithinThatHead()
    {
        // Given an MLP with two heads [0, 2) and [2, 4), stage 1 trained on head 0, and a student that has moved
        torch.manual_seed(3);
        using var pixels = rand(6, 4);
        using var view = new ImageView(pixels, 2, 2);
        using var model = new MlpClassifier(4, [5], 4);
        using var plugin = new DistillationPlugin(new DistillationStrategyConfig { Weight = 1, Temperature = 2 });
        plugin.OnStageStart(Stage(0, model, [Sample(view, 0, 0, 0, 2, 0), Sample(view, 1, 1, 0, 2, 0)]));
        TrainingSample[] second = [Sample(view, 2, 2, 2, 4, 1), Sample(view, 3, 3, 2, 4, 1)];
        plugin.OnStageStart(Stage(1, model, second));
        using var teacherLogits = model.forward(pixels.index_select(0, tensor(new long[] { 2, 3 }))).detach().clone();
        using (no_grad()) foreach (var p in model.parameters()) p.add_(0.3 * randn_like(p));

        // When a stage-2 batch (head [2, 4)) is distilled
        using var batch = new TrainingBatch(second, CPU);
        using var loss = plugin.ExtraLoss(Stage(1, model, second), batch, model.AnswerLogits(batch))!;

        // Then it is T² · KL over head [0, 2) only, softmax within the head, although these rows' own head is [2, 4)
        using var student = model.forward(pixels.index_select(0, tensor(new long[] { 2, 3 })));
        using var expected = DistillationPlugin.SoftKl(teacherLogits.narrow(1, 0, 2), student.narrow(1, 0, 2), 2) * 4;
        Assert.True(expected.item<float>() > 1e-4, "the student moved, so the term must be positive");
        Assert.Equal(expected.item<float>(), loss.item<float>(), 5);
    }
}
