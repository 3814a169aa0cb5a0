namespace Facemoji.Vision.Detection.BlazeFace;

/// <summary>
/// From the model's raw outputs to faces, as MediaPipe's TensorsToDetectionsCalculator and
/// NonMaxSuppressionCalculator (WEIGHTED) do with the face detection graphs' options: per anchor 16 values
/// (x, y, w, h offsets, then six keypoints as x, y), scaled by the input size, relative to the anchor centre;
/// scores are the sigmoid of the logit clipped to ±100 and kept from the model's threshold. Overlapping
/// detections (IoU above 0.3) are merged: the best one's score, the score-weighted mean of the boxes and points.
/// </summary>
internal static class BlazeFaceDecoder
{
    public const int ValuesPerAnchor = 16;
    public const int Keypoints = 6;

    // regressors (A,16), scores (A) -> detections above the threshold, normalised to the input square.
    public static List<RawDetection> Decode(ReadOnlySpan<float> regressors, ReadOnlySpan<float> scores, (float X, float Y)[] anchors, int inputSize, double minScore)
    {
        var found = new List<RawDetection>();
        Decode(regressors, scores, anchors, inputSize, minScore, found);
        return found;
    }

    /// <summary>The same into <paramref name="found"/> (cleared first), so that a look that finds nothing allocates nothing.</summary>
    public static void Decode(ReadOnlySpan<float> regressors, ReadOnlySpan<float> scores, (float X, float Y)[] anchors, int inputSize, double minScore, List<RawDetection> found)
    {
        found.Clear();
        float scale = inputSize;

        // Most anchors' logits are far below the threshold's: those skip the exponential (the margin keeps every
        // anchor the sigmoid would keep).
        double minLogit = minScore > 0 && minScore < 1 ? Math.Log(minScore / (1 - minScore)) - 0.01 : double.NegativeInfinity;
        for (int a = 0; a < anchors.Length; a++)
        {
            if (scores[a] < minLogit)
            {
                continue;
            }

            float logit = Math.Clamp(scores[a], -100f, 100f);
            float score = 1f / (1f + MathF.Exp(-logit));
            if (score < minScore)
            {
                continue;
            }

            var r = regressors.Slice(a * ValuesPerAnchor, ValuesPerAnchor);
            float cx = (r[0] / scale) + anchors[a].X, cy = (r[1] / scale) + anchors[a].Y;
            float w = r[2] / scale, h = r[3] / scale;
            if (!(w > 0 && h > 0))
            {
                continue;
            }

            var points = new float[2 * Keypoints];
            for (int k = 0; k < Keypoints; k++)
            {
                points[2 * k] = (r[4 + (2 * k)] / scale) + anchors[a].X;
                points[(2 * k) + 1] = (r[5 + (2 * k)] / scale) + anchors[a].Y;
            }

            found.Add(new RawDetection(cx - (w / 2), cy - (h / 2), cx + (w / 2), cy + (h / 2), points, score));
        }
    }

    /// <summary>MediaPipe's weighted non-maximum suppression, best score first.</summary>
    public static List<RawDetection> WeightedNonMaxSuppression(IEnumerable<RawDetection> detections, double minSuppressionThreshold)
    {
        var remaining = detections.OrderByDescending(d => d.Score).ToList();
        var result = new List<RawDetection>();
        while (remaining.Count > 0)
        {
            var best = remaining[0];
            var cluster = new List<RawDetection>();
            var rest = new List<RawDetection>();
            foreach (var d in remaining)
            {
                (best.IoU(d) > minSuppressionThreshold ? cluster : rest).Add(d);
            }

            float total = cluster.Sum(d => d.Score);
            float Mean(Func<RawDetection, float> value) => cluster.Sum(d => value(d) * d.Score) / total;
            var points = new float[best.Keypoints.Length];
            for (int i = 0; i < points.Length; i++)
            {
                points[i] = Mean(d => d.Keypoints[i]);
            }

            result.Add(new RawDetection(Mean(d => d.XMin), Mean(d => d.YMin), Mean(d => d.XMax), Mean(d => d.YMax), points, best.Score));
            remaining = rest;
        }

        return result;
    }
}
