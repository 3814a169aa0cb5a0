using Facemoji.Engine.Modules;
using Facemoji.Engine.Randomness;
using Facemoji.Engine.Tensors;
using Facemoji.Engine.Tests.Support;

namespace Facemoji.Engine.Tests.Modules;

/// <summary>
/// ConvBn's kernels chosen by batch size and shape (direct over a batch in training and evaluation, with the
/// 16-channel and 64-channel tiles; channel-last Winograd in evaluation on maps of 6x6 or more with 16+ input channels, F(4x4) from 12x12) against the same layer built from Conv2d (im2col + GEMM), BatchNorm2d and
/// ReLU: outputs, running statistics and gradients agree.
/// </summary>
public sealed class ConvBnPathTests
{
    [Theory]
    [InlineData(3, 6, 9, 7)]
    [InlineData(128, 8, 6, 6)]
    [InlineData(16, 96, 7, 13)]
    [InlineData(16, 96, 5, 7)]
    [InlineData(16, 20, 13, 12)]
    [InlineData(16, 24, 16, 12)]
    public void LargerBatchesAgreeWithTheSeparateLayersInTrainingAndEvaluation(int cin, int cout, int h, int w)
    {
        var rng = new SeededRandom(12);
        var fused = new ConvBn(cin, cout, 3, rng, padding: 1);
        var conv = new Conv2d(cin, cout, 3, rng, padding: 1, bias: false);
        var bn = new BatchNorm2d(cout);
        var separate = new Sequential(conv, bn, new ReLU());
        fused.Conv.Weight.Value.Span.CopyTo(conv.Weight.Value.Span);
        int batch = ConvBn.DirectMaxBatch + 2;
        var x = new Tensor(TestData.Floats(batch * cin * h * w, 13), batch, cin, h, w);
        var dy = new Tensor(TestData.Floats(batch * cout * h * w, 14), batch, cout, h, w);

        TestData.MaxScaledDifference(fused.Forward(x).Span, separate.Forward(x).Span).Should().BeLessThan(1e-5);
        fused.ZeroGrad();
        separate.ZeroGrad();
        TestData.MaxScaledDifference(fused.Backward(dy).Span, separate.Backward(dy).Span).Should().BeLessThan(1e-5);
        TestData.MaxScaledDifference(fused.Conv.Weight.Grad.Span, conv.Weight.Grad.Span).Should().BeLessThan(1e-5);
        TestData.MaxScaledDifference(fused.Norm.RunningVar.Span, bn.RunningVar.Span).Should().BeLessThan(1e-6);

        fused.Eval();
        separate.Eval();
        TestData.MaxScaledDifference(fused.Forward(x).Span, separate.Forward(x).Span).Should().BeLessThan(1e-4);
    }

    [Fact]
    public void EvaluationFollowsTheMapSizeBetweenWinogradTiles()
    {
        // 12x12 runs F(4x4), 6x6 F(2x2): the transformed weights are redone when the tile changes between forwards.
        var rng = new SeededRandom(21);
        var fused = new ConvBn(16, 24, 3, rng, padding: 1);
        var conv = new Conv2d(16, 24, 3, rng, padding: 1, bias: false);
        var separate = new Sequential(conv, new BatchNorm2d(24), new ReLU());
        fused.Conv.Weight.Value.Span.CopyTo(conv.Weight.Value.Span);
        fused.Eval();
        separate.Eval();
        foreach (int side in new[] { 12, 6, 12 })
        {
            var x = new Tensor(TestData.Floats(2 * 16 * side * side, (ulong)(22 + side)), 2, 16, side, side);
            TestData.MaxScaledDifference(fused.Forward(x).Span, separate.Forward(x).Span).Should().BeLessThan(1e-4, $"{side}x{side}");
        }
    }
}
