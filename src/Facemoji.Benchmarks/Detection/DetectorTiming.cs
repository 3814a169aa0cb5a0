using System.Diagnostics;
using Facemoji.Imaging;
using Facemoji.Imaging.Processing;
using Facemoji.Pipeline;
using Facemoji.Vision.Detection;
using Facemoji.Vision.Detection.BlazeFace;

namespace Facemoji.Benchmarks.Detection;

/// <summary>
/// <c>facemoji bench detect --detector NAME</c>: median milliseconds per frame of any detector on one thread. A
/// BlazeFace detector is timed three ways, each with its looks (model runs) per frame: one upright look, the photo
/// search as the pipeline runs it (stopping after the first stage that finds a face), and every stage of the photo
/// search (the whole frame upright and turned, and the tiles when the model has them).
/// </summary>
public static class DetectorTiming
{
    /// <summary>
    /// Times <paramref name="detector"/> (a <see cref="FaceDetectors"/> name) on the PGM frame at
    /// <paramref name="framePath"/>: 3 warm-up frames, then 7 repeats of 20 frames (<paramref name="quick"/>: 3 of 5).
    /// Sets <see cref="ParallelRows.MaxDegreeOfParallelism"/> to 1.
    /// </summary>
    public static IReadOnlyList<DetectorTimingResult> Run(string detector, string framePath, bool quick)
    {
        var frame = DetectionBenchmark.ReadPgm(framePath);
        (int frames, int repeats) = quick ? (5, 3) : (20, 7);
        ParallelRows.MaxDegreeOfParallelism = 1;
        var color = ColorConversion.ToRgba(frame);
        var results = new List<DetectorTimingResult>();
        var created = FaceDetectors.Create(detector, null, DetectionOptions.Default);
        foreach (var (variant, timed) in Variants(detector, created))
        {
            int faces = 0;
            string label = variant;
            for (int i = 0; i < 3; i++)
            {
                faces = timed.Detect(frame, color).Count;
            }

            if (timed is BlazeFaceDetector counted)
            {
                long runs = counted.ModelRuns;
                timed.Detect(frame, color);
                label += $", {counted.ModelRuns - runs} look(s)";
            }

            var times = new List<double>();
            for (int r = 0; r < repeats; r++)
            {
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < frames; i++)
                {
                    timed.Detect(frame, color);
                }

                times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds / frames);
            }

            times.Sort();
            results.Add(new DetectorTimingResult(label, times[times.Count / 2], faces, frame.Width, frame.Height, repeats, frames));
        }

        if (created is ISplitSearchDetector)
        {
            results.Add(TimeVideoSchedule(detector, frame, frames, repeats));
        }

        return results;
    }

    // The detection a video runs (VideoFaceAnalyzer, its DetectTime): the frame again and again, its face tracked after
    // the first frame's whole search, so each frame gets the look around the face and every second frame a look of the
    // staggered search.
    private static DetectorTimingResult TimeVideoSchedule(string detector, GrayImage frame, int frames, int repeats)
    {
        var video = new VideoFaceAnalyzer(FaceAnalyzer.Create(new AnalyzerOptions { Detector = detector }));
        int index = 0;
        for (int i = 0; i < 4; i++)
        {
            video.Process(frame, index++ / 30.0);
        }

        int perRepeat = 2 * frames, faces = 0;
        var times = new List<double>();
        for (int r = 0; r < repeats; r++)
        {
            var before = video.DetectTime;
            for (int i = 0; i < perRepeat; i++)
            {
                faces = video.Process(frame, index++ / 30.0).Count;
            }

            times.Add((video.DetectTime - before).TotalMilliseconds / perRepeat);
        }

        times.Sort();
        return new DetectorTimingResult($"{detector}, as a video runs it with the face tracked", times[times.Count / 2], faces, frame.Width, frame.Height, repeats, perRepeat);
    }

    private static List<(string Label, IFaceDetector Detector)> Variants(string detector, IFaceDetector created)
    {
        var variants = new List<(string Label, IFaceDetector Detector)>();
        if (created is BlazeFaceDetector blaze)
        {
            variants.Add(($"{detector}, upright pass only", new BlazeFaceDetector(blaze.Model) { RotatedPassAngles = [], TileLevels = 0, CandidateScore = 1 }));
            variants.Add(($"{detector}, photo search (the default)", blaze));
            variants.Add(($"{detector}, every stage of the photo search", new BlazeFaceDetector(blaze.Model) { StopWhenFound = false }));
        }
        else
        {
            variants.Add((detector, created));
        }

        return variants;
    }
}
