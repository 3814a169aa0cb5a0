namespace Facemoji.Vision.Cascades;

/// <summary>The feature family a cascade was trained on (OpenCV's <c>featureType</c>).</summary>
public enum CascadeFeatureType
{
    /// <summary>Haar-like rectangle features (upright and 45° tilted), variance normalised.</summary>
    Haar,

    /// <summary>Multi-block local binary patterns: an 8-bit code looked up in a 256-bit subset.</summary>
    Lbp,
}
