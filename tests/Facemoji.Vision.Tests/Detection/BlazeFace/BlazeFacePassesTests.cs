using Facemoji.Imaging;
using Facemoji.Imaging.Processing;
using Facemoji.Vision.Detection;
using Facemoji.Vision.Detection.BlazeFace;

namespace Facemoji.Vision.Tests.Detection.BlazeFace;

/// <summary>The passes beyond MediaPipe's one look: tiles for small faces, turned tiles for small tilted ones, the landmark check.</summary>
public sealed class BlazeFacePassesTests
{
    private const int Size = 256;

    // The astronaut scaled to 256x256 (her face about 50 px) in a 640x480 frame, turned about her face by degrees.
    private static (RgbaImage Frame, double FaceX, double FaceY) SmallFace(double degrees)
    {
        var small = Resizer.Resize(BlazeFaceDetectorTests.Astronaut(), Size, Size);
        if (degrees != 0)
        {
            small = Rotation.Rotate(small, degrees, Rgba32.Black);
        }

        var frame = new RgbaImage(640, 480);
        int left = 300, top = 140;
        for (int y = 0; y < Size; y++)
        {
            small.Row(y).CopyTo(frame.Row(top + y).Slice(4 * left, 4 * Size));
        }

        // Her face's centre, (224, 113) in the 512x512 photo, where it lands after the scaling and the turn about the centre.
        double half = Size / 2.0, fx = (224.5 * Size / 512) - half, fy = (113.5 * Size / 512) - half, r = degrees * Math.PI / 180;
        return (frame, left + half + (Math.Cos(r) * fx) - (Math.Sin(r) * fy), top + half + (Math.Sin(r) * fx) + (Math.Cos(r) * fy));
    }

    private static List<DetectedFace> Near(IReadOnlyList<DetectedFace> faces, double x, double y) =>
        faces.Where(f => Math.Abs(f.Center.X - x) < 30 && Math.Abs(f.Center.Y - y) < 30).ToList();

    [Theory]
    [InlineData(0)]
    [InlineData(-30)]
    [InlineData(30)]
    public void TiledPassesFindASmallFaceTheWholeFrameMisses(double degrees)
    {
        var (frame, x, y) = SmallFace(degrees);
        var gray = ColorConversion.ToGray(frame);
        var whole = new BlazeFaceDetector(BlazeFaceModel.ShortRange) { TileLevels = 0, CandidateScore = 1 };
        Near(whole.Detect(gray, frame), x, y).Should().BeEmpty("a 50 px face is too small for one short-range look at a 640x480 frame");

        var face = Near(new BlazeFaceDetector(BlazeFaceModel.ShortRange).Detect(gray, frame), x, y).Should().ContainSingle().Subject;
        face.Box.Width.Should().BeInRange(30, 80);
        face.Roll.Should().BeApproximately(degrees, 12);
    }

    [Fact]
    public void APhotoOfOneBigUprightFaceTakesOneLookOrTwo()
    {
        // The cost of the photo search: her face is found by the upright whole-frame look (one more if it were only a
        // candidate), so the turned passes and the nine tiles of a 512x512 photo are not looked at.
        var image = BlazeFaceDetectorTests.Astronaut();
        var detector = new BlazeFaceDetector(BlazeFaceModel.ShortRange);
        detector.Detect(ColorConversion.ToGray(image), image).Should().ContainSingle().Which.Box.IoU(BlazeFaceDetectorTests.AstronautFace).Should().BeGreaterThan(0.5);
        detector.ModelRuns.Should().BeInRange(1, 2);
    }

    [Fact]
    public void WithoutStoppingEveryStageIsLookedAtAndFindsTheSameFace()
    {
        var image = BlazeFaceDetectorTests.Astronaut();
        var detector = new BlazeFaceDetector(BlazeFaceModel.ShortRange) { StopWhenFound = false };
        detector.Detect(ColorConversion.ToGray(image), image).Should().ContainSingle().Which.Box.IoU(BlazeFaceDetectorTests.AstronautFace).Should().BeGreaterThan(0.5);
        detector.ModelRuns.Should().BeGreaterThanOrEqualTo(1 + 2 + 9, "the whole frame upright and turned by ±45°, then 3x3 tiles of 256 px");
        detector.PhotoStages(512, 512).Select(s => s.Squares.Count).Should().Equal(1, 2, 9);
        detector.PhotoStages(200, 150).Select(s => s.Squares.Count).Should().Equal([1, 2], "a small frame gets no tiles");
    }

    [Fact]
    public void AFaceTooLargeForAnyTileIsACandidateWhereTheTilesCutIt()
    {
        // Her face (a 95 px box in the photo) enlarged to a box of about 185 px centred near (480, 240) of a 640x480 frame:
        // more than the 160 px by which the 320 px tiles overlap, so the tiles at (480, 160) and (480, 320) both cut it.
        var scaled = Resizer.Resize(BlazeFaceDetectorTests.Astronaut(), 970, 970);
        var frame = new RgbaImage(640, 480);
        for (int y = 0; y < 480; y++)
        {
            scaled.Row(y).Slice(0, 4 * (640 - 55)).CopyTo(frame.Row(y).Slice(4 * 55));
        }

        var gray = ColorConversion.ToGray(frame);
        var source = new SampleSource(gray, frame);
        var detector = new BlazeFaceDetector(BlazeFaceModel.ShortRange);
        var looks = new[] { new SearchSquare(480, 160, 320, 0), new SearchSquare(480, 320, 320, 0) }
            .SelectMany(square => detector.PhotoLook(source, square, 0.5))
            .Where(f => Math.Abs(f.Face.Center.X - 480) < 40 && Math.Abs(f.Face.Center.Y - 240) < 40)
            .ToList();
        looks.Should().NotBeEmpty("a tile sees part of her face").And.OnlyContain(f => f.Cut, "no tile holds it whole: {0}", string.Join("; ", looks.Select(l => $"{l.Face.Box} {l.Face.Score:F2} {l.Cut}")));
        detector.DetectInSquares(gray, frame, [new SearchSquare(480, 160, 320, 0), new SearchSquare(480, 320, 320, 0)])
            .Where(f => Math.Abs(f.Center.X - 480) < 40 && Math.Abs(f.Center.Y - 240) < 40)
            .Should().BeEmpty("the search of every look leaves a cut face to the whole-frame looks");
    }

    [Fact]
    public void AFaceATurnedLookFindsIsConfirmedOnceAndStopsTheSearch()
    {
        // Turned by 60°, her face is found by the look at the frame turned by 45°; its closer look, turned by her roll,
        // finds her again, so the tiles are not looked at.
        var turned = Rotation.Rotate(BlazeFaceDetectorTests.Astronaut(), 60, Rgba32.Black);
        var detector = new BlazeFaceDetector(BlazeFaceModel.ShortRange);
        detector.Detect(ColorConversion.ToGray(turned), turned).Should().ContainSingle().Which.Roll.Should().BeApproximately(60, 12);
        detector.ModelRuns.Should().BeLessThan(1 + 2 + 9, "the 3x3 tiles of a 512x512 photo are not looked at");
    }

    [Fact]
    public void TilesOverlapByHalfAndCoverTheFrame()
    {
        var detector = new BlazeFaceDetector(BlazeFaceModel.ShortRange);
        var tiles = detector.Tiles(640, 480).ToList();
        tiles.Should().HaveCount(6);
        tiles.Should().OnlyContain(t => t.Side == 320);
        tiles.Select(t => t.X).Distinct().Should().Equal(160, 320, 480);
        tiles.Select(t => t.Y).Distinct().Should().Equal(160, 320);
        detector.Tiles(300, 200).Should().BeEmpty("a small frame is looked at whole");
        detector.Tiles(1280, 720).Select(t => t.Side).Should().Equal(Enumerable.Repeat(640.0, 3 * 2).Concat(Enumerable.Repeat(320.0, 7 * 4)), "a large frame gets 320 px squares too");
        detector.PhotoStages(1280, 720).Select(s => s.Squares.Count).Should().Equal(1, 2, 6, 28);
        detector.SearchSquares(1280, 720).Should().HaveCount(3 + (6 * 3) + 28, "the further level's squares are looked at upright only");
        new BlazeFaceDetector(BlazeFaceModel.ShortRange) { TileLevels = 2 }.Tiles(640, 480).Should().HaveCount(6 + (7 * 5));
        new BlazeFaceDetector(BlazeFaceModel.FullRange).Tiles(640, 480).Should().BeEmpty("the full-range model is made for small faces");
    }

    [Theory]
    [InlineData(100, 250)] // 2.5 times a box of a sixth of the frame, as a tracked face's region
    [InlineData(222, 384)] // a face's box drawn too large: no more than 0.6 of the frame's 640 px, 1.7 times closer than the whole frame
    [InlineData(300, 450)] // but never under 1.5 times the box, so that the face it holds is whole
    public void ACandidatesCloserLookIsCloserThanTheWholeFrame(int box, double expectedSide)
    {
        BlazeFaceDetector.CloserLookSide(new PixelRect(10, 20, box, box), 640, 480).Should().BeApproximately(expectedSide, 1e-9);
    }

    [Fact]
    public void TheLandmarkCheckKeepsAFaceAndRefusesScrambledPoints()
    {
        var image = BlazeFaceDetectorTests.Astronaut();
        var face = new BlazeFaceDetector(BlazeFaceModel.ShortRange).Detect(ColorConversion.ToGray(image), image).Single();
        BlazeFaceDetector.PlausibleFace(face).Should().BeTrue();

        var points = face.Landmarks.ToArray();
        (points[FaceLandmarks.NoseTip], points[FaceLandmarks.MouthCenter]) = (points[FaceLandmarks.MouthCenter], points[FaceLandmarks.NoseTip]);
        BlazeFaceDetector.PlausibleFace(face with { Landmarks = points }).Should().BeFalse("the mouth above the nose");

        var c = face.Center;
        BlazeFaceDetector.Features(face).EyeDistance.Should().BeInRange(0.35, 0.5, "her eyes, in box sides");
        var squeezed = face.Landmarks.Select(p => new FacePoint(c.X + ((p.X - c.X) * 0.2), p.Y)).ToArray();
        BlazeFaceDetector.PlausibleFace(face with { Landmarks = squeezed }).Should().BeFalse("eyes under a tenth of the box apart");

        // A head turned sideways: the eyes come together (a third of their distance, about 0.14 box sides) while the
        // mouth stays as far below them.
        var profile = face.Landmarks.Select(p => new FacePoint(c.X + ((p.X - c.X) / 3), p.Y)).ToArray();
        BlazeFaceDetector.PlausibleFace(face with { Landmarks = profile }).Should().BeTrue("a head in profile brings its eyes together");

        var wide = face with { Box = new PixelRect(face.Box.X - face.Box.Width, face.Box.Y - face.Box.Height, face.Box.Width * 3, face.Box.Height * 3) };
        BlazeFaceDetector.PlausibleFace(wide).Should().BeFalse("a box three times the face");
    }
}
