using Facemoji.Expressions;
using Facemoji.Imaging;

namespace Facemoji.Pipeline;

/// <summary>One face in an image: where it is and what it expresses.</summary>
public sealed record FaceAnalysis(PixelRect Box, ExpressionReading Reading);
