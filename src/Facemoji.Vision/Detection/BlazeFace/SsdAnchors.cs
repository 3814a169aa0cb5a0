namespace Facemoji.Vision.Detection.BlazeFace;

/// <summary>
/// MediaPipe's SSD anchor generation (ssd_anchors_calculator.cc) for fixed-size anchors: consecutive layers with
/// the same stride share one feature map; each layer adds one anchor per aspect ratio (here 1.0) and, when the
/// interpolated scale aspect ratio is positive, one more. Anchors are centres in [0,1] with width and height 1,
/// row by row, anchors of a cell together, in the order the model's outputs use.
/// </summary>
internal static class SsdAnchors
{
    /// <summary>Anchor centres (x, y), normalised.</summary>
    public static (float X, float Y)[] Generate(int inputSize, IReadOnlyList<int> strides, double interpolatedScaleAspectRatio, double offset = 0.5)
    {
        var anchors = new List<(float, float)>();
        int layer = 0;
        while (layer < strides.Count)
        {
            int perCell = 0, last = layer;
            while (last < strides.Count && strides[last] == strides[layer])
            {
                perCell += interpolatedScaleAspectRatio > 0 ? 2 : 1;
                last++;
            }

            int size = (int)Math.Ceiling((double)inputSize / strides[layer]);
            for (int y = 0; y < size; y++)
            {
                for (int x = 0; x < size; x++)
                {
                    for (int a = 0; a < perCell; a++)
                    {
                        anchors.Add(((float)((x + offset) / size), (float)((y + offset) / size)));
                    }
                }
            }

            layer = last;
        }

        return anchors.ToArray();
    }
}
