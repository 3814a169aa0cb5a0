namespace Facemoji.Core;

/// <summary>
/// The body of a parallel loop, as a struct so that the JIT specialises and inlines it
/// (the ImageSharp pattern): no delegate, no closure, no allocation per call.
/// </summary>
public interface IRowOperation
{
    /// <summary>Processes rows [start, end).</summary>
    void Invoke(int start, int end);
}
