using Facemoji.Engine.Kernels;

namespace Facemoji.Benchmarks.Gemm;

/// <summary>
/// The shapes of the SGEMM benchmark: squares, and the convolutions of the <c>bench-vgg8</c> network as GEMMs
/// (input 1x48x48, batch 64; stages of two 3x3 pad-1 convolutions with 32, 64, 128, 256 channels at 48², 24²,
/// 12², 6²). A convolution over im2col is forward Y = W·col (M=Cout, K=Cin·9, N=batch·H·W); its backward pass is
/// dW = dY·colᵀ (M=Cout, N=Cin·9, K=batch·H·W, B transposed) and dcol = Wᵀ·dY (M=Cin·9, K=Cout, N=batch·H·W,
/// A transposed). The first layer needs no dcol (its input is the image).
/// bench/gemm_numpy.py lists the same shapes; keep the two in step.
/// </summary>
public static class GemmShapes
{
    public const int VggBatch = 64;

    public static IReadOnlyList<GemmShape> Squares { get; } =
    [
        new("square 256", Transpose.None, Transpose.None, 256, 256, 256),
        new("square 512", Transpose.None, Transpose.None, 512, 512, 512),
        new("square 1024", Transpose.None, Transpose.None, 1024, 1024, 1024),
    ];

    public static IReadOnlyList<GemmShape> VggConvolutions { get; } = BuildVggConvolutions();

    public static IReadOnlyList<GemmShape> All { get; } = [.. Squares, .. VggConvolutions];

    /// <summary>
    /// The shapes of <c>--shapes</c> (all, squares or conv) whose name contains <paramref name="nameFilter"/> (any
    /// case); a filter that leaves none is a clear error.
    /// </summary>
    public static IReadOnlyList<GemmShape> Select(string set, string? nameFilter)
    {
        IReadOnlyList<GemmShape> selected = set switch
        {
            "squares" => Squares,
            "conv" => VggConvolutions,
            _ => All,
        };
        if (nameFilter is null)
        {
            return selected;
        }

        selected = [.. selected.Where(shape => shape.Name.Contains(nameFilter, StringComparison.OrdinalIgnoreCase))];
        return selected.Count > 0 ? selected : throw new FacemojiException($"--filter: no shape name contains \"{nameFilter}\"");
    }

    private static List<GemmShape> BuildVggConvolutions()
    {
        var shapes = new List<GemmShape>();
        (int Channels, int Size)[] stages = [(32, 48), (64, 24), (128, 12), (256, 6)];
        int inputChannels = 1;
        int layer = 1;
        foreach ((int channels, int size) in stages)
        {
            for (int repeat = 0; repeat < 2; repeat++, layer++)
            {
                int depth = inputChannels * 9;
                int pixels = VggBatch * size * size;
                string name = $"conv{layer} {inputChannels}->{channels} @{size}";
                shapes.Add(new($"{name} fwd", Transpose.None, Transpose.None, channels, pixels, depth));
                shapes.Add(new($"{name} dW", Transpose.None, Transpose.Transposed, channels, depth, pixels));
                if (layer > 1)
                {
                    shapes.Add(new($"{name} dcol", Transpose.Transposed, Transpose.None, depth, pixels, channels));
                }

                inputChannels = channels;
            }
        }

        return shapes;
    }
}
