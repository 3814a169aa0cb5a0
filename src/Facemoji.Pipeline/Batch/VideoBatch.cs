using System.Text.Json;
using Facemoji.Emoji;
using Facemoji.Emoji.Display;
using Facemoji.Expressions;
using Facemoji.Pipeline.Annotation;

namespace Facemoji.Pipeline.Batch;

/// <summary>
/// <c>facemoji video FOLDER -o OUTDIR --shard I/N --jsonl FILE [--resume]</c>: a folder of videos as a batch.
/// Each video is annotated into the output folder and gets one results line:
/// <c>{"file", "frames", "tracks", "faces", "emotions": {label: face-frames}}</c>, or <c>{"file", "error"}</c>.
/// </summary>
public static class VideoBatch
{
    public static BatchReport Run(
        IEnumerable<string> inputs, BatchSettings settings, Func<FaceAnalyzer> createAnalyzer, IEmojiPack pack, DisplayMode mode, Action<BatchLine>? onLine = null)
    {
        string outputFolder = settings.OutputFolder
            ?? throw new FacemojiException("a video batch needs an output folder (-o FOLDER) for the annotated videos");
        OutputFile.CheckFolder(outputFolder);
        var all = BatchInputs.Videos(inputs);
        return BatchRun.Run(all, settings, input => ProcessOne(input, outputFolder, createAnalyzer(), pack, mode), AnalysisJson.ErrorLine, onLine);
    }

    private static BatchLine ProcessOne(BatchInput input, string outputFolder, FaceAnalyzer analyzer, IEmojiPack pack, DisplayMode mode)
    {
        string output = BatchRun.OutputPath(outputFolder, input, ".mp4");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        long[] emotions = new long[EmotionNames.Count];
        var annotator = new VideoAnnotator(analyzer, pack, mode)
        {
            FrameFaces = faces =>
            {
                foreach (var face in faces)
                {
                    emotions[(int)face.Reading.Emotion]++;
                }
            },
        };
        VideoRunReport report = annotator.Run(input.File, output, timelinePath: null);
        return new BatchLine(input, Line(input.File, report, emotions), null, output);
    }

    private static string Line(string file, VideoRunReport report, long[] emotions)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = EmojiFriendlyJsonEncoder.Instance }))
        {
            json.WriteStartObject();
            json.WriteString("file", file);
            json.WriteNumber("frames", report.Frames);
            json.WriteNumber("tracks", report.Tracks);
            json.WriteNumber("faces", report.FacesSeen);
            json.WriteStartObject("emotions");
            for (int i = 0; i < EmotionNames.Count; i++)
            {
                json.WriteNumber(EmotionNames.Canonical[i], emotions[i]);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
