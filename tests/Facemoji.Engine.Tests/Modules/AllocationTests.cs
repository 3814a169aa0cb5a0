using Facemoji.Engine.Modules;
using Facemoji.Engine.Networks;
using Facemoji.Engine.Randomness;
using Facemoji.Engine.Tensors;
using Facemoji.Engine.Tests.Support;
using Xunit.Abstractions;

namespace Facemoji.Engine.Tests.Modules;

/// <summary>
/// After the first step with a given batch size, a training step (zero-grad, forward, loss, backward) reuses every
/// buffer. On one thread it allocates nothing at all (measured on the stepping thread; the process-wide count also
/// includes the test runner's background work, about a kilobyte). With threads, the only allocations are those of
/// Parallel.For inside ParallelRows (its loop state, tasks and the runner), a few hundred bytes per parallel call.
/// </summary>
[Collection("ParallelRows settings")]
public sealed class AllocationTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("bench-vgg8")]
    [InlineData("resnet10")]
    [Trait("Category", "Slow")]
    public void SteadyStateTrainingStepDoesNotAllocate(string architecture)
    {
        var net = Architectures.Create(architecture, new SeededRandom(1));
        var loss = new CrossEntropyLoss(0.1f, [1f, 2f, 1f, 1f, 1f, 1f, 1f]);
        // 16x16 inputs keep the step fast; the buffers behave the same at 48x48.
        var x = new Tensor(TestData.Floats(4 * 16 * 16, 2), 4, 1, 16, 16);
        int[] targets = [0, 1, 5, 6];
        void Step()
        {
            net.ZeroGrad();
            loss.Forward(net.Forward(x), targets);
            net.Backward(loss.Backward());
        }

        int saved = ParallelRows.MaxDegreeOfParallelism;
        try
        {
            ParallelRows.MaxDegreeOfParallelism = 1;
            WarmUp(Step);
            long singleThreaded = AllocationMeter.BytesPerRun(Step, GC.GetAllocatedBytesForCurrentThread);
            long processWide = AllocationMeter.BytesPerRun(Step, () => GC.GetTotalAllocatedBytes(precise: true));
            output.WriteLine($"{architecture}, 1 thread: {singleThreaded} bytes allocated per steady-state step on the stepping thread, {processWide} in the whole process (test runner included)");
            singleThreaded.Should().Be(0);
            processWide.Should().BeLessThan(4096, "the runner's own background work is all that remains");

            ParallelRows.MaxDegreeOfParallelism = 2;
            WarmUp(Step);
            long twoThreads = AllocationMeter.BytesPerRun(Step, () => GC.GetTotalAllocatedBytes(precise: true));
            output.WriteLine($"{architecture}, 2 threads: {twoThreads} bytes allocated per steady-state step (Parallel.For's own state)");
            twoThreads.Should().BeLessThan(128 * 1024, "a few hundred bytes for each of the ~100 parallel kernel calls of a step");

            net.Eval();
            ParallelRows.MaxDegreeOfParallelism = 1;
            WarmUp(() => net.Forward(x));
            long inference = AllocationMeter.BytesPerRun(() => net.Forward(x), GC.GetAllocatedBytesForCurrentThread);
            output.WriteLine($"{architecture}, 1 thread: {inference} bytes allocated per evaluation forward");
            inference.Should().Be(0);
        }
        finally
        {
            ParallelRows.MaxDegreeOfParallelism = saved;
        }
    }

    /// <summary>The first steps size the buffers; a few more let tiered compilation settle.</summary>
    private static void WarmUp(Action step)
    {
        for (int i = 0; i < 4; i++)
        {
            step();
        }
    }
}
