using Facemoji.Engine;
using Facemoji.Imaging;
using Facemoji.Pipeline.Annotation;

namespace Facemoji.Pipeline.Batch;

/// <summary>
/// <c>facemoji image INPUTS --shard I/N --jsonl FILE [--resume]</c>: photos as a batch, one line of
/// <see cref="AnalysisJson"/> per photo in the results file, annotated copies under the output folder.
/// </summary>
public static class ImageBatch
{
    public static BatchReport Run(IEnumerable<string> inputs, BatchSettings settings, ImageAnnotator annotator, Action<BatchLine>? onLine = null)
    {
        if (settings.OutputFolder is { } folder)
        {
            OutputFile.CheckFolder(folder);
        }

        var all = BatchInputs.Images(inputs, settings.Recursive);
        return BatchRun.Run(all, settings, input => ProcessOne(input, settings.OutputFolder, annotator), AnalysisJson.ErrorLine, onLine);
    }

    private static BatchLine ProcessOne(BatchInput input, string? outputFolder, ImageAnnotator annotator)
    {
        RgbaImage image = ImageCodecs.Load(input.File);
        var (faces, annotated) = annotator.Annotate(image);
        string? written = null;
        if (outputFolder is not null)
        {
            string extension = ImageInputs.OutputExtension(input.File);
            written = BatchRun.OutputPath(outputFolder, input, extension);
            Directory.CreateDirectory(Path.GetDirectoryName(written)!);
            ImageCodecs.Save(annotated, written);
        }

        return new BatchLine(input, AnalysisJson.ImageLine(input.File, image.Width, image.Height, faces), null, written);
    }
}
