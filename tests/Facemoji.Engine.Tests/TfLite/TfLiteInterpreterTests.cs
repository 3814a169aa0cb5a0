using Facemoji.Engine.Tests.Support;
using Facemoji.Engine.TfLite;

namespace Facemoji.Engine.Tests.TfLite;

/// <summary>
/// Runs both BlazeFace models and recomputes every operator's output from its inputs with plain loops in double
/// precision (convolutions, depthwise convolutions, pools, pads, adds, resizes): the interpreter's reference plan
/// (im2col + GEMM, the row-wise depthwise kernel, every operator on its own) must agree operator by operator, and the
/// optimised plan (pitched tensors, fused epilogues, the channel-last kernels) must give the reference plan's outputs.
/// </summary>
public sealed class TfLiteInterpreterTests
{
    [Theory]
    [InlineData(MediaPipeModels.ShortRange)]
    [InlineData(MediaPipeModels.FullRange)]
    [Trait("Category", "Slow")]
    public void EveryOperatorMatchesAPlainReference(string name)
    {
        var model = TfLiteModel.Load(MediaPipeModels.PathOf(name));
        var interpreter = new TfLiteInterpreter(model, TfLiteExecution.Reference);
        TestData.Floats(interpreter.Input().Length, 31, 0.5f).CopyTo(interpreter.Input());
        interpreter.Run();
        int checkedOps = 0;
        foreach (var op in model.Operators)
        {
            double[]? expected = Reference(model, interpreter, op);
            if (expected is null)
            {
                continue;
            }

            var actual = interpreter.Values(op.Outputs[0]);
            double scale = Math.Max(1, expected.Max(Math.Abs));
            for (int i = 0; i < expected.Length; i++)
            {
                Math.Abs(actual[i] - expected[i]).Should().BeLessThan(2e-4 * scale, $"{op.Kind} output {model.Tensors[op.Outputs[0]].Name}[{i}]");
            }

            checkedOps++;
        }

        checkedOps.Should().BeGreaterThan(50);
        var scores = interpreter.Output(1).ToArray();
        scores.Should().OnlyContain(v => float.IsFinite(v));
    }

    [Theory]
    [InlineData(MediaPipeModels.ShortRange)]
    [InlineData(MediaPipeModels.FullRange)]
    [Trait("Category", "Slow")]
    public void OptimisedPlanGivesTheReferencePlansOutputs(string name)
    {
        var model = TfLiteModel.Load(MediaPipeModels.PathOf(name));
        var optimised = new TfLiteInterpreter(model);
        var reference = new TfLiteInterpreter(model, TfLiteExecution.Reference);
        int length = optimised.Input().Length, side = optimised.InputShape()[1];

        // Noise, a smooth gradient in [-1, 1] like a letterboxed frame, and a black image; then the noise again, run
        // after the others, so that nothing left from one run changes the next.
        float[] gradient = Enumerable.Range(0, length).Select(i => ((i / 3 % side) + (i / 3 / side)) / (float)side - 1f).ToArray();
        foreach (float[] input in new[] { TestData.Floats(length, 61), gradient, new float[length], TestData.Floats(length, 61) })
        {
            input.CopyTo(optimised.Input());
            input.CopyTo(reference.Input());
            optimised.Run();
            reference.Run();
            for (int o = 0; o < model.Outputs.Count; o++)
            {
                var expected = reference.Output(o).ToArray();
                var actual = optimised.Output(o).ToArray();
                actual.Length.Should().Be(expected.Length);
                double scale = Math.Max(1, expected.Max(Math.Abs));
                for (int i = 0; i < expected.Length; i++)
                {
                    ((double)Math.Abs(actual[i] - expected[i])).Should().BeLessThan(1e-4 * scale, $"output {o} [{i}]");
                }
            }
        }
    }

    [Theory]
    [InlineData(MediaPipeModels.ShortRange)]
    [InlineData(MediaPipeModels.FullRange)]
    public void OptimisedRunAllocatesNothing(string name)
    {
        var interpreter = new TfLiteInterpreter(TfLiteModel.Load(MediaPipeModels.PathOf(name)));
        TestData.Floats(interpreter.Input().Length, 62).CopyTo(interpreter.Input());
        interpreter.Run();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 3; i++)
        {
            interpreter.Run();
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    private static double[]? Reference(TfLiteModel model, TfLiteInterpreter run, TfLiteOperator op)
    {
        var y = model.Tensors[op.Outputs[0]];
        var x = model.Tensors[op.Inputs[0]];
        double[] Input(int i) => run.Values(op.Inputs[i]).ToArray().Select(v => (double)v).ToArray();
        switch (op.Kind)
        {
            case TfLiteOperatorKind.Conv2d:
            case TfLiteOperatorKind.DepthwiseConv2d:
            {
                bool depthwise = op.Kind == TfLiteOperatorKind.DepthwiseConv2d;
                var w = model.Tensors[op.Inputs[1]];
                double[] xv = Input(0), wv = Input(1), bv = Input(2);
                int h = x.Shape[1], wd = x.Shape[2], cin = x.Shape[3], oh = y.Shape[1], ow = y.Shape[2], cout = y.Shape[3];
                int kh = w.Shape[1], kw = w.Shape[2], s = op.Options.StrideHeight;
                int padTop = op.Options.SamePadding ? Math.Max(0, ((oh - 1) * s) + kh - h) / 2 : 0;
                int padLeft = op.Options.SamePadding ? Math.Max(0, ((ow - 1) * s) + kw - wd) / 2 : 0;
                var result = new double[y.Length];
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++)
                        for (int co = 0; co < cout; co++)
                        {
                            double sum = bv[co];
                            for (int ky = 0; ky < kh; ky++)
                                for (int kx = 0; kx < kw; kx++)
                                {
                                    int iy = (oy * s) + ky - padTop, ix = (ox * s) + kx - padLeft;
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= wd)
                                    {
                                        continue;
                                    }

                                    if (depthwise)
                                    {
                                        sum += xv[(((iy * wd) + ix) * cin) + co] * wv[(((ky * kw) + kx) * cout) + co];
                                    }
                                    else
                                    {
                                        for (int ci = 0; ci < cin; ci++)
                                        {
                                            sum += xv[(((iy * wd) + ix) * cin) + ci] * wv[(((((co * kh) + ky) * kw) + kx) * cin) + ci];
                                        }
                                    }
                                }

                            result[(((oy * ow) + ox) * cout) + co] = op.Options.Activation == TfLiteActivation.Relu ? Math.Max(0, sum) : sum;
                        }

                return result;
            }

            case TfLiteOperatorKind.Add:
            {
                double[] a = Input(0), b = Input(1);
                return a.Select((v, i) => v + b[i]).ToArray();
            }

            case TfLiteOperatorKind.Relu:
                return Input(0).Select(v => Math.Max(0, v)).ToArray();

            case TfLiteOperatorKind.MaxPool2d:
            {
                double[] xv = Input(0);
                int wd = x.Shape[2], c = x.Shape[3], oh = y.Shape[1], ow = y.Shape[2];
                int k = op.Options.FilterHeight, s = op.Options.StrideHeight;
                var result = new double[y.Length];
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++)
                        for (int ch = 0; ch < c; ch++)
                        {
                            double m = double.NegativeInfinity;
                            for (int ky = 0; ky < k; ky++)
                                for (int kx = 0; kx < k; kx++)
                                {
                                    int iy = (oy * s) + ky, ix = (ox * s) + kx;
                                    if (iy < x.Shape[1] && ix < wd)
                                    {
                                        m = Math.Max(m, xv[(((iy * wd) + ix) * c) + ch]);
                                    }
                                }

                            result[(((oy * ow) + ox) * c) + ch] = m;
                        }

                return result;
            }

            case TfLiteOperatorKind.Pad:
            {
                double[] xv = Input(0);
                int[] pad = model.Tensors[op.Inputs[1]].Data!.Select(v => (int)v).ToArray();
                int h = x.Shape[1], wd = x.Shape[2], c = x.Shape[3], ow = y.Shape[2], oc = y.Shape[3];
                var result = new double[y.Length];
                for (int iy = 0; iy < h; iy++)
                    for (int ix = 0; ix < wd; ix++)
                        for (int ch = 0; ch < c; ch++)
                        {
                            result[((((iy + pad[2]) * ow) + ix + pad[4]) * oc) + ch + pad[6]] = xv[(((iy * wd) + ix) * c) + ch];
                        }

                return result;
            }

            case TfLiteOperatorKind.ResizeBilinear:
            {
                // TFLite's reference ResizeBilinear (no align_corners, no half-pixel centres in these models).
                op.Options.AlignCorners.Should().BeFalse();
                double[] xv = Input(0);
                int h = x.Shape[1], wd = x.Shape[2], c = x.Shape[3], oh = y.Shape[1], ow = y.Shape[2];
                double sy = (double)h / oh, sx = (double)wd / ow;
                var result = new double[y.Length];
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++)
                    {
                        double fy = op.Options.HalfPixelCenters ? ((oy + 0.5) * sy) - 0.5 : oy * sy;
                        double fx = op.Options.HalfPixelCenters ? ((ox + 0.5) * sx) - 0.5 : ox * sx;
                        int y0 = Math.Max(0, (int)Math.Floor(fy)), y1 = Math.Min(h - 1, (int)Math.Ceiling(fy));
                        int x0 = Math.Max(0, (int)Math.Floor(fx)), x1 = Math.Min(wd - 1, (int)Math.Ceiling(fx));
                        for (int ch = 0; ch < c; ch++)
                        {
                            double At(int yy, int xx) => xv[(((yy * wd) + xx) * c) + ch];
                            result[(((oy * ow) + ox) * c) + ch] =
                                (At(y0, x0) * (1 - (fy - y0)) * (1 - (fx - x0))) + (At(y1, x0) * (fy - y0) * (1 - (fx - x0))) +
                                (At(y0, x1) * (1 - (fy - y0)) * (fx - x0)) + (At(y1, x1) * (fy - y0) * (fx - x0));
                        }
                    }

                return result;
            }

            default:
                return null;
        }
    }
}
