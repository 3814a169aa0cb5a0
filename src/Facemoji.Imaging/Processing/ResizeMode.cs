namespace Facemoji.Imaging.Processing;

/// <summary>Interpolation of <see cref="Resizer"/>, named after the OpenCV flags they reproduce.</summary>
public enum ResizeMode
{
    /// <summary>cv2.INTER_LINEAR: bilinear with pixel centres aligned ((x + 0.5) * scale - 0.5), edges replicated.</summary>
    Bilinear,

    /// <summary>cv2.INTER_AREA: the average of the covered source area when shrinking (no aliasing); when enlarging, OpenCV's area-style bilinear.</summary>
    Area,
}
