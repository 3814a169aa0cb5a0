using Facemoji.Engine.Threading;

namespace Facemoji.Engine.Kernels;

/// <summary>
/// One thread's share of an SGEMM: rectangle <c>index</c> of a rowParts x columnParts grid over C, with
/// rectangle edges on whole MR x NR tiles so that no tile is split between threads.
/// </summary>
internal readonly struct GemmPartitionOperation<TKernel>(
    GemmProblem problem, int rowPanels, int columnPanels, int rowParts, int columnParts) : IRowOperation
    where TKernel : struct, IGemmMicroKernel
{
    public void Invoke(int start, int end)
    {
        TKernel kernel = default;
        for (int index = start; index < end; index++)
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
