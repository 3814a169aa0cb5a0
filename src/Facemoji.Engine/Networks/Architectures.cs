using Facemoji.Engine.Modules;
using Facemoji.Engine.Randomness;

namespace Facemoji.Engine.Networks;

/// <summary>
/// The named networks the trainer and the benchmarks can build. Every network takes (N,1,48,48) gray faces and
/// gives (N,7) logits. The same name and seed give the same weights. Add an architecture by adding an entry.
/// </summary>
public static class Architectures
{
    public const int InputSize = 48;

    public const int Classes = 7;

    private static readonly Dictionary<string, (string Description, Func<SeededRandom, Module> Build)> Registry = new(StringComparer.Ordinal)
    {
        ["bench-vgg8"] = ("VGG-style, 4 stages x 2 conv3x3-BN-ReLU (32/64/128/256), max-pool, GAP, dropout 0.3, linear; 1,174,439 parameters",
            rng => Vgg(rng, [32, 64, 128, 256], convsPerStage: 2, dropout: 0.3f)),
        ["vgg8-wide"] = ("bench-vgg8 with 64/128/256/512 channels",
            rng => Vgg(rng, [64, 128, 256, 512], convsPerStage: 2, dropout: 0.4f)),
        ["vgg12"] = ("VGG-style, 4 stages x 3 conv3x3-BN-ReLU (32/64/128/256)",
            rng => Vgg(rng, [32, 64, 128, 256], convsPerStage: 3, dropout: 0.3f)),
        ["resnet10"] = ("ResNet-style: conv3x3-BN-ReLU stem (32), 4 stages of one basic residual block (32/64/128/256, stride 2 from stage 2), GAP, dropout 0.3, linear",
            rng => ResNet(rng, [32, 64, 128, 256], blocksPerStage: 1, dropout: 0.3f)),
    };

    public static IReadOnlyCollection<string> Names => Registry.Keys;

    public static string Describe(string name) => Find(name).Description;

    public static Module Create(string name, SeededRandom rng) => Find(name).Build(rng);

    private static (string Description, Func<SeededRandom, Module> Build) Find(string name) =>
        Registry.TryGetValue(name, out var entry)
            ? entry
            : throw new FacemojiException($"Unknown architecture '{name}'; known: {string.Join(", ", Registry.Keys)}.");

    /// <summary>Stages of conv3x3(pad 1, no bias)-BN-ReLU; a 2x2 max-pool after every stage but the last; GAP; dropout; linear.</summary>
    private static Sequential Vgg(SeededRandom rng, int[] widths, int convsPerStage, float dropout)
    {
        var net = new Sequential();
        int channels = 1;
        for (int stage = 0; stage < widths.Length; stage++)
        {
            for (int i = 0; i < convsPerStage; i++)
            {
                var block = new ConvBn(channels, widths[stage], 3, rng, stride: 1, padding: 1, relu: true);
                // The network input needs no gradient: skip that work on the very first convolution.
                block.ComputeInputGradient = net.Count > 0;
                net.Add(block);
                channels = widths[stage];
            }

            if (stage < widths.Length - 1)
            {
                net.Add(new MaxPool2d(2));
            }
        }

        net.Add(new GlobalAvgPool());
        net.Add(new Dropout(dropout, rng.Fork(0xD0)));
        net.Add(new Linear(channels, Classes, rng));
        return net;
    }

    private static Sequential ResNet(SeededRandom rng, int[] widths, int blocksPerStage, float dropout)
    {
        var stem = new ConvBn(1, widths[0], 3, rng, stride: 1, padding: 1, relu: true) { ComputeInputGradient = false };
        var net = new Sequential(stem);
        int channels = widths[0];
        for (int stage = 0; stage < widths.Length; stage++)
        {
            for (int i = 0; i < blocksPerStage; i++)
            {
                int stride = stage > 0 && i == 0 ? 2 : 1;
                net.Add(new ResidualBlock(channels, widths[stage], rng, stride));
                channels = widths[stage];
            }
        }

        net.Add(new GlobalAvgPool());
        net.Add(new Dropout(dropout, rng.Fork(0xD0)));
        net.Add(new Linear(channels, Classes, rng));
        return net;
    }
}
