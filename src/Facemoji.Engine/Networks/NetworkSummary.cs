using System.Globalization;
using Facemoji.Engine.Modules;
using Facemoji.Engine.Tensors;

namespace Facemoji.Engine.Networks;

/// <summary>
/// What Keras's <c>summary()</c> shows, for an engine network: each top-level layer with its output shape,
/// parameter count and multiply-adds for one input image, and the totals. Shapes come from a real forward pass
/// of one zero image in evaluation mode; multiply-adds are counted per convolution (out channels x out pixels x
/// in channels x kernel area) and per linear layer (in x out); batch norm, activations and pooling are not
/// counted (the convention of the model card and of most published tables).
/// </summary>
public sealed class NetworkSummary
{
    private NetworkSummary(IReadOnlyList<int> inputShape, IReadOnlyList<Layer> layers)
    {
        InputShape = inputShape;
        Layers = layers;
    }

    /// <summary>One layer: its name in the state dictionary, its kind, a one-line description, (C,H,W) or (F) output, parameters and multiply-adds.</summary>
    public sealed record Layer(string Name, string Kind, string Description, IReadOnlyList<int> OutputShape, long Parameters, long MultiplyAdds);

    /// <summary>(C, H, W) of one input image.</summary>
    public IReadOnlyList<int> InputShape { get; }

    public IReadOnlyList<Layer> Layers { get; }

    public long Parameters => Layers.Sum(l => l.Parameters);

    public long MultiplyAdds => Layers.Sum(l => l.MultiplyAdds);

    /// <summary>Runs one zero image (1, C, H, W) through <paramref name="network"/> (switched to evaluation mode) layer by layer.</summary>
    public static NetworkSummary Of(Module network, int channels, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(network);
        network.Eval();
        var children = network is Sequential ? network.Children().ToList() : [("network", network)];
        var layers = new List<Layer>();
        Tensor x = new(1, channels, height, width);
        foreach (var (name, layer) in children)
        {
            x = layer.Forward(x);
            int[] output = x.Shape[1..];
            long parameters = layer.Parameters().Sum(p => (long)p.Value.Length);
            long macs = MultiplyAddsOf(layer, output);
            layers.Add(new Layer(name, layer.GetType().Name, Describe(layer), output, parameters, macs));
        }

        return new NetworkSummary([channels, height, width], layers);
    }

    public static string Shape(IReadOnlyList<int> shape) => "(" + string.Join(", ", shape) + ")";

    // The convolutions of a top-level layer all produce its output resolution (a residual block's shortcut
    // included); a linear layer's cost is its weight count.
    private static long MultiplyAddsOf(Module layer, int[] output)
    {
        long pixels = output.Length == 3 ? (long)output[1] * output[2] : 1;
        long total = 0;
        foreach (var module in Descendants(layer))
        {
            total += module switch
            {
                Conv2d c => (long)c.OutChannels * pixels * c.InChannels * c.KernelSize * c.KernelSize,
                Linear l => (long)l.InFeatures * l.OutFeatures,
                _ => 0,
            };
        }

        return total;
    }

    private static IEnumerable<Module> Descendants(Module module)
    {
        yield return module;
        foreach (var (_, child) in module.Children())
        {
            foreach (var inner in Descendants(child))
            {
                yield return inner;
            }
        }
    }

    private static string Describe(Module layer) => layer switch
    {
        ConvBn c => string.Create(CultureInfo.InvariantCulture, $"conv {c.Conv.KernelSize}x{c.Conv.KernelSize} {c.Conv.InChannels}->{c.Conv.OutChannels}, stride {c.Conv.Stride}, padding {c.Conv.Padding}, no bias; batch norm{(c.Relu ? "; ReLU" : string.Empty)}"),
        Conv2d c => string.Create(CultureInfo.InvariantCulture, $"conv {c.KernelSize}x{c.KernelSize} {c.InChannels}->{c.OutChannels}, stride {c.Stride}, padding {c.Padding}{(c.Bias is null ? ", no bias" : string.Empty)}"),
        ResidualBlock r => string.Create(CultureInfo.InvariantCulture, $"basic residual block {r.First.Conv.InChannels}->{r.Second.Conv.OutChannels}, stride {r.First.Conv.Stride}, shortcut {(r.Shortcut is null ? "identity" : "conv 1x1 + batch norm")}"),
        MaxPool2d m => string.Create(CultureInfo.InvariantCulture, $"max pool {m.KernelSize}x{m.KernelSize}, stride {m.Stride}"),
        AvgPool2d a => string.Create(CultureInfo.InvariantCulture, $"average pool {a.KernelSize}x{a.KernelSize}, stride {a.Stride}"),
        GlobalAvgPool => "global average pool",
        Dropout d => string.Create(CultureInfo.InvariantCulture, $"dropout {d.P} (training only)"),
        Linear l => string.Create(CultureInfo.InvariantCulture, $"linear {l.InFeatures}->{l.OutFeatures}{(l.Bias is null ? ", no bias" : string.Empty)}"),
        BatchNorm2d b => $"batch norm, {b.Channels} channels",
        _ => layer.GetType().Name,
    };
}
