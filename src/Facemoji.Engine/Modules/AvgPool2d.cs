using Facemoji.Engine.Kernels;
using Facemoji.Engine.Tensors;

namespace Facemoji.Engine.Modules;

/// <summary>Average pooling (nn.AvgPool2d: stride defaults to the kernel size, count_include_pad=True, floor mode).</summary>
public sealed class AvgPool2d : Module
{
    private Tensor? output, gradInput;
    private PoolGeometry geometry;

    public AvgPool2d(int kernelSize, int? stride = null, int padding = 0)
    {
        KernelSize = kernelSize;
        Stride = stride ?? kernelSize;
        Padding = padding;
    }

    public int KernelSize { get; }

    public int Stride { get; }

    public int Padding { get; }

    public override Tensor Forward(Tensor input)
    {
        TensorBuffers.RequireRank(input, 4, nameof(AvgPool2d));
        var g = new PoolGeometry(input[0], input[1], input[2], input[3], KernelSize, Stride, Padding);
        if (g != geometry)
        {
            g.Validate();
            geometry = g;
        }

        var y = TensorBuffers.Ensure(ref output, [g.Batch, g.Channels, g.OutHeight, g.OutWidth]);
        AvgPool2dKernel.Forward(input.Data, y.Data, g);
        return y;
    }

    public override Tensor Backward(Tensor gradOutput)
    {
        TensorBuffers.RequireSaved(output, nameof(AvgPool2d));
        var g = geometry;
        var dx = TensorBuffers.Ensure(ref gradInput, [g.Batch, g.Channels, g.Height, g.Width]);
        AvgPool2dKernel.Backward(gradOutput.Data, dx.Data, g);
        return dx;
    }
}
