using System.Diagnostics;
using System.Runtime;
using Facemoji.Engine.Kernels;
using Facemoji.Engine.Randomness;

namespace Facemoji.Benchmarks.Gemm;

/// <summary>
/// Times <see cref="Engine.Kernels.Gemm.Sgemm(Transpose, Transpose, int, int, int, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, Span{float}, int, bool, int, GemmKernelKind)"/>
/// on each shape: warm-up calls first (JIT tiers, packing buffers, page faults), then, in a full run, more calls
/// until the JIT has gone quiet, then several samples of enough
/// calls to last <see cref="GemmBenchmarkSettings.SampleSeconds"/>, reporting the median sample per call.
/// </summary>
public static class GemmBenchmark
{
    public static IEnumerable<GemmMeasurement> Run(
        IEnumerable<GemmShape> shapes, IReadOnlyList<int> threadCounts, GemmBenchmarkSettings settings)
    {
        foreach (GemmShape shape in shapes)
        {
            float[] a = RandomMatrix((long)shape.M * shape.K, 1);
            float[] b = RandomMatrix((long)shape.K * shape.N, 2);
            float[] c = new float[(long)shape.M * shape.N];
            foreach (int threads in threadCounts)
            {
                yield return Measure(shape, threads, settings, a, b, c);
            }
        }
    }

    private static GemmMeasurement Measure(GemmShape shape, int threads, GemmBenchmarkSettings settings, float[] a, float[] b, float[] c)
    {
        void Call() => Engine.Kernels.Gemm.Sgemm(
            shape.TransA, shape.TransB, shape.M, shape.N, shape.K, a, shape.Lda, b, shape.Ldb, c, shape.N,
            accumulate: false, threads, settings.Kernel);

        var watch = Stopwatch.StartNew();
        for (int warmup = 0; warmup < settings.WarmupCalls || watch.Elapsed.TotalSeconds < settings.WarmupSeconds; warmup++)
        {
            Call();
        }

        WaitForQuietJit(Call, settings);
        watch.Restart();
        Call();
        double single = Math.Max(watch.Elapsed.TotalSeconds, 1e-7);
        int callsPerSample = (int)Math.Clamp(Math.Ceiling(settings.SampleSeconds / single), 1, 100_000);

        var samples = new double[settings.Samples];
        for (int sample = 0; sample < samples.Length; sample++)
        {
            watch.Restart();
            for (int call = 0; call < callsPerSample; call++)
            {
                Call();
            }

            samples[sample] = watch.Elapsed.TotalSeconds / callsPerSample;
        }

        Array.Sort(samples);
        return new GemmMeasurement(shape, threads, settings.Kernel, samples[samples.Length / 2], samples[0], samples.Length, callsPerSample);
    }

    // Calls on until no method has been JIT-compiled (on any thread) for settings.JitQuietSeconds, at most
    // settings.JitWaitLimitSeconds. Tiered compilation recompiles the methods that a call runs, the thread pool's
    // included, on a background thread for about a second after start; meanwhile a 2-thread product on a 2-core
    // machine loses part of a core to it, while a 1-thread product does not.
    private static void WaitForQuietJit(Action call, GemmBenchmarkSettings settings)
    {
        var total = Stopwatch.StartNew();
        var quiet = Stopwatch.StartNew();
        long compiled = JitInfo.GetCompiledMethodCount();
        while (quiet.Elapsed.TotalSeconds < settings.JitQuietSeconds && total.Elapsed.TotalSeconds < settings.JitWaitLimitSeconds)
        {
            call();
            long now = JitInfo.GetCompiledMethodCount();
            if (now != compiled)
            {
                compiled = now;
                quiet.Restart();
            }
        }
    }

    private static float[] RandomMatrix(long length, ulong seed)
    {
        var random = new SeededRandom(seed);
        var values = GC.AllocateUninitializedArray<float>(checked((int)length));
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = random.NextFloat(-1f, 1f);
        }

        return values;
    }
}
