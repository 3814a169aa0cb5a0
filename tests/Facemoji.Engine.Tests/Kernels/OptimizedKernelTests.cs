using Facemoji.Engine.Kernels;
using Facemoji.Engine.Randomness;
using Facemoji.Engine.Tests.Support;
using Xunit.Abstractions;

namespace Facemoji.Engine.Tests.Kernels;

/// <summary>
/// Each optimised float kernel against its plain reference on odd and tiny shapes. `make test` reruns this
/// category with AVX2 off and with every hardware intrinsic off, so the Vector128 and scalar paths are covered.
/// </summary>
[Trait("Category", "Kernels")]
[Collection("ParallelRows settings")]
public sealed class OptimizedKernelTests(ITestOutputHelper output)
{
    private const double Tolerance = 2e-5;

    private void Report(string what, double difference, double tolerance = Tolerance)
    {
        output.WriteLine($"{what}: largest scaled difference {difference:E2}");
        difference.Should().BeLessThan(tolerance, what);
    }

    [Theory]
    [InlineData(1, 1, 1, 1, 1, 1, 1, 0)]
    [InlineData(3, 3, 5, 7, 4, 3, 1, 1)]
    [InlineData(5, 2, 6, 6, 3, 3, 2, 1)]
    [InlineData(2, 4, 5, 3, 5, 1, 1, 0)]
    [InlineData(3, 3, 7, 5, 2, 1, 2, 0)]
    [InlineData(2, 2, 9, 9, 3, 5, 2, 2)]
    [InlineData(4, 3, 24, 24, 6, 3, 1, 1)]
    [InlineData(7, 5, 3, 3, 9, 3, 1, 1)]
    [InlineData(3, 2, 4, 5, 3, 2, 3, 1)]
    [InlineData(1, 4, 6, 6, 8, 3, 1, 1)]
    [InlineData(1, 3, 5, 4, 17, 3, 1, 0)]
    public void Conv2dMatchesReference(int n, int cin, int h, int w, int cout, int k, int stride, int padding)
    {
        var g = new ConvGeometry(n, cin, h, w, cout, k, k, stride, padding);
        float[] x = TestData.Floats(g.InputLength, 1), wt = TestData.Floats(g.WeightLength, 2, 0.5f), b = TestData.Floats(cout, 3);
        float[] dy = TestData.Floats(g.OutputLength, 4);
        foreach (int threads in new[] { 1, 2, 3 })
        {
            int saved = ParallelRows.MaxDegreeOfParallelism;
            ParallelRows.MaxDegreeOfParallelism = threads;
            try
            {
                float[] scratch = new float[Conv2dKernel.ScratchLength(g)];
                float[] y = new float[g.OutputLength], yRef = new float[g.OutputLength];
                Conv2dKernel.Forward(x, wt, b, y, g, scratch);
                Conv2dReference.Forward<float>(x, wt, b, yRef, g);
                Report($"conv forward {g} threads {threads}", TestData.MaxScaledDifference(y, yRef));

                float[] yRelu = new float[g.OutputLength];
                Conv2dKernel.Forward(x, wt, b, yRelu, g, scratch, relu: true);
                Report("conv forward + bias + relu", TestData.MaxScaledDifference(yRelu, Array.ConvertAll(yRef, v => Math.Max(v, 0f))));

                // Gradients accumulate: start from non-zero parameter gradients.
                float[] dx = TestData.Floats(g.InputLength, 5), dw = TestData.Floats(g.WeightLength, 6), db = TestData.Floats(cout, 7);
                float[] dxRef = new float[g.InputLength], dwRef = (float[])dw.Clone(), dbRef = (float[])db.Clone();
                Conv2dKernel.Backward(x, wt, dy, dx, dw, db, g, scratch);
                Conv2dReference.Backward<float>(x, wt, dy, dxRef, dwRef, dbRef, g);
                Report("conv dx", TestData.MaxScaledDifference(dx, dxRef));
                Report("conv dw", TestData.MaxScaledDifference(dw, dwRef), 1e-4);
                Report("conv db", TestData.MaxScaledDifference(db, dbRef), 1e-4);
            }
            finally
            {
                ParallelRows.MaxDegreeOfParallelism = saved;
            }
        }
    }

    [Theory]
    [InlineData(2, 3, 6, 5, 2, 2, 0)]
    [InlineData(1, 2, 7, 9, 3, 2, 1)]
    [InlineData(3, 1, 5, 4, 3, 1, 1)]
    [InlineData(1, 1, 1, 1, 1, 1, 0)]
    [InlineData(2, 5, 9, 7, 2, 3, 1)]
    [InlineData(2, 3, 7, 9, 2, 2, 0)]
    [InlineData(1, 2, 8, 6, 2, 2, 0)]
    [InlineData(2, 3, 10, 38, 2, 2, 0)]
    [InlineData(1, 2, 9, 35, 2, 2, 0)]
    public void PoolingMatchesReference(int n, int c, int h, int w, int k, int stride, int padding)
    {
        var g = new PoolGeometry(n, c, h, w, k, stride, padding);
        float[] x = TestData.Floats(g.InputLength, 8), dy = TestData.Floats(g.OutputLength, 9);
        float[] y = new float[g.OutputLength], yRef = new float[g.OutputLength];
        int[] arg = new int[g.OutputLength], argRef = new int[g.OutputLength];
        MaxPool2dKernel.Forward(x, y, arg, g);
        MaxPool2dReference.Forward<float>(x, yRef, argRef, g);
        y.Should().Equal(yRef);
        arg.Should().Equal(argRef);
        float[] dx = TestData.Floats(g.InputLength, 10), dxRef = new float[g.InputLength];
        MaxPool2dKernel.Backward(dy, arg, dx, g);
        MaxPool2dReference.Backward<float>(dy, argRef, dxRef, g);
        Report("maxpool dx", TestData.MaxScaledDifference(dx, dxRef));

        AvgPool2dKernel.Forward(x, y, g);
        AvgPool2dReference.Forward<float>(x, yRef, g);
        Report("avgpool y", TestData.MaxScaledDifference(y, yRef));
        AvgPool2dKernel.Backward(dy, dx, g);
        AvgPool2dReference.Backward<float>(dy, dxRef, g);
        Report("avgpool dx", TestData.MaxScaledDifference(dx, dxRef));
    }

    [Theory]
    [InlineData(1, 4, 12, 48)]
    [InlineData(2, 3, 6, 33)]
    [InlineData(1, 3, 12, 12)]
    [InlineData(2, 2, 24, 24)]
    [InlineData(1, 2, 7, 13)]
    [InlineData(1, 2, 4, 6)]
    [InlineData(1, 2, 6, 38)]
    public void MaxPoolWithManyTiesMatchesTheReference(int n, int c, int h, int w)
    {
        // After ReLU many windows hold equal values (zeros): values from {-0, 0, 0.5, 1} make every kind of tie,
        // on rows long enough for the 8-output vector loop, rows of 6 and 12 outputs (the 4-output steps, the last
        // overlapping the one before), and rows of 3 (the scalar loop).
        var g = new PoolGeometry(n, c, h, w, 2, 2, 0);
        float[] levels = [-0f, 0f, 0.5f, 1f];
        float[] x = TestData.Floats(g.InputLength, 11).Select(v => levels[(int)MathF.Min(3f, MathF.Abs(v) * 4f)]).ToArray();
        float[] y = new float[g.OutputLength], yRef = new float[g.OutputLength];
        int[] arg = new int[g.OutputLength], argRef = new int[g.OutputLength];
        MaxPool2dKernel.Forward(x, y, arg, g);
        MaxPool2dReference.Forward<float>(x, yRef, argRef, g);
        y.Should().Equal(yRef);
        arg.Should().Equal(argRef);
    }

    [Fact]
    public void MaxPoolTiesGoToTheFirstElement()
    {
        var g = new PoolGeometry(1, 1, 2, 2, 2, 2, 0);
        int[] arg = new int[1];
        MaxPool2dKernel.Forward([1f, 1f, 1f, 1f], new float[1], arg, g);
        arg[0].Should().Be(0);
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 5, 7)]
    [InlineData(2, 4, 37)]
    public void GlobalAvgPoolMatchesReference(int n, int c, int plane)
    {
        float[] x = TestData.Floats(n * c * plane, 11), dy = TestData.Floats(n * c, 12);
        float[] y = new float[n * c], yRef = new float[n * c], dx = new float[x.Length], dxRef = new float[x.Length];
        GlobalAvgPoolKernel.Forward(x, y, n * c, plane);
        GlobalAvgPoolReference.Forward<float>(x, yRef, n * c, plane);
        Report("gap y", TestData.MaxScaledDifference(y, yRef));
        GlobalAvgPoolKernel.Backward(dy, dx, n * c, plane);
        GlobalAvgPoolReference.Backward<float>(dy, dxRef, n * c, plane);
        Report("gap dx", TestData.MaxScaledDifference(dx, dxRef));
    }

    [Theory]
    [InlineData(4, 3, 5, false)]
    [InlineData(2, 7, 1, false)]
    [InlineData(3, 5, 37, true)]
    [InlineData(2, 1, 3, true)]
    [InlineData(5, 33, 2, true)]
    public void BatchNormMatchesReference(int n, int c, int s, bool relu)
    {
        float[] x = Array.ConvertAll(TestData.Floats(n * c * s, 13, 2f), v => v + 1f), gamma = TestData.Floats(c, 14), beta = TestData.Floats(c, 15);
        float[] dy = TestData.Floats(x.Length, 16);
        float[] rm = TestData.Floats(c, 17, 0.1f), rv = Array.ConvertAll(TestData.Floats(c, 18), v => 0.5f + Math.Abs(v));
        float[] rmRef = (float[])rm.Clone(), rvRef = (float[])rv.Clone();
        float[] y = new float[x.Length], yRef = new float[x.Length], mean = new float[c], inv = new float[c], meanRef = new float[c], invRef = new float[c];
        BatchNormKernel.ForwardTraining(x, gamma, beta, y, mean, inv, rm, rv, 0.1f, 1e-5f, n, c, s, relu);
        BatchNormReference.ForwardTraining<float>(x, gamma, beta, yRef, meanRef, invRef, rmRef, rvRef, 0.1f, 1e-5f, n, c, s);
        float[] pre = (float[])yRef.Clone();
        if (relu)
        {
            ActivationReference.Relu<float>(pre, yRef);
        }

        Report("bn y", TestData.MaxScaledDifference(y, yRef), 1e-4);
        Report("bn running mean", TestData.MaxScaledDifference(rm, rmRef), 1e-5);
        Report("bn running var", TestData.MaxScaledDifference(rv, rvRef), 1e-5);

        float[] dx = new float[x.Length], dgamma = TestData.Floats(c, 19), dbeta = TestData.Floats(c, 20);
        float[] dxRef = new float[x.Length], dgammaRef = (float[])dgamma.Clone(), dbetaRef = (float[])dbeta.Clone();
        BatchNormKernel.BackwardTraining(x, y, gamma, mean, inv, dy, dx, dgamma, dbeta, n, c, s, relu);
        float[] g = dy;
        if (relu)
        {
            g = new float[dy.Length];
            ActivationReference.ReluBackward<float>(pre, dy, g);
        }

        BatchNormReference.BackwardTraining<float>(x, gamma, meanRef, invRef, g, dxRef, dgammaRef, dbetaRef, n, c, s);
        Report("bn dx", TestData.MaxScaledDifference(dx, dxRef), 1e-4);
        Report("bn dgamma", TestData.MaxScaledDifference(dgamma, dgammaRef), 1e-4);
        Report("bn dbeta", TestData.MaxScaledDifference(dbeta, dbetaRef), 1e-4);

        // Evaluation mode, with and without the ReLU.
        BatchNormKernel.ForwardEval(x, gamma, beta, rm, rv, y, 1e-5f, n, c, s, relu);
        BatchNormReference.ForwardEval<float>(x, gamma, beta, rm, rv, pre, 1e-5f, n, c, s);
        ActivationReference.Relu<float>(pre, yRef);
        Report("bn eval y", TestData.MaxScaledDifference(y, relu ? yRef : pre));
        Array.Clear(dgamma);
        Array.Clear(dbeta);
        Array.Clear(dgammaRef);
        Array.Clear(dbetaRef);
        BatchNormKernel.BackwardEval(x, y, gamma, rm, rv, 1e-5f, dy, dx, dgamma, dbeta, n, c, s, relu);
        if (relu)
        {
            ActivationReference.ReluBackward<float>(pre, dy, g);
        }

        BatchNormReference.BackwardEval<float>(x, gamma, rm, rv, g, dxRef, dgammaRef, dbetaRef, 1e-5f, n, c, s);
        Report("bn eval dx", TestData.MaxScaledDifference(dx, dxRef));
        Report("bn eval dgamma", TestData.MaxScaledDifference(dgamma, dgammaRef), 1e-4);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(67)]
    public void ActivationsMatchReference(int length)
    {
        float[] x = TestData.Floats(length, 21, 2f), dy = TestData.Floats(length, 22);
        float[] y = new float[length], yRef = new float[length], dx = new float[length], dxRef = new float[length];
        ActivationKernels.Relu(x, y);
        ActivationReference.Relu<float>(x, yRef);
        y.Should().Equal(yRef);
        ActivationKernels.ReluBackward(y, dy, dx);
        ActivationReference.ReluBackward<float>(x, dy, dxRef);
        dx.Should().Equal(dxRef);

        ActivationKernels.Elu(x, y, 0.8f);
        ActivationReference.Elu<float>(x, yRef, 0.8f);
        Report("elu y", TestData.MaxScaledDifference(y, yRef), 1e-6);
        ActivationKernels.EluBackward(x, y, dy, dx, 0.8f);
        ActivationReference.EluBackward<float>(x, dy, dxRef, 0.8f);
        Report("elu dx", TestData.MaxScaledDifference(dx, dxRef), 1e-6);

        float[] row = (float[])x.Clone();
        ActivationKernels.BiasRelu(row, 0.3f);
        row.Should().Equal(x.Select(v => Math.Max(v + 0.3f, 0f)));
        ActivationKernels.ScaleShift(x, 1.5f, -0.25f, y, relu: false);
        Report("scale-shift", TestData.MaxScaledDifference(y, x.Select(v => (v * 1.5f) - 0.25f).ToArray()), 1e-6);
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(5, 6, 4)]
    [InlineData(3, 37, 9)]
    public void LinearMatchesReference(int n, int inF, int outF)
    {
        float[] x = TestData.Floats(n * inF, 23), w = TestData.Floats(outF * inF, 24), b = TestData.Floats(outF, 25), dy = TestData.Floats(n * outF, 26);
        float[] y = new float[n * outF], yRef = new float[n * outF];
        LinearKernel.Forward(x, w, b, y, n, inF, outF);
        LinearReference.Forward<float>(x, w, b, yRef, n, inF, outF);
        Report("linear y", TestData.MaxScaledDifference(y, yRef));
        float[] dx = new float[x.Length], dw = TestData.Floats(w.Length, 27), db = TestData.Floats(outF, 28);
        float[] dxRef = new float[x.Length], dwRef = (float[])dw.Clone(), dbRef = (float[])db.Clone();
        LinearKernel.Backward(x, w, dy, dx, dw, db, n, inF, outF);
        LinearReference.Backward<float>(x, w, dy, dxRef, dwRef, dbRef, n, inF, outF);
        Report("linear dx", TestData.MaxScaledDifference(dx, dxRef));
        Report("linear dw", TestData.MaxScaledDifference(dw, dwRef));
        Report("linear db", TestData.MaxScaledDifference(db, dbRef));
    }

    [Theory]
    [InlineData(1, 1, 0f, false)]
    [InlineData(4, 7, 0f, false)]
    [InlineData(4, 7, 0.1f, false)]
    [InlineData(9, 7, 0f, true)]
    [InlineData(9, 7, 0.15f, true)]
    [InlineData(3, 19, 0.3f, true)]
    public void SoftmaxAndCrossEntropyMatchReference(int n, int c, float smoothing, bool weighted)
    {
        float[] logits = TestData.Floats(n * c, 29, 3f);
        var rng = new SeededRandom(30);
        int[] targets = Enumerable.Range(0, n).Select(_ => rng.NextInt(c)).ToArray();
        float[] weights = weighted ? TestData.Floats(c, 31).Select(v => 0.2f + Math.Abs(v)).ToArray() : [];
        float[] p = new float[n * c], pRef = new float[n * c], grad = new float[n * c], gradRef = new float[n * c];
        SoftmaxKernel.Forward(logits, p, n, c);
        SoftmaxReference.Forward<float>(logits, pRef, n, c);
        Report("softmax", TestData.MaxScaledDifference(p, pRef), 1e-6);
        float loss = CrossEntropyKernel.ForwardBackward(logits, targets, weights, smoothing, p, grad, n, c);
        double lossRef = CrossEntropyReference.ForwardBackward<double>(TestData.ToDouble(logits), targets, TestData.ToDouble(weights), smoothing, new double[n * c], n, c);
        CrossEntropyReference.ForwardBackward<float>(logits, targets, weights, smoothing, gradRef, n, c);
        Report("cross-entropy loss", Math.Abs(loss - lossRef) / (1 + Math.Abs(lossRef)), 1e-6);
        Report("cross-entropy dlogits", TestData.MaxScaledDifference(grad, gradRef), 1e-6);
    }

    [Fact]
    public void DropoutKeepsAboutOneMinusPAndScales()
    {
        const int count = 100_000;
        float[] x = Enumerable.Repeat(2f, count).ToArray(), y = new float[count], mask = new float[count], dx = new float[count];
        DropoutKernel.Forward(x, y, mask, 0.3f, new SeededRandom(32));
        float scale = 1f / 0.7f;
        mask.Should().OnlyContain(m => m == 0f || m == scale);
        double kept = mask.Count(m => m != 0f) / (double)count;
        kept.Should().BeApproximately(0.7, 0.01);
        y.Zip(mask).Should().OnlyContain(t => t.First == 2f * t.Second);
        DropoutKernel.Backward(x, mask, dx);
        dx.Should().Equal(y);
        float[] again = new float[count];
        DropoutKernel.Forward(x, again, new float[count], 0.3f, new SeededRandom(32));
        again.Should().Equal(y, "the same seed gives the same mask");
    }

    [Fact]
    public void BatchNormFoldingEqualsConvThenEvalBatchNorm()
    {
        var g = new ConvGeometry(2, 3, 6, 5, 4, 3, 3, 1, 1);
        float[] x = TestData.Floats(g.InputLength, 33), w = TestData.Floats(g.WeightLength, 34, 0.4f), convBias = TestData.Floats(4, 35);
        float[] gamma = TestData.Floats(4, 36), beta = TestData.Floats(4, 37), rm = TestData.Floats(4, 38), rv = TestData.Floats(4, 39).Select(v => 0.3f + (v * v)).ToArray();
        float[] z = new float[g.OutputLength], expected = new float[g.OutputLength], actual = new float[g.OutputLength];
        Conv2dReference.Forward<float>(x, w, convBias, z, g);
        BatchNormReference.ForwardEval<float>(z, gamma, beta, rm, rv, expected, 1e-5f, 2, 4, g.ColumnCols);
        ActivationReference.Relu<float>(expected, expected);
        float[] fw = new float[w.Length], fb = new float[4];
        BatchNormFolding.Fold(w, convBias, gamma, beta, rm, rv, 1e-5f, fw, fb, 4);
        Conv2dKernel.Forward(x, fw, fb, actual, g, new float[Conv2dKernel.ScratchLength(g)], relu: true);
        Report("folded conv-bn-relu", TestData.MaxScaledDifference(actual, expected), 1e-4);

        // The same through the output-side fold: scale the GEMM result per channel instead of the weights.
        float[] scale = new float[4], shift = new float[4];
        for (int co = 0; co < 4; co++)
        {
            scale[co] = gamma[co] / MathF.Sqrt(rv[co] + 1e-5f);
            shift[co] = ((convBias[co] - rm[co]) * scale[co]) + beta[co];
        }

        foreach (var geometry in new[] { g, g with { Batch = 1, Height = 30, Width = 30 }, g with { Batch = 1, Height = 4, Width = 5 } })
        {
            float[] xg = TestData.Floats(geometry.InputLength, 40), zg = new float[geometry.OutputLength], eg = new float[geometry.OutputLength], ag = new float[geometry.OutputLength];
            Conv2dReference.Forward<float>(xg, w, convBias, zg, geometry);
            BatchNormReference.ForwardEval<float>(zg, gamma, beta, rm, rv, eg, 1e-5f, geometry.Batch, 4, geometry.ColumnCols);
            ActivationReference.Relu<float>(eg, eg);
            Conv2dKernel.Forward(xg, w, scale, shift, ag, geometry, new float[Conv2dKernel.ScratchLength(geometry)], relu: true);
            Report($"output-side folded conv-bn-relu {geometry}", TestData.MaxScaledDifference(ag, eg), 1e-4);
        }
    }
}
