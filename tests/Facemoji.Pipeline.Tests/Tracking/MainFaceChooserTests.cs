using Facemoji.Imaging;
using Facemoji.Pipeline.Tracking;

namespace Facemoji.Pipeline.Tests.Tracking;

public class MainFaceChooserTests
{
    private static readonly float[] Happy = [0, 0, 0, 1, 0, 0, 0];
    private static readonly float[] Sad = [0, 0, 0, 0, 1, 0, 0];

    private static readonly PixelRect Her = new(300, 100, 120, 120);
    private static readonly PixelRect Background = new(40, 60, 200, 200);

    [Fact]
    public void A_larger_low_score_box_beside_the_face_never_becomes_the_main_face()
    {
        // The sample photo's case: a background false detection larger than her face, seen in every frame but
        // with the cascade's 6 neighbours (score 0.375), against her face's 41 (0.80).
        var tracker = new FaceTracker();
        var chooser = new MainFaceChooser();
        for (int frame = 0; frame < 20; frame++)
        {
            var faces = tracker.UpdateScored([(Background, Sad, 0.375), (Her, Happy, 0.8)], 0.04);
            var main = chooser.Choose(faces);
            if (frame + 1 >= MainFaceChooser.MinimumHits)
            {
                main.Should().NotBeNull();
                main!.Box.IoU(Her).Should().BeGreaterThan(0.9, $"frame {frame}: the main face is hers");
            }
        }
    }

    [Fact]
    public void A_low_score_box_alone_is_no_main_face()
    {
        var tracker = new FaceTracker();
        var chooser = new MainFaceChooser();
        for (int frame = 0; frame < 10; frame++)
        {
            chooser.Choose(tracker.UpdateScored([(Background, Sad, 0.375)], 0.04)).Should().BeNull();
        }
    }

    [Fact]
    public void A_one_frame_box_is_never_the_main_face_and_a_new_track_waits_for_its_hits()
    {
        var tracker = new FaceTracker();
        var chooser = new MainFaceChooser();
        // First frame: shown at once by the tracker, but not yet the main face.
        chooser.Choose(tracker.UpdateScored([(Her, Happy, 0.9)], 0.04)).Should().BeNull("one frame is not enough");
        chooser.Choose(tracker.UpdateScored([(Her, Happy, 0.9)], 0.04)).Should().BeNull("two frames are not enough");
        chooser.Choose(tracker.UpdateScored([(Her, Happy, 0.9)], 0.04)).Should().NotBeNull();

        // A high-score box in one frame only: the main face stays hers.
        var withFlash = tracker.UpdateScored([(Her, Happy, 0.9), (Background, Sad, 0.99)], 0.04);
        chooser.Choose(withFlash)!.Box.IoU(Her).Should().BeGreaterThan(0.9);
        chooser.Choose(tracker.UpdateScored([(Her, Happy, 0.9)], 0.04))!.Box.IoU(Her).Should().BeGreaterThan(0.9);
    }

    [Fact]
    public void A_new_choice_goes_by_score_then_persistence_then_size()
    {
        TrackedFace Face(int id, double score, int hits, int size) =>
            new(id, new PixelRect(id * 300, 0, size, size), new Expressions.ExpressionReading(Happy), 0) { Score = score, Hits = hits };

        new MainFaceChooser().Choose([Face(1, 0.6, 10, 200), Face(2, 0.9, 3, 50)])!.TrackId.Should().Be(2, "the score comes first");
        new MainFaceChooser().Choose([Face(1, 0.88, 4, 200), Face(2, 0.9, 9, 50)])!.TrackId.Should().Be(2, "scores within 0.05 tie: persistence");
        new MainFaceChooser().Choose([Face(1, 0.88, 9, 200), Face(2, 0.9, 9, 50)])!.TrackId.Should().Be(1, "same score and persistence: the larger");
        new MainFaceChooser().Choose([Face(1, 0.39, 50, 400)]).Should().BeNull("a low score never is the main face");
        new MainFaceChooser().Choose([Face(1, 0.9, 2, 400)]).Should().BeNull("too few frames");
    }

    [Fact]
    public void The_choice_is_kept_while_its_track_stays_then_passes_on()
    {
        TrackedFace Face(int id, double score) =>
            new(id, new PixelRect(id * 300, 0, 100, 100), new Expressions.ExpressionReading(Happy), 0) { Score = score, Hits = 10 };

        var chooser = new MainFaceChooser();
        chooser.Choose([Face(1, 0.6)])!.TrackId.Should().Be(1);
        chooser.Choose([Face(1, 0.6), Face(2, 0.9)])!.TrackId.Should().Be(1, "no flicker to a better face while the main one stays");
        chooser.Choose([Face(2, 0.9)])!.TrackId.Should().Be(2);
        chooser.MainTrack.Should().Be(2);
    }

    [Fact]
    public void The_tracker_carries_the_mean_score_and_the_hits()
    {
        var tracker = new FaceTracker();
        tracker.UpdateScored([(Her, Happy, 0.5)], 0.04);
        var face = tracker.UpdateScored([(Her, Happy, 0.7)], 0.04).Should().ContainSingle().Subject;
        face.Hits.Should().Be(2);
        face.Score.Should().BeApproximately(0.6, 1e-9);
    }
}
