using Facemoji.Engine.Kernels;

namespace Facemoji.Engine.Tests.Kernels;

[Trait("Category", "Kernels")]
public class GemmPanelTransposeTests
{
    // Panel widths of every kernel (MR 4/6/8, NR 4/8/16/32), every row count up to the width, depths below,
    // at and past the 8-step blocks of the register transposes.
    [Theory]
    [InlineData(4)]
    [InlineData(6)]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(32)]
    public unsafe void PackInterleavesRowsZeroPadsAndWritesNothingPastThePanel(int width)
    {
        const float Guard = -7.5f;
        const nint Ld = 70;
        foreach (int kc in new[] { 1, 7, 8, 9, 16, 21, 64 })
        {
            for (int rows = 1; rows <= width; rows++)
            {
                float[] source = new float[rows * Ld];
                for (int i = 0; i < source.Length; i++)
                {
                    source[i] = i + 1;
                }

                // The panel sits between guard regions that must survive.
                float[] destination = new float[16 + kc * width + 16];
                Array.Fill(destination, Guard);
                fixed (float* src = source, dst = destination)
                {
                    GemmPanelTranspose.Pack(src, Ld, rows, width, kc, dst + 16);
                }

                for (int i = 0; i < destination.Length; i++)
                {
                    int offset = i - 16;
                    float expected = offset < 0 || offset >= kc * width ? Guard
                        : offset % width < rows ? source[offset % width * Ld + offset / width]
                        : 0f;
                    if (destination[i] != expected)
                    {
                        destination[i].Should().Be(expected, $"width {width}, rows {rows}, kc {kc}, panel offset {offset}");
                    }
                }
            }
        }
    }
}
