using Facemoji.Expressions;
using Facemoji.Imaging;

namespace Facemoji.Web.Analysis;

/// <summary>One face as the server reports it: its box in the image, its reading, and its track id (live frames only).</summary>
public sealed record WebFace(PixelRect Box, ExpressionReading Reading, int? TrackId = null);
