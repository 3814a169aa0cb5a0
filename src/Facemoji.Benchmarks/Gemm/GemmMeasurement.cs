using Facemoji.Engine.Kernels;

namespace Facemoji.Benchmarks.Gemm;

/// <summary>The timing of one shape on a number of threads: median and best of the samples, per call.</summary>
public sealed record GemmMeasurement(
    GemmShape Shape, int Threads, GemmKernelKind Kernel, double MedianSeconds, double BestSeconds, int Samples, int CallsPerSample)
{
    /// <summary>GFLOP/s at the median time.</summary>
    public double Gflops => Shape.Flops / MedianSeconds / 1e9;
}
