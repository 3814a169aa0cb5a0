using Facemoji.Imaging;
using Facemoji.Imaging.Processing;
using Facemoji.Pipeline.Tracking;
using Facemoji.Vision.Detection.BlazeFace;

namespace Facemoji.Pipeline.Tests;

/// <summary>BlazeFace in video: its search spread over the frames (<see cref="Tracking.StaggeredSearch"/>) still finds new faces and follows tilted ones.</summary>
public sealed class BlazeFaceVideoTests
{
    // The astronaut scaled to 300x300 (her face about 90 px, too small for a whole-frame look: the tiles find it),
    // turned by degrees about the photo's centre, at (left, top) on a gray 640x480 frame.
    private static void Paste(RgbaImage frame, double degrees, int left, int top)
    {
        var photo = Resizer.Resize(ImageCodecs.Load(RepositoryFiles.SamplePhotoPath), 300, 300);
        if (degrees != 0)
        {
            photo = Rotation.Rotate(photo, degrees, new Rgba32(128, 128, 128, 255));
        }

        for (int y = 0; y < 300; y++)
        {
            photo.Row(y).CopyTo(frame.Row(top + y).Slice(4 * left, 4 * 300));
        }
    }

    private static RgbaImage GrayFrame()
    {
        var frame = new RgbaImage(640, 480);
        frame.Pixels.AsSpan().Fill(128);
        return frame;
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void ANewFaceIsFoundWithinOneRoundOfTheSearch()
    {
        var analyzer = FaceAnalyzer.Create(new AnalyzerOptions { ModelPath = UntrainedModel.Path, Detector = "blazeface" });
        var video = new VideoFaceAnalyzer(analyzer);
        var one = GrayFrame();
        Paste(one, 0, 0, 0);
        var two = GrayFrame();
        Paste(two, 0, 0, 0);
        Paste(two, 0, 330, 170);

        // One face from the start; the second walks in at frame 5 and must show within a round of the search
        // (every look once) plus the frame that confirms it.
        for (int frame = 0; frame < 5; frame++)
        {
            video.Process(one, frame / 30.0).Should().ContainSingle($"frame {frame}");
        }

        int round = video.Staggered!.FramesPerRound(tracking: true);
        int shownAt = -1;
        for (int frame = 5; frame < 5 + round + FaceTracker.ConfirmFrames && shownAt < 0; frame++)
        {
            if (video.Process(two, frame / 30.0).Count == 2)
            {
                shownAt = frame;
            }
        }

        shownAt.Should().BePositive($"the second face must show within {round + FaceTracker.ConfirmFrames} frames of walking in");
    }

    [Theory]
    [InlineData(-30)]
    [InlineData(30)]
    [Trait("Category", "Slow")]
    public void ATiltedFaceStaysTrackedWithAboutOneLookAFrame(double degrees)
    {
        var analyzer = FaceAnalyzer.Create(new AnalyzerOptions { ModelPath = UntrainedModel.Path, Detector = "blazeface" });
        var detector = (BlazeFaceDetector)analyzer.Detector;
        var video = new VideoFaceAnalyzer(analyzer);
        var ids = new HashSet<int>();
        long runsBefore = 0;
        const int Frames = 44;
        for (int frame = 0; frame < Frames; frame++)
        {
            // The face drifts 2 px a frame, as in the benchmark clip.
            var image = GrayFrame();
            Paste(image, degrees, 150 + (frame * 2), 90);
            var faces = video.Process(image, frame / 30.0);
            if (frame == 1)
            {
                runsBefore = detector.ModelRuns;
            }

            if (frame >= 1)
            {
                faces.Should().ContainSingle($"frame {frame}");
                ids.Add(faces[0].TrackId);
                faces[0].Roll!.Value.Should().BeApproximately(degrees, 12, $"frame {frame}");
            }
        }

        ids.Should().ContainSingle();

        // Past the first frame's whole search (21 looks): the look around the face every frame, one look of the
        // search every second frame; a tilted face that a look sees turned gets its look around it anyway.
        double perFrame = (detector.ModelRuns - runsBefore) / (double)(Frames - 2);
        perFrame.Should().BeLessThanOrEqualTo(1 + (1.0 / StaggeredSearch.FramesPerLookWhileTracking) + 0.05);
    }
}
