namespace Facemoji.Vision.Cascades;

/// <summary>
/// An internal node of a weak tree, as OpenCV's <c>DTreeNode</c>: a child index &gt; 0 is another node of the
/// same tree, a child index &lt;= 0 is leaf number -index. <see cref="Threshold"/> is unused by LBP (categorical)
/// nodes, which test a bit of their subset instead.
/// </summary>
internal readonly record struct TreeNode(int Left, int Right, int FeatureIndex, float Threshold);
