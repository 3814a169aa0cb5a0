using System.Numerics.Tensors;
using Facemoji.Engine.Kernels;

namespace Facemoji.Engine.TfLite;

/// <summary>
/// Runs a <see cref="TfLiteModel"/> in float32, channels-last as TFLite lays tensors out, on the engine's kernels.
/// The plan is made once, at construction, when each operator's shapes are checked and every tensor gets its buffer;
/// <see cref="Run"/> allocates nothing. The optimised plan (<see cref="TfLiteExecution.Optimised"/>, the default):
/// activations inside the graph are stored with their channel pitch rounded up to whole vectors (the lanes past the
/// channels stay zero, so a channel PAD changes no stored value); convolutions run
/// <see cref="ChannelLastConvKernel"/> (implicit GEMM on pre-packed weights) with a following ADD, the channel PAD
/// feeding it and a RELU fused into the tile's epilogue; depthwise convolutions run
/// <see cref="ChannelLastDepthwiseKernel"/> with a following RELU fused. The reference plan
/// (<see cref="TfLiteExecution.Reference"/>, for tests) runs every operator on its own on dense tensors, convolutions
/// as im2col + <see cref="Gemm.Sgemm(Transpose, Transpose, int, int, int, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, Span{float}, int, bool)"/>
/// and depthwise ones with <see cref="DepthwiseConv2dKernel"/>. Operators: ADD, CONCATENATION, CONV_2D,
/// DEPTHWISE_CONV_2D, DEQUANTIZE (float16 weights, widened once at construction), MAX_POOL_2D, PAD, RELU, RESHAPE,
/// RESIZE_BILINEAR. Not thread-safe: one interpreter per thread.
/// </summary>
public sealed class TfLiteInterpreter
{
    private readonly TfLiteModel model;
    private readonly TfLiteExecution execution;
    private readonly float[][] values;
    private readonly bool[] constant;

    // Channel pitch of each rank-4 (1,H,W,C) tensor: C, or C rounded up to whole vectors in the optimised plan.
    private readonly int[] pitch;
    private readonly List<Action> steps = [];

    public TfLiteInterpreter(TfLiteModel model)
        : this(model, TfLiteExecution.Optimised)
    {
    }

    internal TfLiteInterpreter(TfLiteModel model, TfLiteExecution execution)
    {
        this.model = model;
        this.execution = execution;
        int count = model.Tensors.Count;
        values = new float[count][];
        constant = new bool[count];
        pitch = new int[count];
        foreach (var t in model.Tensors)
        {
            constant[t.Index] = t.IsConstant;
        }

        // DEQUANTIZE of a constant (float16 weights) is done once, here; its output becomes a constant.
        var folded = new bool[model.Operators.Count];
        for (int i = 0; i < model.Operators.Count; i++)
        {
            var op = model.Operators[i];
            if (op.Kind == TfLiteOperatorKind.Dequantize && op.Inputs.Length == 1 && op.Inputs[0] >= 0 && constant[op.Inputs[0]] && op.Outputs.Length == 1)
            {
                constant[op.Outputs[0]] = true;
                folded[i] = true;
            }
        }

        List<(int Op, ConvFusion? Fusion)> plan;
        try
        {
            var padded = execution == TfLiteExecution.Optimised ? PaddableTensors(folded) : new bool[count];
            foreach (var t in model.Tensors)
            {
                pitch[t.Index] = t.Shape.Length == 4 ? (padded[t.Index] ? ChannelLastConvKernel.PaddedPitch(t.Shape[3]) : t.Shape[3]) : 1;
                values[t.Index] = t.Data ?? new float[t.Shape.Length == 4 ? t.Length / Math.Max(1, t.Shape[3]) * pitch[t.Index] : t.Length];
            }

            plan = execution == TfLiteExecution.Optimised ? Fuse() : Unfused();
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or IndexOutOfRangeException or OverflowException)
        {
            throw new FacemojiException($"TFLite model {model.Name}: its graph cannot be planned: {e.Message}");
        }

        foreach (var (i, fusion) in plan)
        {
            var op = model.Operators[i];
            try
            {
                if (folded[i])
                {
                    PrepareCopy(op)();
                    continue;
                }

                steps.Add(fusion is { } f ? PrepareFusedConv(op, f) : Prepare(op));
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

    /// <summary>
    /// Tests: the values of any tensor after <see cref="Run"/>, pixels <see cref="Pitch"/> floats apart; in the optimised
    /// plan a tensor an operator fused away (a convolution's output before its ADD, a channel PAD) is never written.
    /// </summary>
    internal ReadOnlySpan<float> Values(int tensor) => values[tensor];

    /// <summary>Tests: the channel pitch of a rank-4 tensor.</summary>
    internal int Pitch(int tensor) => pitch[tensor];

    public void Run()
    {
        foreach (var step in steps)
        {
            step();
        }
    }

    // A convolution (or depthwise one) and what the optimised plan fuses into it: it writes Output (its own, or that
    // of the ADD or RELU after it), adds Residual (a tensor, -1 for none) and applies ReLU.
    private sealed record ConvFusion(int Output, int Residual, bool Relu);

    // The reference plan: every operator where it stands.
    private List<(int Op, ConvFusion? Fusion)> Unfused() =>
        Enumerable.Range(0, model.Operators.Count).Select(i => (i, (ConvFusion?)null)).ToList();

    // Activation tensors (1,H,W,C) inside the graph that every operator touching them reads and writes with a channel
    // pitch: not graph inputs or outputs, not constants, produced and used only by pitch-aware operators.
    private bool[] PaddableTensors(bool[] folded)
    {
        var result = new bool[model.Tensors.Count];
        foreach (var t in model.Tensors)
        {
            result[t.Index] = !constant[t.Index] && t.Shape.Length == 4 && t.Shape[0] == 1;
        }

        foreach (int t in model.Inputs.Concat(model.Outputs))
        {
            result[t] = false;
        }

        for (int i = 0; i < model.Operators.Count; i++)
        {
            var op = model.Operators[i];
            if (folded[i])
            {
                continue;
            }

            bool aware = op.Kind is TfLiteOperatorKind.Add or TfLiteOperatorKind.Relu or TfLiteOperatorKind.MaxPool2d or TfLiteOperatorKind.ResizeBilinear;
            bool dataOnly = op.Kind is TfLiteOperatorKind.Conv2d or TfLiteOperatorKind.DepthwiseConv2d or TfLiteOperatorKind.Pad;
            for (int k = 0; k < op.Inputs.Length; k++)
            {
                if (op.Inputs[k] >= 0 && !(aware || (dataOnly && k == 0)))
                {
                    result[op.Inputs[k]] = false;
                }
            }

            if (!aware && !dataOnly)
            {
                foreach (int t in op.Outputs)
                {
                    if (t >= 0)
                    {
                        result[t] = false;
                    }
                }
            }
        }

        return result;
    }

    // The optimised plan: each operator with the point where it runs (after every operator fused into it) and, for
    // convolutions, what is fused. Fused: a convolution's lone RELU; a convolution's lone ADD (with the channel PAD
    // that feeds the ADD's other side when that PAD has no other use) and the ADD's lone RELU.
    private List<(int Op, ConvFusion? Fusion)> Fuse()
    {
        var ops = model.Operators;
        var consumers = new List<int>[model.Tensors.Count];
        var producer = new int[model.Tensors.Count];
        Array.Fill(producer, -1);
        for (int i = 0; i < ops.Count; i++)
        {
            foreach (int t in ops[i].Inputs.Where(t => t >= 0))
            {
                (consumers[t] ??= []).Add(i);
            }

            foreach (int t in ops[i].Outputs.Where(t => t >= 0))
            {
                producer[t] = i;
            }
        }

        var graphOutput = new HashSet<int>(model.Outputs);
        int LoneConsumer(int t) => !graphOutput.Contains(t) && consumers[t] is [int only] ? only : -1;
        bool SameImage(int a, int b) =>
            model.Tensors[a].Shape is [1, var h, var w, _] && model.Tensors[b].Shape is [1, var h2, var w2, _] && h == h2 && w == w2;

        var skip = new bool[ops.Count];
        var at = Enumerable.Range(0, ops.Count).ToArray();
        var fusions = new ConvFusion?[ops.Count];
        for (int i = 0; i < ops.Count; i++)
        {
            var op = ops[i];
            if (op.Kind is not (TfLiteOperatorKind.Conv2d or TfLiteOperatorKind.DepthwiseConv2d) || op.Outputs.Length != 1)
            {
                continue;
            }

            int output = op.Outputs[0], residual = -1;
            bool relu = op.Options.Activation == TfLiteActivation.Relu;
            if (op.Options.Activation == TfLiteActivation.None && LoneConsumer(output) is var next and >= 0 && !skip[next])
            {
                var after = ops[next];
                if (after.Kind == TfLiteOperatorKind.Relu && after.Outputs.Length == 1)
                {
                    (skip[next], at[i], output, relu) = (true, next, after.Outputs[0], true);
                }
                else if (op.Kind == TfLiteOperatorKind.Conv2d && after.Kind == TfLiteOperatorKind.Add && after.Inputs is [>= 0, >= 0] && after.Outputs.Length == 1 &&
                    after.Options.Activation is TfLiteActivation.None or TfLiteActivation.Relu && after.Inputs[0] != after.Inputs[1] &&
                    model.Tensors[after.Inputs[0]].Shape.SequenceEqual(model.Tensors[after.Inputs[1]].Shape))
                {
                    int other = after.Inputs[0] == output ? after.Inputs[1] : after.Inputs[0];
                    int pad = producer[other] is var k and >= 0 && ops[k].Kind == TfLiteOperatorKind.Pad && LoneConsumer(other) == next && ChannelPadding(ops[k]) ? k : -1;
                    int source = pad >= 0 ? ops[pad].Inputs[0] : other;
                    if (pad >= 0 && !(SameImage(source, other) && ChannelLastConvKernel.SupportsResidualPitch(pitch[source])))
                    {
                        (pad, source) = (-1, other);
                    }

                    if (SameImage(source, output) && ChannelLastConvKernel.SupportsResidualPitch(pitch[source]) &&
                        (pad >= 0 || model.Tensors[source].Shape.SequenceEqual(model.Tensors[output].Shape)))
                    {
                        (skip[next], at[i], output, residual, relu) = (true, next, after.Outputs[0], source, after.Options.Activation == TfLiteActivation.Relu);
                        if (pad >= 0)
                        {
                            skip[pad] = true;
                        }

                        if (!relu && LoneConsumer(output) is var r and >= 0 && ops[r].Kind == TfLiteOperatorKind.Relu && ops[r].Outputs.Length == 1)
                        {
                            (skip[r], at[i], output, relu) = (true, r, ops[r].Outputs[0], true);
                        }
                    }
                }
            }

            fusions[i] = new ConvFusion(output, residual, relu);
        }

        return Enumerable.Range(0, ops.Count).Where(i => !skip[i]).OrderBy(i => at[i]).ThenBy(i => i).Select(i => (i, fusions[i])).ToList();
    }

    // A PAD that only adds zero channels after the existing ones (what BlazeFace's skip connections do).
    private bool ChannelPadding(TfLiteOperator op)
    {
        if (op.Inputs.Length < 2 || op.Inputs[0] < 0 || op.Inputs[1] < 0 || !constant[op.Inputs[1]] || values[op.Inputs[1]] is not { Length: 8 } pads)
        {
            return false;
        }

        return pads[0] == 0 && pads[1] == 0 && pads[2] == 0 && pads[3] == 0 && pads[4] == 0 && pads[5] == 0 && pads[6] == 0 && pads[7] >= 0;
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
        TfLiteOperatorKind.Conv2d or TfLiteOperatorKind.DepthwiseConv2d when execution == TfLiteExecution.Optimised =>
            PrepareFusedConv(op, new ConvFusion(Out(op).Index, -1, op.Options.Activation == TfLiteActivation.Relu)),
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

    // The optimised plan's convolution: x (1,H,W,Cin) -> Output (1,OH,OW,Cout) = [relu](conv(x) + bias [+ Residual]).
    private Action PrepareFusedConv(TfLiteOperator op, ConvFusion fusion)
    {
        var (x, w) = (Tensor(op, 0), Tensor(op, 1));
        var y = model.Tensors[fusion.Output];
        var (h, wd, cin) = Image(x);
        var (oh, ow, cout) = Image(y);
        Expect(op.Options.DilationWidth == 1 && op.Options.DilationHeight == 1, "dilated convolutions are not supported");
        Expect(constant[w.Index], "the weight is not a constant");
        Expect(w.Shape.Length == 4, $"weight {ShapeText(w.Shape)} is not (Cout,KH,KW,Cin)");
        Expect(op.Options.StrideHeight == op.Options.StrideWidth, "different strides across and down are not supported");
        int kh = w.Shape[1], kw = w.Shape[2], stride = op.Options.StrideWidth;
        var (padTop, expectH) = op.Options.SamePadding ? SamePadding(h, kh, stride) : (0, ((h - kh) / stride) + 1);
        var (padLeft, expectW) = op.Options.SamePadding ? SamePadding(wd, kw, stride) : (0, ((wd - kw) / stride) + 1);
        Expect(expectH == oh && expectW == ow, $"output {ShapeText(y.Shape)} is not what a {kh}x{kw} stride {stride} convolution of {ShapeText(x.Shape)} gives");
        float[] bias = op.Inputs.Length > 2 && op.Inputs[2] >= 0 ? values[op.Inputs[2]] : [];
        Expect(bias.Length is 0 || bias.Length == cout, "bias length is not the output channel count");
        float[] xs = values[x.Index], ys = values[y.Index];
        int inPitch = pitch[x.Index], outPitch = pitch[y.Index];
        var activation = fusion.Relu ? TfLiteActivation.None : op.Options.Activation;
        if (op.Kind == TfLiteOperatorKind.DepthwiseConv2d)
        {
            Expect(op.Options.DepthMultiplier == 1 && cout == cin, "only depth multiplier 1 is supported");
            Expect(w.Shape[0] == 1 && w.Shape[3] == cin, $"weight {ShapeText(w.Shape)} does not fit input {ShapeText(x.Shape)}");
            var dg = new DepthwiseConvGeometry(h, wd, cin, kh, kw, stride, padTop, padLeft, oh, ow);
            int lanes = ChannelLastDepthwiseKernel.Lanes(inPitch, outPitch);
            float[] packed = new float[ChannelLastDepthwiseKernel.PackedLength(dg, lanes)];
            ChannelLastDepthwiseKernel.PackWeights(values[w.Index], bias, packed, dg, lanes);
            return () =>
            {
                ChannelLastDepthwiseKernel.Forward(xs, inPitch, packed, ys, outPitch, dg, fusion.Relu);
                Activate(ys, activation);
            };
        }

        Expect(w.Shape[0] == cout && w.Shape[3] == cin, $"weight {ShapeText(w.Shape)} does not fit input {ShapeText(x.Shape)} and output {ShapeText(y.Shape)}");
        var g = new ChannelLastConvGeometry(h, wd, cin, inPitch, kh, kw, stride, padTop, padLeft, oh, ow, cout, outPitch);
        float[] weights = new float[ChannelLastConvKernel.PackedWeightLength(g)], packedBias = new float[ChannelLastConvKernel.PackedBiasLength(g)];
        ChannelLastConvKernel.PackWeights(values[w.Index], bias, weights, packedBias, g);
        float[] residual = fusion.Residual >= 0 ? values[fusion.Residual] : [];
        int residualPitch = fusion.Residual >= 0 ? pitch[fusion.Residual] : 0;
        var table = new nint[ChannelLastConvKernel.TableLength(g)];
        var scratch = new float[ChannelLastConvKernel.ScratchLength(g)];
        return () =>
        {
            ChannelLastConvKernel.Forward(xs, weights, packedBias, residual, residualPitch, ys, g, fusion.Relu, table, scratch);
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
        var (pixels, channels) = Pixels(y);
        int pa = Stride(a), pb = Stride(b), py = Stride(y);
        if (pa == pb && pb == py)
        {
            // The same pitch everywhere: one pass over the buffers (lanes past the channels are 0 + 0).
            return () =>
            {
                TensorPrimitives.Add(av, bv, yv);
                Activate(yv, activation);
            };
        }

        return () =>
        {
            for (int p = 0; p < pixels; p++)
            {
                var target = yv.AsSpan(p * py, channels);
                TensorPrimitives.Add(av.AsSpan(p * pa, channels), bv.AsSpan(p * pb, channels), target);
                Activate(target, activation);
            }
        };
    }

    // Pixels and channels of a tensor: (1,H,W,C) is H·W pixels of C, any other shape is (…, C).
    private static (int Pixels, int Channels) Pixels(TfLiteTensor t)
    {
        int channels = t.Shape.Length == 0 ? 1 : t.Shape[^1];
        return (channels == 0 ? 0 : t.Length / channels, channels);
    }

    // Floats from one pixel to the next.
    private int Stride(TfLiteTensor t) => t.Shape.Length == 4 ? pitch[t.Index] : Pixels(t).Channels;

    private Action PrepareRelu(TfLiteOperator op)
    {
        var (x, y) = (Tensor(op, 0), Out(op));
        Expect(x.Length == y.Length, "input and output sizes differ");
        float[] xv = values[x.Index], yv = values[y.Index];
        var (pixels, channels) = Pixels(y);
        int px = Stride(x), py = Stride(y);
        if (px == py)
        {
            return () => TensorPrimitives.Max(xv, 0f, yv);
        }

        return () =>
        {
            for (int p = 0; p < pixels; p++)
            {
                TensorPrimitives.Max(xv.AsSpan(p * px, channels), 0f, yv.AsSpan(p * py, channels));
            }
        };
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
        int px = pitch[x.Index], py = pitch[y.Index], n = px == py ? px : c;
        if (px == py && sh == sw && ChannelLastMaxPoolKernel.Supports(px) && oh > 0 && ow > 0)
        {
            return () =>
            {
                ChannelLastMaxPoolKernel.Forward(xv, yv, px, h, w, kh, kw, sh, padTop, padLeft, oh, ow);
                Activate(yv, activation);
            };
        }

        return () =>
        {
            for (int oy = 0; oy < oh; oy++)
            {
                for (int ox = 0; ox < ow; ox++)
                {
                    var target = yv.AsSpan(((oy * ow) + ox) * py, n);
                    target.Fill(float.NegativeInfinity);
                    for (int ky = 0; ky < kh; ky++)
                    {
                        int iy = (oy * sh) + ky - padTop;
                        for (int kx = 0; kx < kw; kx++)
                        {
                            int ix = (ox * sw) + kx - padLeft;
                            if (iy >= 0 && iy < h && ix >= 0 && ix < w)
                            {
                                TensorPrimitives.Max(target, xv.AsSpan(((iy * w) + ix) * px, n), target);
                            }
                        }
                    }

                    Activate(target, activation);
                }
            }
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
        int px = pitch[x.Index], py = pitch[y.Index];
        return () =>
        {
            Array.Clear(yv);
            for (int iy = 0; iy < h; iy++)
            {
                for (int ix = 0; ix < w; ix++)
                {
                    xv.AsSpan(((iy * w) + ix) * px, c).CopyTo(yv.AsSpan(((((iy + pad[2]) * ow) + ix + pad[4]) * py) + pad[6]));
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
        int px = pitch[x.Index], py = pitch[y.Index], n = px == py ? px : c;
        return () =>
        {
            for (int oy = 0; oy < oh; oy++)
            {
                var (y0, y1, fy) = ys[oy];
                for (int ox = 0; ox < ow; ox++)
                {
                    // The four neighbours weighted (1 - fx)(1 - fy), fx(1 - fy), (1 - fx)fy, fx·fy, channels as vectors.
                    var (x0, x1, fx) = xs[ox];
                    var target = yv.AsSpan(((oy * ow) + ox) * py, n);
                    TensorPrimitives.Multiply(xv.AsSpan(((y0 * w) + x0) * px, n), (1 - fx) * (1 - fy), target);
                    TensorPrimitives.FusedMultiplyAdd(xv.AsSpan(((y0 * w) + x1) * px, n), fx * (1 - fy), target, target);
                    TensorPrimitives.FusedMultiplyAdd(xv.AsSpan(((y1 * w) + x0) * px, n), (1 - fx) * fy, target, target);
                    TensorPrimitives.FusedMultiplyAdd(xv.AsSpan(((y1 * w) + x1) * px, n), fx * fy, target, target);
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
