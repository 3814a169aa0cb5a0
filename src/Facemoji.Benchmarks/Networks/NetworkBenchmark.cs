using System.Diagnostics;
using Facemoji.Engine.Modules;
using Facemoji.Engine.Networks;
using Facemoji.Engine.Optim;
using Facemoji.Engine.Randomness;
using Facemoji.Engine.Tensors;

namespace Facemoji.Benchmarks.Networks;

/// <summary>
/// Speed of a whole network on random 48x48 faces, the same work bench/torch_vgg8.py times in PyTorch:
/// a training step (forward, label-smoothed cross-entropy 0.1, backward, SGD momentum 0.9 Nesterov weight decay
/// 1e-4, zero-grad) in Train mode, or an inference forward in Eval mode (BatchNorm folded).
/// </summary>
public static class NetworkBenchmark
{
    public const string TrainDetail = "forward + cross-entropy (label smoothing 0.1) + backward + SGD (momentum 0.9, nesterov, weight decay 1e-4)";

    public const string InferDetail = "forward in Eval mode (BatchNorm folded into the convolutions)";

    /// <summary>
    /// <c>facemoji bench train</c>: <see cref="Train"/> at each batch size in turn, after checking the architecture
    /// and the batch sizes (1 to 4096) with errors that name them.
    /// </summary>
    public static IReadOnlyList<NetworkComparison> TrainBatches(string architecture, IReadOnlyList<int> batchSizes, int threads, bool quick) =>
        Batches(Train, architecture, batchSizes, threads, quick, compareWithOnnxRuntime: false);

    /// <summary>
    /// <c>facemoji bench infer</c>: <see cref="Infer"/> at each batch size in turn, each followed by the same work in
    /// ONNX Runtime (<see cref="OnnxRuntimeReference"/>) when <paramref name="compareWithOnnxRuntime"/>.
    /// </summary>
    public static IReadOnlyList<NetworkComparison> InferBatches(string architecture, IReadOnlyList<int> batchSizes, int threads, bool quick, bool compareWithOnnxRuntime) =>
        Batches(Infer, architecture, batchSizes, threads, quick, compareWithOnnxRuntime);

    /// <summary>
    /// <c>facemoji bench infer --profile-layers</c>: <see cref="ProfileLayers"/> at each batch size in turn, after the
    /// checks of <see cref="InferBatches"/>.
    /// </summary>
    public static IReadOnlyList<(int Batch, IReadOnlyList<LayerTiming> Layers)> ProfileBatches(string architecture, IReadOnlyList<int> batchSizes, int threads, bool quick)
    {
        CheckArguments(architecture, batchSizes);
        return batchSizes.Select(batch => (batch, ProfileLayers(architecture, batch, threads, quick ? NetworkBenchmarkSettings.Quick : NetworkBenchmarkSettings.Full))).ToList();
    }

    private static List<NetworkComparison> Batches(
        Func<string, int, int, NetworkBenchmarkSettings, NetworkMeasurement> measure, string architecture, IReadOnlyList<int> batchSizes, int threads, bool quick,
        bool compareWithOnnxRuntime)
    {
        CheckArguments(architecture, batchSizes);
        var rows = new List<NetworkComparison>();
        foreach (int batch in batchSizes)
        {
            var ours = measure(architecture, batch, threads, quick ? NetworkBenchmarkSettings.Quick : NetworkBenchmarkSettings.Full);
            var reference = compareWithOnnxRuntime ? OnnxRuntimeReference.Infer(architecture, batch, threads, quick) : null;
            rows.Add(new NetworkComparison(ours, reference));
        }

        return rows;
    }

    private static void CheckArguments(string architecture, IReadOnlyList<int> batchSizes)
    {
        if (!Architectures.Names.Contains(architecture))
        {
            throw new FacemojiException($"--arch: unknown architecture '{architecture}'; known: {string.Join(", ", Architectures.Names)}");
        }

        if (batchSizes.Count == 0 || batchSizes.Any(b => b is < 1 or > 4096))
        {
            throw new FacemojiException($"--batch: {string.Join(" ", batchSizes)} is not a list of batch sizes (1 to 4096)");
        }
    }

    public static NetworkMeasurement Train(string architecture, int batch, int threads, NetworkBenchmarkSettings settings)
    {
        var (net, x, targets) = Setup(architecture, batch, threads);
        var loss = new CrossEntropyLoss(labelSmoothing: 0.1f);
        var optimizer = new Sgd(net.Parameters(), learningRate: 0.01, momentum: 0.9, weightDecay: 1e-4, nesterov: true);
        net.Train();
        void Step()
        {
            net.ZeroGrad();
            loss.Forward(net.Forward(x), targets);
            net.Backward(loss.Backward());
            optimizer.Step();
        }

        return Measure("train", architecture, batch, threads, settings, Step, TrainDetail);
    }

    public static NetworkMeasurement Infer(string architecture, int batch, int threads, NetworkBenchmarkSettings settings)
    {
        var (net, x) = InferenceSetup(architecture, batch, threads);
        return Measure("infer", architecture, batch, threads, settings, () => net.Forward(x), InferDetail);
    }

    /// <summary>
    /// <c>facemoji bench infer --profile-layers</c>: the Eval forward of <paramref name="architecture"/> timed layer by
    /// layer (the network's top-level children, each on the output the previous one gave), in rounds over all layers
    /// for the warm-up and sample time of <paramref name="settings"/>; each layer's shortest forward, so that the
    /// figures of a loaded machine still compare. The last row is the whole forward timed the same way.
    /// </summary>
    public static IReadOnlyList<LayerTiming> ProfileLayers(string architecture, int batch, int threads, NetworkBenchmarkSettings settings)
    {
        var (net, x) = InferenceSetup(architecture, batch, threads);
        var layers = net.Children().ToList();
        var inputs = new Tensor[layers.Count];
        var current = x;
        for (int i = 0; i < layers.Count; i++)
        {
            inputs[i] = current;
            current = layers[i].Module.Forward(current);
        }

        double[] best = Enumerable.Repeat(double.MaxValue, layers.Count + 1).ToArray();
        var watch = Stopwatch.StartNew();
        double warmup = settings.WarmupSeconds, total = warmup + (settings.Samples * settings.SampleSeconds);
        while (watch.Elapsed.TotalSeconds < total)
        {
            bool timing = watch.Elapsed.TotalSeconds >= warmup;
            for (int i = 0; i < layers.Count; i++)
            {
                long start = Stopwatch.GetTimestamp();
                layers[i].Module.Forward(inputs[i]);
                double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
                if (timing)
                {
                    best[i] = Math.Min(best[i], seconds);
                }
            }

            long whole = Stopwatch.GetTimestamp();
            net.Forward(x);
            double wholeSeconds = Stopwatch.GetElapsedTime(whole).TotalSeconds;
            if (timing)
            {
                best[^1] = Math.Min(best[^1], wholeSeconds);
            }
        }

        var rows = layers.Select((layer, i) => new LayerTiming(layer.Name, layer.Module.GetType().Name, string.Join("x", inputs[i].Shape), best[i])).ToList();
        rows.Add(new LayerTiming("forward", net.GetType().Name, string.Join("x", x.Shape), best[^1]));
        return rows;
    }

    /// <summary>
    /// The network (seed 42, Eval mode) and the random batch <see cref="Infer"/> times, so that another runtime
    /// (the ONNX Runtime reference, src/Facemoji.Benchmarks.OnnxRuntime) can time the very same work.
    /// </summary>
    public static (Module Network, Tensor Input) InferenceSetup(string architecture, int batch, int threads)
    {
        var (net, x, _) = Setup(architecture, batch, threads);
        net.Eval();
        return (net, x);
    }

    private static (Module Net, Tensor X, int[] Targets) Setup(string architecture, int batch, int threads)
    {
        if (batch < 1)
        {
            throw new FacemojiException($"--batch: {batch} is not a batch size (1 or more)");
        }

        ParallelRows.MaxDegreeOfParallelism = threads;
        var rng = new SeededRandom(42);
        var net = Architectures.Create(architecture, rng);
        var x = new Tensor(batch, 1, Architectures.InputSize, Architectures.InputSize);
        for (int i = 0; i < x.Length; i++)
        {
            x.Data[i] = (float)rng.NextGaussian();
        }

        int[] targets = new int[batch];
        for (int i = 0; i < batch; i++)
        {
            targets[i] = rng.NextInt(Architectures.Classes);
        }

        return (net, x, targets);
    }

    /// <summary>Warm-up, then the median and best seconds per step over the samples, and the process's peak working set.</summary>
    public static NetworkMeasurement Measure(
        string benchmark, string architecture, int batch, int threads, NetworkBenchmarkSettings settings, Action step, string detail)
    {
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < settings.WarmupSteps || watch.Elapsed.TotalSeconds < settings.WarmupSeconds; i++)
        {
            step();
        }

        watch.Restart();
        step();
        double single = Math.Max(watch.Elapsed.TotalSeconds, 1e-6);
        int stepsPerSample = (int)Math.Clamp(Math.Ceiling(settings.SampleSeconds / single), 1, 100_000);
        var samples = new double[settings.Samples];
        for (int s = 0; s < samples.Length; s++)
        {
            watch.Restart();
            for (int i = 0; i < stepsPerSample; i++)
            {
                step();
            }

            samples[s] = watch.Elapsed.TotalSeconds / stepsPerSample;
        }

        Array.Sort(samples);
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return new NetworkMeasurement(benchmark, architecture, batch, threads, samples[samples.Length / 2], samples[0], samples.Length,
            stepsPerSample, process.PeakWorkingSet64, detail);
    }
}
