using Facemoji.Engine.Kernels;
using Facemoji.Engine.Randomness;
using Facemoji.Engine.Tensors;

namespace Facemoji.Engine.Modules;

/// <summary>
/// The ResNet basic block: ReLU(BN(conv3x3(ReLU(BN(conv3x3(x))))) + shortcut(x)), where the shortcut is the
/// identity, or a 1x1 convolution + BN when the stride or the channel count changes. Children: "conv1" and
/// "conv2" (<see cref="ConvBn"/>, the first with its ReLU), and "shortcut" when projecting.
/// </summary>
public sealed class ResidualBlock : Module
{
    private Tensor? input, output, gradSum, gradInput;

    public ResidualBlock(int inChannels, int outChannels, SeededRandom rng, int stride = 1)
    {
        First = new ConvBn(inChannels, outChannels, 3, rng, stride, padding: 1, relu: true);
        Second = new ConvBn(outChannels, outChannels, 3, rng, 1, padding: 1, relu: false);
        if (stride != 1 || inChannels != outChannels)
        {
            Shortcut = new ConvBn(inChannels, outChannels, 1, rng, stride, padding: 0, relu: false);
        }
    }

    public ConvBn First { get; }

    public ConvBn Second { get; }

    public ConvBn? Shortcut { get; }

    public override Tensor Forward(Tensor input)
    {
        this.input = input;
        var z = Second.Forward(First.Forward(input));
        var s = Shortcut?.Forward(input) ?? input;
        if (!s.HasShape(z.Shape))
        {
            throw new ArgumentException($"ResidualBlock: the shortcut gives {s} but the main branch {z}.");
        }

        var y = TensorBuffers.Ensure(ref output, z.Shape);
        // y = max(z + s, 0): the add and the ReLU in one pass would need a third operand; two TensorPrimitives passes are cheap here.
        System.Numerics.Tensors.TensorPrimitives.Add(z.Span, s.Span, y.Span);
        ActivationKernels.Relu(y.Span, y.Span);
        return y;
    }

    public override Tensor Backward(Tensor gradOutput)
    {
        var x = TensorBuffers.RequireSaved(input, nameof(ResidualBlock));
        var y = output!;
        var g = TensorBuffers.Ensure(ref gradSum, y.Shape);
        ActivationKernels.ReluBackward(y.Span, gradOutput.Span, g.Span);
        var dxMain = First.Backward(Second.Backward(g));
        var dx = TensorBuffers.Ensure(ref gradInput, x.Shape);
        var dxShort = Shortcut?.Backward(g) ?? g;
        System.Numerics.Tensors.TensorPrimitives.Add(dxMain.Span, dxShort.Span, dx.Span);
        return dx;
    }

    public override IEnumerable<(string Name, Module Module)> Children() =>
        Shortcut == null ? [("conv1", First), ("conv2", Second)] : [("conv1", First), ("conv2", Second), ("shortcut", Shortcut)];
}
