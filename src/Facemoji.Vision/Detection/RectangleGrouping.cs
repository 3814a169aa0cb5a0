using Facemoji.Imaging;

namespace Facemoji.Vision.Detection;

/// <summary>
/// OpenCV's <c>groupRectangles</c> (objdetect, 4.6): cluster raw detections with <c>partition</c> and the
/// <c>SimilarRects</c> predicate, average each cluster, drop clusters with too few members, then drop a cluster
/// lying inside a stronger one. Float and rounding steps follow OpenCV so that the boxes match to the pixel.
/// </summary>
internal static class RectangleGrouping
{
    /// <summary>OpenCV's GROUP_EPS for detectMultiScale.</summary>
    public const double DefaultEps = 0.2;

    /// <summary>Groups <paramref name="rects"/>; with <paramref name="groupThreshold"/> &lt;= 0 the input is returned unchanged.</summary>
    public static List<PixelRect> Group(IReadOnlyList<PixelRect> rects, int groupThreshold, double eps = DefaultEps) =>
        GroupWithNeighbours(rects, groupThreshold, eps).Select(g => g.Box).ToList();

    /// <summary>
    /// As <see cref="Group"/> (the same boxes in the same order), each with its neighbour count: how many raw
    /// detections its cluster held, OpenCV's <c>weights</c> of <c>groupRectangles</c>. A face draws many
    /// overlapping hits across positions and scales; a chance pattern few, so the count is the cascade's confidence.
    /// With <paramref name="groupThreshold"/> &lt;= 0 the input is returned unchanged, each with count 1.
    /// </summary>
    public static List<(PixelRect Box, int Neighbours)> GroupWithNeighbours(IReadOnlyList<PixelRect> rects, int groupThreshold, double eps = DefaultEps)
    {
        if (groupThreshold <= 0 || rects.Count == 0)
        {
            return rects.Select(r => (r, 1)).ToList();
        }

        int[] labels = Partition(rects, eps, out int classCount);

        var sumX = new int[classCount];
        var sumY = new int[classCount];
        var sumW = new int[classCount];
        var sumH = new int[classCount];
        var counts = new int[classCount];
        for (int i = 0; i < labels.Length; i++)
        {
            int c = labels[i];
            sumX[c] += rects[i].X;
            sumY[c] += rects[i].Y;
            sumW[c] += rects[i].Width;
            sumH[c] += rects[i].Height;
            counts[c]++;
        }

        var averaged = new PixelRect[classCount];
        for (int c = 0; c < classCount; c++)
        {
            // OpenCV: float s = 1.f/n; saturate_cast<int>(r.x*s), i.e. a float product rounded half to even.
            float s = 1f / counts[c];
            averaged[c] = new PixelRect(RoundFloat(sumX[c] * s), RoundFloat(sumY[c] * s), RoundFloat(sumW[c] * s), RoundFloat(sumH[c] * s));
        }

        var result = new List<(PixelRect Box, int Neighbours)>();
        for (int i = 0; i < classCount; i++)
        {
            PixelRect r1 = averaged[i];
            int n1 = counts[i];
            if (n1 <= groupThreshold)
            {
                continue;
            }

            bool insideStronger = false;
            for (int j = 0; j < classCount; j++)
            {
                int n2 = counts[j];
                if (j == i || n2 <= groupThreshold)
                {
                    continue;
                }

                PixelRect r2 = averaged[j];
                int dx = RoundDouble(r2.Width * eps);
                int dy = RoundDouble(r2.Height * eps);
                if (r1.X >= r2.X - dx && r1.Y >= r2.Y - dy &&
                    r1.X + r1.Width <= r2.X + r2.Width + dx &&
                    r1.Y + r1.Height <= r2.Y + r2.Height + dy &&
                    (n2 > Math.Max(3, n1) || n1 < 3))
                {
                    insideStronger = true;
                    break;
                }
            }

            if (!insideStronger)
            {
                result.Add((r1, n1));
            }
        }

        return result;
    }

    /// <summary>OpenCV's SimilarRects: every edge within eps * mean of the smaller width and height.</summary>
    public static bool AreSimilar(PixelRect r1, PixelRect r2, double eps)
    {
        double delta = eps * (Math.Min(r1.Width, r2.Width) + Math.Min(r1.Height, r2.Height)) * 0.5;
        return Math.Abs(r1.X - r2.X) <= delta &&
               Math.Abs(r1.Y - r2.Y) <= delta &&
               Math.Abs(r1.X + r1.Width - r2.X - r2.Width) <= delta &&
               Math.Abs(r1.Y + r1.Height - r2.Y - r2.Height) <= delta;
    }

    /// <summary>
    /// OpenCV's <c>cv::partition</c>: union-find over all similar pairs; classes are numbered in the order their
    /// first member appears, so the output order matches OpenCV's for the same input order.
    /// </summary>
    internal static int[] Partition(IReadOnlyList<PixelRect> rects, double eps, out int classCount)
    {
        int n = rects.Count;
        var parent = new int[n];
        var rank = new int[n];
        Array.Fill(parent, -1);

        for (int i = 0; i < n; i++)
        {
            int root = Find(parent, i);
            for (int j = 0; j < n; j++)
            {
                if (i == j || !AreSimilar(rects[i], rects[j], eps))
                {
                    continue;
                }

                int root2 = Find(parent, j);
                if (root2 == root)
                {
                    continue;
                }

                if (rank[root] > rank[root2])
                {
                    parent[root2] = root;
                }
                else
                {
                    parent[root] = root2;
                    rank[root2] += rank[root] == rank[root2] ? 1 : 0;
                    root = root2;
                }

                Compress(parent, j, root);
                Compress(parent, i, root);
            }
        }

        var labels = new int[n];
        var classOfRoot = new int[n];
        Array.Fill(classOfRoot, -1);
        classCount = 0;
        for (int i = 0; i < n; i++)
        {
            int root = Find(parent, i);
            if (classOfRoot[root] < 0)
            {
                classOfRoot[root] = classCount++;
            }

            labels[i] = classOfRoot[root];
        }

        return labels;
    }

    private static int Find(int[] parent, int i)
    {
        while (parent[i] >= 0)
        {
            i = parent[i];
        }

        return i;
    }

    private static void Compress(int[] parent, int k, int root)
    {
        int next;
        while ((next = parent[k]) >= 0)
        {
            parent[k] = root;
            k = next;
        }
    }

    // cvRound: round half to even, in the precision of the argument.
    private static int RoundFloat(float value) => (int)MathF.Round(value);

    private static int RoundDouble(double value) => (int)Math.Round(value);
}
