using Facemoji.Engine.Kernels;

namespace Facemoji.Benchmarks.Gemm;

/// <summary>How long the GEMM benchmark runs each shape, and with which micro-kernel.</summary>
/// <param name="JitQuietSeconds">After the warm-up, calls go on until the JIT has compiled no method for this long
/// (0: not waited for), because tiered compilation recompiles the hot methods (ours and the thread pool's) on a
/// background thread during the first second or so, and a product on every core then shares them with the JIT.</param>
/// <param name="JitWaitLimitSeconds">The longest that waiting for the JIT goes on.</param>
public sealed record GemmBenchmarkSettings(
    int WarmupCalls, double WarmupSeconds, int Samples, double SampleSeconds, GemmKernelKind Kernel,
    double JitQuietSeconds = 0, double JitWaitLimitSeconds = 0)
{
    /// <summary>
    /// Seven samples of at least 0.1 s after 0.3 s of warm-up and then until the JIT has been quiet for 0.3 s (at
    /// most 5 s): the median is stable on a busy machine and times the steady state.
    /// </summary>
    public static GemmBenchmarkSettings Full(GemmKernelKind kernel = GemmKernelKind.Auto) => new(2, 0.3, 7, 0.1, kernel, 0.3, 5);

    /// <summary>A short run (about a tenth of the time): for smoke tests and quick comparisons.</summary>
    public static GemmBenchmarkSettings Quick(GemmKernelKind kernel = GemmKernelKind.Auto) => new(1, 0.02, 3, 0.02, kernel);

    /// <summary><see cref="Quick"/> or <see cref="Full"/> for <paramref name="kernel"/>, refused clearly when this CPU (or DOTNET_Enable*) lacks it.</summary>
    public static GemmBenchmarkSettings For(GemmKernelKind kernel, bool quick) =>
        !Engine.Kernels.Gemm.IsSupported(kernel) ? throw new FacemojiException($"--kernel: {kernel} is not supported by this CPU (or is switched off by DOTNET_Enable*)")
        : quick ? Quick(kernel) : Full(kernel);
}
