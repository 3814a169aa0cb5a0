
namespace Facemoji.Engine.Kernels;

/// <summary>
/// One thread's loop of an SGEMM: takes rectangle after rectangle of a rowParts x columnParts grid over C from the
/// shared counter <c>nextPart</c> (so a thread slowed by other work simply takes fewer), with rectangle edges on
/// whole MR x NR tiles so that no tile is split between threads. The ParallelRows range is ignored: it only
/// decides how many threads run this loop.
/// </summary>
internal readonly unsafe struct GemmPartitionOperation<TKernel>(
    GemmProblem problem, int rowPanels, int columnPanels, int rowParts, int columnParts, int* nextPart) : IRowOperation
    where TKernel : struct, IGemmMicroKernel
{
    public void Invoke(int start, int end)
    {
        TKernel kernel = default;
        int parts = rowParts * columnParts;
        int index;
        while ((index = Interlocked.Increment(ref *nextPart) - 1) < parts)
        {
            int rowPart = index / columnParts;
            int columnPart = index % columnParts;
            int rowStart = (int)((long)rowPanels * rowPart / rowParts) * kernel.Rows;
            int rowEnd = Math.Min(problem.M, (int)((long)rowPanels * (rowPart + 1) / rowParts) * kernel.Rows);
            int colStart = (int)((long)columnPanels * columnPart / columnParts) * kernel.Columns;
            int colEnd = Math.Min(problem.N, (int)((long)columnPanels * (columnPart + 1) / columnParts) * kernel.Columns);
            if (rowEnd > rowStart && colEnd > colStart)
            {
                GemmDriver<TKernel>.Run(problem, rowStart, rowEnd, colStart, colEnd);
            }
        }
    }
}
