using System.Runtime.InteropServices;

namespace Facemoji.Vision.Detection;

/// <summary>A Haar tree node with resolved offsets (see <see cref="CompiledStump"/>); children as in OpenCV's DTreeNode.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CompiledNode
{
    public int A0, B0, C0, D0;
    public int A1, B1, C1, D1;
    public int A2, B2, C2, D2;
    public float Weight0, Weight1, Weight2;
    public float Threshold;
    public int Left;
    public int Right;
}
