namespace Facemoji.Vision.Detection.BlazeFace;

/// <summary>A decoded detection in the model's input square, normalised to [0,1]: box corners, six keypoints, score.</summary>
internal sealed record RawDetection(float XMin, float YMin, float XMax, float YMax, float[] Keypoints, float Score)
{
    public float Width => XMax - XMin;

    public float Height => YMax - YMin;

    public float IoU(RawDetection other)
    {
        float ix = Math.Min(XMax, other.XMax) - Math.Max(XMin, other.XMin);
        float iy = Math.Min(YMax, other.YMax) - Math.Max(YMin, other.YMin);
        if (ix <= 0 || iy <= 0)
        {
            return 0;
        }

        float inter = ix * iy, union = (Width * Height) + (other.Width * other.Height) - inter;
        return union > 0 ? inter / union : 0;
    }
}
