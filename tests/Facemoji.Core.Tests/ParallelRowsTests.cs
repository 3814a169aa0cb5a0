using System.Collections.Concurrent;
using Facemoji.Core;

namespace Facemoji.Core.Tests;

public class ParallelRowsTests
{
    [Fact]
    public void NestedLoopsRunInlineOnTheWorkerThread()
    {
        var outerThreads = new ConcurrentDictionary<int, bool>();
        var nestedOnOtherThread = new ConcurrentBag<int>();
        var covered = new int[2 * 8];
        ParallelRows.For(2, 1, new Outer(outerThreads, nestedOnOtherThread, covered));

        nestedOnOtherThread.Should().BeEmpty("a loop inside a loop body must not hand work to other threads");
        covered.Should().AllBeEquivalentTo(1, "every nested item runs exactly once");
        ParallelRows.IsInsideParallelLoop.Should().BeFalse();
    }

    [Fact]
    public void LoopsInsideInlineRunOnTheCallingThread()
    {
        var otherThreads = new ConcurrentBag<int>();
        var covered = new int[64];
        int caller = Environment.CurrentManagedThreadId;

        bool inside = ParallelRows.Inline(() =>
        {
            ParallelRows.For(64, 1, new Inner(caller, otherThreads, covered, 0));
            return ParallelRows.IsInsideParallelLoop;
        });

        inside.Should().BeTrue();
        otherThreads.Should().BeEmpty("a loop inside Inline must not hand work to other threads");
        covered.Should().AllBeEquivalentTo(1, "every item runs exactly once");
        ParallelRows.IsInsideParallelLoop.Should().BeFalse("the scope ends with Inline");
    }

    private readonly struct Outer(ConcurrentDictionary<int, bool> outerThreads, ConcurrentBag<int> nestedOnOtherThread, int[] covered) : IRowOperation
    {
        public void Invoke(int start, int end)
        {
            for (int i = start; i < end; i++)
            {
                outerThreads[Environment.CurrentManagedThreadId] = true;
                ParallelRows.For(8, 1, new Inner(Environment.CurrentManagedThreadId, nestedOnOtherThread, covered, i * 8));
            }
        }
    }

    private readonly struct Inner(int ownerThread, ConcurrentBag<int> nestedOnOtherThread, int[] covered, int offset) : IRowOperation
    {
        public void Invoke(int start, int end)
        {
            if (Environment.CurrentManagedThreadId != ownerThread)
            {
                nestedOnOtherThread.Add(Environment.CurrentManagedThreadId);
            }

            for (int i = start; i < end; i++)
            {
                Interlocked.Increment(ref covered[offset + i]);
            }
        }
    }
}
