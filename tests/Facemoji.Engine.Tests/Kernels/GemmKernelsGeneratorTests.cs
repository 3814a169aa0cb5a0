using System.Diagnostics;

namespace Facemoji.Engine.Tests.Kernels;

/// <summary>The Gemm*MicroKernel.cs files are generated: they must be exactly what tools/gen_gemm_kernels.py writes.</summary>
// Runs the Python generator in a process of its own: make test, not test-fast.
[Trait("Category", "Slow")]
public sealed class GemmKernelsGeneratorTests
{
    [Fact]
    public void The_committed_micro_kernels_are_what_the_generator_writes()
    {
        string script = Path.Combine(RepositoryRoot(), "tools", "gen_gemm_kernels.py");
        var start = new ProcessStartInfo("python3") { ArgumentList = { script, "--check" }, UseShellExecute = false };
        using var process = Process.Start(start)!;
        process.WaitForExit(TimeSpan.FromMinutes(1)).Should().BeTrue();
        process.ExitCode.Should().Be(0, "a src/Facemoji.Engine/Kernels/Gemm*MicroKernel.cs differs from the generator's output: rerun tools/gen_gemm_kernels.py");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "tools", "gen_gemm_kernels.py")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("No tools/gen_gemm_kernels.py above the test folder.");
    }
}
