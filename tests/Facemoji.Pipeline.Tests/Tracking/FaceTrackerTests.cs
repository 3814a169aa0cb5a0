using Facemoji.Imaging;
using Facemoji.Pipeline.Tracking;

namespace Facemoji.Pipeline.Tests.Tracking;

public class FaceTrackerTests
{
    private static readonly float[] Happy = [0, 0, 0, 1, 0, 0, 0];

    [Fact]
    public void Ids_stay_with_faces_that_move_a_little()
    {
        var tracker = new FaceTracker();
        tracker.Update([], 0.04);
        tracker.Update([(new PixelRect(10, 10, 100, 100), Happy), (new PixelRect(300, 50, 80, 80), Happy)], 0.04).Should().BeEmpty("a track shows once confirmed");
        var first = tracker.Update([(new PixelRect(10, 10, 100, 100), Happy), (new PixelRect(300, 50, 80, 80), Happy)], 0.04);
        first.Select(f => f.TrackId).Should().Equal(1, 2);

        // The faces swap order in the detector's list and move by a few pixels.
        var next = tracker.Update([(new PixelRect(305, 52, 80, 80), Happy), (new PixelRect(14, 12, 100, 100), Happy)], 0.04);
        next.Should().HaveCount(2);
        next.Single(f => f.TrackId == 1).Box.X.Should().BeInRange(10, 14);
        next.Single(f => f.TrackId == 2).Box.X.Should().BeInRange(300, 305);
    }

    [Fact]
    public void A_missed_frame_coasts_and_a_long_absence_forgets()
    {
        var tracker = new FaceTracker();
        tracker.Update([(new PixelRect(10, 10, 100, 100), Happy)], 0.04);
        tracker.Update([(new PixelRect(10, 10, 100, 100), Happy)], 0.04);
        tracker.Update([], 0.04).Should().ContainSingle(f => f.TrackId == 1 && f.FramesSinceSeen == 1);
        for (int i = 0; i < FaceTracker.ForgetFrames; i++)
        {
            tracker.Update([], 0.04);
        }

        tracker.Update([(new PixelRect(10, 10, 100, 100), Happy)], 0.04);
        var back = tracker.Update([(new PixelRect(10, 10, 100, 100), Happy)], 0.04);
        back.Should().ContainSingle().Which.TrackId.Should().Be(2, "a face gone for longer than the forget window is a new track");
    }

    [Fact]
    public void A_face_far_away_starts_a_new_track()
    {
        var tracker = new FaceTracker();
        tracker.Update([(new PixelRect(0, 0, 50, 50), Happy)], 0.04);
        tracker.Update([(new PixelRect(0, 0, 50, 50), Happy)], 0.04);
        tracker.Update([(new PixelRect(200, 200, 50, 50), Happy)], 0.04);
        var next = tracker.Update([(new PixelRect(200, 200, 50, 50), Happy)], 0.04);
        next.Select(f => f.TrackId).Should().Equal(1, 2);
        next.Single(f => f.TrackId == 1).FramesSinceSeen.Should().Be(2);
    }

    [Fact]
    public void A_detection_seen_in_one_frame_only_never_shows()
    {
        var tracker = new FaceTracker();
        tracker.Update([], 0.04);
        tracker.Update([(new PixelRect(0, 0, 50, 50), Happy), (new PixelRect(300, 300, 40, 40), Happy)], 0.04);
        for (int i = 0; i < 5; i++)
        {
            tracker.Update([(new PixelRect(0, 0, 50, 50), Happy)], 0.04).Should().ContainSingle().Which.TrackId.Should().Be(1);
        }
    }

    [Fact]
    public void Faces_of_the_first_frame_show_at_once()
    {
        // Issue 14: a one-frame video reported no face.
        var tracker = new FaceTracker();
        tracker.Update([(new PixelRect(10, 10, 100, 100), Happy), (new PixelRect(300, 50, 80, 80), Happy)], 0.04)
            .Select(f => f.TrackId).Should().Equal(1, 2);

        // Still unconfirmed: the one not found again is dropped at once, the other keeps its id.
        tracker.Update([(new PixelRect(12, 10, 100, 100), Happy)], 0.04).Should().ContainSingle().Which.TrackId.Should().Be(1);
        tracker.Update([], 0.04).Should().ContainSingle().Which.TrackId.Should().Be(1, "a confirmed track coasts");
    }

    [Fact]
    public void The_roll_follows_the_head_the_short_way_round()
    {
        var tracker = new FaceTracker();
        var box = new PixelRect(10, 10, 100, 100);
        tracker.UpdateRolled([(box, Happy, 0.9, 170.0)], 0.04).Should().ContainSingle().Which.Roll.Should().Be(170);

        // From 170° to -170° is 20° clockwise, not 340° back: the smoothed roll passes 180°, never 0°.
        var turned = tracker.UpdateRolled([(box, Happy, 0.9, -170.0)], 0.04).Should().ContainSingle().Subject;
        Math.Abs(turned.Roll!.Value).Should().BeGreaterThan(170);
        for (int i = 0; i < 10; i++)
        {
            turned = tracker.UpdateRolled([(box, Happy, 0.9, -170.0)], 0.04).Single();
        }

        turned.Roll!.Value.Should().BeApproximately(-170, 0.5, "the track settles on the head's roll");
    }

    [Fact]
    public void The_roll_is_smoothed_and_absent_without_landmarks()
    {
        var tracker = new FaceTracker();
        var box = new PixelRect(10, 10, 100, 100);
        tracker.UpdateRolled([(box, Happy, 0.9, 0.0)], 0.04);
        var step = tracker.UpdateRolled([(box, Happy, 0.9, 20.0)], 0.04).Single();
        step.Roll!.Value.Should().BeInRange(5, 19.9, "one frame moves the roll part of the way, like the box");

        var cascade = new FaceTracker();
        cascade.Update([(box, Happy)], 0.04).Single().Roll.Should().BeNull();
        cascade.Update([(box, Happy)], 0.04).Single().Roll.Should().BeNull();
    }
}
