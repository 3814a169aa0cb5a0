namespace Facemoji.Imaging.Processing;

/// <summary>
/// The BT.601 luma weights in the 15-bit fixed point of OpenCV 4's cvtColor RGB2GRAY for 8-bit images:
/// gray = (R*9798 + G*19235 + B*3735 + 16384) >> 15. The weights sum to 32768, so R = G = B = v gives v exactly.
/// (The older 14-bit weights 4899/9617/1868 differ from OpenCV 4.6 by 1 on about 0.04% of the astronaut's
/// pixels; these match it on every pixel.) The classifier sees gray made this way, so every path to gray uses it.
/// </summary>
internal static class GrayWeights
{
    public const int Red = 9798;
    public const int Green = 19235;
    public const int Blue = 3735;
    public const int Shift = 15;
    public const int Half = 1 << (Shift - 1);

    public static byte Luma(int red, int green, int blue) => (byte)((red * Red + green * Green + blue * Blue + Half) >> Shift);
}
