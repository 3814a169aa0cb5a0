using Facemoji.Engine.Kernels;
using Facemoji.Engine.Tests.Support;

namespace Facemoji.Engine.Tests.Kernels;

/// <summary>
/// The channel-last max pool on pitched pixels against plain loops: 2x2 stride 2 (BlazeFace's), 3x3 stride 1 and 2
/// with padding that must not count, odd map sizes, lanes past the channels staying zero.
/// </summary>
[Trait("Category", "Kernels")]
public sealed class ChannelLastMaxPoolKernelTests
{
    [Theory]
    [InlineData(8, 8, 28, 2, 2, 0)]
    [InlineData(7, 5, 3, 2, 2, 0)]
    [InlineData(6, 6, 40, 3, 1, 1)]
    [InlineData(9, 7, 17, 3, 2, 1)]
    [InlineData(1, 1, 5, 1, 1, 0)]
    public void ForwardMatchesPlainLoops(int h, int w, int c, int k, int stride, int pad)
    {
        int pitch = ChannelLastConvKernel.PaddedPitch(c);
        int oh = ((h + (2 * pad) - k) / stride) + 1, ow = ((w + (2 * pad) - k) / stride) + 1;
        float[] x = ChannelLastConvKernelTests.Pitched(TestData.Floats(h * w * c, 71), c, pitch);
        float[] y = Enumerable.Repeat(float.NaN, oh * ow * pitch).ToArray();
        ChannelLastMaxPoolKernel.Forward(x, y, pitch, h, w, k, k, stride, pad, pad, oh, ow);
        for (int oy = 0; oy < oh; oy++)
        {
            for (int ox = 0; ox < ow; ox++)
            {
                for (int ch = 0; ch < pitch; ch++)
                {
                    float best = float.NegativeInfinity;
                    for (int ky = 0; ky < k; ky++)
                    {
                        for (int kx = 0; kx < k; kx++)
                        {
                            int iy = (oy * stride) + ky - pad, ix = (ox * stride) + kx - pad;
                            if (iy >= 0 && iy < h && ix >= 0 && ix < w)
                            {
                                best = Math.Max(best, x[(((iy * w) + ix) * pitch) + ch]);
                            }
                        }
                    }

                    y[(((oy * ow) + ox) * pitch) + ch].Should().Be(ch < c ? best : 0f, $"pixel ({oy}, {ox}) channel {ch}");
                }
            }
        }
    }
}
