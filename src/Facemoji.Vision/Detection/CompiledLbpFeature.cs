using System.Runtime.InteropServices;

namespace Facemoji.Vision.Detection;

/// <summary>
/// An MB-LBP feature resolved to the 16 corner offsets of its 3x3 block grid (OpenCV's LBPEvaluator::OptFeature:
/// offset r*4+c is corner column c, row r), plus the split it feeds: the 256-bit subset (8 ints) and the two
/// leaves (stumps: Leaves[1] when the code's subset bit is set, i.e. OpenCV's left, else Leaves[0]) or the
/// child indices (trees).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CompiledLbpFeature
{
    public fixed int Offsets[16];
    public fixed int Subset[8];
    public fixed float Leaves[2];
    public int LeftChild;
    public int RightChild;
}
