using System.Runtime.InteropServices;

namespace Facemoji.Vision.Detection;

/// <summary>
/// A Haar stump with its feature resolved to offsets from the window origin in the integral buffer (OpenCV's
/// OptFeature + Stump in one record, so one cache line holds what a weak classifier reads). Each rectangle sum is
/// p[A] - p[B] - p[C] + p[D]; tilted rectangles point into the tilted table of the same buffer.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CompiledStump
{
    public int A0, B0, C0, D0;
    public int A1, B1, C1, D1;
    public int A2, B2, C2, D2;
    public float Weight0, Weight1, Weight2;
    public float Threshold;
    public float Left;
    public float Right;
}
