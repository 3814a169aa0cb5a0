using System.Diagnostics;
using Facemoji.Emoji;
using Facemoji.Emoji.Display;
using Facemoji.Imaging.Processing;
using Facemoji.Pipeline.Video;

namespace Facemoji.Pipeline.Annotation;

/// <summary>
/// Runs a video file through the pipeline: decode with ffmpeg, find and track faces, draw the emoji, encode
/// with ffmpeg keeping the audio, and optionally stream a per-frame timeline. Frames flow one at a time
/// through reused buffers, so memory stays flat however long the video is.
/// </summary>
public sealed class VideoAnnotator(FaceAnalyzer analyzer, IEmojiPack pack, DisplayMode mode)
{
    /// <summary>Called after each frame with the frame count so far and the expected total (0 when unknown).</summary>
    public Action<int, int>? Progress { get; init; }

    /// <summary>Called after each frame with the faces shown on it (batch runs count the emotions).</summary>
    public Action<IReadOnlyList<Tracking.TrackedFace>>? FrameFaces { get; init; }

    /// <summary>
    /// Annotates <paramref name="input"/> into <paramref name="output"/>. The paths are checked before any work: an
    /// input that does not exist, an output ffmpeg cannot write, in a folder that does not exist, or that is the input.
    /// </summary>
    /// <param name="input">The video to read.</param>
    /// <param name="output">The annotated video to write.</param>
    /// <param name="timelinePath">Also write one row per face per frame here (.csv or .json); null: no timeline.</param>
    /// <param name="createOutputFolder">Make the output's folder once ffprobe has read the input (the default out/).</param>
    public VideoRunReport Run(string input, string output, string? timelinePath, bool createOutputFolder = false)
    {
        if (!File.Exists(input))
        {
            throw new FacemojiException($"{input}: no such video file.");
        }

        if (Path.GetFullPath(input) == Path.GetFullPath(output))
        {
            throw new FacemojiException($"{output}: the output would overwrite the input video.");
        }

        var total = Stopwatch.StartNew();
        // Probed before anything is made: a file ffmpeg cannot read leaves nothing behind, not even the folder.
        using var reader = new VideoFrameReader(input);
        if (createOutputFolder && Path.GetExtension(output).Length > 0)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        }

        VideoFrameWriter.CheckOutputPath(output);
        int expectedFrames = (int)Math.Round(reader.Info.DurationSeconds * reader.Info.FramesPerSecond);
        var tracker = new VideoFaceAnalyzer(analyzer);
        using var timeline = timelinePath is null ? null : new TimelineWriter(timelinePath, Path.GetFileName(input), reader.Info.FramesPerSecond);
        VideoFrameWriter? writer = null;
        TimeSpan decode = default, draw = default, encode = default;
        int faces = 0, maxTrack = 0;
        try
        {
            while (true)
            {
                long t0 = Stopwatch.GetTimestamp();
                if (!reader.ReadNext())
                {
                    decode += Stopwatch.GetElapsedTime(t0);
                    break;
                }

                decode += Stopwatch.GetElapsedTime(t0);
                var gray = ColorConversion.ToGray(reader.Frame);
                var tracked = tracker.Process(gray, reader.FrameTimeSeconds);
                faces += tracked.Count;
                maxTrack = Math.Max(maxTrack, tracked.Count == 0 ? 0 : tracked.Max(f => f.TrackId));
                timeline?.WriteFrame(reader.FrameIndex, reader.FrameTimeSeconds, tracked);
                FrameFaces?.Invoke(tracked);

                long t1 = Stopwatch.GetTimestamp();
                var composed = EmojiOverlay.Draw(reader.Frame, tracked.Select(f => (f.Box, f.Reading)).ToList(), mode, pack, tracked.Select(f => f.Roll ?? 0).ToList());
                long t2 = Stopwatch.GetTimestamp();
                writer ??= new VideoFrameWriter(output, composed.Width, composed.Height, reader.Info.FramesPerSecond, reader.Info.HasAudio ? input : null);
                writer.Write(composed);
                long t3 = Stopwatch.GetTimestamp();
                draw += Stopwatch.GetElapsedTime(t1, t2);
                encode += Stopwatch.GetElapsedTime(t2, t3);
                Progress?.Invoke(reader.FrameIndex + 1, expectedFrames);
            }

            if (writer is null)
            {
                throw new FacemojiException($"{input}: the video has no frames.");
            }

            long t4 = Stopwatch.GetTimestamp();
            writer.Complete();
            encode += Stopwatch.GetElapsedTime(t4);
            timeline?.Complete();
        }
        finally
        {
            writer?.Dispose();
        }

        var warnings = new List<string>();
        int framesRead = reader.FrameIndex + 1;
        if (expectedFrames > 1 && framesRead < expectedFrames * 0.95 - 1)
        {
            warnings.Add($"{input}: the video ends after {framesRead} of the {expectedFrames} frames its header announces (truncated or damaged?); the output has {framesRead}.");
        }

        if (reader.DecodeWarning is { } complaint)
        {
            warnings.Add($"{input}: ffmpeg reported damaged data: {complaint.Split('\n')[0].Trim()}");
        }

        return new VideoRunReport(framesRead, faces, maxTrack, total.Elapsed, decode, tracker.DetectTime, tracker.ClassifyTime, draw, encode) { Warnings = warnings };
    }
}
