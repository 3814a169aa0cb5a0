
namespace Facemoji.Vision.Detection;

/// <summary>
/// Builds layers [start, end): shrink the image (bit-exact bilinear) and fill the layer's sum and square tables
/// row by row (and the tilted table when the cascade has tilted features). Layers are independent, so the
/// parallel split is over layers.
/// </summary>
internal readonly struct PrepareLayersOperation(DetectionWorkspace workspace, byte[] image, bool tilted) : IRowOperation
{
    public void Invoke(int start, int end)
    {
        int[] buffer = workspace.Buffer;
        int stride = workspace.Stride;
        for (int i = start; i < end; i++)
        {
            ScaleLayer layer = workspace.Layers[i];
            Span<int> sum = buffer.AsSpan(layer.Origin);
            Span<int> squares = buffer.AsSpan(workspace.SquaresOffset + layer.Origin);
            sum.Slice(0, layer.Width + 1).Clear();
            squares.Slice(0, layer.Width + 1).Clear();
            for (int y = 0; y < layer.Height; y++)
            {
                Span<byte> row = layer.Pixels.AsSpan(y * layer.Width, layer.Width);
                layer.Resize.ResizeRow(image, y, row);
                IntegralImage.ComputeRow(row, sum.Slice(y * stride), squares.Slice(y * stride), stride);
            }

            if (tilted)
            {
                IntegralImage.ComputeTilted(layer.Pixels, layer.Width, layer.Height, buffer.AsSpan(workspace.TiltedOffset + layer.Origin), stride);
            }
        }
    }
}
