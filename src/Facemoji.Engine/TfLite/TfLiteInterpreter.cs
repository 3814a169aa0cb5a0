using System.Numerics.Tensors;
using Facemoji.Engine.Kernels;

namespace Facemoji.Engine.TfLite;

/// <summary>
/// Runs a <see cref="TfLiteModel"/> in float32, channels-last as TFLite lays tensors out, on the engine's kernels:
/// convolutions are im2col + <see cref="Gemm.Sgemm(Transpose, Transpose, int, int, int, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, Span{float}, int, bool)"/>
/// (a 1x1 convolution is the GEMM alone), depthwise convolutions <see cref="DepthwiseConv2dKernel"/>. Every
/// tensor gets its buffer once, at construction, when each operator's shapes are checked; <see cref="Run"/>
/// allocates nothing. Operators: ADD, CONCATENATION, CONV_2D, DEPTHWISE_CONV_2D, DEQUANTIZE (float16 weights),
/// MAX_POOL_2D, PAD, RELU, RESHAPE, RESIZE_BILINEAR. Not thread-safe: one interpreter per thread.
/// </summary>
public sealed class TfLiteInterpreter
{
    private readonly TfLiteModel model;
    private readonly float[][] values;
    private readonly bool[] constant;
    private readonly List<Action> steps = [];

    public TfLiteInterpreter(TfLiteModel model)
    {
        this.model = model;
        values = new float[model.Tensors.Count][];
        constant = new bool[model.Tensors.Count];
        foreach (var t in model.Tensors)
        {
            values[t.Index] = t.Data ?? new float[t.Length];
            constant[t.Index] = t.IsConstant;
        }

        for (int i = 0; i < model.Operators.Count; i++)
        {
            var op = model.Operators[i];
            try
            {
                // DEQUANTIZE of a constant (float16 weights) is done once, here; its output becomes a constant.
                if (op.Kind == TfLiteOperatorKind.Dequantize && op.Inputs.Length == 1 && op.Inputs[0] >= 0 && constant[op.Inputs[0]])
                {
                    PrepareCopy(op)();
                    constant[Out(op).Index] = true;
                    continue;
                }

                steps.Add(Prepare(op));
            }
            catch (Exception e) when (e is InvalidDataException or ArgumentException or IndexOutOfRangeException or OverflowException)
            {
                throw new FacemojiException($"TFLite model {model.Name}: operator {i} ({op.Kind}) cannot run: {e.Message}");
            }
        }
    }

    public TfLiteModel Model => model;

    /// <summary>The shape of graph input <paramref name="index"/> (NHWC for an image).</summary>
    public IReadOnlyList<int> InputShape(int index = 0) => model.Tensors[model.Inputs[index]].Shape;

    /// <summary>The buffer of graph input <paramref name="index"/>: write the input here, then <see cref="Run"/>.</summary>
    public Span<float> Input(int index = 0) => values[model.Inputs[index]];

    /// <summary>The buffer of graph output <paramref name="index"/>, valid until the next <see cref="Run"/>.</summary>
    public ReadOnlySpan<float> Output(int index) => values[model.Outputs[index]];

    public IReadOnlyList<int> OutputShape(int index) => model.Tensors[model.Outputs[index]].Shape;

    /// <summary>Tests: the values of any tensor after <see cref="Run"/>.</summary>
    internal ReadOnlySpan<float> Values(int tensor) => values[tensor];

    public void Run()
    {
        foreach (var step in steps)
        {
            step();
        }
    }

    private TfLiteTensor Tensor(TfLiteOperator op, int input)
    {
        if (input >= op.Inputs.Length || op.Inputs[input] < 0)
        {
            throw new InvalidDataException($"input {input} is missing");
        }

        return model.Tensors[op.Inputs[input]];
    }

    private TfLiteTensor Out(TfLiteOperator op) =>
        op.Outputs.Length == 1 ? model.Tensors[op.Outputs[0]] : throw new InvalidDataException($"it has {op.Outputs.Length} outputs, one expected");

    private static void Expect(bool condition, string problem)
    {
        if (!condition)
        {
            throw new InvalidDataException(problem);
        }
    }

    private static string ShapeText(int[] shape) => "[" + string.Join(",", shape) + "]";

    private Action Prepare(TfLiteOperator op) => op.Kind switch
    {
        TfLiteOperatorKind.Conv2d => PrepareConv(op),
        TfLiteOperatorKind.DepthwiseConv2d => PrepareDepthwise(op),
        TfLiteOperatorKind.Add => PrepareAdd(op),
        TfLiteOperatorKind.Relu => PrepareRelu(op),
        TfLiteOperatorKind.MaxPool2d => PrepareMaxPool(op),
        TfLiteOperatorKind.Pad => PreparePad(op),
        TfLiteOperatorKind.Dequantize or TfLiteOperatorKind.Reshape => PrepareCopy(op),
        TfLiteOperatorKind.Concatenation => PrepareConcat(op),
        TfLiteOperatorKind.ResizeBilinear => PrepareResize(op),
        _ => throw new InvalidDataException("the interpreter does not run this operator"),
    };

    private (int H, int W, int C) Image(TfLiteTensor t)
    {
        Expect(t.Shape.Length == 4 && t.Shape[0] == 1, $"tensor {t.Name} {ShapeText(t.Shape)} is not one NHWC image");
        return (t.Shape[1], t.Shape[2], t.Shape[3]);
    }

    private static (int Before, int Out) SamePadding(int size, int kernel, int stride)
    {
        int outSize = (size + stride - 1) / stride;
        return (Math.Max(0, ((outSize - 1) * stride) + kernel - size) / 2, outSize);
    }

    private static void Activate(Span<float> y, TfLiteActivation activation)
    {
        switch (activation)
        {
            case TfLiteActivation.Relu: TensorPrimitives.Max(y, 0f, y); break;
            case TfLiteActivation.Relu6: TensorPrimitives.Clamp(y, 0f, 6f, y); break;
            case TfLiteActivation.ReluMinusOneToOne: TensorPrimitives.Clamp(y, -1f, 1f, y); break;
        }
    }

    // x (1,H,W,Cin), w (Cout,KH,KW,Cin), bias (Cout) -> y (1,OH,OW,Cout).
    private Action PrepareConv(TfLiteOperator op)
    {
        var (x, w, y) = (Tensor(op, 0), Tensor(op, 1), Out(op));
        var (h, wd, cin) = Image(x);
        var (oh, ow, cout) = Image(y);
        Expect(w.Shape.Length == 4 && w.Shape[0] == cout && w.Shape[3] == cin, $"weight {ShapeText(w.Shape)} does not fit input {ShapeText(x.Shape)} and output {ShapeText(y.Shape)}");
        Expect(op.Options.DilationWidth == 1 && op.Options.DilationHeight == 1, "dilated convolutions are not supported");
        int kh = w.Shape[1], kw = w.Shape[2], sh = op.Options.StrideHeight, sw = op.Options.StrideWidth;
        var (padTop, expectH) = op.Options.SamePadding ? SamePadding(h, kh, sh) : (0, ((h - kh) / sh) + 1);
        var (padLeft, expectW) = op.Options.SamePadding ? SamePadding(wd, kw, sw) : (0, ((wd - kw) / sw) + 1);
        Expect(expectH == oh && expectW == ow, $"output {ShapeText(y.Shape)} is not what a {kh}x{kw} stride {sh} convolution of {ShapeText(x.Shape)} gives");
        float[]? bias = op.Inputs.Length > 2 && op.Inputs[2] >= 0 ? values[op.Inputs[2]] : null;
        Expect(bias is null || bias.Length == cout, "bias length is not the output channel count");
        float[] xs = values[x.Index], ws = values[w.Index], ys = values[y.Index];
        int k = kh * kw * cin, pixels = oh * ow;
        bool pointwise = kh == 1 && kw == 1 && sh == 1 && sw == 1;
        float[] columns = pointwise ? xs : new float[pixels * k];
        var activation = op.Options.Activation;
        return () =>
        {
            if (!pointwise)
            {
                Im2ColChannelsLast(xs, columns, h, wd, cin, kh, kw, sh, sw, padTop, padLeft, oh, ow);
            }

            // y (P,Cout) = columns (P,K) · w (Cout,K)ᵀ
            Gemm.Sgemm(Transpose.None, Transpose.Transposed, pixels, cout, k, columns, k, ws, k, ys, cout, false);
            if (bias is not null)
            {
                for (int p = 0; p < pixels; p++)
                {
                    var row = ys.AsSpan(p * cout, cout);
                    TensorPrimitives.Add(row, bias, row);
                }
            }

            Activate(ys, activation);
        };
    }

    // x (H,W,C) -> columns (OH·OW, KH·KW·C), each row a window in the weight's (KH,KW,C) order, zeros outside.
    private static void Im2ColChannelsLast(float[] x, float[] columns, int h, int w, int c, int kh, int kw, int sh, int sw, int padTop, int padLeft, int oh, int ow)
    {
        int k = kh * kw * c;
        for (int oy = 0; oy < oh; oy++)
        {
            for (int ox = 0; ox < ow; ox++)
            {
                var row = columns.AsSpan(((oy * ow) + ox) * k, k);
                for (int ky = 0; ky < kh; ky++)
                {
                    int iy = (oy * sh) + ky - padTop;
                    for (int kx = 0; kx < kw; kx++)
                    {
                        int ix = (ox * sw) + kx - padLeft;
                        var target = row.Slice(((ky * kw) + kx) * c, c);
                        if (iy < 0 || iy >= h || ix < 0 || ix >= w)
                        {
                            target.Clear();
                        }
                        else
                        {
                            x.AsSpan(((iy * w) + ix) * c, c).CopyTo(target);
                        }
                    }
                }
            }
        }
    }

    private Action PrepareDepthwise(TfLiteOperator op)
    {
        var (x, w, y) = (Tensor(op, 0), Tensor(op, 1), Out(op));
        var (h, wd, c) = Image(x);
        var (oh, ow, oc) = Image(y);
        Expect(op.Options.DepthMultiplier == 1 && oc == c, "only depth multiplier 1 is supported");
        Expect(w.Shape.Length == 4 && w.Shape[0] == 1 && w.Shape[3] == c, $"weight {ShapeText(w.Shape)} does not fit input {ShapeText(x.Shape)}");
        Expect(op.Options.StrideHeight == op.Options.StrideWidth, "different strides across and down are not supported");
        Expect(op.Options.DilationWidth == 1 && op.Options.DilationHeight == 1, "dilated convolutions are not supported");
        Expect(constant[w.Index], "the weight is not a constant");
        int kh = w.Shape[1], kw = w.Shape[2], stride = op.Options.StrideWidth;
        var g = op.Options.SamePadding
            ? DepthwiseConvGeometry.Same(h, wd, c, kh, kw, stride)
            : DepthwiseConvGeometry.Valid(h, wd, c, kh, kw, stride);
        Expect(g.OutHeight == oh && g.OutWidth == ow, $"output {ShapeText(y.Shape)} is not what a {kh}x{kw} stride {stride} depthwise convolution of {ShapeText(x.Shape)} gives");
        float[] bias = op.Inputs.Length > 2 && op.Inputs[2] >= 0 ? values[op.Inputs[2]] : [];
        Expect(bias.Length is 0 || bias.Length == c, "bias length is not the channel count");
        float[] xs = values[x.Index], ys = values[y.Index], weights = values[w.Index];
        float[] packed = new float[DepthwiseConv2dKernel.PackedWeightLength(g)];
        DepthwiseConv2dKernel.PackWeights(weights, packed, g);
        bool relu = op.Options.Activation == TfLiteActivation.Relu;
        var activation = relu ? TfLiteActivation.None : op.Options.Activation;
        return () =>
        {
            DepthwiseConv2dKernel.Forward(xs, packed, bias, ys, g, relu);
            Activate(ys, activation);
        };
    }

    private Action PrepareAdd(TfLiteOperator op)
    {
        var (a, b, y) = (Tensor(op, 0), Tensor(op, 1), Out(op));
        Expect(a.Shape.SequenceEqual(b.Shape) && a.Shape.SequenceEqual(y.Shape), $"shapes {ShapeText(a.Shape)} + {ShapeText(b.Shape)} -> {ShapeText(y.Shape)} differ (broadcasting is not supported)");
        float[] av = values[a.Index], bv = values[b.Index], yv = values[y.Index];
        var activation = op.Options.Activation;
        return () =>
        {
            TensorPrimitives.Add(av, bv, yv);
            Activate(yv, activation);
        };
    }

    private Action PrepareRelu(TfLiteOperator op)
    {
        var (x, y) = (Tensor(op, 0), Out(op));
        Expect(x.Length == y.Length, "input and output sizes differ");
        float[] xv = values[x.Index], yv = values[y.Index];
        return () => TensorPrimitives.Max(xv, 0f, yv);
    }

    private Action PrepareCopy(TfLiteOperator op)
    {
        var (x, y) = (Tensor(op, 0), Out(op));
        Expect(x.Length == y.Length, $"input {ShapeText(x.Shape)} and output {ShapeText(y.Shape)} hold different numbers of values");
        float[] xv = values[x.Index], yv = values[y.Index];
        return () => xv.AsSpan().CopyTo(yv);
    }

    // x (1,H,W,C) -> y (1,OH,OW,C): the maximum of each window, padding never counts.
    private Action PrepareMaxPool(TfLiteOperator op)
    {
        var (x, y) = (Tensor(op, 0), Out(op));
        var (h, w, c) = Image(x);
        var (oh, ow, oc) = Image(y);
        int kh = op.Options.FilterHeight, kw = op.Options.FilterWidth, sh = op.Options.StrideHeight, sw = op.Options.StrideWidth;
        var (padTop, expectH) = op.Options.SamePadding ? SamePadding(h, kh, sh) : (0, ((h - kh) / sh) + 1);
        var (padLeft, expectW) = op.Options.SamePadding ? SamePadding(w, kw, sw) : (0, ((w - kw) / sw) + 1);
        Expect(oc == c && expectH == oh && expectW == ow, $"output {ShapeText(y.Shape)} is not what a {kh}x{kw} stride {sh} pool of {ShapeText(x.Shape)} gives");
        float[] xv = values[x.Index], yv = values[y.Index];
        var activation = op.Options.Activation;
        return () =>
        {
            for (int oy = 0; oy < oh; oy++)
            {
                for (int ox = 0; ox < ow; ox++)
                {
                    var target = yv.AsSpan(((oy * ow) + ox) * c, c);
                    target.Fill(float.NegativeInfinity);
                    for (int ky = 0; ky < kh; ky++)
                    {
                        int iy = (oy * sh) + ky - padTop;
                        for (int kx = 0; kx < kw; kx++)
                        {
                            int ix = (ox * sw) + kx - padLeft;
                            if (iy >= 0 && iy < h && ix >= 0 && ix < w)
                            {
                                TensorPrimitives.Max(target, xv.AsSpan(((iy * w) + ix) * c, c), target);
                            }
                        }
                    }
                }
            }

            Activate(yv, activation);
        };
    }

    // x (1,H,W,C) -> y with zeros added before and after each axis, as the constant paddings (4,2) say.
    private Action PreparePad(TfLiteOperator op)
    {
        var (x, p, y) = (Tensor(op, 0), Tensor(op, 1), Out(op));
        var (h, w, c) = Image(x);
        var (oh, ow, oc) = Image(y);
        Expect(constant[p.Index] && p.Length == 8, "the paddings are not a constant (4,2) tensor");
        int[] pad = values[p.Index].Select(v => (int)v).ToArray();
        Expect(pad.All(v => v >= 0) && pad[0] == 0 && pad[1] == 0, "negative or batch padding is not supported");
        Expect(oh == h + pad[2] + pad[3] && ow == w + pad[4] + pad[5] && oc == c + pad[6] + pad[7], $"output {ShapeText(y.Shape)} does not match the paddings");
        float[] xv = values[x.Index], yv = values[y.Index];
        return () =>
        {
            Array.Clear(yv);
            for (int iy = 0; iy < h; iy++)
            {
                for (int ix = 0; ix < w; ix++)
                {
                    xv.AsSpan(((iy * w) + ix) * c, c).CopyTo(yv.AsSpan(((((iy + pad[2]) * ow) + ix + pad[4]) * oc) + pad[6]));
                }
            }
        };
    }

    // Inputs joined along an axis: each is (outer, inner·size_i), copied block by block.
    private Action PrepareConcat(TfLiteOperator op)
    {
        var y = Out(op);
        int rank = y.Shape.Length, axis = op.Options.Axis < 0 ? op.Options.Axis + rank : op.Options.Axis;
        Expect(axis >= 0 && axis < rank, $"axis {op.Options.Axis} is outside rank {rank}");
        var inputs = op.Inputs.Select(i => model.Tensors[i]).ToArray();
        foreach (var t in inputs)
        {
            Expect(t.Shape.Length == rank && Enumerable.Range(0, rank).All(d => d == axis || t.Shape[d] == y.Shape[d]), $"input {ShapeText(t.Shape)} does not fit output {ShapeText(y.Shape)}");
        }

        Expect(inputs.Sum(t => t.Shape[axis]) == y.Shape[axis], "the inputs' sizes along the axis do not add up to the output's");
        int outer = y.Shape.Take(axis).Aggregate(1, (a, b) => a * b), inner = y.Shape.Skip(axis + 1).Aggregate(1, (a, b) => a * b);
        float[] yv = values[y.Index];
        var sources = inputs.Select(t => (Values: values[t.Index], Block: t.Shape[axis] * inner)).ToArray();
        int outBlock = y.Shape[axis] * inner;
        var activation = op.Options.Activation;
        return () =>
        {
            for (int o = 0; o < outer; o++)
            {
                int at = o * outBlock;
                foreach (var (v, block) in sources)
                {
                    v.AsSpan(o * block, block).CopyTo(yv.AsSpan(at));
                    at += block;
                }
            }

            Activate(yv, activation);
        };
    }

    // x (1,H,W,C) -> y (1,OH,OW,C), TFLite's bilinear resize (align_corners, half_pixel_centers as set).
    private Action PrepareResize(TfLiteOperator op)
    {
        var (x, y) = (Tensor(op, 0), Out(op));
        var (h, w, c) = Image(x);
        var (oh, ow, oc) = Image(y);
        Expect(oc == c, "the channel counts differ");
        bool align = op.Options.AlignCorners, half = op.Options.HalfPixelCenters;
        float scaleY = align && oh > 1 ? (h - 1f) / (oh - 1) : (float)h / oh;
        float scaleX = align && ow > 1 ? (w - 1f) / (ow - 1) : (float)w / ow;
        var ys = Enumerable.Range(0, oh).Select(o => Interpolation(o, scaleY, h, half)).ToArray();
        var xs = Enumerable.Range(0, ow).Select(o => Interpolation(o, scaleX, w, half)).ToArray();
        float[] xv = values[x.Index], yv = values[y.Index];
        return () =>
        {
            for (int oy = 0; oy < oh; oy++)
            {
                var (y0, y1, fy) = ys[oy];
                for (int ox = 0; ox < ow; ox++)
                {
                    var (x0, x1, fx) = xs[ox];
                    var target = yv.AsSpan(((oy * ow) + ox) * c, c);
                    for (int ch = 0; ch < c; ch++)
                    {
                        float top = xv[(((y0 * w) + x0) * c) + ch] + ((xv[(((y0 * w) + x1) * c) + ch] - xv[(((y0 * w) + x0) * c) + ch]) * fx);
                        float bottom = xv[(((y1 * w) + x0) * c) + ch] + ((xv[(((y1 * w) + x1) * c) + ch] - xv[(((y1 * w) + x0) * c) + ch]) * fx);
                        target[ch] = top + ((bottom - top) * fy);
                    }
                }
            }
        };
    }

    private static (int Lower, int Upper, float Fraction) Interpolation(int output, float scale, int size, bool halfPixel)
    {
        float source = halfPixel ? ((output + 0.5f) * scale) - 0.5f : output * scale;
        int lower = Math.Max((int)MathF.Floor(source), 0);
        int upper = Math.Min((int)MathF.Ceiling(source), size - 1);
        return (lower, upper, source - lower);
    }
}
