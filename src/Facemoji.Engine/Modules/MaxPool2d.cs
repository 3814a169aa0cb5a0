using Facemoji.Engine.Kernels;
using Facemoji.Engine.Tensors;

namespace Facemoji.Engine.Modules;

/// <summary>Max pooling (nn.MaxPool2d: stride defaults to the kernel size, floor mode); backward scatters through the saved argmax.</summary>
public sealed class MaxPool2d : Module
{
    private Tensor? output, gradInput;
    private int[]? argmax;
    private PoolGeometry geometry;

    public MaxPool2d(int kernelSize, int? stride = null, int padding = 0)
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
        TensorBuffers.RequireRank(input, 4, nameof(MaxPool2d));
        var g = new PoolGeometry(input[0], input[1], input[2], input[3], KernelSize, Stride, Padding);
        if (g != geometry)
        {
            g.Validate();
            geometry = g;
        }

        var y = TensorBuffers.Ensure(ref output, [g.Batch, g.Channels, g.OutHeight, g.OutWidth]);
        MaxPool2dKernel.Forward(input.Data, y.Data, TensorBuffers.Ensure(ref argmax, g.OutputLength), g);
        return y;
    }

    public override Tensor Backward(Tensor gradOutput)
    {
        TensorBuffers.RequireSaved(output, nameof(MaxPool2d));
        var g = geometry;
        var dx = TensorBuffers.Ensure(ref gradInput, [g.Batch, g.Channels, g.Height, g.Width]);
        MaxPool2dKernel.Backward(gradOutput.Data, argmax!, dx.Data, g);
        return dx;
    }
}
